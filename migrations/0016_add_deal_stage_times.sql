CREATE TABLE `deal_stage_times` (
	`deal_id` text NOT NULL,
	`stage_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`pipeline_id` text NOT NULL,
	`owner_id` text,
	`source` text,
	`created_at` text NOT NULL,
	`live` integer NOT NULL,
	`seconds` integer NOT NULL,
	`moves` integer NOT NULL,
	PRIMARY KEY(`deal_id`, `stage_id`)
);
--> statement-breakpoint
INSERT INTO `deal_stage_times` (`deal_id`, `stage_id`, `workspace_id`, `pipeline_id`, `owner_id`, `source`, `created_at`, `live`, `seconds`, `moves`)
  SELECT d.`id`, h.`from_stage_id`, d.`workspace_id`, d.`pipeline_id`, d.`owner_id`, d.`source`, d.`created_at`, (d.`deleted_at` IS NULL AND d.`merged_into_id` IS NULL), coalesce(sum(h.`seconds_in_previous`), 0), count(h.`seconds_in_previous`)
  FROM `deal_stage_history` h JOIN `deals` d ON d.`id` = h.`deal_id`
  WHERE h.`from_stage_id` IS NOT NULL GROUP BY h.`deal_id`, h.`from_stage_id`;--> statement-breakpoint
CREATE INDEX `deal_stage_times_cohort_idx` ON `deal_stage_times` (`workspace_id`,`pipeline_id`,`created_at`,`live`,`owner_id`,`source`,`stage_id`,`seconds`,`moves`);--> statement-breakpoint
CREATE TRIGGER `deal_stage_times_history_ai` AFTER INSERT ON `deal_stage_history` WHEN NEW.`from_stage_id` IS NOT NULL BEGIN
  INSERT INTO `deal_stage_times` (`deal_id`, `stage_id`, `workspace_id`, `pipeline_id`, `owner_id`, `source`, `created_at`, `live`, `seconds`, `moves`)
    SELECT d.`id`, NEW.`from_stage_id`, d.`workspace_id`, d.`pipeline_id`, d.`owner_id`, d.`source`, d.`created_at`, (d.`deleted_at` IS NULL AND d.`merged_into_id` IS NULL), coalesce(NEW.`seconds_in_previous`, 0), NEW.`seconds_in_previous` IS NOT NULL
    FROM `deals` d WHERE d.`id` = NEW.`deal_id`
    ON CONFLICT (`deal_id`, `stage_id`) DO UPDATE SET `seconds` = `seconds` + excluded.`seconds`, `moves` = `moves` + excluded.`moves`;
END;--> statement-breakpoint
CREATE TRIGGER `deal_stage_times_history_au` AFTER UPDATE OF `deal_id`, `from_stage_id`, `seconds_in_previous` ON `deal_stage_history` BEGIN
  DELETE FROM `deal_stage_times` WHERE `deal_id` = OLD.`deal_id`;
  INSERT INTO `deal_stage_times` (`deal_id`, `stage_id`, `workspace_id`, `pipeline_id`, `owner_id`, `source`, `created_at`, `live`, `seconds`, `moves`)
    SELECT d.`id`, h.`from_stage_id`, d.`workspace_id`, d.`pipeline_id`, d.`owner_id`, d.`source`, d.`created_at`, (d.`deleted_at` IS NULL AND d.`merged_into_id` IS NULL), coalesce(sum(h.`seconds_in_previous`), 0), count(h.`seconds_in_previous`)
    FROM `deals` d JOIN `deal_stage_history` h ON h.`deal_id` = d.`id`
    WHERE d.`id` = OLD.`deal_id` AND h.`from_stage_id` IS NOT NULL GROUP BY h.`from_stage_id`;
  DELETE FROM `deal_stage_times` WHERE `deal_id` = NEW.`deal_id`;
  INSERT INTO `deal_stage_times` (`deal_id`, `stage_id`, `workspace_id`, `pipeline_id`, `owner_id`, `source`, `created_at`, `live`, `seconds`, `moves`)
    SELECT d.`id`, h.`from_stage_id`, d.`workspace_id`, d.`pipeline_id`, d.`owner_id`, d.`source`, d.`created_at`, (d.`deleted_at` IS NULL AND d.`merged_into_id` IS NULL), coalesce(sum(h.`seconds_in_previous`), 0), count(h.`seconds_in_previous`)
    FROM `deals` d JOIN `deal_stage_history` h ON h.`deal_id` = d.`id`
    WHERE d.`id` = NEW.`deal_id` AND h.`from_stage_id` IS NOT NULL GROUP BY h.`from_stage_id`;
END;--> statement-breakpoint
CREATE TRIGGER `deal_stage_times_history_ad` AFTER DELETE ON `deal_stage_history` BEGIN
  DELETE FROM `deal_stage_times` WHERE `deal_id` = OLD.`deal_id`;
  INSERT INTO `deal_stage_times` (`deal_id`, `stage_id`, `workspace_id`, `pipeline_id`, `owner_id`, `source`, `created_at`, `live`, `seconds`, `moves`)
    SELECT d.`id`, h.`from_stage_id`, d.`workspace_id`, d.`pipeline_id`, d.`owner_id`, d.`source`, d.`created_at`, (d.`deleted_at` IS NULL AND d.`merged_into_id` IS NULL), coalesce(sum(h.`seconds_in_previous`), 0), count(h.`seconds_in_previous`)
    FROM `deals` d JOIN `deal_stage_history` h ON h.`deal_id` = d.`id`
    WHERE d.`id` = OLD.`deal_id` AND h.`from_stage_id` IS NOT NULL GROUP BY h.`from_stage_id`;
END;--> statement-breakpoint
CREATE TRIGGER `deal_stage_times_deals_ai` AFTER INSERT ON `deals` BEGIN
  DELETE FROM `deal_stage_times` WHERE `deal_id` = NEW.`id`;
  INSERT INTO `deal_stage_times` (`deal_id`, `stage_id`, `workspace_id`, `pipeline_id`, `owner_id`, `source`, `created_at`, `live`, `seconds`, `moves`)
    SELECT d.`id`, h.`from_stage_id`, d.`workspace_id`, d.`pipeline_id`, d.`owner_id`, d.`source`, d.`created_at`, (d.`deleted_at` IS NULL AND d.`merged_into_id` IS NULL), coalesce(sum(h.`seconds_in_previous`), 0), count(h.`seconds_in_previous`)
    FROM `deals` d JOIN `deal_stage_history` h ON h.`deal_id` = d.`id`
    WHERE d.`id` = NEW.`id` AND h.`from_stage_id` IS NOT NULL GROUP BY h.`from_stage_id`;
END;--> statement-breakpoint
CREATE TRIGGER `deal_stage_times_deals_au` AFTER UPDATE OF `workspace_id`, `pipeline_id`, `owner_id`, `source`, `created_at`, `deleted_at`, `merged_into_id` ON `deals` BEGIN
  UPDATE `deal_stage_times` SET `workspace_id` = NEW.`workspace_id`, `pipeline_id` = NEW.`pipeline_id`, `owner_id` = NEW.`owner_id`, `source` = NEW.`source`, `created_at` = NEW.`created_at`,
    `live` = (NEW.`deleted_at` IS NULL AND NEW.`merged_into_id` IS NULL)
  WHERE `deal_id` = NEW.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `deal_stage_times_deals_ad` AFTER DELETE ON `deals` BEGIN
  DELETE FROM `deal_stage_times` WHERE `deal_id` = OLD.`id`;
END;
