import { SELF, createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { JobMessage } from '../../worker/env';
import { handleQueue } from '../../worker/jobs/queue';
import { hmacHex } from '../../worker/lib/crypto';
import { assertDeliverableUrl } from '../../worker/modules/webhooks/webhooks.service';
import { api, json, problem } from './helpers';
import { buildWorld, countWhere, createContact, rawRow, type World } from './customers-world';

type Source = { id: string; key: string; url: string; secret?: string; version: number };
type Subscription = { id: string; url: string; events: string[]; secret?: string; version: number };
type Delivery = { id: string; event: string; status: string; attempts: number; responseStatus: number | null; lastError: string | null; payload: { event: string; data: Record<string, unknown> } };

let w: World;
let source: Source;

async function signedPost(key: string, secret: string, body: string, opts: { timestamp?: number; delivery?: string; signature?: string } = {}) {
  const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = opts.signature ?? `sha256=${await hmacHex(secret, `${ts}.${body}`)}`;
  return SELF.fetch(`http://localhost/hooks/${key}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Hearth-Timestamp': String(ts), 'X-Hearth-Signature': signature, ...(opts.delivery ? { 'X-Hearth-Delivery': opts.delivery } : {}) },
    body,
  });
}

beforeAll(async () => {
  w = await buildWorld('Hook Co');
  source = await json<Source>(
    await api('/hook-sources', {
      as: w.owner,
      body: { name: 'Landing vendor', fieldMapping: { 'person.name': 'contact.name', 'person.email': 'contact.email', 'person.mobile': 'contact.phone' }, ownerRule: { kind: 'fixed', userId: w.repA.me.user.id } },
    }),
    201,
  );
});

afterEach(() => vi.restoreAllMocks());

describe('inbound hooks (POST /hooks/:key)', () => {
  it('shows the signing secret once', async () => {
    expect(source.secret).toMatch(/^whsec_[0-9a-f]{48}$/);
    expect(source.url).toBe(`http://localhost/hooks/${source.key}`);
    const again = await json<Source>(await api(`/hook-sources/${source.id}`, { as: w.owner }), 200);
    expect(again.secret).toBeUndefined();
    await problem(await api('/hook-sources', { as: w.repA, body: { name: 'x', fieldMapping: { e: 'contact.email' } } }), 403);
    const bad = await api('/hook-sources', { as: w.owner, body: { name: 'x', fieldMapping: { e: 'contact.city' } } });
    expect((await problem(bad, 422)).errors?.map((e) => e.field)).toEqual(['fieldMapping']);
  });

  it('accepts a correctly signed lead, maps its fields and processes it like a form', async () => {
    const body = JSON.stringify({ person: { name: 'Hook Person', email: 'HOOK@example.com', mobile: '186 0018 6000' } });
    const res = await signedPost(source.key, source.secret!, body, { delivery: 'dlv-1' });
    const { id, duplicate } = await json<{ id: string; duplicate: boolean }>(res, 202);
    expect(duplicate).toBe(false);
    const row = await vi.waitFor(
      async () => {
        const r = await rawRow<{ status: string; contact_id: string; owner_id: string }>('form_submissions', id);
        expect(r?.status).toBe('processed');
        return r!;
      },
      { timeout: 15_000, interval: 50 },
    );
    expect(row.owner_id).toBe(w.repA.me.user.id);
    expect(await rawRow<{ emails: string; phones: string }>('contacts', row.contact_id)).toMatchObject({ emails: '["hook@example.com"]', phones: '["+8618600186000"]' });
    // The same delivery id again: the same submission, nothing new.
    const again = await json<{ id: string; duplicate: boolean }>(await signedPost(source.key, source.secret!, body, { delivery: 'dlv-1' }), 200);
    expect(again).toMatchObject({ id, duplicate: true });
    expect(await countWhere('form_submissions', 'hook_source_id = ?', source.id)).toBe(1);
  });

  it('a bad signature or a stale timestamp is 401, and nothing is stored', async () => {
    const before = await countWhere('form_submissions', '1=1');
    const body = JSON.stringify({ person: { name: 'Mallory', email: 'mallory@example.com' } });
    await problem(await signedPost(source.key, 'whsec_wrong', body), 401, 'invalid_signature');
    await problem(await signedPost(source.key, source.secret!, body, { signature: 'sha256=00' }), 401, 'invalid_signature');
    await problem(await signedPost(source.key, source.secret!, body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }), 401, 'stale_timestamp');
    await problem(await signedPost(source.key, source.secret!, body, { timestamp: Math.floor(Date.now() / 1000) + 6 * 60 }), 401, 'stale_timestamp');
    const unsigned = await SELF.fetch(`http://localhost/hooks/${source.key}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await problem(unsigned, 401);
    // A signature over another body does not carry over.
    const ts = Math.floor(Date.now() / 1000);
    const other = `sha256=${await hmacHex(source.secret!, `${ts}.{}`)}`;
    await problem(await signedPost(source.key, source.secret!, body, { timestamp: ts, signature: other }), 401);
    await problem(await signedPost('no-such-key', source.secret!, body), 404);
    expect(await countWhere('form_submissions', '1=1')).toBe(before);
  });

  it('names the mapped fields when a lead has no way to reach the person', async () => {
    const body = JSON.stringify({ person: { name: 'No Contact' } });
    const res = await signedPost(source.key, source.secret!, body);
    expect((await problem(res, 422)).errors?.map((e) => e.field).sort()).toEqual(['person.email', 'person.mobile']);
  });

  it('a rotated secret replaces the old one', async () => {
    const rotated = await json<Source>(await api(`/hook-sources/${source.id}/rotate-secret`, { as: w.owner, method: 'POST' }), 200);
    expect(rotated.secret).not.toBe(source.secret);
    const body = JSON.stringify({ person: { name: 'Rot Ated', email: 'rot@example.com' } });
    await problem(await signedPost(source.key, source.secret!, body), 401);
    expect((await signedPost(source.key, rotated.secret!, body)).status).toBe(202);
    source = rotated;
  });
});

describe('outgoing webhooks', () => {
  let sub: Subscription;
  const received: { url: string; headers: Headers; body: string }[] = [];
  let answer = 200;

  function receiver() {
    const real = globalThis.fetch;
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (!url.startsWith('https://receiver.example.com/')) return real(input, init);
      received.push({ url, headers: new Headers(init?.headers), body: String(init?.body) });
      return new Response(answer === 200 ? 'ok' : 'nope', { status: answer });
    });
  }

  beforeAll(async () => {
    sub = await json<Subscription>(await api('/webhooks', { as: w.owner, body: { url: 'https://receiver.example.com/hearth', events: ['contact.created', 'lead.created'] } }), 201);
  });

  it('subscribes a URL, showing its secret once; only admins configure', async () => {
    expect(sub.secret).toMatch(/^whsec_/);
    expect((await json<Subscription>(await api(`/webhooks/${sub.id}`, { as: w.owner }), 200)).secret).toBeUndefined();
    await problem(await api('/webhooks', { as: w.manager, body: { url: 'https://receiver.example.com/x', events: ['lead.created'] } }), 403);
    const bad = await api('/webhooks', { as: w.owner, body: { url: 'ftp://x', events: ['nope'] } });
    expect((await problem(bad, 422)).errors?.map((e) => e.field).sort()).toEqual(['events.0', 'url']);
  });

  it('refuses private and loopback targets unless Hearth itself runs locally', () => {
    expect(() => assertDeliverableUrl('http://127.0.0.1:9000/x', 'https://crm.example.com')).toThrow(/public address/);
    expect(() => assertDeliverableUrl('http://10.1.2.3/x', 'https://crm.example.com')).toThrow(/public address/);
    expect(() => assertDeliverableUrl('http://localhost/x', 'https://crm.example.com')).toThrow(/public address/);
    expect(() => assertDeliverableUrl('https://hooks.example.net/x', 'https://crm.example.com')).not.toThrow();
    expect(() => assertDeliverableUrl('http://127.0.0.1:9000/x', 'http://localhost:8787')).not.toThrow();
  });

  it('delivers a signed event from the queue and logs it', async () => {
    receiver();
    answer = 200;
    const contact = await createContact(w.owner, { name: 'Event Person', emails: ['event@example.com'] });
    const deliveries = await vi.waitFor(
      async () => {
        const page = await json<{ items: Delivery[] }>(await api(`/webhooks/${sub.id}/deliveries`, { as: w.owner }), 200);
        const mine = page.items.filter((d) => d.event === 'contact.created' && (d.payload.data.contact as { id: string }).id === contact.id);
        expect(mine[0]?.status).toBe('delivered');
        return mine;
      },
      { timeout: 15_000, interval: 50 },
    );
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ responseStatus: 200, attempts: 1 });
    const req = received.find((r) => r.body.includes(contact.id))!;
    const ts = req.headers.get('x-hearth-timestamp')!;
    expect(req.headers.get('x-hearth-event')).toBe('contact.created');
    expect(req.headers.get('x-hearth-delivery')).toBe(deliveries[0].id);
    expect(req.headers.get('x-hearth-signature')).toBe(`sha256=${await hmacHex(sub.secret!, `${ts}.${req.body}`)}`);
  });

  it('retries a failing receiver with backoff, marks it failed after the last attempt, and replays it', async () => {
    receiver();
    answer = 500;
    await createContact(w.owner, { name: 'Failing Person', emails: ['failing@example.com'] });
    const pending = await vi.waitFor(
      async () => {
        const page = await json<{ items: Delivery[] }>(await api(`/webhooks/${sub.id}/deliveries`, { as: w.owner }), 200);
        const d = page.items.find((x) => JSON.stringify(x.payload).includes('failing@example.com'));
        expect(d?.attempts).toBeGreaterThanOrEqual(1);
        return d!;
      },
      { timeout: 15_000, interval: 50 },
    );
    expect(pending).toMatchObject({ status: 'pending', responseStatus: 500 });
    // The queue's last attempt gives up: the delivery is failed and waits in the log.
    const message: JobMessage = { type: 'webhook.deliver', key: pending.id, payload: { deliveryId: pending.id } };
    const batch = createMessageBatch<JobMessage>('hearth-jobs', [{ id: 'last', timestamp: new Date(), attempts: 5, body: message }]);
    const ctx = createExecutionContext();
    await handleQueue(batch, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['last']);
    expect(await rawRow<{ status: string }>('webhook_deliveries', pending.id)).toMatchObject({ status: 'failed' });
    answer = 200;
    await problem(await api(`/webhooks/deliveries/${pending.id}/replay`, { as: w.repA, method: 'POST' }), 403);
    expect(await json<Delivery>(await api(`/webhooks/deliveries/${pending.id}/replay`, { as: w.owner, method: 'POST' }), 202)).toMatchObject({ status: 'pending' });
    await vi.waitFor(async () => expect(await rawRow<{ status: string }>('webhook_deliveries', pending.id)).toMatchObject({ status: 'delivered' }), { timeout: 15_000, interval: 50 });
  });

  it('the cron sweep re-sends a delivery whose queue message was lost', async () => {
    receiver();
    answer = 200;
    const old = new Date(Date.now() - 20 * 60_000).toISOString();
    await env.DB.prepare(
      `insert into webhook_deliveries (id, workspace_id, subscription_id, event, event_key, payload, status, attempts, created_at, updated_at) values ('whd_LOST', ?, ?, 'lead.created', 'lost-1', '{"event":"lead.created","data":{}}', 'pending', 0, ?, ?)`,
    )
      .bind(w.owner.me.workspace.id, sub.id, old, old)
      .run();
    const { sweepPendingDeliveries } = await import('../../worker/modules/webhooks/webhooks.events');
    const { getDb } = await import('../../worker/db/client');
    expect(await sweepPendingDeliveries({ db: await getDb(env), env, now: new Date() })).toBeGreaterThanOrEqual(1);
    await vi.waitFor(async () => expect(await rawRow<{ status: string }>('webhook_deliveries', 'whd_LOST')).toMatchObject({ status: 'delivered' }), { timeout: 15_000, interval: 50 });
  });

  it('bulk edits send contact.updated for each customer they changed, as single edits do; archiving sends none', async () => {
    receiver();
    const watcher = await json<Subscription>(await api('/webhooks', { as: w.owner, body: { url: 'https://receiver.example.com/updates', events: ['contact.updated'] } }), 201);
    const a = await createContact(w.owner, { name: 'Bulk Webhook A', emails: ['bulk.a@example.com'] });
    const b = await createContact(w.owner, { name: 'Bulk Webhook B', emails: ['bulk.b@example.com'] });
    const tag = await json<{ id: string; name: string }>(await api('/tags', { as: w.owner, body: { name: 'bulk-webhook' } }), 201);
    expect(await json(await api('/contacts/bulk', { as: w.owner, body: { action: 'tag', ids: [a.id, b.id], tagIds: [tag.id] } }), 200)).toMatchObject({ updated: 2 });
    const sent = await env.DB.prepare("select event_key, payload from webhook_deliveries where subscription_id = ? order by event_key").bind(watcher.id).all<{ event_key: string; payload: string }>();
    expect(sent.results.map((r) => r.event_key)).toEqual([`contact.updated:${a.id}:2`, `contact.updated:${b.id}:2`].sort());
    for (const r of sent.results) expect((JSON.parse(r.payload) as { data: { contact: { tags: { id: string }[] } } }).data.contact.tags.map((t) => t.id)).toEqual([tag.id]);
    await json(await api('/contacts/bulk', { as: w.owner, body: { action: 'archive', ids: [a.id] } }), 200);
    expect(await countWhere('webhook_deliveries', 'subscription_id = ?', watcher.id)).toBe(2);
  });

  it('emitting the same event twice makes one delivery', async () => {
    const { emitEvent } = await import('../../worker/modules/webhooks/webhooks.events');
    const { getDb } = await import('../../worker/db/client');
    const deps = { db: await getDb(env), env, now: () => new Date() };
    receiver();
    expect(await emitEvent(deps, w.owner.me.workspace.id, 'lead.created', { lead: { id: 'lead_x' } }, 'lead.created:lead_x')).toBe(1);
    expect(await emitEvent(deps, w.owner.me.workspace.id, 'lead.created', { lead: { id: 'lead_x' } }, 'lead.created:lead_x')).toBe(0);
    expect(await countWhere('webhook_deliveries', "event_key = 'lead.created:lead_x'")).toBe(1);
    // Events nobody subscribed to make no delivery.
    expect(await emitEvent(deps, w.owner.me.workspace.id, 'deal.won', {}, 'deal.won:x')).toBe(0);
  });
});
