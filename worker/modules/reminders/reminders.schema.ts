import { z } from 'zod';
import { EMAIL_MODES, REMINDER_RULE_KINDS } from '../../db/schema';
import { pageQuery } from '../../lib/pagination';
import { isWallTime } from './time';

const wallTime = z.string().refine(isWallTime, { message: 'Use a time like 22:00.' });

export const reminderPrefsInput = z
  .object({
    emailMode: z.enum(EMAIL_MODES),
    digestHour: z.number().int().min(0).max(23),
    quietStart: wallTime.nullable(),
    quietEnd: wallTime.nullable(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change.' });
export type ReminderPrefsInput = z.infer<typeof reminderPrefsInput>;

export const reminderRule = z.object({
  kind: z.enum(REMINDER_RULE_KINDS),
  isEnabled: z.boolean().optional(),
  /** N days: before the contract end or birthday, without contact, idle in a stage. */
  days: z.number().int().min(0).max(365).optional(),
  segmentIds: z.array(z.string().min(1).max(40)).max(20).optional(),
});
export const reminderRulesInput = z.object({ rules: z.array(reminderRule).min(1).max(REMINDER_RULE_KINDS.length) });
export type ReminderRulesInput = z.infer<typeof reminderRulesInput>;

export const deadLetterQuery = pageQuery;
export const idParam = z.object({ id: z.string().min(1).max(40) });
