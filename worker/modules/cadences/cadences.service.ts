import { and, asc, desc, eq, gte, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { runBatch, type Db, type Statement } from '../../db/client';
import { auditLog, cadenceEnrollments, cadenceSteps, cadences, contacts, deals, LIFECYCLE_STAGES, tags, tasks, type CADENCE_STOP_RULES } from '../../db/schema';
import type { Env } from '../../env';
import { auditStatement, audited, diff } from '../../lib/audit';
import { systemActor, systemMeta, type Ctx } from '../../lib/context';
import { conflict, invalidField, notFound, preconditionFailed } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { contactVisibleTo } from '../contacts/contacts.service';
import { idsIn, sqlId } from '../contacts/contacts.statements';
import { dueKeyOf, syncTaskReminders } from '../reminders/schedule';
import { addDays, daysBetween, instantOf, localDate } from '../reminders/time';
import { userZone } from '../tasks/tasks.service';
import type { CreateCadenceInput, EnrollmentsQuery, UpdateCadenceInput } from './cadences.schema';

type CadenceRow = typeof cadences.$inferSelect;
type StepRow = typeof cadenceSteps.$inferSelect;
type EnrollmentRow = typeof cadenceEnrollments.$inferSelect;
type Deps = { db: Db; env: Env; now: () => Date };

const cadenceView = (row: CadenceRow, steps: StepRow[]) => {
  const { workspaceId: _ws, deletedAt: _d, ...rest } = row;
  return { ...rest, steps: steps.map(({ cadenceId: _c, ...s }) => s) };
};

async function stepsOf(db: Db, cadenceIds: string[]): Promise<Map<string, StepRow[]>> {
  const map = new Map<string, StepRow[]>();
  if (!cadenceIds.length) return map;
  const rows = await db.select().from(cadenceSteps).where(inArray(cadenceSteps.cadenceId, cadenceIds)).orderBy(asc(cadenceSteps.position));
  for (const r of rows) map.set(r.cadenceId, [...(map.get(r.cadenceId) ?? []), r]);
  return map;
}

export async function listCadences(ctx: Ctx) {
  const rows = await ctx.db.select().from(cadences).where(and(eq(cadences.workspaceId, ctx.actor.workspaceId), isNull(cadences.deletedAt))).orderBy(asc(cadences.name)).limit(200);
  const steps = await stepsOf(ctx.db, rows.map((r) => r.id));
  return { items: rows.map((r) => cadenceView(r, steps.get(r.id) ?? [])) };
}

async function findCadence(ctx: Pick<Ctx, 'db' | 'actor'>, id: string): Promise<CadenceRow> {
  const row = await ctx.db.select().from(cadences).where(and(eq(cadences.id, id), eq(cadences.workspaceId, ctx.actor.workspaceId), isNull(cadences.deletedAt))).get();
  if (!row) throw notFound('Follow-up plan');
  return row;
}

export async function getCadence(ctx: Ctx, id: string) {
  const row = await findCadence(ctx, id);
  return cadenceView(row, (await stepsOf(ctx.db, [id])).get(id) ?? []);
}

async function checkTrigger(ctx: Ctx, trigger: CadenceRow['trigger'], value: string | null | undefined): Promise<string | null> {
  if (trigger === 'manual') return null;
  if (!value) throw invalidField('triggerValue', trigger === 'tag' ? 'Choose the tag that starts the plan.' : 'Choose the lifecycle stage that starts the plan.', 'required');
  if (trigger === 'lifecycle' && !(LIFECYCLE_STAGES as readonly string[]).includes(value)) throw invalidField('triggerValue', `Use one of: ${LIFECYCLE_STAGES.join(', ')}.`, 'invalid_value');
  if (trigger === 'tag') {
    const tag = await ctx.db.select({ id: tags.id }).from(tags).where(and(eq(tags.id, value), eq(tags.workspaceId, ctx.actor.workspaceId))).get();
    if (!tag) throw invalidField('triggerValue', 'No such tag.', 'not_found');
  }
  return value;
}

function stepRows(cadenceId: string, steps: CreateCadenceInput['steps'], now: number): StepRow[] {
  // Steps run in day order; the position is the order, ties keep the order given.
  return steps
    .map((s, i) => ({ s, i }))
    .sort((a, b) => a.s.day - b.s.day || a.i - b.i)
    .map(({ s }, position) => ({ id: newId('cst', now), cadenceId, position, day: s.day, taskType: s.taskType, title: s.title, notes: s.notes ?? null }));
}

export async function createCadence(ctx: Ctx, input: CreateCadenceInput) {
  const triggerValue = await checkTrigger(ctx, input.trigger, input.triggerValue);
  const at = ctx.now().toISOString();
  const row: CadenceRow = {
    id: newId('cad', ctx.now().getTime()),
    workspaceId: ctx.actor.workspaceId,
    name: input.name,
    trigger: input.trigger,
    triggerValue,
    stopOn: [...new Set(input.stopOn ?? (['deal_closed', 'archived'] as const))],
    isActive: input.isActive ?? true,
    version: 1,
    createdBy: ctx.actor.id,
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
  };
  const steps = stepRows(row.id, input.steps, ctx.now().getTime());
  await audited(ctx, { action: 'cadence.created', recordType: 'cadence', recordId: row.id, changes: diff(null, { ...row, steps }) }, ctx.db.insert(cadences).values(row), ctx.db.insert(cadenceSteps).values(steps));
  return cadenceView(row, steps);
}

export async function updateCadence(ctx: Ctx, id: string, expectedVersion: number, input: UpdateCadenceInput) {
  const current = await findCadence(ctx, id);
  if (current.version !== expectedVersion) throw preconditionFailed(current.version);
  const trigger = input.trigger ?? current.trigger;
  const triggerValue = input.trigger !== undefined || input.triggerValue !== undefined ? await checkTrigger(ctx, trigger, input.triggerValue !== undefined ? input.triggerValue : current.triggerValue) : current.triggerValue;
  const at = ctx.now().toISOString();
  const { steps: stepInput, ...fields } = input;
  const next: CadenceRow = { ...current, ...fields, trigger, triggerValue, stopOn: fields.stopOn ? [...new Set(fields.stopOn)] : current.stopOn, version: current.version + 1, updatedAt: at };
  const steps = stepInput ? stepRows(id, stepInput, ctx.now().getTime()) : null;
  const statements: Statement[] = [ctx.db.update(cadences).set({ ...fields, trigger, triggerValue, stopOn: next.stopOn, version: next.version, updatedAt: at }).where(and(eq(cadences.id, id), eq(cadences.version, expectedVersion)))];
  // Replacing the steps: running enrollments continue from the same position in the new list.
  if (steps) statements.push(ctx.db.delete(cadenceSteps).where(eq(cadenceSteps.cadenceId, id)), ctx.db.insert(cadenceSteps).values(steps));
  await audited(ctx, { action: 'cadence.updated', recordType: 'cadence', recordId: id, changes: diff(current, next) }, ...statements);
  const saved = await findCadence(ctx, id);
  if (saved.version !== next.version) throw preconditionFailed(saved.version);
  return getCadence(ctx, id);
}

export async function deleteCadence(ctx: Ctx, id: string, expectedVersion: number) {
  const current = await findCadence(ctx, id);
  if (current.version !== expectedVersion) throw preconditionFailed(current.version);
  const at = ctx.now().toISOString();
  await audited(
    ctx,
    { action: 'cadence.deleted', recordType: 'cadence', recordId: id },
    ctx.db.update(cadences).set({ deletedAt: at, version: current.version + 1, updatedAt: at }).where(and(eq(cadences.id, id), eq(cadences.version, expectedVersion))),
    ctx.db
      .update(cadenceEnrollments)
      .set({ status: 'stopped', stoppedReason: 'plan_deleted', nextStepAt: null, updatedAt: at })
      .where(and(eq(cadenceEnrollments.cadenceId, id), inArray(cadenceEnrollments.status, ['active', 'paused']))),
  );
}

// ── enrollments ─────────────────────────────────────────────────────────────────────────────────

/** The instant the step at `position` is due: local midnight of its day in the enrollment's zone. */
function stepAt(e: Pick<EnrollmentRow, 'startedOn' | 'timezone'>, step: StepRow | undefined): string | null {
  return step ? instantOf(addDays(e.startedOn, step.day - 1), '00:00', e.timezone).toISOString() : null;
}

async function enrollmentView(db: Db, row: EnrollmentRow) {
  const [cadence, contact] = await Promise.all([
    db.select({ name: cadences.name }).from(cadences).where(eq(cadences.id, row.cadenceId)).get(),
    db.select({ name: contacts.name }).from(contacts).where(eq(contacts.id, row.contactId)).get(),
  ]);
  const { workspaceId: _ws, ...rest } = row;
  return { ...rest, cadenceName: cadence?.name ?? null, contactName: contact?.name ?? null };
}

/**
 * Starts a plan for a customer: day 1 is today in the owner's zone. Starting a plan the customer
 * is already in answers 409 by hand; a trigger firing again is simply ignored.
 */
export async function enroll(ctx: Ctx, cadenceId: string, contactId: string, opts: { byTrigger?: boolean } = {}) {
  const cadence = await findCadence(ctx, cadenceId);
  const contact = await ctx.db
    .select({ id: contacts.id, ownerId: contacts.ownerId })
    .from(contacts)
    .where(and(eq(contacts.id, contactId), opts.byTrigger ? eq(contacts.workspaceId, ctx.actor.workspaceId) : contactVisibleTo(ctx), isNull(contacts.deletedAt), isNull(contacts.archivedAt)))
    .get();
  if (!contact) throw invalidField('contactId', 'No such customer.', 'not_found');
  const steps = (await stepsOf(ctx.db, [cadenceId])).get(cadenceId) ?? [];
  const now = ctx.now();
  const zone = await userZone(ctx, ctx.actor.workspaceId, contact.ownerId ?? (ctx.actor.type === 'user' ? ctx.actor.id : null));
  const at = now.toISOString();
  const base = { startedOn: localDate(now, zone), timezone: zone };
  const row: EnrollmentRow = {
    id: newId('enr', now.getTime()),
    workspaceId: ctx.actor.workspaceId,
    cadenceId,
    contactId,
    status: steps.length ? 'active' : 'completed',
    ...base,
    nextPosition: 0,
    nextStepAt: stepAt(base, steps[0]),
    pausedAt: null,
    stoppedReason: null,
    startedBy: opts.byTrigger ? `trigger:${cadence.trigger}` : ctx.actor.id,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const inserted = await ctx.db.insert(cadenceEnrollments).values(row).onConflictDoNothing().returning({ id: cadenceEnrollments.id });
  if (!inserted.length) {
    if (opts.byTrigger) return null;
    throw conflict('already_enrolled', 'This customer is already in this plan.');
  }
  await runBatch(ctx.db, [auditStatement(ctx, { action: 'cadence.enrolled', recordType: 'contact', recordId: contactId, changes: { cadence: { after: cadence.name } } })]);
  await advanceEnrollment({ db: ctx.db, env: ctx.env, now: ctx.now }, row.id);
  return enrollmentView(ctx.db, (await ctx.db.select().from(cadenceEnrollments).where(eq(cadenceEnrollments.id, row.id)).get())!);
}

/** Starts the active plans whose trigger a customer change meets: a lifecycle stage entered, tags added. */
export async function startCadencesFor(ctx: Ctx, contactId: string, event: { lifecycleEntered?: string | null; tagsAdded?: string[] }, found?: { id: string }[]) {
  const matching = found ?? (await matchingCadences(ctx, event)) ?? [];
  for (const c of matching) await enroll(ctx, c.id, contactId, { byTrigger: true });
}

/**
 * The active plans that start on this stage or these tags, as a statement (a caller may put it in
 * its write batch and pass the rows on); undefined when nothing could match.
 */
export function matchingCadences(ctx: Ctx, event: { lifecycleEntered?: string | null; tagsAdded?: string[] }) {
  const conditions = [
    event.lifecycleEntered ? and(eq(cadences.trigger, 'lifecycle'), eq(cadences.triggerValue, event.lifecycleEntered)) : undefined,
    event.tagsAdded?.length ? and(eq(cadences.trigger, 'tag'), inArray(cadences.triggerValue, event.tagsAdded)) : undefined,
  ].filter(Boolean);
  if (!conditions.length) return undefined;
  return ctx.db
    .select({ id: cadences.id })
    .from(cadences)
    .where(and(eq(cadences.workspaceId, ctx.actor.workspaceId), eq(cadences.isActive, true), isNull(cadences.deletedAt), or(...conditions)));
}

export const CADENCE_TRIGGER_JOB = 'cadence.trigger';
/** Up to this many customers start their plans inside the request; more go through the queue. */
const INLINE_TRIGGERS = 10;
const TRIGGERS_PER_JOB = 50;
type TriggerEvent = { lifecycleEntered?: string | null; tagsAdded?: string[] };

/**
 * The bulk-action hook: customers moved into a stage or tagged in bulk start the matching plans.
 * A few start at once; many are queued in chunks (a plan start reads and writes a handful of rows,
 * and one invocation may run at most 1,000 queries).
 */
export async function startCadencesForMany(ctx: Ctx, contactIds: string[], event: TriggerEvent) {
  try {
    if (!contactIds.length) return;
    const any = await ctx.db
      .select({ id: cadences.id })
      .from(cadences)
      .where(
        and(
          eq(cadences.workspaceId, ctx.actor.workspaceId),
          eq(cadences.isActive, true),
          isNull(cadences.deletedAt),
          or(
            event.lifecycleEntered ? and(eq(cadences.trigger, 'lifecycle'), eq(cadences.triggerValue, event.lifecycleEntered)) : undefined,
            event.tagsAdded?.length ? and(eq(cadences.trigger, 'tag'), inArray(cadences.triggerValue, event.tagsAdded)) : undefined,
          ),
        ),
      )
      .get();
    if (!any) return;
    if (contactIds.length <= INLINE_TRIGGERS) {
      for (const id of contactIds) await startCadencesFor(ctx, id, event);
      return;
    }
    const messages = [];
    for (let i = 0; i < contactIds.length; i += TRIGGERS_PER_JOB) {
      const ids = contactIds.slice(i, i + TRIGGERS_PER_JOB);
      messages.push({ body: { type: CADENCE_TRIGGER_JOB, key: `${ctx.actor.workspaceId}:${ids[0]}:${event.lifecycleEntered ?? ''}:${(event.tagsAdded ?? []).join(',')}`, payload: { workspaceId: ctx.actor.workspaceId, contactIds: ids, event } } });
    }
    for (let i = 0; i < messages.length; i += 100) await ctx.env.JOBS.sendBatch(messages.slice(i, i + 100));
  } catch (err) {
    console.error('cadences: could not start plans after a bulk action', err);
  }
}

/** The queued part of `startCadencesForMany`; enrolling is idempotent, so redelivery is harmless. */
export async function runCadenceTrigger(job: { payload: Record<string, unknown> }, deps: Deps): Promise<void> {
  const workspaceId = String(job.payload.workspaceId);
  const ctx: Ctx = { db: deps.db, env: deps.env, now: deps.now, actor: systemActor(workspaceId), meta: systemMeta() };
  for (const id of job.payload.contactIds as string[]) await startCadencesFor(ctx, id, job.payload.event as TriggerEvent);
}

/**
 * The customer-change hook for the contacts service: never fails the change it follows (a plan
 * that could not start is logged; starting by hand still works).
 */
export async function afterContactChange(ctx: Ctx, contactId: string, before: { lifecycle?: string | null; tagIds?: string[] } | null, after: { lifecycle: string; tagIds?: string[] }, found?: { id: string }[]) {
  try {
    await startCadencesFor(ctx, contactId, cadenceEvent(before, after), found);
  } catch (err) {
    console.error(`cadences: could not start plans for ${contactId}`, err);
  }
}

/** What a change of stage and tags means to the plans: the stage entered (if new) and tags added. */
export function cadenceEvent(before: { lifecycle?: string | null; tagIds?: string[] } | null, after: { lifecycle: string; tagIds?: string[] }) {
  return {
    lifecycleEntered: before?.lifecycle !== after.lifecycle ? after.lifecycle : null,
    tagsAdded: after.tagIds ? after.tagIds.filter((t) => !(before?.tagIds ?? []).includes(t)) : [],
  };
}

/** Why a running enrollment must stop now, by its plan's rules; null to go on. */
async function stopReason(db: Db, cadence: CadenceRow | undefined, e: EnrollmentRow): Promise<string | null> {
  if (!cadence || cadence.deletedAt) return 'plan_deleted';
  const contact = await db.select({ archivedAt: contacts.archivedAt, deletedAt: contacts.deletedAt, mergedIntoId: contacts.mergedIntoId }).from(contacts).where(eq(contacts.id, e.contactId)).get();
  if (!contact || contact.deletedAt || contact.mergedIntoId) return 'customer_deleted';
  if (cadence.stopOn.includes('archived') && contact.archivedAt) return 'archived';
  if (cadence.stopOn.includes('deal_closed')) {
    const closed = await db
      .select({ id: deals.id })
      .from(deals)
      .where(and(eq(deals.contactId, e.contactId), inArray(deals.status, ['won', 'lost']), gte(deals.closedAt, e.createdAt), isNull(deals.deletedAt)))
      .get();
    if (closed) return 'deal_closed';
  }
  return null;
}

type StopRule = (typeof CADENCE_STOP_RULES)[number];

/**
 * Statements that stop at once the running (active or paused) enrollments whose plan stops on
 * `rule` and that `condition` picks: one audit row on the customer for each, then the stop itself
 * (status 'stopped', the rule as `stoppedReason`, no next step). Set-based and idempotent: an
 * enrollment already stopped or completed is not touched again. Meant for the batch of the change
 * that meets the rule (placed after it); the sweep's own check before each step stays as a backstop.
 */
function stopOnRuleStatements(ctx: Pick<Ctx, 'db' | 'actor' | 'now' | 'meta'>, rule: StopRule, condition: SQL): Statement[] {
  const now = ctx.now();
  const at = now.toISOString();
  const where = and(
    eq(cadenceEnrollments.workspaceId, ctx.actor.workspaceId),
    inArray(cadenceEnrollments.status, ['active', 'paused']),
    sql`exists (select 1 from ${cadences} where ${cadences.id} = ${cadenceEnrollments.cadenceId} and exists (select 1 from json_each(${cadences.stopOn}) where value = ${rule}))`,
    condition,
  );
  const changes = sql`json_object('enrollment', json_object('before', ${cadenceEnrollments.status}, 'after', 'stopped'), 'stoppedReason', json_object('after', ${rule}),
    'cadence', json_object('after', (select ${cadences.name} from ${cadences} where ${cadences.id} = ${cadenceEnrollments.cadenceId})))`;
  return [
    // Columns in audit_log's declared order: the builder inserts into all of them.
    ctx.db.insert(auditLog).select(
      sql`select ${sqlId('aud', now)}, ${cadenceEnrollments.workspaceId}, ${ctx.actor.type}, ${ctx.actor.id}, 'cadence.stopped', 'contact', ${cadenceEnrollments.contactId}, ${changes},
        ${ctx.meta.ip}, ${ctx.meta.userAgent}, ${ctx.meta.requestId}, ${at} from ${cadenceEnrollments} where ${where}`,
    ) as unknown as Statement,
    ctx.db
      .update(cadenceEnrollments)
      .set({ status: 'stopped', stoppedReason: rule, nextStepAt: null, version: sql`${cadenceEnrollments.version} + 1`, updatedAt: at })
      .where(where),
  ];
}

/** Stops the plans (with the 'archived' rule) of these customers, those of them that are archived. */
export function stopForArchivedContacts(ctx: Pick<Ctx, 'db' | 'actor' | 'now' | 'meta'>, contactIds: string[]): Statement[] {
  if (!contactIds.length) return [];
  return stopOnRuleStatements(
    ctx,
    'archived',
    sql`${cadenceEnrollments.contactId} in ${idsIn(contactIds)} and exists (select 1 from ${contacts} where ${contacts.id} = ${cadenceEnrollments.contactId} and ${contacts.archivedAt} is not null)`,
  );
}

/**
 * Stops the plans (with the 'deal_closed' rule) of the customers of the deals `dealsWhere` picks
 * that are now won or lost, as the sweep would: a deal closed before the plan started does not
 * stop it.
 */
export function stopForClosedDeals(ctx: Pick<Ctx, 'db' | 'actor' | 'now' | 'meta'>, dealsWhere: SQL): Statement[] {
  return stopOnRuleStatements(
    ctx,
    'deal_closed',
    sql`exists (select 1 from ${deals} where ${dealsWhere} and ${deals.contactId} = ${cadenceEnrollments.contactId} and ${deals.status} in ('won', 'lost') and ${deals.deletedAt} is null and ${deals.closedAt} >= ${cadenceEnrollments.createdAt})`,
  );
}

/**
 * Makes the tasks of every step that is due (its local day has begun) and moves the enrollment on.
 * Each step's task has a fixed id per enrollment and step, and the move is conditional on the
 * position it read: two sweeps at once make each task once.
 */
export async function advanceEnrollment(deps: Deps, enrollmentId: string): Promise<void> {
  for (let guard = 0; guard < 25; guard++) {
    const e = await deps.db.select().from(cadenceEnrollments).where(eq(cadenceEnrollments.id, enrollmentId)).get();
    const now = deps.now();
    if (!e || e.status !== 'active' || !e.nextStepAt || e.nextStepAt > now.toISOString()) return;
    const cadence = await deps.db.select().from(cadences).where(eq(cadences.id, e.cadenceId)).get();
    const at = now.toISOString();
    const reason = await stopReason(deps.db, cadence, e);
    if (reason) {
      await deps.db.update(cadenceEnrollments).set({ status: 'stopped', stoppedReason: reason, nextStepAt: null, updatedAt: at }).where(eq(cadenceEnrollments.id, e.id));
      return;
    }
    const steps = (await stepsOf(deps.db, [e.cadenceId])).get(e.cadenceId) ?? [];
    const step = steps[e.nextPosition];
    const following = steps[e.nextPosition + 1];
    const move = deps.db
      .update(cadenceEnrollments)
      .set({ nextPosition: e.nextPosition + 1, nextStepAt: stepAt(e, following), status: following ? 'active' : 'completed', updatedAt: at })
      .where(and(eq(cadenceEnrollments.id, e.id), eq(cadenceEnrollments.nextPosition, e.nextPosition), eq(cadenceEnrollments.status, 'active')));
    if (!step) {
      await runBatch(deps.db, [move]);
      return;
    }
    const contact = await deps.db.select({ ownerId: contacts.ownerId, companyId: contacts.companyId }).from(contacts).where(eq(contacts.id, e.contactId)).get();
    const base = {
      id: `tsk_${e.id.slice(4)}${String(step.position).padStart(2, '0')}`,
      workspaceId: e.workspaceId,
      title: step.title,
      type: step.taskType,
      dueAt: null,
      dueDate: addDays(e.startedOn, step.day - 1),
      timezone: e.timezone,
      reminderOffsets: [0],
      contactId: e.contactId,
      companyId: contact?.companyId ?? null,
      dealId: null,
      priority: 'normal' as const,
      notes: step.notes,
      doneAt: null,
      outcome: null,
      activityId: null,
      recurrence: null,
      seriesId: null,
      occurrence: 1,
      seriesAnchor: null,
      enrollmentId: e.id,
      cadenceStepId: step.id,
      ownerId: contact?.ownerId ?? null,
      customFields: {},
      archivedAt: null,
      deletedAt: null,
      mergedIntoId: null,
      createdBy: null,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    const task = { ...base, dueKey: dueKeyOf(base) };
    const ctx = { db: deps.db, actor: systemActor(e.workspaceId), now: deps.now, meta: systemMeta() };
    await runBatch(deps.db, [
      deps.db.insert(tasks).values(task).onConflictDoNothing(),
      ...syncTaskReminders(deps.db, task, now),
      auditStatement(ctx, { action: 'task.created', recordType: 'task', recordId: task.id, changes: { cadence: { after: cadence!.name }, title: { after: task.title }, dueDate: { after: task.dueDate } } }),
      move,
    ]);
  }
}

/** The minute sweep's part: enrollments whose next step's day has begun. */
export async function sweepCadences(deps: { db: Db; env: Env; now: Date }): Promise<number> {
  const due = await deps.db
    .select({ id: cadenceEnrollments.id })
    .from(cadenceEnrollments)
    .where(and(eq(cadenceEnrollments.status, 'active'), lte(cadenceEnrollments.nextStepAt, deps.now.toISOString())))
    .orderBy(asc(cadenceEnrollments.nextStepAt))
    .limit(100);
  for (const e of due) await advanceEnrollment({ db: deps.db, env: deps.env, now: () => deps.now }, e.id);
  return due.length;
}

async function findEnrollment(ctx: Ctx, id: string): Promise<EnrollmentRow> {
  const row = await ctx.db
    .select({ e: cadenceEnrollments })
    .from(cadenceEnrollments)
    .innerJoin(contacts, eq(contacts.id, cadenceEnrollments.contactId))
    .where(and(eq(cadenceEnrollments.id, id), eq(cadenceEnrollments.workspaceId, ctx.actor.workspaceId), contactVisibleTo(ctx)))
    .get();
  if (!row) throw notFound('Enrollment');
  return row.e;
}

export async function listEnrollments(ctx: Ctx, query: EnrollmentsQuery) {
  const rows = await ctx.db
    .select({ e: cadenceEnrollments, cadenceName: cadences.name, contactName: contacts.name })
    .from(cadenceEnrollments)
    .innerJoin(contacts, eq(contacts.id, cadenceEnrollments.contactId))
    .innerJoin(cadences, eq(cadences.id, cadenceEnrollments.cadenceId))
    .where(
      and(
        eq(cadenceEnrollments.workspaceId, ctx.actor.workspaceId),
        contactVisibleTo(ctx),
        query.contactId ? eq(cadenceEnrollments.contactId, query.contactId) : undefined,
        query.cadenceId ? eq(cadenceEnrollments.cadenceId, query.cadenceId) : undefined,
        query.status ? eq(cadenceEnrollments.status, query.status) : undefined,
      ),
    )
    .orderBy(desc(cadenceEnrollments.createdAt))
    .limit(200);
  return { items: rows.map(({ e: { workspaceId: _ws, ...e }, cadenceName, contactName }) => ({ ...e, cadenceName, contactName })) };
}

export async function changeEnrollment(ctx: Ctx, id: string, action: 'pause' | 'resume' | 'stop') {
  const e = await findEnrollment(ctx, id);
  const now = ctx.now();
  const at = now.toISOString();
  let change: Partial<EnrollmentRow>;
  if (action === 'pause') {
    if (e.status !== 'active') throw conflict('not_active', 'Only a running plan can be paused.');
    change = { status: 'paused', pausedAt: at };
  } else if (action === 'resume') {
    if (e.status !== 'paused') throw conflict('not_paused', 'Only a paused plan can be resumed.');
    // The days spent paused push the remaining steps back, so none is skipped or crammed together.
    const startedOn = addDays(e.startedOn, Math.max(0, daysBetween(localDate(e.pausedAt ?? at, e.timezone), localDate(now, e.timezone))));
    const steps = (await stepsOf(ctx.db, [e.cadenceId])).get(e.cadenceId) ?? [];
    change = { status: 'active', pausedAt: null, startedOn, nextStepAt: stepAt({ startedOn, timezone: e.timezone }, steps[e.nextPosition]) };
  } else {
    if (e.status === 'stopped' || e.status === 'completed') throw conflict('not_running', 'This plan is not running.');
    change = { status: 'stopped', stoppedReason: 'manual', nextStepAt: null };
  }
  await audited(
    ctx,
    { action: ({ pause: 'cadence.paused', resume: 'cadence.resumed', stop: 'cadence.stopped' } as const)[action], recordType: 'contact', recordId: e.contactId, changes: { enrollment: { before: e.status, after: change.status } } },
    ctx.db
      .update(cadenceEnrollments)
      .set({ ...change, version: sql`${cadenceEnrollments.version} + 1`, updatedAt: at })
      .where(and(eq(cadenceEnrollments.id, id), eq(cadenceEnrollments.version, e.version))),
  );
  if (action === 'resume') await advanceEnrollment({ db: ctx.db, env: ctx.env, now: ctx.now }, id);
  return enrollmentView(ctx.db, (await ctx.db.select().from(cadenceEnrollments).where(eq(cadenceEnrollments.id, id)).get())!);
}
