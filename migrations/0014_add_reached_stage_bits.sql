DROP INDEX `deals_ws_pipeline_created_idx`;--> statement-breakpoint
ALTER TABLE `deals` ADD `reached_stage_bits` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `pipeline_stages` ADD `bit` integer;--> statement-breakpoint
-- Each stage gets a bit (0..62) of its own within its pipeline, never reused; a deal's
-- reached_stage_bits has the bit of every stage of its pipeline it has entered. The funnel counts
-- deals that reached a stage or went further from one index scan, whatever the stages' order.
UPDATE `pipeline_stages` SET `bit` = (
  SELECT count(*) FROM `pipeline_stages` o WHERE o.`pipeline_id` = `pipeline_stages`.`pipeline_id`
    AND (o.`created_at` < `pipeline_stages`.`created_at` OR (o.`created_at` = `pipeline_stages`.`created_at` AND o.`id` < `pipeline_stages`.`id`))
);--> statement-breakpoint
UPDATE `pipeline_stages` SET `bit` = NULL WHERE `bit` > 62;--> statement-breakpoint
CREATE TRIGGER `pipeline_stages_bit_ai` AFTER INSERT ON `pipeline_stages` WHEN NEW.`bit` IS NULL BEGIN
  UPDATE `pipeline_stages` SET `bit` = (
    SELECT CASE WHEN coalesce(max(o.`bit`), -1) < 62 THEN coalesce(max(o.`bit`), -1) + 1 END
    FROM `pipeline_stages` o WHERE o.`pipeline_id` = NEW.`pipeline_id` AND o.`id` <> NEW.`id`
  ) WHERE `id` = NEW.`id`;
END;--> statement-breakpoint
UPDATE `deals` SET `reached_stage_bits` = (
  SELECT coalesce(sum(DISTINCT 1 << s.`bit`), 0) FROM `deal_stage_history` h JOIN `pipeline_stages` s ON s.`id` = h.`to_stage_id`
  WHERE h.`deal_id` = `deals`.`id` AND s.`pipeline_id` = `deals`.`pipeline_id` AND s.`bit` IS NOT NULL
);--> statement-breakpoint
CREATE TRIGGER `deal_stage_history_bits_ai` AFTER INSERT ON `deal_stage_history` BEGIN
  UPDATE `deals` SET `reached_stage_bits` = `reached_stage_bits` | coalesce((
    SELECT 1 << s.`bit` FROM `pipeline_stages` s WHERE s.`id` = NEW.`to_stage_id` AND s.`pipeline_id` = `deals`.`pipeline_id` AND s.`bit` IS NOT NULL
  ), 0) WHERE `id` = NEW.`deal_id`;
END;--> statement-breakpoint
CREATE TRIGGER `deal_stage_history_bits_au` AFTER UPDATE OF `deal_id`, `to_stage_id` ON `deal_stage_history` BEGIN
  UPDATE `deals` SET `reached_stage_bits` = (
    SELECT coalesce(sum(DISTINCT 1 << s.`bit`), 0) FROM `deal_stage_history` h JOIN `pipeline_stages` s ON s.`id` = h.`to_stage_id`
    WHERE h.`deal_id` = `deals`.`id` AND s.`pipeline_id` = `deals`.`pipeline_id` AND s.`bit` IS NOT NULL
  ) WHERE `id` IN (OLD.`deal_id`, NEW.`deal_id`);
END;--> statement-breakpoint
CREATE TRIGGER `deal_stage_history_bits_ad` AFTER DELETE ON `deal_stage_history` BEGIN
  UPDATE `deals` SET `reached_stage_bits` = (
    SELECT coalesce(sum(DISTINCT 1 << s.`bit`), 0) FROM `deal_stage_history` h JOIN `pipeline_stages` s ON s.`id` = h.`to_stage_id`
    WHERE h.`deal_id` = `deals`.`id` AND s.`pipeline_id` = `deals`.`pipeline_id` AND s.`bit` IS NOT NULL
  ) WHERE `id` = OLD.`deal_id`;
END;--> statement-breakpoint
CREATE TRIGGER `deals_bits_ai` AFTER INSERT ON `deals` BEGIN
  UPDATE `deals` SET `reached_stage_bits` = (
    SELECT coalesce(sum(DISTINCT 1 << s.`bit`), 0) FROM `deal_stage_history` h JOIN `pipeline_stages` s ON s.`id` = h.`to_stage_id`
    WHERE h.`deal_id` = `deals`.`id` AND s.`pipeline_id` = `deals`.`pipeline_id` AND s.`bit` IS NOT NULL
  ) WHERE `id` = NEW.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `deals_bits_au` AFTER UPDATE OF `pipeline_id` ON `deals` WHEN OLD.`pipeline_id` IS NOT NEW.`pipeline_id` BEGIN
  UPDATE `deals` SET `reached_stage_bits` = (
    SELECT coalesce(sum(DISTINCT 1 << s.`bit`), 0) FROM `deal_stage_history` h JOIN `pipeline_stages` s ON s.`id` = h.`to_stage_id`
    WHERE h.`deal_id` = `deals`.`id` AND s.`pipeline_id` = `deals`.`pipeline_id` AND s.`bit` IS NOT NULL
  ) WHERE `id` = NEW.`id`;
END;--> statement-breakpoint
CREATE INDEX `deals_ws_pipeline_created_idx` ON `deals` (`workspace_id`,`pipeline_id`,`created_at`,`status`,`stage_id`,`reached_stage_bits`,`owner_id`,`source`,`deleted_at`,`merged_into_id`,`id`);
