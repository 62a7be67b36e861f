import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Statement } from '../../db/client';
import { reminders, tasks, type ReminderKind } from '../../db/schema';
import { newId } from '../../lib/ids';
import { ALL_DAY_REMINDER_TIME, instantOf, localMinus } from './time';

type TaskRow = typeof tasks.$inferSelect;

/** A reminder made just now for a time a little in the past still fires (e.g. "remind me now"). */
const GRACE_MS = 10 * 60_000;

/** When each of a task's reminders fires: before the due instant, or before 09:00 local on an all-day date. */
export function taskFireTimes(task: Pick<TaskRow, 'dueAt' | 'dueDate' | 'timezone' | 'reminderOffsets'>): { offset: number; fireAt: string }[] {
  return [...new Set(task.reminderOffsets)].flatMap((offset) => {
    if (task.dueAt) return [{ offset, fireAt: new Date(Date.parse(task.dueAt) - offset * 60_000).toISOString() }];
    if (task.dueDate) {
      // On the local clock: "one day before" an all-day task is 09:00 the day before, DST or not.
      const local = localMinus(task.dueDate, ALL_DAY_REMINDER_TIME, offset);
      return [{ offset, fireAt: instantOf(local.date, local.time, task.timezone).toISOString() }];
    }
    return [];
  });
}

/** The sort key of a task: its due instant, or the instant of 09:00 local on its all-day date. */
export function dueKeyOf(task: Pick<TaskRow, 'dueAt' | 'dueDate' | 'timezone'>): string {
  if (task.dueAt) return task.dueAt;
  if (task.dueDate) return instantOf(task.dueDate, ALL_DAY_REMINDER_TIME, task.timezone).toISOString();
  return '9999';
}

export function insertReminder(
  db: Db,
  r: { workspaceId: string; userId: string; kind: ReminderKind; recordType: string; recordId: string; fireAt: string; deliveryKey: string; data?: Record<string, string | number | null> },
  now: Date,
): Statement {
  return db
    .insert(reminders)
    .values({ id: newId('rem', now.getTime()), ...r, data: r.data ?? {}, status: 'pending', createdAt: now.toISOString() })
    // The same reminder scheduled again (a task moved back to a time it had) comes back to life;
    // one already delivered stays delivered.
    .onConflictDoUpdate({ target: reminders.deliveryKey, set: { status: 'pending' }, where: sql`${reminders.status} = 'cancelled'` });
}

/** Statements that cancel a task's pending reminders of the given kinds. */
export function cancelTaskReminders(db: Db, taskId: string, kinds: ReminderKind[] = ['task', 'task_snooze']): Statement {
  return db
    .update(reminders)
    .set({ status: 'cancelled' })
    .where(and(eq(reminders.recordType, 'task'), eq(reminders.recordId, taskId), eq(reminders.status, 'pending'), inArray(reminders.kind, kinds)));
}

/**
 * Statements that make a task's reminders match the task: pending ones are cancelled and the
 * current ones (re)scheduled for its assignee. A done or unassigned task reminds nobody.
 */
export function syncTaskReminders(db: Db, task: TaskRow, now: Date): Statement[] {
  const statements: Statement[] = [cancelTaskReminders(db, task.id, ['task'])];
  if (task.doneAt || task.deletedAt || !task.ownerId) return [cancelTaskReminders(db, task.id)];
  for (const { offset, fireAt } of taskFireTimes(task)) {
    if (Date.parse(fireAt) < now.getTime() - GRACE_MS) continue;
    statements.push(
      insertReminder(
        db,
        { workspaceId: task.workspaceId, userId: task.ownerId, kind: 'task', recordType: 'task', recordId: task.id, fireAt, deliveryKey: `task:${task.id}:${task.ownerId}:${offset}:${fireAt}` },
        now,
      ),
    );
  }
  return statements;
}
