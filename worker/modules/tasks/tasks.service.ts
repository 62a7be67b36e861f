import { and, asc, eq, gte, inArray, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Statement } from '../../db/client';
import { activities, companies, contacts, deals, tasks, users, workspaces, type TaskType } from '../../db/schema';
import type { Ctx } from '../../lib/context';
import { audited, diff } from '../../lib/audit';
import { invalidField, notFound, preconditionFailed } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { keyset, toPage } from '../../lib/pagination';
import { visibleTo } from '../../lib/visibility';
import { dealTouchedStatement, lastContactedStatement } from '../activities/activities.service';
import { companyAccess } from '../companies/companies.service';
import { assertAssignable, contactVisibleTo } from '../contacts/contacts.service';
import { resolveLink } from '../history/linked';
import { cancelTaskReminders, dueKeyOf, insertReminder, syncTaskReminders } from '../reminders/schedule';
import { addDays, instantOf, localParts, zoneOf } from '../reminders/time';
import { nextOccurrence, parseRule } from './recurrence';
import type { CreateTaskInput, ListTasksQuery, UpdateTaskInput } from './tasks.schema';

export type TaskRow = typeof tasks.$inferSelect;
type Names = { contactName: string | null; companyName: string | null; dealName: string | null };
type TaskWithNames = TaskRow & Names;

/** The API shape of a task. */
export function taskView(row: TaskWithNames, now: Date) {
  const { workspaceId: _ws, deletedAt: _d, mergedIntoId: _m, archivedAt: _a, customFields: _cf, dueKey: _k, activityId: _act, seriesAnchor: _sa, cadenceStepId: _cs, ...rest } = row;
  const isOverdue = !row.doneAt && (row.dueAt ? row.dueAt < now.toISOString() : row.dueDate ? row.dueDate < localParts(now, row.timezone).date : false);
  return { ...rest, contactName: row.contactName ?? null, companyName: row.companyName ?? null, dealName: row.dealName ?? null, isOverdue };
}
export type TaskView = ReturnType<typeof taskView>;

/**
 * The names of the customer, company and deal a task is about, each only when the reader may see
 * that record (else null: a task of yours may point at a colleague's customer or deal).
 */
const withNames = (ctx: Pick<Ctx, 'actor'>) => ({
  contactName: sql<string | null>`(select ${contacts.name} from ${contacts} where ${contacts.id} = ${tasks.contactId} and ${contactVisibleTo(ctx)})`,
  companyName: sql<string | null>`(select ${companies.name} from ${companies} where ${companies.id} = ${tasks.companyId} and ${companyAccess(ctx)})`,
  dealName: sql<string | null>`(select ${deals.name} from ${deals} where ${deals.id} = ${tasks.dealId} and ${visibleTo(ctx.actor, deals)})`,
});

const selectTasks = (ctx: Ctx) => ctx.db.select({ task: tasks, ...withNames(ctx) }).from(tasks);
const flat = (r: { task: TaskRow } & Names): TaskWithNames => ({ ...r.task, contactName: r.contactName, companyName: r.companyName, dealName: r.dealName });

export const taskVisibleTo = (ctx: Pick<Ctx, 'actor'>) => and(visibleTo(ctx.actor, tasks), isNull(tasks.deletedAt))!;

export async function findVisibleTask(ctx: Ctx, id: string): Promise<TaskWithNames> {
  const row = await selectTasks(ctx).where(and(eq(tasks.id, id), taskVisibleTo(ctx))).get();
  if (!row) throw notFound('Task');
  return flat(row);
}

export const getTask = async (ctx: Ctx, id: string) => taskView(await findVisibleTask(ctx, id), ctx.now());

/** The zone the actor sees days in: their own, else the workspace's. */
export async function actorZone(ctx: Ctx): Promise<string> {
  if (ctx.actor.type === 'user' && ctx.actor.timezone) return zoneOf(ctx.actor.timezone, null);
  const ws = await ctx.db.select({ timezone: workspaces.timezone }).from(workspaces).where(eq(workspaces.id, ctx.actor.workspaceId)).get();
  return zoneOf(null, ws?.timezone);
}

/** A user's zone (falling back to the workspace's). */
export async function userZone(ctx: Pick<Ctx, 'db'>, workspaceId: string, userId: string | null): Promise<string> {
  const row = await ctx.db
    .select({ user: users.timezone, workspace: workspaces.timezone })
    .from(workspaces)
    .leftJoin(users, and(eq(users.id, userId ?? ''), eq(users.workspaceId, workspaces.id)))
    .where(eq(workspaces.id, workspaceId))
    .get();
  return zoneOf(row?.user, row?.workspace);
}

/** Instants bounding local dates `from`..`to` (inclusive) in a zone. */
const dayRange = (from: string, to: string, zone: string) => ({ start: instantOf(from, '00:00', zone).toISOString(), end: instantOf(addDays(to, 1), '00:00', zone).toISOString() });

function dueWithin(from: string | undefined, to: string | undefined, zone: string): SQL | undefined {
  if (!from && !to) return undefined;
  const { start, end } = dayRange(from ?? '0001-01-01', to ?? '9998-12-31', zone);
  return or(
    and(isNotNull(tasks.dueAt), from ? gte(tasks.dueAt, start) : undefined, to ? lt(tasks.dueAt, end) : undefined),
    and(isNotNull(tasks.dueDate), from ? gte(tasks.dueDate, from) : undefined, to ? lte(tasks.dueDate, to) : undefined),
  );
}

export async function listTasks(ctx: Ctx, query: ListTasksQuery) {
  const zone = await actorZone(ctx);
  const now = ctx.now();
  const page = keyset(query, tasks.dueKey, tasks.id, 'asc');
  const mine = query.mine === 'true' && ctx.actor.type === 'user' ? ctx.actor.id : undefined;
  const today = localParts(now, zone).date;
  const rows = await selectTasks(ctx)
    .where(
      and(
        taskVisibleTo(ctx),
        query.status === 'open' ? isNull(tasks.doneAt) : query.status === 'done' ? isNotNull(tasks.doneAt) : undefined,
        query.ownerId ? eq(tasks.ownerId, query.ownerId) : undefined,
        mine ? eq(tasks.ownerId, mine) : undefined,
        query.type?.length ? inArray(tasks.type, query.type) : undefined,
        query.priority?.length ? inArray(tasks.priority, query.priority) : undefined,
        query.contactId ? eq(tasks.contactId, query.contactId) : undefined,
        query.companyId ? eq(tasks.companyId, query.companyId) : undefined,
        query.dealId ? eq(tasks.dealId, query.dealId) : undefined,
        dueWithin(query.from, query.to, zone),
        query.overdue === 'true' ? and(isNull(tasks.doneAt), or(lt(tasks.dueAt, now.toISOString()), lt(tasks.dueDate, today))) : undefined,
        query.q ? sql`${tasks.title} like ${`%${query.q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`} escape '\\'` : undefined,
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(page.limit);
  const result = toPage(rows.map(flat), query, (r) => ({ k: r.dueKey, id: r.id }));
  return { ...result, items: result.items.map((r) => taskView(r, now)) };
}

/** The actor's own open tasks: overdue, due today and in the next 7 days, in their zone. */
export async function myDay(ctx: Ctx) {
  const zone = await actorZone(ctx);
  const now = ctx.now();
  const today = localParts(now, zone).date;
  const tomorrow = instantOf(addDays(today, 1), '00:00', zone).toISOString();
  const weekEnd = instantOf(addDays(today, 8), '00:00', zone).toISOString();
  const ownerId = ctx.actor.type === 'user' ? ctx.actor.id : '';
  const rows = (
    await selectTasks(ctx)
      .where(and(taskVisibleTo(ctx), eq(tasks.ownerId, ownerId), isNull(tasks.doneAt), or(lt(tasks.dueAt, weekEnd), lte(tasks.dueDate, addDays(today, 7)))))
      .orderBy(asc(tasks.dueKey), asc(tasks.id))
      .limit(600)
  ).map(flat);
  const overdue: TaskView[] = [];
  const dueToday: TaskView[] = [];
  const upcoming: TaskView[] = [];
  const nowIso = now.toISOString();
  for (const row of rows) {
    const view = taskView(row, now);
    if (row.dueAt ? row.dueAt < nowIso : row.dueDate! < today) overdue.push(view);
    else if (row.dueAt ? row.dueAt < tomorrow : row.dueDate === today) dueToday.push(view);
    else upcoming.push(view);
  }
  return { timezone: zone, today, overdue: overdue.slice(0, 200), dueToday: dueToday.slice(0, 200), upcoming: upcoming.slice(0, 200) };
}

/** Visible tasks due between two local dates (done ones too), for the week and month calendar. */
export async function calendar(ctx: Ctx, query: { from: string; to: string; ownerId?: string }) {
  const zone = await actorZone(ctx);
  const span = Math.round((Date.parse(query.to) - Date.parse(query.from)) / 86400_000);
  if (span > 62) throw invalidField('to', 'Show at most 62 days at a time.', 'too_big');
  const rows = await selectTasks(ctx)
    .where(and(taskVisibleTo(ctx), query.ownerId ? eq(tasks.ownerId, query.ownerId) : undefined, dueWithin(query.from, query.to, zone)))
    .orderBy(asc(tasks.dueKey), asc(tasks.id))
    .limit(1000);
  const now = ctx.now();
  return { timezone: zone, items: rows.map((r) => taskView(flat(r), now)) };
}

async function assertDeal(ctx: Ctx, dealId: string | null | undefined) {
  if (!dealId) return;
  const deal = await ctx.db.select({ id: deals.id }).from(deals).where(and(eq(deals.id, dealId), visibleTo(ctx.actor, deals), isNull(deals.deletedAt))).get();
  if (!deal) throw invalidField('dealId', 'No such deal.', 'not_found');
}

async function linkOf(ctx: Ctx, input: { contactId?: string | null; companyId?: string | null }) {
  if (!input.contactId && !input.companyId) return { contactId: null, companyId: null };
  return resolveLink(ctx, input);
}

/** The series fields of a recurring task (its anchor is its own local due). */
function seriesOf(row: Pick<TaskRow, 'id' | 'recurrence' | 'dueAt' | 'dueDate' | 'timezone'>) {
  if (!row.recurrence) return { seriesId: null, seriesAnchor: null };
  if (!row.dueAt && !row.dueDate) throw invalidField('recurrence', 'A repeating task needs a due date.', 'required');
  const anchor = row.dueAt ? (({ date, time }) => `${date}T${time}`)(localParts(row.dueAt, row.timezone)) : row.dueDate!;
  return { seriesId: row.id, seriesAnchor: anchor };
}

const iso = (v: string | null | undefined) => (v ? new Date(v).toISOString() : null);

export async function createTask(ctx: Ctx, input: CreateTaskInput, extra: Partial<TaskRow> = {}) {
  const ownerId = input.ownerId === undefined ? (ctx.actor.type === 'user' ? ctx.actor.id : null) : input.ownerId;
  const [link] = await Promise.all([linkOf(ctx, input), assertAssignable(ctx, ownerId), assertDeal(ctx, input.dealId)]);
  const timezone = input.timezone ?? (ctx.actor.type === 'user' && ownerId === ctx.actor.id && ctx.actor.timezone ? ctx.actor.timezone : await userZone(ctx, ctx.actor.workspaceId, ownerId));
  const now = ctx.now();
  const at = now.toISOString();
  const base = {
    id: newId('tsk', now.getTime()),
    workspaceId: ctx.actor.workspaceId,
    title: input.title,
    type: input.type ?? 'todo',
    dueAt: iso(input.dueAt),
    dueDate: input.dueDate ?? null,
    timezone,
    reminderOffsets: input.reminderOffsets ?? [],
    ...link,
    dealId: input.dealId ?? null,
    priority: input.priority ?? 'normal',
    notes: input.notes ?? null,
    doneAt: null,
    outcome: null,
    activityId: null,
    recurrence: input.recurrence ?? null,
    occurrence: 1,
    enrollmentId: null,
    cadenceStepId: null,
    ownerId,
    customFields: {},
    archivedAt: null,
    deletedAt: null,
    mergedIntoId: null,
    createdBy: ctx.actor.id,
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...extra,
  };
  const row: TaskRow = { ...base, ...seriesOf(base), dueKey: dueKeyOf(base) };
  await audited(ctx, { action: 'task.created', recordType: 'task', recordId: row.id, changes: diff(null, row) }, ctx.db.insert(tasks).values(row), ...syncTaskReminders(ctx.db, row, now));
  return taskView({ ...row, ...(await namesOf(ctx, row)) }, now);
}

async function namesOf(ctx: Ctx, row: TaskRow): Promise<Names> {
  const r = await ctx.db.select(withNames(ctx)).from(tasks).where(eq(tasks.id, row.id)).get();
  return r ?? { contactName: null, companyName: null, dealName: null };
}

/** Writes a new state of a task if nobody changed it meanwhile (else 412, nothing written). */
async function writeTask(ctx: Ctx, action: string, current: TaskRow, next: TaskRow, ...more: Statement[]) {
  const { id, workspaceId: _ws, createdAt: _c, ...columns } = next;
  await audited(
    ctx,
    { action, recordType: 'task', recordId: id, changes: diff(current as Record<string, unknown>, next as Record<string, unknown>) },
    ctx.db.update(tasks).set(columns).where(and(eq(tasks.id, id), eq(tasks.version, current.version))),
    ...more,
  );
  const saved = await selectTasks(ctx).where(eq(tasks.id, id)).get();
  if (!saved || saved.task.version !== next.version || saved.task.updatedAt !== next.updatedAt) throw preconditionFailed(saved?.task.version ?? next.version);
  return taskView(flat(saved), ctx.now());
}

const strip = ({ contactName: _c, companyName: _n, dealName: _d, ...row }: TaskWithNames): TaskRow => row;

async function loadForWrite(ctx: Ctx, id: string, expectedVersion: number | null): Promise<TaskRow> {
  const current = strip(await findVisibleTask(ctx, id));
  if (expectedVersion !== null && current.version !== expectedVersion) throw preconditionFailed(current.version);
  return current;
}

export async function updateTask(ctx: Ctx, id: string, expectedVersion: number | null, input: UpdateTaskInput) {
  const current = await loadForWrite(ctx, id, expectedVersion);
  const checks: Promise<unknown>[] = [];
  if (input.ownerId !== undefined && input.ownerId !== current.ownerId) checks.push(assertAssignable(ctx, input.ownerId));
  if (input.dealId !== undefined && input.dealId !== current.dealId) checks.push(assertDeal(ctx, input.dealId));
  let link = { contactId: current.contactId, companyId: current.companyId };
  if (input.contactId !== undefined || input.companyId !== undefined) {
    const wanted = { contactId: input.contactId !== undefined ? input.contactId : current.contactId, companyId: input.companyId !== undefined ? input.companyId : current.companyId };
    link = await linkOf(ctx, wanted);
  }
  await Promise.all(checks);
  const now = ctx.now();
  const { dueAt, dueDate, ...fields } = input;
  const due =
    dueAt !== undefined ? { dueAt: iso(dueAt), dueDate: dueAt ? null : dueDate !== undefined ? dueDate : current.dueDate } : dueDate !== undefined ? { dueAt: dueDate ? null : current.dueAt, dueDate } : {};
  const merged = { ...current, ...fields, ...link, ...due, version: current.version + 1, updatedAt: now.toISOString() };
  const series = merged.recurrence === current.recurrence && current.seriesId ? {} : { ...seriesOf(merged), occurrence: 1 };
  if (merged.recurrence && !merged.dueAt && !merged.dueDate) throw invalidField('recurrence', 'A repeating task needs a due date.', 'required');
  const next: TaskRow = { ...merged, ...series, dueKey: dueKeyOf(merged) };
  return writeTask(ctx, 'task.updated', current, next, ...syncTaskReminders(ctx.db, next, now));
}

export async function rescheduleTask(ctx: Ctx, id: string, expectedVersion: number | null, input: { dueAt?: string; dueDate?: string }) {
  return updateTask(ctx, id, expectedVersion, input.dueAt ? { dueAt: input.dueAt } : { dueDate: input.dueDate! });
}

export async function deleteTask(ctx: Ctx, id: string, expectedVersion: number): Promise<void> {
  const current = await loadForWrite(ctx, id, expectedVersion);
  const at = ctx.now().toISOString();
  await writeTask(ctx, 'task.deleted', current, { ...current, deletedAt: at, version: current.version + 1, updatedAt: at }, cancelTaskReminders(ctx.db, id));
}

const ACTIVITY_TYPE: Record<TaskType, 'call' | 'email' | 'visit' | 'meeting' | 'note'> = { call: 'call', email: 'email', visit: 'visit', meeting: 'meeting', todo: 'note' };

/** The task after this one in its series, or null when the series ends here. */
function nextInSeries(current: TaskRow, now: Date): TaskRow | null {
  if (!current.recurrence || !current.seriesId || !current.seriesAnchor) return null;
  const rule = parseRule(current.recurrence);
  if (typeof rule === 'string') return null;
  const [anchorDate, anchorTime] = current.seriesAnchor.split('T');
  const currentDate = current.dueAt ? localParts(current.dueAt, current.timezone).date : current.dueDate!;
  const date = nextOccurrence(rule, anchorDate, currentDate, current.occurrence);
  if (!date) return null;
  // A timed series keeps the local wall time of its first occurrence, whatever the UTC offset.
  const due = current.dueAt ? { dueAt: instantOf(date, anchorTime ?? localParts(current.dueAt, current.timezone).time, current.timezone).toISOString(), dueDate: null } : { dueAt: null, dueDate: date };
  const at = now.toISOString();
  const row = {
    ...current,
    ...due,
    id: newId('tsk', now.getTime()),
    occurrence: current.occurrence + 1,
    doneAt: null,
    outcome: null,
    activityId: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  return { ...row, dueKey: dueKeyOf(row) };
}

/** Marks a task done; logs its outcome on the customer's timeline; makes the next occurrence of a series. */
export async function completeTask(ctx: Ctx, id: string, expectedVersion: number | null, outcome: string | null | undefined) {
  const current = await loadForWrite(ctx, id, expectedVersion);
  if (current.doneAt) return { task: taskView(await findVisibleTask(ctx, id), ctx.now()), next: null };
  const now = ctx.now();
  const at = now.toISOString();
  const statements: Statement[] = [cancelTaskReminders(ctx.db, id)];
  let activityId: string | null = null;
  if (current.contactId || current.companyId || current.dealId) {
    activityId = newId('act', now.getTime());
    const type = ACTIVITY_TYPE[current.type];
    statements.push(
      ctx.db.insert(activities).values({
        id: activityId,
        workspaceId: current.workspaceId,
        type,
        contactId: current.contactId,
        companyId: current.companyId,
        dealId: current.dealId,
        subject: current.title,
        body: current.notes,
        outcome: outcome ?? null,
        occurredAt: at,
        userId: ctx.actor.type === 'user' ? ctx.actor.id : current.ownerId,
        meta: { taskId: current.id },
        createdAt: at,
        updatedAt: at,
        deletedAt: null,
      }),
    );
    if (current.contactId && type !== 'note') statements.push(lastContactedStatement(ctx.db, current.contactId));
    if (current.dealId) statements.push(dealTouchedStatement(ctx.db, current.dealId, at, at));
  }
  const next = nextInSeries(current, now);
  if (next) statements.push(ctx.db.insert(tasks).values(next).onConflictDoNothing(), ...syncTaskReminders(ctx.db, next, now));
  const task = await writeTask(ctx, 'task.completed', current, { ...current, doneAt: at, outcome: outcome ?? null, activityId, version: current.version + 1, updatedAt: at }, ...statements);
  const nextView = next ? await selectTasks(ctx).where(and(eq(tasks.seriesId, next.seriesId!), eq(tasks.occurrence, next.occurrence), isNull(tasks.deletedAt))).get() : undefined;
  return { task, next: nextView ? taskView(flat(nextView), now) : null };
}

/** Undoes a completion: the task is open again, its timeline entry is withdrawn, its reminders return. */
export async function uncompleteTask(ctx: Ctx, id: string, expectedVersion: number | null) {
  const current = await loadForWrite(ctx, id, expectedVersion);
  if (!current.doneAt) return taskView(await findVisibleTask(ctx, id), ctx.now());
  const now = ctx.now();
  const at = now.toISOString();
  const next: TaskRow = { ...current, doneAt: null, outcome: null, activityId: null, version: current.version + 1, updatedAt: at };
  const statements: Statement[] = [];
  if (current.activityId) {
    statements.push(ctx.db.update(activities).set({ deletedAt: at, updatedAt: at }).where(eq(activities.id, current.activityId)));
    if (current.contactId) statements.push(lastContactedStatement(ctx.db, current.contactId));
  }
  return writeTask(ctx, 'task.reopened', current, next, ...statements, ...syncTaskReminders(ctx.db, next, now));
}

/** "Remind me again": one more reminder at the given time; the due stays as it is. */
export async function snoozeTask(ctx: Ctx, id: string, input: { minutes?: number; until?: string }) {
  const task = await findVisibleTask(ctx, id);
  if (task.doneAt) throw invalidField('minutes', 'This task is done.', 'invalid');
  const now = ctx.now();
  const fireAt = input.until ? new Date(input.until).toISOString() : new Date(now.getTime() + input.minutes! * 60_000).toISOString();
  if (fireAt <= now.toISOString()) throw invalidField('until', 'Choose a time in the future.', 'too_small');
  const userId = task.ownerId ?? (ctx.actor.type === 'user' ? ctx.actor.id : null);
  if (!userId) throw invalidField('ownerId', 'Assign the task to someone first.', 'required');
  await audited(
    ctx,
    { action: 'task.snoozed', recordType: 'task', recordId: id, changes: { remindAt: { after: fireAt } } },
    cancelTaskReminders(ctx.db, id, ['task_snooze']),
    insertReminder(ctx.db, { workspaceId: task.workspaceId, userId, kind: 'task_snooze', recordType: 'task', recordId: id, fireAt, deliveryKey: `task:${id}:snooze:${userId}:${fireAt}` }, now),
  );
  return { ...taskView(task, now), remindAt: fireAt };
}
