CREATE TABLE `form_submissions` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`form_id` text,
	`hook_source_id` text,
	`channel` text NOT NULL,
	`status` text NOT NULL,
	`payload` text NOT NULL,
	`headers` text DEFAULT '{}' NOT NULL,
	`ip_hash` text,
	`dedupe_key` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`spam_reason` text,
	`contact_id` text,
	`lead_id` text,
	`outcome` text,
	`conflicts` text DEFAULT '[]' NOT NULL,
	`score` integer,
	`consent_text` text,
	`consent_granted` integer,
	`utm_source` text,
	`utm_medium` text,
	`utm_campaign` text,
	`utm_term` text,
	`utm_content` text,
	`referrer` text,
	`landing_page` text,
	`owner_id` text,
	`received_at` text NOT NULL,
	`processed_at` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `form_submissions_dedupe_unique` ON `form_submissions` (`workspace_id`,`dedupe_key`);--> statement-breakpoint
CREATE INDEX `form_submissions_ws_status_idx` ON `form_submissions` (`workspace_id`,`status`,`received_at`);--> statement-breakpoint
CREATE INDEX `form_submissions_form_idx` ON `form_submissions` (`form_id`,`received_at`);--> statement-breakpoint
CREATE INDEX `form_submissions_contact_idx` ON `form_submissions` (`contact_id`,`received_at`);--> statement-breakpoint
CREATE INDEX `form_submissions_stuck_idx` ON `form_submissions` (`received_at`) WHERE "form_submissions"."status" in ('received', 'processing');--> statement-breakpoint
CREATE TABLE `forms` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`locale` text DEFAULT 'zh-CN' NOT NULL,
	`fields` text NOT NULL,
	`consent_text` text,
	`consent_required` integer DEFAULT false NOT NULL,
	`thank_you_url` text,
	`thank_you_message` text,
	`allowed_origins` text DEFAULT '[]' NOT NULL,
	`owner_rule` text DEFAULT '{"kind":"none"}' NOT NULL,
	`pipeline_id` text,
	`create_deal` integer DEFAULT false NOT NULL,
	`tag_ids` text DEFAULT '[]' NOT NULL,
	`notify_user_ids` text DEFAULT '[]' NOT NULL,
	`scoring_rules` text DEFAULT '[]' NOT NULL,
	`ack_email` integer DEFAULT false NOT NULL,
	`turnstile` integer DEFAULT false NOT NULL,
	`turnstile_site_key` text,
	`min_fill_seconds` integer DEFAULT 3 NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`created_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `forms_key_unique` ON `forms` (`key`);--> statement-breakpoint
CREATE INDEX `forms_ws_idx` ON `forms` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `hook_sources` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`secret_enc` text NOT NULL,
	`field_mapping` text DEFAULT '{}' NOT NULL,
	`owner_rule` text DEFAULT '{"kind":"none"}' NOT NULL,
	`pipeline_id` text,
	`create_deal` integer DEFAULT false NOT NULL,
	`tag_ids` text DEFAULT '[]' NOT NULL,
	`notify_user_ids` text DEFAULT '[]' NOT NULL,
	`scoring_rules` text DEFAULT '[]' NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`created_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hook_sources_key_unique` ON `hook_sources` (`key`);--> statement-breakpoint
CREATE INDEX `hook_sources_ws_idx` ON `hook_sources` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `leads` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`submission_id` text NOT NULL,
	`last_submission_id` text NOT NULL,
	`submission_count` integer DEFAULT 1 NOT NULL,
	`form_id` text,
	`hook_source_id` text,
	`source` text NOT NULL,
	`status` text DEFAULT 'new' NOT NULL,
	`owner_id` text,
	`score` integer DEFAULT 0 NOT NULL,
	`utm_source` text,
	`utm_medium` text,
	`utm_campaign` text,
	`utm_term` text,
	`utm_content` text,
	`referrer` text,
	`landing_page` text,
	`deal_id` text,
	`qualified_at` text,
	`converted_at` text,
	`assigned_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `leads_submission_unique` ON `leads` (`submission_id`);--> statement-breakpoint
CREATE INDEX `leads_ws_status_idx` ON `leads` (`workspace_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `leads_ws_owner_idx` ON `leads` (`workspace_id`,`owner_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `leads_contact_idx` ON `leads` (`contact_id`,`status`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`subscription_id` text NOT NULL,
	`event` text NOT NULL,
	`event_key` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`response_status` integer,
	`response_body` text,
	`last_error` text,
	`delivered_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_deliveries_event_unique` ON `webhook_deliveries` (`subscription_id`,`event_key`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_sub_time_idx` ON `webhook_deliveries` (`subscription_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_pending_idx` ON `webhook_deliveries` (`created_at`) WHERE "webhook_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE TABLE `webhook_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`url` text NOT NULL,
	`description` text,
	`events` text NOT NULL,
	`secret_enc` text NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`created_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text
);
--> statement-breakpoint
CREATE INDEX `webhook_subscriptions_ws_idx` ON `webhook_subscriptions` (`workspace_id`);