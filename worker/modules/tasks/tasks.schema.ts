import { z } from 'zod';
import { TASK_PRIORITIES, TASK_TYPES } from '../../db/schema';
import { pageQuery } from '../../lib/pagination';
import { isoDateTime } from '../activities/activities.schema';
import { isDate, isValidZone } from '../reminders/time';
import { parseRule } from './recurrence';

const id = z.string().min(1).max(40);
const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .max(200)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)));

export const localDateString = z.string().refine(isDate, { message: 'Use a date like 2026-11-23.' });
export const zoneString = z.string().max(64).refine(isValidZone, { message: 'Use a time zone like Asia/Shanghai or Europe/Berlin.' });
const recurrence = z
  .string()
  .trim()
  .max(200)
  .superRefine((value, issue) => {
    const parsed = parseRule(value);
    if (typeof parsed === 'string') issue.addIssue({ code: 'custom', message: parsed });
  });

const taskFields = z.object({
  title: z.string().trim().min(1, { message: 'Enter a title.' }).max(300),
  type: z.enum(TASK_TYPES),
  dueAt: isoDateTime.nullable(),
  dueDate: localDateString.nullable(),
  timezone: zoneString,
  /** Minutes before the due time; up to 30 days. */
  reminderOffsets: z.array(z.number().int().min(0).max(43_200)).max(5),
  ownerId: id.nullable(),
  contactId: id.nullable(),
  companyId: id.nullable(),
  dealId: id.nullable(),
  priority: z.enum(TASK_PRIORITIES),
  notes: z.string().trim().max(20_000).nullable(),
  recurrence: recurrence.nullable(),
});

const oneDue = (v: { dueAt?: string | null; dueDate?: string | null }) => !(v.dueAt && v.dueDate);
const dueMessage = { message: 'Give a due time or an all-day date, not both.', path: ['dueDate'] };

export const createTaskInput = taskFields.partial().required({ title: true }).refine(oneDue, dueMessage);
export type CreateTaskInput = z.infer<typeof createTaskInput>;

export const updateTaskInput = taskFields
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change.' })
  .refine(oneDue, dueMessage);
export type UpdateTaskInput = z.infer<typeof updateTaskInput>;

export const completeTaskInput = z.object({ outcome: z.string().trim().max(5000).nullable().optional() });
export const snoozeTaskInput = z
  .object({ minutes: z.number().int().min(5).max(10_080).optional(), until: isoDateTime.optional() })
  .refine((v) => (v.minutes === undefined) !== (v.until === undefined), { message: 'Give minutes or until.', path: ['minutes'] });
export const rescheduleTaskInput = z
  .object({ dueAt: isoDateTime.optional(), dueDate: localDateString.optional() })
  .refine((v) => (v.dueAt === undefined) !== (v.dueDate === undefined), { message: 'Give dueAt or dueDate.', path: ['dueAt'] });

export const TASK_STATUS_FILTERS = ['open', 'done', 'all'] as const;
export const listTasksQuery = pageQuery.extend({
  status: z.enum(TASK_STATUS_FILTERS).default('open'),
  ownerId: id.optional(),
  mine: z.enum(['true', 'false']).optional(),
  type: csv(TASK_TYPES).optional(),
  priority: csv(TASK_PRIORITIES).optional(),
  contactId: id.optional(),
  companyId: id.optional(),
  dealId: id.optional(),
  from: localDateString.optional(),
  to: localDateString.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  q: z.string().trim().max(200).optional(),
});
export type ListTasksQuery = z.infer<typeof listTasksQuery>;

export const calendarQuery = z
  .object({ from: localDateString, to: localDateString, ownerId: id.optional() })
  .refine((v) => v.from <= v.to, { message: 'from must not be after to.', path: ['to'] });

export const idParam = z.object({ id });
