-- Full-text search over contacts: names, emails, phones, company name and activity notes.
-- search_docs holds one document per contact and per note-bearing activity; contact_search is
-- an external-content FTS5 index over it. The trigram tokenizer matches any 3+ character
-- substring, which covers Chinese text (the default tokenizer does not split it) and phone
-- fragments. Triggers keep both current whatever writes the rows (API, import, merge), and
-- every maintenance step is an indexed lookup, never a scan of the index.
CREATE TABLE `search_docs` (
	`id` integer PRIMARY KEY,
	`workspace_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`source` text NOT NULL,
	`body` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_docs_source_unique` ON `search_docs` (`source`);
--> statement-breakpoint
CREATE INDEX `search_docs_contact_idx` ON `search_docs` (`contact_id`);
--> statement-breakpoint
CREATE VIRTUAL TABLE `contact_search` USING fts5(body, content = 'search_docs', content_rowid = 'id', tokenize = 'trigram');
--> statement-breakpoint
CREATE TRIGGER `search_docs_ai` AFTER INSERT ON `search_docs` BEGIN
	INSERT INTO contact_search (rowid, body) VALUES (new.id, new.body);
END;
--> statement-breakpoint
CREATE TRIGGER `search_docs_ad` AFTER DELETE ON `search_docs` BEGIN
	INSERT INTO contact_search (contact_search, rowid, body) VALUES ('delete', old.id, old.body);
END;
--> statement-breakpoint
CREATE TRIGGER `search_docs_au` AFTER UPDATE OF body ON `search_docs` BEGIN
	INSERT INTO contact_search (contact_search, rowid, body) VALUES ('delete', old.id, old.body);
	INSERT INTO contact_search (rowid, body) VALUES (new.id, new.body);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_search_ai` AFTER INSERT ON `contacts` BEGIN
	INSERT INTO search_docs (workspace_id, contact_id, source, body)
	VALUES (new.workspace_id, new.id, 'contact:' || new.id,
		new.name || ' ' || coalesce(new.given_name, '') || ' ' || coalesce(new.family_name, '') || ' ' ||
		replace(replace(replace(new.emails, '"', ' '), '[', ''), ']', '') || ' ' ||
		replace(replace(replace(new.phones, '"', ' '), '[', ''), ']', '') || ' ' ||
		coalesce((SELECT name FROM companies WHERE id = new.company_id), ''));
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_search_au` AFTER UPDATE OF name, given_name, family_name, emails, phones, company_id ON `contacts` BEGIN
	UPDATE search_docs SET body =
		new.name || ' ' || coalesce(new.given_name, '') || ' ' || coalesce(new.family_name, '') || ' ' ||
		replace(replace(replace(new.emails, '"', ' '), '[', ''), ']', '') || ' ' ||
		replace(replace(replace(new.phones, '"', ' '), '[', ''), ']', '') || ' ' ||
		coalesce((SELECT name FROM companies WHERE id = new.company_id), '')
	WHERE source = 'contact:' || new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_search_ad` AFTER DELETE ON `contacts` BEGIN
	DELETE FROM search_docs WHERE contact_id = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `companies_search_au` AFTER UPDATE OF name ON `companies` BEGIN
	UPDATE contacts SET name = name WHERE company_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `activities_search_ai` AFTER INSERT ON `activities`
WHEN new.contact_id IS NOT NULL AND (new.body IS NOT NULL OR new.subject IS NOT NULL) BEGIN
	INSERT INTO search_docs (workspace_id, contact_id, source, body)
	VALUES (new.workspace_id, new.contact_id, new.id, coalesce(new.subject, '') || ' ' || coalesce(new.body, ''));
END;
--> statement-breakpoint
CREATE TRIGGER `activities_search_au` AFTER UPDATE OF subject, body, contact_id, deleted_at ON `activities` BEGIN
	DELETE FROM search_docs WHERE source = old.id;
	INSERT INTO search_docs (workspace_id, contact_id, source, body)
	SELECT new.workspace_id, new.contact_id, new.id, coalesce(new.subject, '') || ' ' || coalesce(new.body, '')
	WHERE new.contact_id IS NOT NULL AND new.deleted_at IS NULL AND (new.body IS NOT NULL OR new.subject IS NOT NULL);
END;
--> statement-breakpoint
CREATE TRIGGER `activities_search_ad` AFTER DELETE ON `activities` BEGIN
	DELETE FROM search_docs WHERE source = old.id;
END;
