import { and, eq, isNull, lt } from 'drizzle-orm';
import { webhookDeliveries, webhookSubscriptions, type WebhookEvent } from '../../db/schema';
import { runBatch, type Db, type Statement } from '../../db/client';
import type { Env } from '../../env';
import { newId } from '../../lib/ids';

export const DELIVER_JOB = 'webhook.deliver';

export type EventDeps = { db: Db; env: Env; now: () => Date };

export type Subscriber = { id: string; events: string[] };

/**
 * The workspace's active subscriptions, as a statement a caller can put in its write batch and
 * hand the rows to {@link emitEvent} (saves the lookup's round trip).
 */
export function subscribersOf(db: Db, workspaceId: string) {
  return db
    .select({ id: webhookSubscriptions.id, events: webhookSubscriptions.events })
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.workspaceId, workspaceId), eq(webhookSubscriptions.isActive, true), isNull(webhookSubscriptions.deletedAt)));
}

/**
 * Records an event for every active subscription to it (one delivery row each, unique per
 * subscription and `key`, so emitting the same effect twice is a no-op) and queues the sends.
 * Returns how many new deliveries were queued. Never throws for a subscriber's sake: a failure to
 * queue leaves the row pending for the cron sweep.
 */
export async function emitEvent(deps: EventDeps, workspaceId: string, event: WebhookEvent, data: Record<string, unknown>, key: string, subscribers?: Subscriber[]): Promise<number> {
  return emitEvents(deps, workspaceId, event, [{ data, key }], subscribers);
}

/** {@link emitEvent} for many records at once (bulk edits): the deliveries in one batch, the sends in queue batches. */
export async function emitEvents(deps: EventDeps, workspaceId: string, event: WebhookEvent, items: { data: Record<string, unknown>; key: string }[], subscribers?: Subscriber[]): Promise<number> {
  if (items.length === 0) return 0;
  const subs = subscribers ?? (await subscribersOf(deps.db, workspaceId));
  const targets = subs.filter((s) => s.events.includes(event));
  if (targets.length === 0) return 0;
  const at = deps.now().toISOString();
  const rows = items.flatMap((item) =>
    targets.map((s) => {
      const id = newId('whd', deps.now().getTime());
      return { id, workspaceId, subscriptionId: s.id, event, eventKey: item.key, payload: { id, event, createdAt: at, workspaceId, data: item.data }, status: 'pending' as const, createdAt: at, updatedAt: at };
    }),
  );
  // 14 columns per row: stay under D1's 100 bound parameters.
  const inserts: Statement[] = [];
  for (let i = 0; i < rows.length; i += 6) inserts.push(deps.db.insert(webhookDeliveries).values(rows.slice(i, i + 6)).onConflictDoNothing().returning({ id: webhookDeliveries.id }));
  const inserted = ((await runBatch(deps.db, inserts)) as { id: string }[][]).flat();
  for (let i = 0; i < inserted.length; i += 100) {
    try {
      await deps.env.JOBS.sendBatch(inserted.slice(i, i + 100).map((d) => ({ body: { type: DELIVER_JOB, key: d.id, payload: { deliveryId: d.id } } })));
    } catch (err) {
      console.error('could not queue webhook deliveries', err);
    }
  }
  return inserted.length;
}

export async function queueDelivery(env: Env, deliveryId: string, delaySeconds?: number): Promise<void> {
  try {
    await env.JOBS.send({ type: DELIVER_JOB, key: deliveryId, payload: { deliveryId } }, delaySeconds ? { delaySeconds } : undefined);
  } catch (err) {
    console.error('could not queue webhook delivery', deliveryId, err);
  }
}

/** Cron: re-queues deliveries left pending with no run for 15 minutes (a lost queue message). */
export async function sweepPendingDeliveries(deps: { db: Db; env: Env; now: Date }): Promise<number> {
  const stale = new Date(deps.now.getTime() - 15 * 60_000).toISOString();
  const rows = await deps.db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.status, 'pending'), lt(webhookDeliveries.updatedAt, stale)))
    .limit(200);
  for (const r of rows) await queueDelivery(deps.env, r.id);
  return rows.length;
}
