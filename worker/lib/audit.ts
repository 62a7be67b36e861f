import { auditLog } from '../db/schema';
import { runBatch, type Db, type Statement } from '../db/client';
import { cachedQuery, placeholders } from '../db/cached-query';
import type { Actor, RequestMeta } from '../env';
import { newId } from './ids';

export type Changes = Record<string, { before?: unknown; after?: unknown }>;

export type AuditEvent = {
  action: string;
  recordType?: string;
  recordId?: string | null;
  changes?: Changes | null;
  /** Overrides the actor's workspace, e.g. for a failed login where nobody is signed in. */
  workspaceId?: string;
};

type AuditCtx = { db: Db; actor?: Actor | null; now: () => Date; meta: RequestMeta };

// Secrets never reach the audit log, only the fact that they changed.
const REDACTED = new Set(['passwordHash', 'keyHash', 'tokenHash', 'totpSecret']);

/** Before/after of the fields that changed, secrets redacted. */
export function diff(before: Record<string, unknown> | null, after: Record<string, unknown> | null): Changes {
  const changes: Changes = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    if (key === 'version' || key === 'updatedAt') continue;
    const b = before?.[key];
    const a = after?.[key];
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    changes[key] = REDACTED.has(key)
      ? { before: b === undefined ? undefined : '[redacted]', after: a === undefined ? undefined : '[redacted]' }
      : { before: b, after: a };
  }
  return changes;
}

/** The audit row for an event, to be written in the same batch as the change it records. */
export function auditStatement(ctx: AuditCtx, event: AuditEvent): Statement {
  const actor = ctx.actor;
  const workspaceId = event.workspaceId ?? actor?.workspaceId;
  if (!workspaceId) throw new Error(`audit event ${event.action} has no workspace`);
  const row = {
    id: newId('aud', ctx.now().getTime()),
    workspaceId,
    actorType: actor ? actor.type : ('anonymous' as const),
    actorId: actor?.id ?? null,
    action: event.action,
    recordType: event.recordType ?? null,
    recordId: event.recordId ?? null,
    changes: event.changes ?? null,
    ip: ctx.meta.ip,
    userAgent: ctx.meta.userAgent,
    requestId: ctx.meta.requestId,
    createdAt: ctx.now().toISOString(),
  };
  // Written by nearly every change: its SQL is built once per isolate.
  return cachedQuery(ctx.db, 'audit.insert', row, (v) => ctx.db.insert(auditLog).values(placeholders(row, v)));
}

/**
 * The one way to write an audited change: the statements and their audit row go in one batch, so
 * either both are stored or neither. Answers each statement's result, in order (a select placed
 * after the writes reads them in the same round trip).
 */
export async function audited(ctx: AuditCtx, event: AuditEvent, ...statements: Statement[]): Promise<unknown[]> {
  return (await runBatch(ctx.db, [...statements, auditStatement(ctx, event)])).slice(0, statements.length);
}
