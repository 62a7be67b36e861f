CREATE TABLE `lead_person_keys` (
	`workspace_id` text NOT NULL,
	`key` text NOT NULL,
	`minute` integer NOT NULL,
	`submission_id` text NOT NULL,
	PRIMARY KEY(`workspace_id`, `key`, `minute`)
);
--> statement-breakpoint
CREATE INDEX `lead_person_keys_minute_idx` ON `lead_person_keys` (`minute`);