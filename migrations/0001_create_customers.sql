CREATE TABLE `activities` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`type` text NOT NULL,
	`contact_id` text,
	`company_id` text,
	`deal_id` text,
	`subject` text,
	`body` text,
	`outcome` text,
	`occurred_at` text NOT NULL,
	`user_id` text,
	`meta` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text
);
--> statement-breakpoint
CREATE INDEX `activities_contact_time_idx` ON `activities` (`contact_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `activities_company_time_idx` ON `activities` (`company_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `activities_ws_time_idx` ON `activities` (`workspace_id`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `companies` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`industry` text,
	`size` text,
	`website` text,
	`domain` text,
	`phones` text DEFAULT '[]' NOT NULL,
	`address` text DEFAULT '{}' NOT NULL,
	`contract_ends_on` text,
	`owner_id` text,
	`custom_fields` text DEFAULT '{}' NOT NULL,
	`archived_at` text,
	`deleted_at` text,
	`merged_into_id` text,
	`created_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `companies_ws_name_idx` ON `companies` (`workspace_id`,`name`);--> statement-breakpoint
CREATE INDEX `companies_ws_domain_idx` ON `companies` (`workspace_id`,`domain`);--> statement-breakpoint
CREATE INDEX `companies_ws_owner_idx` ON `companies` (`workspace_id`,`owner_id`,`updated_at`);--> statement-breakpoint
CREATE TABLE `contact_channels` (
	`workspace_id` text NOT NULL,
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`contact_id` text NOT NULL,
	PRIMARY KEY(`workspace_id`, `kind`, `value`, `contact_id`)
);
--> statement-breakpoint
CREATE INDEX `contact_channels_contact_idx` ON `contact_channels` (`contact_id`);--> statement-breakpoint
CREATE TABLE `contacts` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`given_name` text,
	`family_name` text,
	`gender` text,
	`title` text,
	`birthday` text,
	`company_id` text,
	`emails` text DEFAULT '[]' NOT NULL,
	`phones` text DEFAULT '[]' NOT NULL,
	`address` text DEFAULT '{}' NOT NULL,
	`source` text DEFAULT 'manual' NOT NULL,
	`lifecycle` text DEFAULT 'lead' NOT NULL,
	`email_consent` text,
	`sms_consent` text,
	`national_id_enc` text,
	`national_id_hash` text,
	`bank_account_enc` text,
	`bank_account_hash` text,
	`total_spent` integer DEFAULT 0 NOT NULL,
	`order_count` integer DEFAULT 0 NOT NULL,
	`first_purchase_at` text,
	`last_purchase_at` text,
	`rfm_score` text,
	`rfm_segment` text DEFAULT 'none' NOT NULL,
	`last_contacted_at` text,
	`erased_at` text,
	`owner_id` text,
	`custom_fields` text DEFAULT '{}' NOT NULL,
	`archived_at` text,
	`deleted_at` text,
	`merged_into_id` text,
	`created_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `contacts_ws_updated_idx` ON `contacts` (`workspace_id`,`updated_at`);--> statement-breakpoint
CREATE INDEX `contacts_ws_owner_idx` ON `contacts` (`workspace_id`,`owner_id`,`updated_at`);--> statement-breakpoint
CREATE INDEX `contacts_ws_name_idx` ON `contacts` (`workspace_id`,`name`);--> statement-breakpoint
CREATE INDEX `contacts_ws_company_idx` ON `contacts` (`workspace_id`,`company_id`);--> statement-breakpoint
CREATE INDEX `contacts_ws_lifecycle_idx` ON `contacts` (`workspace_id`,`lifecycle`,`updated_at`);--> statement-breakpoint
CREATE INDEX `contacts_ws_national_id_idx` ON `contacts` (`workspace_id`,`national_id_hash`);--> statement-breakpoint
CREATE TABLE `custom_field_defs` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`entity` text NOT NULL,
	`key` text NOT NULL,
	`label` text NOT NULL,
	`type` text NOT NULL,
	`options` text DEFAULT '[]' NOT NULL,
	`is_required` integer DEFAULT false NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `custom_field_defs_key_unique` ON `custom_field_defs` (`workspace_id`,`entity`,`key`);--> statement-breakpoint
CREATE TABLE `order_items` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`product_id` text,
	`name` text NOT NULL,
	`quantity` integer NOT NULL,
	`unit_price` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `order_items_order_idx` ON `order_items` (`order_id`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`contact_id` text,
	`company_id` text,
	`number` text,
	`status` text NOT NULL,
	`ordered_at` text NOT NULL,
	`currency` text NOT NULL,
	`total` integer NOT NULL,
	`note` text,
	`created_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text
);
--> statement-breakpoint
CREATE INDEX `orders_contact_idx` ON `orders` (`contact_id`,`ordered_at`);--> statement-breakpoint
CREATE INDEX `orders_company_idx` ON `orders` (`company_id`,`ordered_at`);--> statement-breakpoint
CREATE INDEX `orders_ws_time_idx` ON `orders` (`workspace_id`,`ordered_at`);--> statement-breakpoint
CREATE TABLE `products` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`sku` text,
	`series` text,
	`unit_price` integer NOT NULL,
	`currency` text NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `products_ws_name_unique` ON `products` (`workspace_id`,`name`);--> statement-breakpoint
CREATE TABLE `record_tags` (
	`workspace_id` text NOT NULL,
	`tag_id` text NOT NULL,
	`record_type` text NOT NULL,
	`record_id` text NOT NULL,
	PRIMARY KEY(`record_type`, `record_id`, `tag_id`)
);
--> statement-breakpoint
CREATE INDEX `record_tags_tag_idx` ON `record_tags` (`workspace_id`,`tag_id`,`record_type`);--> statement-breakpoint
CREATE TABLE `segments` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`entity` text NOT NULL,
	`name` text NOT NULL,
	`filters` text NOT NULL,
	`is_shared` integer DEFAULT false NOT NULL,
	`owner_id` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `segments_ws_idx` ON `segments` (`workspace_id`,`entity`);--> statement-breakpoint
CREATE TABLE `tags` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`color` text DEFAULT '#64748b' NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tags_ws_name_unique` ON `tags` (`workspace_id`,`name`);--> statement-breakpoint
CREATE TABLE `tickets` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`contact_id` text,
	`company_id` text,
	`kind` text NOT NULL,
	`subject` text NOT NULL,
	`description` text,
	`status` text NOT NULL,
	`priority` text NOT NULL,
	`resolution` text,
	`owner_id` text,
	`opened_at` text NOT NULL,
	`resolved_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text
);
--> statement-breakpoint
CREATE INDEX `tickets_contact_idx` ON `tickets` (`contact_id`,`opened_at`);--> statement-breakpoint
CREATE INDEX `tickets_ws_status_idx` ON `tickets` (`workspace_id`,`status`);--> statement-breakpoint
CREATE TABLE `workspace_settings` (
	`workspace_id` text PRIMARY KEY NOT NULL,
	`customer_rules` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
