import type { MiddlewareHandler } from 'hono';
import { and, eq } from 'drizzle-orm';
import { idempotencyKeys } from '../db/schema';
import { sha256Hex } from '../lib/crypto';
import { AppError, invalidField } from '../lib/errors';
import type { AppEnv } from './context';

/**
 * `POST` with `Idempotency-Key`: the first request runs and its response is kept; a repeat with the
 * same key and body gets the same response without running again (a double click makes one
 * record). The key is claimed before the handler runs, so two concurrent repeats cannot both run.
 */
export const idempotency: MiddlewareHandler<AppEnv> = async (c, next) => {
  const key = c.req.header('idempotency-key');
  const actor = c.get('actor');
  if (c.req.method !== 'POST' || !key || !actor) return next();
  if (key.length > 200) throw invalidField('Idempotency-Key', 'Use at most 200 characters.');
  const db = c.get('db');
  // The caller is part of the request: a replay must never hand one person's response (an API key
  // secret, say) to another, nor let them skip the route's authorization.
  const requestHash = await sha256Hex(`${actor.type}:${actor.id} ${c.req.method} ${c.req.path}\n${await c.req.text()}`);
  const scope = and(eq(idempotencyKeys.workspaceId, actor.workspaceId), eq(idempotencyKeys.key, key));
  const claimed = await db
    .insert(idempotencyKeys)
    .values({ workspaceId: actor.workspaceId, key, requestHash, status: 0, body: '', createdAt: new Date().toISOString() })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (claimed.length === 0) {
    const prior = await db.select().from(idempotencyKeys).where(scope).get();
    if (!prior) throw new AppError(409, 'idempotency_conflict', 'Retry the request.');
    if (prior.requestHash !== requestHash) throw new AppError(422, 'idempotency_key_reused', 'This Idempotency-Key was used for a different request.');
    if (prior.status === 0) throw new AppError(409, 'request_in_progress', 'The first request with this Idempotency-Key is still running.');
    return new Response(prior.body || null, {
      status: prior.status,
      headers: { 'content-type': 'application/json', 'idempotent-replayed': 'true' },
    });
  }
  try {
    await next();
  } catch (err) {
    await db.delete(idempotencyKeys).where(scope);
    throw err;
  }
  const res = c.res;
  if (res.status >= 500 || c.error) {
    await db.delete(idempotencyKeys).where(scope);
    return;
  }
  const body = await res.clone().text();
  await db.update(idempotencyKeys).set({ status: res.status, body }).where(scope);
};
