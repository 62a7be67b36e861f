import { and, asc, eq, isNotNull, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { companies, consentEvents, contactChannels, contacts, recordTags } from '../../db/schema';
import { runBatch, type Db, type Statement } from '../../db/client';
import type { Env, JobMessage } from '../../env';
import { systemActor, systemMeta } from '../../lib/context';
import { purgeDependents, presentDependents, type Dependent, type RecordKind } from './contacts.dependents';
import { auditEachStatement, idsIn, redactAuditStatement, redactHistoryAuditStatements } from './contacts.statements';

/** Deleted customers and companies can be restored for this long; then the nightly cron purges them. */
export const PURGE_AFTER_DAYS = 30;
/** Records per batch: each batch is about a dozen set-based statements. */
const PURGE_CHUNK = 100;
/**
 * Batches per invocation. D1 allows 1,000 queries per invocation and the nightly cron shares its
 * invocation with other sweeps, so a run stays far below that and hands what is left to the queue.
 */
const BATCHES_PER_RUN = 20;

export const PURGE_JOB = 'records.purge';
const purgePayload = z.object({ cutoff: z.iso.datetime(), round: z.number().int().min(1) });

type Deps = { db: Db; env: Env };

/** The statements that remove one chunk of records of one workspace and everything hanging off them. */
function purgeStatements(db: Db, deps: Dependent[], kind: RecordKind, workspaceId: string, ids: string[], now: Date): Statement[] {
  const ctx = { db, actor: systemActor(workspaceId), now: () => now, meta: systemMeta() };
  const table = kind === 'contact' ? contacts : companies;
  const these = sql`${table.id} in ${idsIn(ids)}`;
  const common = [
    ...(kind === 'contact' ? redactHistoryAuditStatements(ctx, workspaceId, ids) : []),
    ...purgeDependents(db, deps, kind, ids),
    db.delete(recordTags).where(and(eq(recordTags.recordType, kind), sql`${recordTags.recordId} in ${idsIn(ids)}`)),
    redactAuditStatement(ctx, workspaceId, kind, ids),
    auditEachStatement(ctx, { action: `${kind}.purged`, recordType: kind, where: these, changes: sql`null` }),
  ];
  if (kind === 'contact') {
    // Search documents go with the contact rows (the contacts_search_ad trigger).
    return [
      ...common,
      db.delete(contactChannels).where(sql`${contactChannels.contactId} in ${idsIn(ids)}`),
      db.delete(consentEvents).where(sql`${consentEvents.contactId} in ${idsIn(ids)}`),
      db.delete(contacts).where(these),
    ];
  }
  // The company's people stay, no longer linked to it.
  return [
    ...common,
    db.update(contacts).set({ companyId: null }).where(and(eq(contacts.workspaceId, workspaceId), sql`${contacts.companyId} in ${idsIn(ids)}`)),
    db.delete(companies).where(these),
  ];
}

/**
 * One chunk of `kind` deleted before `cutoff`, with the records merged into them (hidden, but
 * holding the same person's or company's data), grouped by workspace. Empty when none are left.
 */
async function nextChunk(db: Db, kind: RecordKind, cutoff: string): Promise<Map<string, string[]>> {
  const table = kind === 'contact' ? contacts : companies;
  const due = await db
    .select({ id: table.id, workspaceId: table.workspaceId })
    .from(table)
    .where(and(isNotNull(table.deletedAt), lt(table.deletedAt, cutoff)))
    .orderBy(asc(table.deletedAt))
    .limit(PURGE_CHUNK);
  if (due.length === 0) return new Map();
  const merged = await db
    .select({ id: table.id, workspaceId: table.workspaceId })
    .from(table)
    .where(sql`${table.mergedIntoId} in ${idsIn(due.map((d) => d.id))}`);
  const byWorkspace = new Map<string, string[]>();
  for (const r of [...due, ...merged]) byWorkspace.set(r.workspaceId, [...(byWorkspace.get(r.workspaceId) ?? []), r.id]);
  return byWorkspace;
}

/**
 * Purges contacts and companies deleted before `cutoff`: their activities, orders and items,
 * tickets, lookup channels, tags, consent history and search documents go too, the values in their
 * audit rows are blanked, and one `*.purged` audit row is left per record. Idempotent: it works on
 * whatever is still due, so a rerun or a retried message only finishes the work.
 */
export async function purgeDeletedRecords({ db, env }: Deps, cutoff: string, now: Date, round = 1): Promise<{ purged: number; more: boolean }> {
  const deps = await presentDependents(db);
  let purged = 0;
  let batches = 0;
  for (const kind of ['contact', 'company'] as const) {
    while (batches < BATCHES_PER_RUN) {
      const chunk = await nextChunk(db, kind, cutoff);
      if (chunk.size === 0) break;
      for (const [workspaceId, ids] of chunk) {
        if (batches >= BATCHES_PER_RUN) break;
        await runBatch(db, purgeStatements(db, deps, kind, workspaceId, ids, now));
        purged += ids.length;
        batches++;
      }
    }
  }
  const more = batches >= BATCHES_PER_RUN;
  if (more) {
    const next: JobMessage = { type: PURGE_JOB, key: `${PURGE_JOB}:${cutoff}:${round + 1}`, payload: { cutoff, round: round + 1 } };
    await env.JOBS.send(next);
  }
  return { purged, more };
}

/** The nightly entry point: everything deleted more than PURGE_AFTER_DAYS ago. */
export function purgeExpiredDeletions(deps: Deps, now: Date) {
  return purgeDeletedRecords(deps, new Date(now.getTime() - PURGE_AFTER_DAYS * 86400_000).toISOString(), now);
}

/** A continuation queued by a run that had more to purge than its share of the invocation. */
export async function runPurgeJob(message: JobMessage, deps: Deps & { now: () => Date }): Promise<void> {
  const { cutoff, round } = purgePayload.parse(message.payload);
  await purgeDeletedRecords(deps, cutoff, deps.now(), round);
}
