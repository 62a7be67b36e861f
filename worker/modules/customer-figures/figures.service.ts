import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { runBatch, type Db } from '../../db/client';
import { contacts, workspaceSettings, workspaces } from '../../db/schema';
import type { Env, JobMessage } from '../../env';
import { systemActor, systemMeta } from '../../lib/context';
import { chunkStatements, loadCustomerSettings, rulesOrDefault, type CustomerSettings, type MoveCtx } from './figures.statements';

/**
 * Contacts per chunk. A chunk is four statements (figures, and the churn move's activity, audit
 * and update) touching at most this many contacts, well inside D1's per-statement limits.
 */
export const CHUNK_SIZE = 500;
const STATEMENTS_PER_CHUNK = 4;
/**
 * D1 allows 1,000 queries per invocation and the nightly cron shares its invocation with other
 * sweeps, so it runs at most this many statements itself and queues the rest.
 */
const INLINE_STATEMENT_BUDGET = 200;
const QUEUE_SEND_BATCH = 100;

export const RECOMPUTE_JOB = 'customers.recompute';

const recomputePayload = z.object({
  workspaceId: z.string().min(1),
  /** The nightly run's time: recency is measured against it, so a retried chunk computes the same. */
  asOf: z.iso.datetime(),
  /** The chunk starts after this contact id (null: from the first). */
  after: z.string().nullable(),
  chunkSize: z.number().int().min(1).max(CHUNK_SIZE),
});
export type RecomputePayload = z.infer<typeof recomputePayload>;

export function recomputeJob(payload: RecomputePayload): JobMessage {
  return { type: RECOMPUTE_JOB, key: `${RECOMPUTE_JOB}:${payload.workspaceId}:${payload.asOf}:${payload.after ?? ''}`, payload };
}

type Deps = { db: Db; env: Env };

const systemMove = (db: Db, workspaceId: string, asOf: Date): MoveCtx => ({ db, actor: systemActor(workspaceId), now: () => asOf, meta: systemMeta() });

async function enqueue(env: Env, jobs: JobMessage[]) {
  for (let i = 0; i < jobs.length; i += QUEUE_SEND_BATCH) await env.JOBS.sendBatch(jobs.slice(i, i + QUEUE_SEND_BATCH).map((body) => ({ body })));
}

/** Contacts of a workspace, counted only up to `limit` + 1: enough to tell "fits one chunk" without a full count. */
const boundedContactCount = (limit: number) =>
  sql<number>`(select count(*) from (select 1 from ${contacts} where ${contacts.workspaceId} = ${workspaces.id} limit ${limit + 1}))`;

/** Whether a workspace's contacts fit one chunk, reading at most one more row than a chunk. */
export async function fitsOneChunk(db: Db, workspaceId: string, chunkSize = CHUNK_SIZE): Promise<boolean> {
  const row = await db
    .select({ n: sql<number>`count(*)` })
    .from(sql`(select 1 from ${contacts} where ${contacts.workspaceId} = ${workspaceId} limit ${chunkSize + 1})`)
    .get();
  return (row?.n ?? 0) <= chunkSize;
}

/**
 * The nightly pass over every workspace: recency decays with time, so RFM scores are recomputed
 * for everyone, and customers without a purchase for the churn period become churned. Workspaces
 * that fit one chunk run here while the statement budget lasts; the others (and any whose batch
 * failed) go to the queue as `customers.recompute` jobs, one chunk per message.
 */
export async function refreshAllCustomers(
  { db, env }: Deps,
  asOf: Date,
  options: { chunkSize?: number; statementBudget?: number } = {},
): Promise<{ inline: number; queued: number }> {
  const chunkSize = options.chunkSize ?? CHUNK_SIZE;
  let budget = options.statementBudget ?? INLINE_STATEMENT_BUDGET;
  const rows = await db
    .select({ id: workspaces.id, currency: workspaces.currency, rules: workspaceSettings.customerRules, contactCount: boundedContactCount(chunkSize) })
    .from(workspaces)
    .leftJoin(workspaceSettings, eq(workspaceSettings.workspaceId, workspaces.id));
  const queued: JobMessage[] = [];
  let inline = 0;
  for (const row of rows) {
    const settings: CustomerSettings = { workspaceId: row.id, currency: row.currency, rules: rulesOrDefault(row.rules) };
    const job = recomputeJob({ workspaceId: row.id, asOf: asOf.toISOString(), after: null, chunkSize });
    if (row.contactCount > chunkSize || budget < STATEMENTS_PER_CHUNK) {
      queued.push(job);
      continue;
    }
    budget -= STATEMENTS_PER_CHUNK;
    try {
      await runBatch(db, chunkStatements(systemMove(db, row.id, asOf), settings, { after: null, upTo: null }));
      inline += 1;
    } catch (err) {
      console.error(`customer figures of workspace ${row.id} failed inline; queued`, err);
      queued.push(job);
    }
  }
  await enqueue(env, queued);
  return { inline, queued: queued.length };
}

/**
 * One chunk of one workspace, then the message for the next chunk. Idempotent: the figures are
 * recomputed from the orders, and a churn move re-checks its condition, so a redelivered message
 * changes nothing that its first delivery changed.
 */
export async function runRecomputeJob({ db, env }: Deps, payload: unknown): Promise<void> {
  const parsed = recomputePayload.safeParse(payload);
  if (!parsed.success) {
    // A malformed message would fail the same way on every retry: drop it rather than loop.
    console.error(`${RECOMPUTE_JOB}: malformed payload`, parsed.error.issues);
    return;
  }
  const job = parsed.data;
  const settings = await loadCustomerSettings(db, job.workspaceId);
  if (!settings) return;
  const last = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, job.workspaceId), job.after ? gt(contacts.id, job.after) : undefined))
    .orderBy(asc(contacts.id))
    .limit(1)
    .offset(job.chunkSize - 1)
    .get();
  // Without a full chunk ahead this is the last one: left open-ended so contacts created since are included.
  const upTo = last?.id ?? null;
  await runBatch(db, chunkStatements(systemMove(db, job.workspaceId, new Date(job.asOf)), settings, { after: job.after, upTo }));
  if (upTo) await env.JOBS.send(recomputeJob({ ...job, after: upTo }));
}
