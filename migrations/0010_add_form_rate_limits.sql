CREATE TABLE `cadence_enrollments` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`cadence_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`status` text NOT NULL,
	`started_on` text NOT NULL,
	`timezone` text NOT NULL,
	`next_position` integer DEFAULT 0 NOT NULL,
	`next_step_at` text,
	`paused_at` text,
	`stopped_reason` text,
	`started_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cadence_enrollments_running_unique` ON `cadence_enrollments` (`cadence_id`,`contact_id`) WHERE "cadence_enrollments"."status" in ('active', 'paused');--> statement-breakpoint
CREATE INDEX `cadence_enrollments_due_idx` ON `cadence_enrollments` (`status`,`next_step_at`);--> statement-breakpoint
CREATE INDEX `cadence_enrollments_contact_idx` ON `cadence_enrollments` (`contact_id`);--> statement-breakpoint
CREATE TABLE `cadence_steps` (
	`id` text PRIMARY KEY NOT NULL,
	`cadence_id` text NOT NULL,
	`position` integer NOT NULL,
	`day` integer NOT NULL,
	`task_type` text NOT NULL,
	`title` text NOT NULL,
	`notes` text
);
--> statement-breakpoint
CREATE INDEX `cadence_steps_cadence_idx` ON `cadence_steps` (`cadence_id`,`position`);--> statement-breakpoint
CREATE TABLE `cadences` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`trigger` text NOT NULL,
	`trigger_value` text,
	`stop_on` text DEFAULT '[]' NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_by` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text
);
--> statement-breakpoint
CREATE INDEX `cadences_ws_trigger_idx` ON `cadences` (`workspace_id`,`trigger`,`trigger_value`);--> statement-breakpoint
CREATE TABLE `dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text,
	`job_type` text NOT NULL,
	`job_key` text NOT NULL,
	`payload` text NOT NULL,
	`error` text NOT NULL,
	`attempts` integer NOT NULL,
	`created_at` text NOT NULL,
	`retried_at` text,
	`retried_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dead_letters_job_unique` ON `dead_letters` (`job_type`,`job_key`);--> statement-breakpoint
CREATE INDEX `dead_letters_ws_time_idx` ON `dead_letters` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `notification_prefs` (
	`user_id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`email_mode` text DEFAULT 'each' NOT NULL,
	`digest_hour` integer DEFAULT 8 NOT NULL,
	`quiet_start` text,
	`quiet_end` text,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `reminder_digests` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`email_message_id` text,
	`item_count` integer DEFAULT 0 NOT NULL,
	`sent_at` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reminder_digests_key_unique` ON `reminder_digests` (`key`);--> statement-breakpoint
CREATE INDEX `reminder_digests_user_idx` ON `reminder_digests` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `reminder_rules` (
	`workspace_id` text NOT NULL,
	`kind` text NOT NULL,
	`is_enabled` integer DEFAULT false NOT NULL,
	`days` integer DEFAULT 30 NOT NULL,
	`segment_ids` text DEFAULT '[]' NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`workspace_id`, `kind`)
);
--> statement-breakpoint
CREATE TABLE `reminder_sweeps` (
	`id` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `reminders` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`record_type` text NOT NULL,
	`record_id` text NOT NULL,
	`fire_at` text NOT NULL,
	`delivery_key` text NOT NULL,
	`data` text DEFAULT '{}' NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`queued_at` text,
	`delivered_at` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`email_status` text DEFAULT 'none' NOT NULL,
	`email_after` text,
	`email_message_id` text,
	`digest_id` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reminders_delivery_key_unique` ON `reminders` (`delivery_key`);--> statement-breakpoint
CREATE INDEX `reminders_due_idx` ON `reminders` (`status`,`fire_at`);--> statement-breakpoint
CREATE INDEX `reminders_record_idx` ON `reminders` (`record_type`,`record_id`,`status`);--> statement-breakpoint
CREATE INDEX `reminders_user_idx` ON `reminders` (`user_id`,`fire_at`);--> statement-breakpoint
CREATE INDEX `reminders_email_idx` ON `reminders` (`email_status`,`email_after`) WHERE "reminders"."email_status" in ('deferred', 'digest');--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`title` text NOT NULL,
	`type` text NOT NULL,
	`due_at` text,
	`due_date` text,
	`timezone` text NOT NULL,
	`reminder_offsets` text DEFAULT '[]' NOT NULL,
	`contact_id` text,
	`company_id` text,
	`deal_id` text,
	`priority` text DEFAULT 'normal' NOT NULL,
	`notes` text,
	`done_at` text,
	`outcome` text,
	`activity_id` text,
	`recurrence` text,
	`series_id` text,
	`occurrence` integer DEFAULT 1 NOT NULL,
	`series_anchor` text,
	`enrollment_id` text,
	`cadence_step_id` text,
	`owner_id` text,
	`custom_fields` text DEFAULT '{}' NOT NULL,
	`archived_at` text,
	`deleted_at` text,
	`merged_into_id` text,
	`created_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `tasks_ws_owner_due_idx` ON `tasks` (`workspace_id`,`owner_id`,`done_at`,`due_at`);--> statement-breakpoint
CREATE INDEX `tasks_ws_due_at_idx` ON `tasks` (`workspace_id`,`due_at`);--> statement-breakpoint
CREATE INDEX `tasks_ws_due_date_idx` ON `tasks` (`workspace_id`,`due_date`);--> statement-breakpoint
CREATE INDEX `tasks_contact_idx` ON `tasks` (`contact_id`);--> statement-breakpoint
CREATE INDEX `tasks_company_idx` ON `tasks` (`company_id`);--> statement-breakpoint
CREATE INDEX `tasks_deal_idx` ON `tasks` (`deal_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `tasks_series_occurrence_unique` ON `tasks` (`series_id`,`occurrence`);--> statement-breakpoint
CREATE UNIQUE INDEX `tasks_enrollment_step_unique` ON `tasks` (`enrollment_id`,`cadence_step_id`);--> statement-breakpoint
ALTER TABLE `forms` ADD `ip_limit_per_minute` integer DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE `forms` ADD `form_limit_per_minute` integer DEFAULT 600 NOT NULL;