ALTER TABLE `tasks` ADD `due_key` text DEFAULT '9999' NOT NULL;--> statement-breakpoint
CREATE INDEX `tasks_ws_due_key_idx` ON `tasks` (`workspace_id`,`due_key`,`id`);