DROP INDEX `deals_ws_status_close_idx`;--> statement-breakpoint
DROP INDEX `deals_ws_won_idx`;--> statement-breakpoint
CREATE INDEX `deals_ws_status_close_idx` ON `deals` (`workspace_id`,`status`,`close_month`,`pipeline_id`,`currency`,`stage_id`,`owner_id`,`amount`,`deleted_at`,`merged_into_id`);--> statement-breakpoint
CREATE INDEX `deals_ws_won_idx` ON `deals` (`workspace_id`,`won_at`,`pipeline_id`,`currency`,`status`,`owner_id`,`amount`,`deleted_at`,`merged_into_id`) WHERE "deals"."won_at" is not null;