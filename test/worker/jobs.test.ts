import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  env,
  getQueueResult,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Env, JobMessage } from '../../worker/env';
import entry from '../../worker/index';
import { api, invite, lastEmailTo, signup, type Session } from './helpers';

// The Worker as the runtime sees it: every handler takes (event, env, ctx).
const worker = entry as Required<Pick<ExportedHandler<Env, JobMessage>, 'queue' | 'scheduled'>>;

type OutboxRow = { id: string; status: string; attempts: number; error: string | null; sent_at: string | null };

let owner: Session;
beforeAll(async () => {
  owner = await signup({ workspaceName: 'Queue & Cron Co', locale: 'en' });
});

let messageSeq = 0;
function message(body: JobMessage, attempts = 1) {
  messageSeq += 1;
  return { id: `msg-${messageSeq}`, timestamp: new Date(), attempts, body };
}

async function runQueue(messages: ReturnType<typeof message>[], queueEnv: Env = env) {
  const batch = createMessageBatch<JobMessage>('hearth-jobs', messages);
  const ctx = createExecutionContext();
  await worker.queue(batch, queueEnv, ctx);
  return getQueueResult(batch, ctx);
}

const deliver = (id: string): JobMessage => ({ type: 'mail.deliver', key: id, payload: { id } });
const outboxRow = (id: string) => env.DB.prepare('select id, status, attempts, error, sent_at from outbox where id = ?').bind(id).first<OutboxRow>();

/** A message waiting for delivery, as a real transport would leave it in the outbox. */
async function queuedMessage(): Promise<string> {
  const id = `msg_test_${crypto.randomUUID().slice(0, 8)}`;
  await env.DB.prepare(
    "insert into outbox (id, workspace_id, kind, to_address, subject, text_body, status, transport, attempts, created_at) values (?, ?, 'test', 'someone@example.com', 'Hello', 'Body text', 'queued', 'cloudflare', 0, ?)",
  )
    .bind(id, owner.me.workspace.id, new Date().toISOString())
    .run();
  return id;
}

/** The Cloudflare transport with a send_email binding that records what it is handed. */
function cloudflareEnv(send: (message: unknown) => Promise<void>): Env {
  return { ...env, MAIL_TRANSPORT: 'cloudflare', EMAIL: { send } as unknown as SendEmail };
}

describe('queue consumer', () => {
  it('acks a job of an unknown type instead of retrying it forever', async () => {
    const m = message({ type: 'no.such.job', key: 'k1', payload: {} });
    const result = await runQueue([m]);
    expect(result.explicitAcks).toEqual([m.id]);
    expect(result.retryMessages).toEqual([]);
  });

  it('with MAIL_TRANSPORT "outbox", delivering a kept message sends nothing and changes nothing, however often', async () => {
    const { email } = await invite(owner, 'rep');
    const kept = await lastEmailTo(owner, email, 'invitation');
    expect(kept).toMatchObject({ status: 'kept', transport: 'outbox' });
    const before = await outboxRow(kept.id);
    const first = message(deliver(kept.id));
    const again = message(deliver(kept.id));
    const result = await runQueue([first, again]);
    expect(result.explicitAcks).toEqual([first.id, again.id]);
    expect(await outboxRow(kept.id)).toEqual(before);
  });

  it('acks a delivery for a message that does not exist', async () => {
    const m = message(deliver('msg_gone'));
    expect((await runQueue([m])).explicitAcks).toEqual([m.id]);
  });

  it('a redelivered message is sent once', async () => {
    const id = await queuedMessage();
    const sent: unknown[] = [];
    const cfEnv = cloudflareEnv(async (m) => {
      sent.push(m);
    });
    const first = await runQueue([message(deliver(id))], cfEnv);
    const redelivered = await runQueue([message(deliver(id), 2)], cfEnv);
    expect(first.explicitAcks).toHaveLength(1);
    expect(redelivered.explicitAcks).toHaveLength(1);
    expect(sent).toHaveLength(1);
    expect(await outboxRow(id)).toMatchObject({ status: 'sent', attempts: 1, error: null });
    expect((await outboxRow(id))!.sent_at).not.toBeNull();
  });

  it('a failing transport is retried, and marked failed on the last attempt', async () => {
    const id = await queuedMessage();
    const failing = cloudflareEnv(async () => {
      throw new Error('mail relay unavailable');
    });
    const m = message(deliver(id), 1);
    const result = await runQueue([m], failing);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((r) => r.msgId)).toEqual([m.id]);
    expect(await outboxRow(id)).toMatchObject({ status: 'queued', attempts: 1, error: 'mail relay unavailable' });

    const last = message(deliver(id), 5);
    const lastResult = await runQueue([last], failing);
    expect(lastResult.retryMessages.map((r) => r.msgId)).toEqual([last.id]);
    expect(await outboxRow(id)).toMatchObject({ status: 'failed', attempts: 2 });

    // A failed message is not sent by a later redelivery either.
    const sent: unknown[] = [];
    await runQueue([message(deliver(id), 6)], cloudflareEnv(async (x) => void sent.push(x)));
    expect(sent).toEqual([]);
  });

  it('one failing message does not hold back the others in its batch', async () => {
    const good = await queuedMessage();
    const bad = await queuedMessage();
    await env.DB.prepare("update outbox set to_address = 'bounce@example.com' where id = ?").bind(bad).run();
    const byRecipient = cloudflareEnv(async (m) => {
      if ((m as { to?: string }).to === 'bounce@example.com') throw new Error('rejected');
    });
    const ok = message(deliver(good));
    const ko = message(deliver(bad));
    const result = await runQueue([ko, ok], byRecipient);
    expect(result.explicitAcks).toEqual([ok.id]);
    expect(result.retryMessages.map((r) => r.msgId)).toEqual([ko.id]);
    expect((await outboxRow(good))!.status).toBe('sent');
    expect((await outboxRow(bad))!.status).toBe('queued');
  });
});

describe('cron', () => {
  async function runCron(cron: string, scheduledTime = new Date()) {
    const controller = createScheduledController({ cron, scheduledTime });
    const ctx = createExecutionContext();
    await worker.scheduled(controller, env, ctx);
    await waitOnExecutionContext(ctx);
  }

  it('the nightly run purges expired sessions and keeps live ones', async () => {
    const past = new Date(Date.now() - 86400_000).toISOString();
    await env.DB.prepare(
      'insert into sessions (id, user_id, workspace_id, expires_at, ip, user_agent, created_at, last_seen_at) values (?, ?, ?, ?, null, null, ?, ?)',
    )
      .bind('expired-session-hash', owner.me.user.id, owner.me.workspace.id, past, past, past)
      .run();
    const countSessions = async () => (await env.DB.prepare('select count(*) as n from sessions where user_id = ?').bind(owner.me.user.id).first<{ n: number }>())!.n;
    expect(await countSessions()).toBe(2);

    await runCron('0 3 * * *');

    expect(await env.DB.prepare("select id from sessions where id = 'expired-session-hash'").first()).toBeNull();
    expect(await countSessions()).toBe(1);
    expect((await api('/me', { as: owner })).status).toBe(200);
  });

  it('the nightly run drops spent link tokens and day-old idempotency keys, nothing newer', async () => {
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    await env.DB.batch([
      env.DB.prepare('insert into used_tokens (jti, expires_at) values (?, ?), (?, ?)').bind('old-jti', iso(now - 1000), 'live-jti', iso(now + 3600_000)),
      env.DB.prepare("insert into idempotency_keys (workspace_id, key, request_hash, status, body, created_at) values (?, 'old-key', 'h', 201, '{}', ?), (?, 'new-key', 'h', 201, '{}', ?)").bind(
        owner.me.workspace.id,
        iso(now - 2 * 86400_000),
        owner.me.workspace.id,
        iso(now - 60_000),
      ),
    ]);
    await runCron('0 3 * * *');
    const jtis = (await env.DB.prepare('select jti from used_tokens order by jti').all<{ jti: string }>()).results.map((r) => r.jti);
    expect(jtis).toContain('live-jti');
    expect(jtis).not.toContain('old-jti');
    const keys = (await env.DB.prepare('select key from idempotency_keys').all<{ key: string }>()).results.map((r) => r.key);
    expect(keys).toContain('new-key');
    expect(keys).not.toContain('old-key');
  });

  it('the hourly run drops expired rate-limit windows', async () => {
    const nowSec = Math.floor(Date.now() / 1000);
    await env.DB.prepare("insert into rate_limits (key, count, reset_at) values ('login:acct:old@example.com', 5, ?), ('login:acct:new@example.com', 5, ?)").bind(nowSec - 10, nowSec + 600).run();
    await runCron('0 * * * *');
    const keys = (await env.DB.prepare('select key from rate_limits').all<{ key: string }>()).results.map((r) => r.key);
    expect(keys).toContain('login:acct:new@example.com');
    expect(keys).not.toContain('login:acct:old@example.com');
  });

  it('an unknown schedule does nothing and does not throw', async () => {
    await runCron('15 4 * * 2');
    expect((await api('/health')).status).toBe(200);
  });
});
