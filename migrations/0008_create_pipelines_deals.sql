CREATE TABLE `assignment_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`scope_type` text NOT NULL,
	`scope_id` text NOT NULL,
	`kind` text NOT NULL,
	`rule` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assignment_rules_scope_unique` ON `assignment_rules` (`workspace_id`,`scope_type`,`scope_id`);--> statement-breakpoint
CREATE TABLE `deal_items` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`deal_id` text NOT NULL,
	`product_id` text,
	`name` text NOT NULL,
	`quantity` integer NOT NULL,
	`unit_price` integer NOT NULL,
	`position` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `deal_items_deal_idx` ON `deal_items` (`deal_id`,`position`);--> statement-breakpoint
CREATE TABLE `deal_stage_history` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`deal_id` text NOT NULL,
	`pipeline_id` text NOT NULL,
	`from_stage_id` text,
	`to_stage_id` text NOT NULL,
	`moved_by` text,
	`moved_at` text NOT NULL,
	`seconds_in_previous` integer
);
--> statement-breakpoint
CREATE INDEX `deal_stage_history_deal_idx` ON `deal_stage_history` (`deal_id`,`moved_at`);--> statement-breakpoint
CREATE INDEX `deal_stage_history_ws_stage_idx` ON `deal_stage_history` (`workspace_id`,`to_stage_id`,`deal_id`);--> statement-breakpoint
CREATE INDEX `deal_stage_history_ws_time_idx` ON `deal_stage_history` (`workspace_id`,`moved_at`);--> statement-breakpoint
CREATE TABLE `deals` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`pipeline_id` text NOT NULL,
	`stage_id` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`name` text NOT NULL,
	`contact_id` text,
	`company_id` text,
	`amount` integer DEFAULT 0 NOT NULL,
	`currency` text NOT NULL,
	`expected_close_on` text,
	`close_month` text,
	`source` text,
	`next_step` text,
	`lost_reason` text,
	`won_at` text,
	`lost_at` text,
	`closed_at` text,
	`contract_start_on` text,
	`contract_end_on` text,
	`stage_entered_at` text NOT NULL,
	`last_activity_at` text NOT NULL,
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
CREATE INDEX `deals_ws_pipeline_stage_idx` ON `deals` (`workspace_id`,`pipeline_id`,`stage_id`,`updated_at`);--> statement-breakpoint
CREATE INDEX `deals_ws_owner_idx` ON `deals` (`workspace_id`,`owner_id`,`updated_at`);--> statement-breakpoint
CREATE INDEX `deals_ws_updated_idx` ON `deals` (`workspace_id`,`updated_at`);--> statement-breakpoint
CREATE INDEX `deals_ws_status_close_idx` ON `deals` (`workspace_id`,`status`,`close_month`,`owner_id`,`amount`);--> statement-breakpoint
CREATE INDEX `deals_ws_won_idx` ON `deals` (`workspace_id`,`won_at`) WHERE "deals"."won_at" is not null;--> statement-breakpoint
CREATE INDEX `deals_ws_closed_idx` ON `deals` (`workspace_id`,`closed_at`) WHERE "deals"."closed_at" is not null;--> statement-breakpoint
CREATE INDEX `deals_ws_created_idx` ON `deals` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `deals_contact_idx` ON `deals` (`contact_id`) WHERE "deals"."contact_id" is not null;--> statement-breakpoint
CREATE INDEX `deals_company_idx` ON `deals` (`company_id`) WHERE "deals"."company_id" is not null;--> statement-breakpoint
CREATE INDEX `deals_deleted_idx` ON `deals` (`deleted_at`) WHERE "deals"."deleted_at" is not null;--> statement-breakpoint
CREATE INDEX `deals_merged_into_idx` ON `deals` (`merged_into_id`) WHERE "deals"."merged_into_id" is not null;--> statement-breakpoint
CREATE TABLE `pipeline_stages` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`pipeline_id` text NOT NULL,
	`name` text NOT NULL,
	`position` integer NOT NULL,
	`probability` integer DEFAULT 0 NOT NULL,
	`kind` text DEFAULT 'open' NOT NULL,
	`rotting_days` integer,
	`deleted_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `pipeline_stages_pipeline_idx` ON `pipeline_stages` (`pipeline_id`,`position`);--> statement-breakpoint
CREATE INDEX `pipeline_stages_ws_idx` ON `pipeline_stages` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `pipelines` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`is_default` integer DEFAULT false NOT NULL,
	`archived_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pipelines_ws_name_unique` ON `pipelines` (`workspace_id`,`name`);--> statement-breakpoint
CREATE INDEX `pipelines_ws_position_idx` ON `pipelines` (`workspace_id`,`position`);