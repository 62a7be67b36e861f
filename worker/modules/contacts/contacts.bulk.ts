import { and, asc, eq, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { contacts, jobs, LIFECYCLE_STAGES, recordTags, type LifecycleStage } from '../../db/schema';
import { type Db, type Statement } from '../../db/client';
import type { Env, JobMessage } from '../../env';
import type { Ctx } from '../../lib/context';
import { systemMeta } from '../../lib/context';
import { actorRef, chunkDoneStatements, isChunkDone, markJobFailed, newJob, reloadActor } from '../jobs/jobs.service';
import { assertTags } from '../tags/tags.service';
import { BULK_ACTIONS, type BulkAction, type BulkInput, type ContactFilters } from './contacts.schema';
import { assertAssignable, contactConditions, contactDetailsOf, contactVisibleTo, type ContactRow } from './contacts.service';
import { emitEvents, subscribersOf } from '../webhooks/webhooks.events';
import { auditEachStatement, idsIn } from './contacts.statements';
import { startCadencesForMany, stopForArchivedContacts } from '../cadences/cadences.service';

/** Up to this many records a bulk action runs inside the request, in one atomic batch. */
export const SYNC_LIMIT = 500;
/** Records per queued chunk: each chunk is one batch of a handful of set-based statements. */
export const CHUNK_SIZE = 250;
// A Queues sendBatch takes at most 100 messages and 256 KB; a chunk's ids are ~8 KB.
const SEND_BATCH = 25;

export const BULK_JOB = 'contacts.bulk';

/** What a bulk action does, independent of which records it does it to. */
export type BulkOp = { action: BulkAction; tagIds?: string[]; ownerId?: string | null; lifecycle?: LifecycleStage };

export type BulkResult = { matched: number; updated: number; skipped: number };
export type BulkQueued = { jobId: string; status: 'queued'; matched: number; skipped: number };

const bulkPayload = z.object({
  jobId: z.string(),
  chunk: z.number().int().min(0),
  actor: z.object({ type: z.enum(['user', 'api_key']), id: z.string(), workspaceId: z.string() }),
  op: z.object({
    action: z.enum(BULK_ACTIONS),
    tagIds: z.array(z.string()).optional(),
    ownerId: z.string().nullable().optional(),
    lifecycle: z.enum(LIFECYCLE_STAGES).optional(),
  }),
  ids: z.array(z.string()).max(CHUNK_SIZE),
});
type BulkPayload = z.infer<typeof bulkPayload>;

const contentActions = new Set<BulkAction>(['tag', 'untag', 'assign', 'lifecycle']);
const tagsOfRecord = sql`select ${recordTags.tagId} as t from ${recordTags} where ${recordTags.recordType} = 'contact' and ${recordTags.recordId} = ${contacts.id}`;
const jsonArray = (select: SQL) => sql`json((select json_group_array(t) from (${select} order by 1)))`;

/**
 * The records of `ids` that the action would change, checked again when it runs: visible to the
 * actor, not merged, not deleted (except to restore), not erased (for edits), and not already in
 * the state the action leads to, so that a repeated action changes and audits nothing.
 */
function changeable(ctx: Ctx, op: BulkOp, ids: string[]): SQL {
  const tagSet = JSON.stringify(op.tagIds ?? []);
  const state: Record<BulkAction, SQL> = {
    tag: sql`exists (select 1 from json_each(${tagSet}) j where j.value not in (${tagsOfRecord}))`,
    untag: sql`exists (select 1 from json_each(${tagSet}) j where j.value in (${tagsOfRecord}))`,
    assign: sql`${contacts.ownerId} is not ${op.ownerId ?? null}`,
    lifecycle: sql`${contacts.lifecycle} != ${op.lifecycle ?? ''}`,
    archive: isNull(contacts.archivedAt),
    unarchive: isNotNull(contacts.archivedAt),
    delete: isNull(contacts.deletedAt),
    restore: isNotNull(contacts.deletedAt),
  };
  return and(
    sql`${contacts.id} in ${idsIn(ids)}`,
    contactVisibleTo(ctx),
    isNull(contacts.mergedIntoId),
    op.action === 'restore' ? undefined : isNull(contacts.deletedAt),
    contentActions.has(op.action) ? isNull(contacts.erasedAt) : undefined,
    state[op.action],
  )!;
}

/** The audit action and the before/after of one record, as SQL over the `contacts` row. */
function auditOf(op: BulkOp, at: string): { action: string; changes: SQL } {
  const tagSet = JSON.stringify(op.tagIds ?? []);
  const field = (name: string, before: SQL | typeof contacts.ownerId, after: unknown) => sql`json_object(${name}, json_object('before', ${before}, 'after', ${after}))`;
  switch (op.action) {
    case 'tag':
      return {
        action: 'contact.updated',
        changes: sql`json_object('tagIds', json_object('before', ${jsonArray(tagsOfRecord)}, 'after', ${jsonArray(sql`${tagsOfRecord} union select value from json_each(${tagSet})`)}))`,
      };
    case 'untag':
      return {
        action: 'contact.updated',
        changes: sql`json_object('tagIds', json_object('before', ${jsonArray(tagsOfRecord)}, 'after', ${jsonArray(sql`${tagsOfRecord} and ${recordTags.tagId} not in (select value from json_each(${tagSet}))`)}))`,
      };
    case 'assign':
      return { action: 'contact.updated', changes: field('ownerId', contacts.ownerId, op.ownerId ?? null) };
    case 'lifecycle':
      return { action: 'contact.updated', changes: field('lifecycle', sql`${contacts.lifecycle}`, op.lifecycle) };
    case 'archive':
      return { action: 'contact.archived', changes: field('archivedAt', sql`${contacts.archivedAt}`, at) };
    case 'unarchive':
      return { action: 'contact.unarchived', changes: field('archivedAt', sql`${contacts.archivedAt}`, null) };
    case 'delete':
      return { action: 'contact.deleted', changes: field('deletedAt', sql`${contacts.deletedAt}`, at) };
    case 'restore':
      return { action: 'contact.restored', changes: field('deletedAt', sql`${contacts.deletedAt}`, null) };
  }
}

/**
 * The statements that apply an action to `ids`: one audit row per record changed (first, so it
 * reads the values as they were), then the change itself with a version bump (so that an edit
 * prepared before it is refused with 412). Every statement is set-based and takes the ids as one
 * parameter, so the count of statements does not grow with the number of records.
 */
function bulkStatements(ctx: Ctx, op: BulkOp, ids: string[]): { audit: Statement; rest: Statement[] } {
  const at = ctx.now().toISOString();
  const where = changeable(ctx, op, ids);
  const { action, changes } = auditOf(op, at);
  const bump = { version: sql`${contacts.version} + 1`, updatedAt: at };
  const set: Record<BulkAction, Partial<ContactRow>> = {
    tag: {},
    untag: {},
    assign: { ownerId: op.ownerId ?? null },
    lifecycle: { lifecycle: op.lifecycle },
    archive: { archivedAt: at },
    unarchive: { archivedAt: null },
    delete: { deletedAt: at },
    restore: { deletedAt: null },
  };
  const rest: Statement[] = [ctx.db.update(contacts).set({ ...set[op.action], ...bump }).where(where)];
  const tagSet = JSON.stringify(op.tagIds ?? []);
  if (op.action === 'tag') {
    // Still `where`: the version bump above does not touch the tags, so the same rows match.
    rest.push(
      ctx.db
        .insert(recordTags)
        .select(sql`select ${contacts.workspaceId}, j.value, 'contact', ${contacts.id} from ${contacts}, json_each(${tagSet}) j where ${where}`)
        .onConflictDoNothing(),
    );
  }
  if (op.action === 'untag') {
    rest.push(
      ctx.db
        .delete(recordTags)
        .where(and(eq(recordTags.recordType, 'contact'), sql`${recordTags.tagId} in (select value from json_each(${tagSet}))`, sql`${recordTags.recordId} in (select ${contacts.id} from ${contacts} where ${where})`)),
    );
  }
  // Follow-up plans that stop on archiving stop at once (after the update: it checks the archive).
  if (op.action === 'archive') rest.push(...stopForArchivedContacts(ctx, ids));
  return { audit: auditEachStatement(ctx, { action, recordType: 'contact', where, changes }), rest };
}

/** What a bulk action means for follow-up plans that start on a stage or a tag. */
const cadenceEvent = (op: BulkOp) => (op.action === 'lifecycle' ? { lifecycleEntered: op.lifecycle } : op.action === 'tag' ? { tagsAdded: op.tagIds } : {});

/** The ids a bulk action selects: the named ones, or all a filter matches, that the actor may see. */
async function selection(ctx: Ctx, input: BulkInput): Promise<string[]> {
  const base: ContactFilters = input.filter ?? (input.action === 'restore' ? { deleted: 'true' } : { archived: 'any' });
  const rows = await ctx.db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(...contactConditions(ctx, base, { exhaustive: true }), input.ids ? sql`${contacts.id} in ${idsIn([...new Set(input.ids)])}` : undefined))
    .orderBy(asc(contacts.id));
  return rows.map((r) => r.id);
}

/**
 * Runs a bulk action on the selection, only ever on records visible to (and so writable by) the
 * actor: named ids the actor may not see are left alone and counted as `skipped`, exactly like ids
 * that do not exist. Up to SYNC_LIMIT records it completes here, atomically; beyond that it is
 * queued in chunks as a job whose progress `GET /jobs/:id` shows.
 */
export async function runBulk(ctx: Ctx, input: BulkInput): Promise<BulkResult | BulkQueued> {
  const op: BulkOp = { action: input.action, tagIds: input.tagIds, ownerId: input.ownerId, lifecycle: input.lifecycle };
  if (op.tagIds) op.tagIds = await assertTags(ctx, op.tagIds);
  if (op.action === 'assign') await assertAssignable(ctx, op.ownerId);
  const ids = await selection(ctx, input);
  const skipped = input.ids ? new Set(input.ids).size - ids.length : 0;
  if (ids.length <= SYNC_LIMIT) {
    if (ids.length === 0) return { matched: 0, updated: 0, skipped };
    const { audit, rest } = bulkStatements(ctx, op, ids);
    const [audited] = (await ctx.db.batch([audit, ...rest] as [Statement, ...Statement[]])) as [{ recordId: string }[]];
    await afterBulk(ctx, op, audited.map((r) => r.recordId));
    return { matched: ids.length, updated: audited.length, skipped };
  }
  const job = newJob(ctx, BULK_JOB, { total: ids.length, skipped });
  await ctx.db.insert(jobs).values(job);
  const messages: { body: JobMessage }[] = [];
  for (let start = 0, chunk = 0; start < ids.length; start += CHUNK_SIZE, chunk++) {
    const payload: BulkPayload = { jobId: job.id, chunk, actor: actorRef(ctx.actor), op, ids: ids.slice(start, start + CHUNK_SIZE) };
    messages.push({ body: { type: BULK_JOB, key: `${BULK_JOB}:${job.id}:${chunk}`, payload } });
  }
  try {
    for (let i = 0; i < messages.length; i += SEND_BATCH) await ctx.env.JOBS.sendBatch(messages.slice(i, i + SEND_BATCH));
  } catch (err) {
    await markJobFailed(ctx.db, job.id, 'Could not queue the work; nothing after the first chunks was changed. Try again.', ctx.now());
    throw err;
  }
  return { jobId: job.id, status: 'queued', matched: ids.length, skipped };
}

/**
 * One queued chunk of a bulk action. Idempotent: a chunk already done is skipped, and a duplicate
 * delivery racing the first fails as a whole on the chunk marker and then finds it done.
 */
export async function runBulkChunk(message: JobMessage, deps: { db: Db; env: Env; now: () => Date; isLastAttempt: boolean }): Promise<void> {
  const payload = bulkPayload.parse(message.payload);
  if (await isChunkDone(deps.db, payload.jobId, payload.chunk)) return;
  const actor = await reloadActor(deps.db, payload.actor);
  if (!actor) {
    await markJobFailed(deps.db, payload.jobId, 'The person or API key that started this job can no longer act.', deps.now());
    return;
  }
  const at = deps.now();
  const requestId = `${BULK_JOB}:${payload.jobId}:${payload.chunk}`;
  const ctx: Ctx = { db: deps.db, actor, env: deps.env, now: () => at, meta: { ...systemMeta(), requestId } };
  const { audit, rest } = bulkStatements(ctx, payload.op, payload.ids);
  let changed: { recordId: string }[];
  try {
    [changed] = (await deps.db.batch([audit, ...rest, ...chunkDoneStatements(deps.db, { id: payload.jobId, workspaceId: actor.workspaceId }, payload.chunk, payload.ids.length, { requestId, at: at.toISOString() })] as [Statement, ...Statement[]])) as [{ recordId: string }[]];
  } catch (err) {
    if (deps.isLastAttempt) await markJobFailed(deps.db, payload.jobId, 'A part of this job failed repeatedly.', deps.now());
    throw err;
  }
  await afterBulk(ctx, payload.op, changed.map((r) => r.recordId));
}

/**
 * What follows the records a bulk action changed, as after a single edit: the follow-up plans
 * that start on the stage or tags, and `contact.updated` for each record an edit changed
 * (archive, delete and restore send none, as one at a time).
 */
async function afterBulk(ctx: Ctx, op: BulkOp, changedIds: string[]) {
  await startCadencesForMany(ctx, changedIds, cadenceEvent(op));
  if (changedIds.length === 0 || !EDITS.has(op.action)) return;
  const subscribers = await subscribersOf(ctx.db, ctx.actor.workspaceId);
  if (!subscribers.some((s) => s.events.includes('contact.updated'))) return;
  const details = await contactDetailsOf(ctx, changedIds);
  await emitEvents(ctx, ctx.actor.workspaceId, 'contact.updated', details.map((contact) => ({ data: { contact }, key: `contact.updated:${contact.id}:${contact.version}` })), subscribers);
}
const EDITS = new Set<BulkAction>(['tag', 'untag', 'assign', 'lifecycle']);
