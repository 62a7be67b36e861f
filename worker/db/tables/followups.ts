// Tables of the followups area: tasks, cadences (follow-up plans), reminders and their delivery,
// reminder rules, notification preferences, dead letters. Import column helpers from '../columns',
// never from '../schema' (schema.ts re-exports this file; importing it back would be a cycle).
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { recordColumns } from '../columns';

export const TASK_TYPES = ['call', 'email', 'visit', 'meeting', 'todo'] as const;
export type TaskType = (typeof TASK_TYPES)[number];
export const TASK_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

/**
 * A task. The assignee is `owner_id` (so `visibleTo` applies as to any owned record). A task is
 * due either at an instant (`due_at`, UTC) or on a local calendar day (`due_date`, all-day, a
 * `YYYY-MM-DD` date that is never turned into midnight UTC). `timezone` is the zone its local
 * times (all-day reminders, recurrence) are computed in.
 */
export const tasks = sqliteTable(
  'tasks',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    title: text('title').notNull(),
    type: text('type', { enum: TASK_TYPES }).notNull(),
    dueAt: text('due_at'),
    dueDate: text('due_date'),
    /** Sort and range key: `due_at`, or for an all-day task the instant of its 09:00 local; '9999' if undated. */
    dueKey: text('due_key').notNull().default('9999'),
    timezone: text('timezone').notNull(),
    /** Minutes before the due time (all-day: before 09:00 local on the due date). */
    reminderOffsets: text('reminder_offsets', { mode: 'json' }).$type<number[]>().notNull().default([]),
    contactId: text('contact_id'),
    companyId: text('company_id'),
    dealId: text('deal_id'),
    priority: text('priority', { enum: TASK_PRIORITIES }).notNull().default('normal'),
    notes: text('notes'),
    doneAt: text('done_at'),
    outcome: text('outcome'),
    /** The activity logged on the customer's timeline when it was completed. */
    activityId: text('activity_id'),
    /** RRULE subset (FREQ, INTERVAL, BYDAY, COUNT, UNTIL); null for a one-off task. */
    recurrence: text('recurrence'),
    seriesId: text('series_id'),
    /** 1 for the first task of a series, 2 for the next… */
    occurrence: integer('occurrence').notNull().default(1),
    /** Local date-time (`YYYY-MM-DDTHH:mm`) or date of the series' first occurrence. */
    seriesAnchor: text('series_anchor'),
    enrollmentId: text('enrollment_id'),
    cadenceStepId: text('cadence_step_id'),
    ...recordColumns(),
  },
  (t) => [
    index('tasks_ws_owner_due_idx').on(t.workspaceId, t.ownerId, t.doneAt, t.dueAt),
    index('tasks_ws_due_key_idx').on(t.workspaceId, t.dueKey, t.id),
    index('tasks_ws_due_at_idx').on(t.workspaceId, t.dueAt),
    index('tasks_ws_due_date_idx').on(t.workspaceId, t.dueDate),
    index('tasks_contact_idx').on(t.contactId),
    index('tasks_company_idx').on(t.companyId),
    index('tasks_deal_idx').on(t.dealId),
    // Completing an occurrence twice (or redone after undo) never makes a second next one.
    uniqueIndex('tasks_series_occurrence_unique').on(t.seriesId, t.occurrence),
    // A cadence step makes one task per enrollment, however often the sweep runs.
    uniqueIndex('tasks_enrollment_step_unique').on(t.enrollmentId, t.cadenceStepId),
  ],
);

// `notification`: an email of notify() held back by the user's preferences (quiet hours, digest).
export const REMINDER_KINDS = ['task', 'task_snooze', 'contract_ending', 'deal_contract_ending', 'no_contact', 'birthday', 'deal_idle', 'notification'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];
export const REMINDER_STATUSES = ['pending', 'queued', 'delivered', 'folded', 'cancelled', 'failed'] as const;
export const EMAIL_STATUSES = ['none', 'sent', 'deferred', 'digest', 'skipped'] as const;

/**
 * One reminder to one user at one instant. `delivery_key` is unique: rescheduling makes a new key,
 * the same reminder found twice (two overlapping sweeps, a redelivered message, a rule evaluated
 * again) is one row. The bell entry uses the same key, and the email is claimed on this row
 * (`email_message_id`), so neither is ever made twice.
 */
export const reminders = sqliteTable(
  'reminders',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    userId: text('user_id').notNull(),
    kind: text('kind', { enum: REMINDER_KINDS }).notNull(),
    recordType: text('record_type').notNull(),
    recordId: text('record_id').notNull(),
    fireAt: text('fire_at').notNull(),
    deliveryKey: text('delivery_key').notNull(),
    /** What the message says, fixed when the reminder was made (data reminders). */
    data: text('data', { mode: 'json' }).$type<Record<string, string | number | null>>().notNull().default({}),
    status: text('status', { enum: REMINDER_STATUSES }).notNull().default('pending'),
    queuedAt: text('queued_at'),
    deliveredAt: text('delivered_at'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    emailStatus: text('email_status', { enum: EMAIL_STATUSES }).notNull().default('none'),
    /** When a deferred (quiet hours) email may go. */
    emailAfter: text('email_after'),
    emailMessageId: text('email_message_id'),
    /** The digest (daily or "missed while offline") that carried it. */
    digestId: text('digest_id'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('reminders_delivery_key_unique').on(t.deliveryKey),
    index('reminders_due_idx').on(t.status, t.fireAt),
    index('reminders_record_idx').on(t.recordType, t.recordId, t.status),
    index('reminders_user_idx').on(t.userId, t.fireAt),
    index('reminders_email_idx').on(t.emailStatus, t.emailAfter).where(sql`${t.emailStatus} in ('deferred', 'digest')`),
  ],
);

export const DIGEST_KINDS = ['daily', 'missed'] as const;
/** A digest email: `key` is unique (`daily:<user>:<local date>`, `missed:<sweep id>:<user>`). */
export const reminderDigests = sqliteTable(
  'reminder_digests',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    userId: text('user_id').notNull(),
    kind: text('kind', { enum: DIGEST_KINDS }).notNull(),
    key: text('key').notNull(),
    emailMessageId: text('email_message_id'),
    itemCount: integer('item_count').notNull().default(0),
    sentAt: text('sent_at'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('reminder_digests_key_unique').on(t.key), index('reminder_digests_user_idx').on(t.userId, t.createdAt)],
);

/** Sweep watermarks: `global` (last minute swept) and `rules:<workspace>` (last local day evaluated). */
export const reminderSweeps = sqliteTable('reminder_sweeps', {
  id: text('id').primaryKey(),
  value: text('value').notNull(),
  updatedAt: text('updated_at').notNull(),
});

export const REMINDER_RULE_KINDS = ['contract_ending', 'deal_contract_ending', 'no_contact', 'birthday', 'deal_idle'] as const;
export type ReminderRuleKind = (typeof REMINDER_RULE_KINDS)[number];

/** Data reminders a workspace turned on: one row per kind, `days` = N, segments for no-contact. */
export const reminderRules = sqliteTable(
  'reminder_rules',
  {
    workspaceId: text('workspace_id').notNull(),
    kind: text('kind', { enum: REMINDER_RULE_KINDS }).notNull(),
    isEnabled: integer('is_enabled', { mode: 'boolean' }).notNull().default(false),
    days: integer('days').notNull().default(30),
    segmentIds: text('segment_ids', { mode: 'json' }).$type<string[]>().notNull().default([]),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.kind] })],
);

export const EMAIL_MODES = ['each', 'digest', 'off'] as const;
export type EmailMode = (typeof EMAIL_MODES)[number];

/** A user's reminder preferences; a user without a row gets the defaults (each, 08:00, no quiet hours). */
export const notificationPrefs = sqliteTable('notification_prefs', {
  userId: text('user_id').primaryKey(),
  workspaceId: text('workspace_id').notNull(),
  emailMode: text('email_mode', { enum: EMAIL_MODES }).notNull().default('each'),
  digestHour: integer('digest_hour').notNull().default(8),
  /** Local `HH:mm`; both set or both null. A window may wrap midnight (22:00–07:00). */
  quietStart: text('quiet_start'),
  quietEnd: text('quiet_end'),
  version: integer('version').notNull().default(1),
  updatedAt: text('updated_at').notNull(),
});

export const CADENCE_TRIGGERS = ['manual', 'lifecycle', 'tag'] as const;
export const CADENCE_STOP_RULES = ['deal_closed', 'archived'] as const;

/** A follow-up plan: steps started by hand, on entering a lifecycle stage, or on getting a tag. */
export const cadences = sqliteTable(
  'cadences',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    name: text('name').notNull(),
    trigger: text('trigger', { enum: CADENCE_TRIGGERS }).notNull(),
    /** The lifecycle stage or the tag id that starts it. */
    triggerValue: text('trigger_value'),
    stopOn: text('stop_on', { mode: 'json' }).$type<(typeof CADENCE_STOP_RULES)[number][]>().notNull().default([]),
    isActive: integer('is_active', { mode: 'boolean' }).notNull().default(true),
    version: integer('version').notNull().default(1),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    deletedAt: text('deleted_at'),
  },
  (t) => [index('cadences_ws_trigger_idx').on(t.workspaceId, t.trigger, t.triggerValue)],
);

/** A step: on `day` (1 = the day the plan starts) make a task of `task_type` titled `title`. */
export const cadenceSteps = sqliteTable(
  'cadence_steps',
  {
    id: text('id').primaryKey(),
    cadenceId: text('cadence_id').notNull(),
    position: integer('position').notNull(),
    day: integer('day').notNull(),
    taskType: text('task_type', { enum: TASK_TYPES }).notNull(),
    title: text('title').notNull(),
    notes: text('notes'),
  },
  (t) => [index('cadence_steps_cadence_idx').on(t.cadenceId, t.position)],
);

export const ENROLLMENT_STATUSES = ['active', 'paused', 'stopped', 'completed'] as const;

/**
 * A customer in a plan. `next_step_at` is the UTC instant (local midnight of the step's day in the
 * owner's zone) when the sweep makes the next step's task; null when nothing is left to make.
 */
export const cadenceEnrollments = sqliteTable(
  'cadence_enrollments',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    cadenceId: text('cadence_id').notNull(),
    contactId: text('contact_id').notNull(),
    status: text('status', { enum: ENROLLMENT_STATUSES }).notNull(),
    /** Local date of day 1 (moved on by the days spent paused). */
    startedOn: text('started_on').notNull(),
    timezone: text('timezone').notNull(),
    nextPosition: integer('next_position').notNull().default(0),
    nextStepAt: text('next_step_at'),
    pausedAt: text('paused_at'),
    stoppedReason: text('stopped_reason'),
    startedBy: text('started_by'),
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    // One running enrollment per customer and plan: a trigger firing twice starts it once.
    uniqueIndex('cadence_enrollments_running_unique').on(t.cadenceId, t.contactId).where(sql`${t.status} in ('active', 'paused')`),
    index('cadence_enrollments_due_idx').on(t.status, t.nextStepAt),
    index('cadence_enrollments_contact_idx').on(t.contactId),
  ],
);

/** Queue work that exhausted its retries; admins see the list and may retry. */
export const deadLetters = sqliteTable(
  'dead_letters',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id'),
    jobType: text('job_type').notNull(),
    jobKey: text('job_key').notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    error: text('error').notNull(),
    attempts: integer('attempts').notNull(),
    createdAt: text('created_at').notNull(),
    retriedAt: text('retried_at'),
    retriedBy: text('retried_by'),
  },
  (t) => [uniqueIndex('dead_letters_job_unique').on(t.jobType, t.jobKey), index('dead_letters_ws_time_idx').on(t.workspaceId, t.createdAt)],
);
