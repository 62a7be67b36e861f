-- Each tagged record carries its tags (id, name, colour) as a JSON array, so that a list page, a
-- search and a detail read them with the row instead of a lookup per record (about 3 rows read per
-- record in a page). Triggers keep the copy exact whatever writes the rows (API, bulk actions,
-- imports, merges, tag renames and deletions). The column is not in the drizzle schema on
-- purpose: no statement of the app can write it.
ALTER TABLE `contacts` ADD `tags_json` text DEFAULT '[]' NOT NULL;
--> statement-breakpoint
ALTER TABLE `companies` ADD `tags_json` text DEFAULT '[]' NOT NULL;
--> statement-breakpoint
ALTER TABLE `deals` ADD `tags_json` text DEFAULT '[]' NOT NULL;
--> statement-breakpoint
CREATE TRIGGER `record_tags_contact_ai` AFTER INSERT ON `record_tags` WHEN new.record_type = 'contact' BEGIN
	UPDATE contacts SET tags_json = (SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'color', t.color)) FROM record_tags rt JOIN tags t ON t.id = rt.tag_id WHERE rt.record_type = 'contact' AND rt.record_id = new.record_id) WHERE id = new.record_id;
END;
--> statement-breakpoint
CREATE TRIGGER `record_tags_contact_ad` AFTER DELETE ON `record_tags` WHEN old.record_type = 'contact' BEGIN
	UPDATE contacts SET tags_json = (SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'color', t.color)) FROM record_tags rt JOIN tags t ON t.id = rt.tag_id WHERE rt.record_type = 'contact' AND rt.record_id = old.record_id) WHERE id = old.record_id;
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_tags_ai` AFTER INSERT ON `contacts` WHEN EXISTS (SELECT 1 FROM record_tags WHERE record_type = 'contact' AND record_id = new.id) BEGIN
	UPDATE contacts SET tags_json = (SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'color', t.color)) FROM record_tags rt JOIN tags t ON t.id = rt.tag_id WHERE rt.record_type = 'contact' AND rt.record_id = new.id) WHERE id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `record_tags_company_ai` AFTER INSERT ON `record_tags` WHEN new.record_type = 'company' BEGIN
	UPDATE companies SET tags_json = (SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'color', t.color)) FROM record_tags rt JOIN tags t ON t.id = rt.tag_id WHERE rt.record_type = 'company' AND rt.record_id = new.record_id) WHERE id = new.record_id;
END;
--> statement-breakpoint
CREATE TRIGGER `record_tags_company_ad` AFTER DELETE ON `record_tags` WHEN old.record_type = 'company' BEGIN
	UPDATE companies SET tags_json = (SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'color', t.color)) FROM record_tags rt JOIN tags t ON t.id = rt.tag_id WHERE rt.record_type = 'company' AND rt.record_id = old.record_id) WHERE id = old.record_id;
END;
--> statement-breakpoint
CREATE TRIGGER `companies_tags_ai` AFTER INSERT ON `companies` WHEN EXISTS (SELECT 1 FROM record_tags WHERE record_type = 'company' AND record_id = new.id) BEGIN
	UPDATE companies SET tags_json = (SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'color', t.color)) FROM record_tags rt JOIN tags t ON t.id = rt.tag_id WHERE rt.record_type = 'company' AND rt.record_id = new.id) WHERE id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `record_tags_deal_ai` AFTER INSERT ON `record_tags` WHEN new.record_type = 'deal' BEGIN
	UPDATE deals SET tags_json = (SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'color', t.color)) FROM record_tags rt JOIN tags t ON t.id = rt.tag_id WHERE rt.record_type = 'deal' AND rt.record_id = new.record_id) WHERE id = new.record_id;
END;
--> statement-breakpoint
CREATE TRIGGER `record_tags_deal_ad` AFTER DELETE ON `record_tags` WHEN old.record_type = 'deal' BEGIN
	UPDATE deals SET tags_json = (SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'color', t.color)) FROM record_tags rt JOIN tags t ON t.id = rt.tag_id WHERE rt.record_type = 'deal' AND rt.record_id = old.record_id) WHERE id = old.record_id;
END;
--> statement-breakpoint
CREATE TRIGGER `deals_tags_ai` AFTER INSERT ON `deals` WHEN EXISTS (SELECT 1 FROM record_tags WHERE record_type = 'deal' AND record_id = new.id) BEGIN
	UPDATE deals SET tags_json = (SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'color', t.color)) FROM record_tags rt JOIN tags t ON t.id = rt.tag_id WHERE rt.record_type = 'deal' AND rt.record_id = new.id) WHERE id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `record_tags_json_au` AFTER UPDATE ON `record_tags` BEGIN
	UPDATE contacts SET tags_json = (SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'color', t.color)) FROM record_tags rt JOIN tags t ON t.id = rt.tag_id WHERE rt.record_type = 'contact' AND rt.record_id = contacts.id) WHERE id IN (old.record_id, new.record_id);
	UPDATE companies SET tags_json = (SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'color', t.color)) FROM record_tags rt JOIN tags t ON t.id = rt.tag_id WHERE rt.record_type = 'company' AND rt.record_id = companies.id) WHERE id IN (old.record_id, new.record_id);
	UPDATE deals SET tags_json = (SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'color', t.color)) FROM record_tags rt JOIN tags t ON t.id = rt.tag_id WHERE rt.record_type = 'deal' AND rt.record_id = deals.id) WHERE id IN (old.record_id, new.record_id);
END;
--> statement-breakpoint
CREATE TRIGGER `tags_json_au` AFTER UPDATE OF name, color ON `tags` BEGIN
	UPDATE contacts SET tags_json = (SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'color', t.color)) FROM record_tags rt JOIN tags t ON t.id = rt.tag_id WHERE rt.record_type = 'contact' AND rt.record_id = contacts.id) WHERE id IN (SELECT record_id FROM record_tags WHERE workspace_id = new.workspace_id AND tag_id = new.id AND record_type = 'contact');
	UPDATE companies SET tags_json = (SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'color', t.color)) FROM record_tags rt JOIN tags t ON t.id = rt.tag_id WHERE rt.record_type = 'company' AND rt.record_id = companies.id) WHERE id IN (SELECT record_id FROM record_tags WHERE workspace_id = new.workspace_id AND tag_id = new.id AND record_type = 'company');
	UPDATE deals SET tags_json = (SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'color', t.color)) FROM record_tags rt JOIN tags t ON t.id = rt.tag_id WHERE rt.record_type = 'deal' AND rt.record_id = deals.id) WHERE id IN (SELECT record_id FROM record_tags WHERE workspace_id = new.workspace_id AND tag_id = new.id AND record_type = 'deal');
END;
--> statement-breakpoint
UPDATE contacts SET tags_json = (SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'color', t.color)) FROM record_tags rt JOIN tags t ON t.id = rt.tag_id WHERE rt.record_type = 'contact' AND rt.record_id = contacts.id) WHERE id IN (SELECT record_id FROM record_tags WHERE record_type = 'contact');
--> statement-breakpoint
UPDATE companies SET tags_json = (SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'color', t.color)) FROM record_tags rt JOIN tags t ON t.id = rt.tag_id WHERE rt.record_type = 'company' AND rt.record_id = companies.id) WHERE id IN (SELECT record_id FROM record_tags WHERE record_type = 'company');
--> statement-breakpoint
UPDATE deals SET tags_json = (SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'color', t.color)) FROM record_tags rt JOIN tags t ON t.id = rt.tag_id WHERE rt.record_type = 'deal' AND rt.record_id = deals.id) WHERE id IN (SELECT record_id FROM record_tags WHERE record_type = 'deal');
