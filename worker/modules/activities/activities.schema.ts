import { z } from 'zod';
import { ACTIVITY_TYPES } from '../../db/schema';
import { pageQuery } from '../../lib/pagination';

/** What people log; `system` entries are written by Hearth itself. */
export const LOGGED_ACTIVITY_TYPES = ['note', 'call', 'email', 'meeting', 'visit', 'complaint'] as const;
/** Kinds that count as reaching out to the customer (they move `lastContactedAt`). */
export const CONTACTING_TYPES = ['call', 'email', 'meeting', 'visit'] as const;

const text = (max: number) => z.string().trim().max(max).nullable().optional();
export const isoDateTime = z.iso.datetime({ offset: true, message: 'Use a date and time like 2026-11-23T09:30:00Z.' });
const id = z.string().min(1).max(40);

const activityFields = z.object({
  type: z.enum(LOGGED_ACTIVITY_TYPES),
  subject: text(200),
  body: text(20_000),
  outcome: text(200),
  occurredAt: isoDateTime,
});

export const createActivityInput = activityFields
  .partial({ subject: true, body: true, outcome: true, occurredAt: true })
  .extend({
    contactId: id.optional(),
    companyId: id.optional(),
    /** A deal it was about (one the actor may see); its customer is used when none is given. */
    dealId: id.optional(),
    /** Who did it; defaults to the signed-in user. Only admins may log for someone else. */
    userId: id.optional(),
  })
  .refine((v) => Boolean(v.subject || v.body || v.outcome), { path: ['body'], message: 'Write what happened (a subject, notes or an outcome).' });
export type CreateActivityInput = z.infer<typeof createActivityInput>;

export const updateActivityInput = activityFields
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change.' });
export type UpdateActivityInput = z.infer<typeof updateActivityInput>;

const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .max(500)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)));

export const listActivitiesQuery = pageQuery.extend({
  contactId: id.optional(),
  companyId: id.optional(),
  dealId: id.optional(),
  type: csv(ACTIVITY_TYPES).optional(),
});
export type ListActivitiesQuery = z.infer<typeof listActivitiesQuery>;

export const idParam = z.object({ id });
