import { and, eq, sql } from 'drizzle-orm';
import { apiKeys, auditLog, jobChunks, jobs, users } from '../../db/schema';
import type { Db, Statement } from '../../db/client';
import type { Actor } from '../../env';
import type { Ctx } from '../../lib/context';
import { notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { isAdminRole } from '../../lib/permissions';

export type JobRow = typeof jobs.$inferSelect;

/** Who started a job, as carried in its queue messages. */
export type ActorRef = { type: 'user' | 'api_key'; id: string; workspaceId: string };

export function actorRef(actor: Actor): ActorRef {
  if (actor.type === 'system') throw new Error('system jobs carry no actor reference');
  return { type: actor.type, id: actor.id, workspaceId: actor.workspaceId };
}

/**
 * The actor a queued chunk runs as, read afresh: a chunk applies the rights its starter has when
 * it runs, so a person deactivated or demoted meanwhile (or a revoked key) changes nothing more.
 */
export async function reloadActor(db: Db, ref: ActorRef): Promise<Actor | null> {
  if (ref.type === 'user') {
    const u = await db.select().from(users).where(and(eq(users.id, ref.id), eq(users.workspaceId, ref.workspaceId))).get();
    if (!u || !u.isActive) return null;
    return { type: 'user', id: u.id, workspaceId: u.workspaceId, role: u.role, teamId: u.teamId, name: u.name, email: u.email, locale: u.locale, timezone: u.timezone, sessionId: '' };
  }
  const k = await db.select().from(apiKeys).where(and(eq(apiKeys.id, ref.id), eq(apiKeys.workspaceId, ref.workspaceId))).get();
  if (!k || k.revokedAt) return null;
  return { type: 'api_key', id: k.id, workspaceId: k.workspaceId, role: 'admin', scopes: k.scopes, teamId: null };
}

export function newJob(ctx: Pick<Ctx, 'actor' | 'now'>, type: string, counts: { total: number; skipped: number }): JobRow {
  const now = ctx.now().toISOString();
  return {
    id: newId('job'),
    workspaceId: ctx.actor.workspaceId,
    type,
    status: 'queued',
    total: counts.total,
    processed: 0,
    updated: 0,
    skipped: counts.skipped,
    error: null,
    createdBy: ctx.actor.id,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
  };
}

export async function isChunkDone(db: Db, jobId: string, chunk: number): Promise<boolean> {
  return Boolean(await db.select({ c: jobChunks.chunk }).from(jobChunks).where(and(eq(jobChunks.jobId, jobId), eq(jobChunks.chunk, chunk))).get());
}

/**
 * The two statements that close a chunk, to run in the same batch as its changes. The marker's
 * primary key makes a redelivered chunk fail as a whole instead of applying twice; the count of
 * changed records is taken from the chunk's own audit rows (its request id), so it is exact
 * without a second round trip.
 */
export function chunkDoneStatements(db: Db, job: { id: string; workspaceId: string }, chunk: number, size: number, audit: { requestId: string; at: string }): Statement[] {
  const changed = sql<number>`(select count(*) from ${auditLog} where ${auditLog.workspaceId} = ${job.workspaceId} and ${auditLog.createdAt} = ${audit.at} and ${auditLog.requestId} = ${audit.requestId})`;
  const finished = sql`${jobs.processed} + ${size} >= ${jobs.total}`;
  return [
    db.insert(jobChunks).values({ jobId: job.id, chunk, updated: changed, doneAt: audit.at }),
    db
      .update(jobs)
      .set({
        processed: sql`${jobs.processed} + ${size}`,
        updated: sql`${jobs.updated} + (select ${jobChunks.updated} from ${jobChunks} where ${jobChunks.jobId} = ${job.id} and ${jobChunks.chunk} = ${chunk})`,
        status: sql`case when ${finished} then 'done' else 'running' end`,
        finishedAt: sql`case when ${finished} then ${audit.at} else null end`,
        updatedAt: audit.at,
      })
      .where(eq(jobs.id, job.id)),
  ];
}

export async function markJobFailed(db: Db, jobId: string, error: string, now: Date): Promise<void> {
  await db.update(jobs).set({ status: 'failed', error: error.slice(0, 500), updatedAt: now.toISOString(), finishedAt: now.toISOString() }).where(eq(jobs.id, jobId));
}

/** A job's progress, for whoever started it and for admins. */
export async function getJob(ctx: Ctx, id: string) {
  const row = await ctx.db.select().from(jobs).where(and(eq(jobs.id, id), eq(jobs.workspaceId, ctx.actor.workspaceId))).get();
  if (!row || (row.createdBy !== ctx.actor.id && !isAdminRole(ctx.actor.role))) throw notFound('Job');
  const { workspaceId: _ws, ...job } = row;
  return job;
}
