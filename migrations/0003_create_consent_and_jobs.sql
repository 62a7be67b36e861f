CREATE TABLE `consent_events` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`channel` text NOT NULL,
	`granted` integer NOT NULL,
	`source` text NOT NULL,
	`actor_type` text NOT NULL,
	`actor_id` text,
	`occurred_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `consent_events_contact_idx` ON `consent_events` (`contact_id`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `job_chunks` (
	`job_id` text NOT NULL,
	`chunk` integer NOT NULL,
	`updated` integer NOT NULL,
	`done_at` text NOT NULL,
	PRIMARY KEY(`job_id`, `chunk`)
);
--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`type` text NOT NULL,
	`status` text NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	`processed` integer DEFAULT 0 NOT NULL,
	`updated` integer DEFAULT 0 NOT NULL,
	`skipped` integer DEFAULT 0 NOT NULL,
	`error` text,
	`created_by` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`finished_at` text
);
--> statement-breakpoint
CREATE INDEX `jobs_ws_time_idx` ON `jobs` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `companies_deleted_idx` ON `companies` (`deleted_at`) WHERE "companies"."deleted_at" is not null;--> statement-breakpoint
CREATE INDEX `companies_merged_into_idx` ON `companies` (`merged_into_id`) WHERE "companies"."merged_into_id" is not null;--> statement-breakpoint
CREATE INDEX `contacts_deleted_idx` ON `contacts` (`deleted_at`) WHERE "contacts"."deleted_at" is not null;--> statement-breakpoint
CREATE INDEX `contacts_merged_into_idx` ON `contacts` (`merged_into_id`) WHERE "contacts"."merged_into_id" is not null;