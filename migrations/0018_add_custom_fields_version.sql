ALTER TABLE `workspaces` ADD `custom_fields_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE TRIGGER `custom_field_defs_version_ai` AFTER INSERT ON `custom_field_defs` BEGIN
	UPDATE workspaces SET custom_fields_version = custom_fields_version + 1 WHERE id = new.workspace_id;
END;
--> statement-breakpoint
CREATE TRIGGER `custom_field_defs_version_au` AFTER UPDATE ON `custom_field_defs` BEGIN
	UPDATE workspaces SET custom_fields_version = custom_fields_version + 1 WHERE id IN (old.workspace_id, new.workspace_id);
END;
--> statement-breakpoint
CREATE TRIGGER `custom_field_defs_version_ad` AFTER DELETE ON `custom_field_defs` BEGIN
	UPDATE workspaces SET custom_fields_version = custom_fields_version + 1 WHERE id = old.workspace_id;
END;
