import { and, eq, isNull } from 'drizzle-orm';
import { webhookDeliveries, webhookSubscriptions } from '../../db/schema';
import type { Db } from '../../db/client';
import type { Env, JobMessage } from '../../env';
import type { Ctx } from '../../lib/context';
import { audited, diff } from '../../lib/audit';
import { invalidField, notFound, preconditionFailed, conflict } from '../../lib/errors';
import { decryptField, encryptField } from '../../lib/field-crypto';
import { newId } from '../../lib/ids';
import { keyset, toPage, type PageQuery } from '../../lib/pagination';
import { queueDelivery } from './webhooks.events';
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, newSecret, signPayload } from './webhooks.signing';
import type { CreateSubscriptionInput, UpdateSubscriptionInput } from './webhooks.schema';

type SubscriptionRow = typeof webhookSubscriptions.$inferSelect;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;

const secretAad = (row: { workspaceId: string; id: string }) => `${row.workspaceId}:webhook:${row.id}:secret`;

const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|::1)$/i;
const PRIVATE_HOST = /^(localhost|.*\.localhost|.*\.local|.*\.internal|127\.\d+\.\d+\.\d+|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|169\.254\.\d+\.\d+|0\.0\.0\.0|\[.*\])$/i;

/** Running on a developer's machine (`npm start`, tests): the app's own origin is loopback. */
export const isLocalInstance = (origin: string | undefined) => {
  try {
    return !origin || LOCAL_HOST.test(new URL(origin).hostname);
  } catch {
    return false;
  }
};

/**
 * Private, loopback and link-local targets are refused in production (a subscription must not
 * reach into the network the Worker runs in) and allowed when Hearth itself runs locally.
 */
export function assertDeliverableUrl(url: string, appOrigin: string | undefined, field = 'url'): void {
  if (isLocalInstance(appOrigin)) return;
  const host = new URL(url).hostname;
  if (PRIVATE_HOST.test(host)) throw invalidField(field, 'Use a public address: private and loopback addresses are refused.', 'private_address');
}

export function subscriptionView(row: SubscriptionRow, secret?: string) {
  const { workspaceId: _ws, deletedAt: _d, secretEnc: _s, ...rest } = row;
  return { ...rest, ...(secret ? { secret } : {}) };
}

export function deliveryView(row: DeliveryRow) {
  const { workspaceId: _ws, ...rest } = row;
  return rest;
}

async function findSubscription(ctx: Ctx, id: string): Promise<SubscriptionRow> {
  const row = await ctx.db.select().from(webhookSubscriptions).where(and(eq(webhookSubscriptions.id, id), eq(webhookSubscriptions.workspaceId, ctx.actor.workspaceId), isNull(webhookSubscriptions.deletedAt))).get();
  if (!row) throw notFound('Webhook');
  return row;
}

export async function listSubscriptions(ctx: Ctx, query: PageQuery) {
  const page = keyset(query, webhookSubscriptions.createdAt, webhookSubscriptions.id, 'desc');
  const rows = await ctx.db.select().from(webhookSubscriptions).where(and(eq(webhookSubscriptions.workspaceId, ctx.actor.workspaceId), isNull(webhookSubscriptions.deletedAt), page.where)).orderBy(...page.orderBy).limit(page.limit);
  const result = toPage(rows, query, (r) => ({ k: r.createdAt, id: r.id }));
  return { ...result, items: result.items.map((r) => subscriptionView(r)) };
}

export const getSubscription = async (ctx: Ctx, id: string) => subscriptionView(await findSubscription(ctx, id));

export async function createSubscription(ctx: Ctx, input: CreateSubscriptionInput) {
  assertDeliverableUrl(input.url, ctx.env.APP_URL ?? ctx.meta.origin);
  const at = ctx.now().toISOString();
  const id = newId('whk');
  const secret = newSecret();
  const row: SubscriptionRow = {
    id,
    workspaceId: ctx.actor.workspaceId,
    url: input.url,
    description: input.description ?? null,
    events: [...new Set(input.events)],
    secretEnc: await encryptField(ctx.env.FIELD_ENCRYPTION_KEY, secret, secretAad({ workspaceId: ctx.actor.workspaceId, id })),
    isActive: input.isActive ?? true,
    createdBy: ctx.actor.id,
    version: 1,
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
  };
  await audited(ctx, { action: 'webhook.created', recordType: 'webhook', recordId: id, changes: diff(null, subscriptionView(row)) }, ctx.db.insert(webhookSubscriptions).values(row));
  return subscriptionView(row, secret);
}

async function writeSubscription(ctx: Ctx, action: string, current: SubscriptionRow, expectedVersion: number, next: SubscriptionRow) {
  const { id, workspaceId: _ws, createdAt: _c, ...columns } = next;
  await audited(
    ctx,
    { action, recordType: 'webhook', recordId: id, changes: diff(subscriptionView(current), subscriptionView(next)) },
    ctx.db.update(webhookSubscriptions).set(columns).where(and(eq(webhookSubscriptions.id, id), eq(webhookSubscriptions.version, expectedVersion))),
  );
  const saved = await ctx.db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id)).get();
  if (!saved || saved.version !== next.version) throw preconditionFailed(saved?.version ?? next.version);
  return saved;
}

export async function updateSubscription(ctx: Ctx, id: string, expectedVersion: number, input: UpdateSubscriptionInput) {
  const current = await findSubscription(ctx, id);
  if (current.version !== expectedVersion) throw preconditionFailed(current.version);
  if (input.url) assertDeliverableUrl(input.url, ctx.env.APP_URL ?? ctx.meta.origin);
  const next = { ...current, ...input, ...(input.events ? { events: [...new Set(input.events)] } : {}), version: current.version + 1, updatedAt: ctx.now().toISOString() } as SubscriptionRow;
  return subscriptionView(await writeSubscription(ctx, 'webhook.updated', current, expectedVersion, next));
}

export async function rotateSubscriptionSecret(ctx: Ctx, id: string) {
  const current = await findSubscription(ctx, id);
  const secret = newSecret();
  const next = { ...current, secretEnc: await encryptField(ctx.env.FIELD_ENCRYPTION_KEY, secret, secretAad(current)), version: current.version + 1, updatedAt: ctx.now().toISOString() };
  return subscriptionView(await writeSubscription(ctx, 'webhook.secret_rotated', current, current.version, next), secret);
}

export async function deleteSubscription(ctx: Ctx, id: string, expectedVersion: number) {
  const current = await findSubscription(ctx, id);
  if (current.version !== expectedVersion) throw preconditionFailed(current.version);
  const at = ctx.now().toISOString();
  await writeSubscription(ctx, 'webhook.deleted', current, expectedVersion, { ...current, isActive: false, deletedAt: at, version: current.version + 1, updatedAt: at });
}

export async function listDeliveries(ctx: Ctx, subscriptionId: string, query: PageQuery) {
  await findSubscription(ctx, subscriptionId);
  const page = keyset(query, webhookDeliveries.createdAt, webhookDeliveries.id, 'desc');
  const rows = await ctx.db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.subscriptionId, subscriptionId), page.where)).orderBy(...page.orderBy).limit(page.limit);
  const result = toPage(rows, query, (r) => ({ k: r.createdAt, id: r.id }));
  return { ...result, items: result.items.map(deliveryView) };
}

/** Sends a delivery again (signed afresh), whatever its status. */
export async function replayDelivery(ctx: Ctx, deliveryId: string) {
  const row = await ctx.db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.workspaceId, ctx.actor.workspaceId))).get();
  if (!row) throw notFound('Delivery');
  if (row.status === 'pending' && row.attempts === 0) throw conflict('delivery_pending', 'This delivery has not been tried yet.');
  await audited(
    ctx,
    { action: 'webhook.delivery_replayed', recordType: 'webhook', recordId: row.subscriptionId, changes: { deliveryId: { after: row.id } } },
    ctx.db.update(webhookDeliveries).set({ status: 'pending', attempts: 0, lastError: null, updatedAt: ctx.now().toISOString() }).where(eq(webhookDeliveries.id, deliveryId)),
  );
  await queueDelivery(ctx.env, deliveryId);
  return deliveryView((await ctx.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId)).get())!);
}

/** The outgoing request's timeout: a slow receiver must not hold the queue. */
const SEND_TIMEOUT_MS = 10_000;

/**
 * Queue job: POSTs one delivery, signed like inbound hooks. 2xx → delivered. Anything else is
 * recorded (status code, a bit of the body) and retried with the queue's backoff; after the last
 * attempt the delivery is `failed` and can be replayed from the log.
 */
export async function deliverWebhook(job: JobMessage, deps: { db: Db; env: Env; now: () => Date; isLastAttempt: boolean }): Promise<void> {
  const { db } = deps;
  const id = String(job.payload.deliveryId);
  const row = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)).get();
  if (!row || row.status !== 'pending') return;
  const sub = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, row.subscriptionId)).get();
  const at = () => deps.now().toISOString();
  if (!sub || sub.deletedAt || !sub.isActive) {
    await db.update(webhookDeliveries).set({ status: 'failed', lastError: 'The subscription is deleted or paused.', updatedAt: at() }).where(eq(webhookDeliveries.id, id));
    return;
  }
  let status: number | null = null;
  let responseBody: string | null = null;
  let error: string | null = null;
  try {
    assertDeliverableUrl(sub.url, deps.env.APP_URL);
    const secret = await decryptField(deps.env.FIELD_ENCRYPTION_KEY, sub.secretEnc, secretAad(sub));
    const body = JSON.stringify(row.payload);
    const timestamp = Math.floor(deps.now().getTime() / 1000);
    const res = await fetch(sub.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Hearth-Webhooks/1',
        'X-Hearth-Event': row.event,
        [DELIVERY_HEADER]: row.id,
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: await signPayload(secret, timestamp, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    status = res.status;
    responseBody = (await res.text()).slice(0, 1000);
    if (!res.ok) error = `The receiver answered ${res.status}.`;
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  const delivered = error === null;
  const final = delivered || deps.isLastAttempt;
  await db
    .update(webhookDeliveries)
    .set({ status: delivered ? 'delivered' : final ? 'failed' : 'pending', attempts: row.attempts + 1, responseStatus: status, responseBody, lastError: error, deliveredAt: delivered ? at() : null, updatedAt: at() })
    .where(eq(webhookDeliveries.id, id));
  if (!final) throw new Error(`webhook delivery ${id}: ${error}`);
}
