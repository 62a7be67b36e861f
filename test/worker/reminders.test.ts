import { createExecutionContext, createMessageBatch, createScheduledController, env, getQueueResult } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Env, JobMessage } from '../../worker/env';
import { getDb } from '../../worker/db/client';
import { handleScheduled } from '../../worker/jobs/cron';
import { reminderJobHandlers } from '../../worker/modules/reminders/delivery';
import { notify } from '../../worker/modules/notifications/notifications.service';
import entry from '../../worker/index';
import { api, json, problem, signup, userWithRole, type Session } from './helpers';

const worker = entry as Required<Pick<ExportedHandler<Env, JobMessage>, 'queue' | 'scheduled'>>;
const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * The Worker's own cron handler and queue consumer, with the queue in between made visible: what
 * the cron enqueues is captured, then handed to the consumer as the runtime would (possibly twice).
 */
const enqueued: JobMessage[] = [];
const queueEnv: Env = {
  ...env,
  JOBS: {
    send: async (body: JobMessage) => void enqueued.push(body),
    sendBatch: async (messages: { body: JobMessage }[]) => void enqueued.push(...messages.map((m) => m.body)),
  } as unknown as Env['JOBS'],
};

async function tick(at: Date): Promise<JobMessage[]> {
  await handleScheduled(createScheduledController({ cron: '* * * * *', scheduledTime: at }), queueEnv);
  return enqueued.splice(0);
}

let seq = 0;
async function consume(jobs: JobMessage[], attempts = 1) {
  const batch = createMessageBatch<JobMessage>(
    'hearth-jobs',
    jobs.map((body) => ({ id: `m${++seq}`, timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, queueEnv, ctx);
  return getQueueResult(batch, ctx);
}

const count = async (sqlText: string, ...binds: unknown[]) => (await env.DB.prepare(sqlText).bind(...binds).first<{ n: number }>())!.n;
const bellFor = (userId: string, recordId: string) => count('select count(*) as n from notifications where user_id = ? and record_id = ?', userId, recordId);
const emailsTo = (to: string, subjectLike: string) => count("select count(*) as n from outbox where to_address = ? and subject like ?", to, `%${subjectLike}%`);

type Task = { id: string; version: number; title: string };
const createTask = async (as: Session, body: Record<string, unknown>) => json<Task>(await api('/tasks', { as, body }), 201);

let owner: Session;
let rep: Session;
beforeAll(async () => {
  owner = await signup({ workspaceName: 'Reminder Works', locale: 'en' });
  rep = await userWithRole(owner, 'rep', { name: 'Rita Rep' });
});

describe('a due reminder is delivered exactly once', () => {
  it('even when two cron ticks overlap and the queue redelivers the message', async () => {
    const now = Date.now();
    const task = await createTask(rep, { title: 'Call Zhang about the quote', type: 'call', dueAt: new Date(now + 30 * MIN).toISOString(), reminderOffsets: [15] });
    const at = new Date(now + 16 * MIN);
    const [a, b] = await Promise.all([tick(at), tick(at)]);
    const jobs = [...a, ...b].filter((j) => j.type === 'reminder.deliver');
    // Two overlapping ticks claim the reminder once between them.
    expect(jobs).toHaveLength(1);
    // At-least-once delivery: the same message arrives twice, and again later.
    const first = await consume([jobs[0], jobs[0]]);
    expect(first.retryMessages).toEqual([]);
    await consume([jobs[0]], 2);
    expect(await bellFor(rep.me.user.id, task.id)).toBe(1);
    expect(await emailsTo(rep.me.user.email, 'Call Zhang about the quote')).toBe(1);
    // The next tick finds nothing new.
    expect((await tick(new Date(now + 17 * MIN))).filter((j) => j.type === 'reminder.deliver')).toEqual([]);
    expect(await bellFor(rep.me.user.id, task.id)).toBe(1);
  });

  it('is not delivered for a task completed before it fired', async () => {
    const now = Date.now();
    const task = await createTask(rep, { title: 'Done early', dueAt: new Date(now + 40 * MIN).toISOString(), reminderOffsets: [0] });
    await json(await api(`/tasks/${task.id}/complete`, { as: rep, body: { outcome: 'Sorted by phone' } }), 200);
    await consume(await tick(new Date(now + 41 * MIN)));
    expect(await bellFor(rep.me.user.id, task.id)).toBe(0);
  });
});

describe('language and zone of the recipient', () => {
  it('a Chinese-speaking user in Shanghai gets the reminder in Chinese with the local time', async () => {
    const user = await userWithRole(owner, 'rep', { name: '李雷' });
    await env.DB.prepare("update users set locale = 'zh-CN', timezone = 'Asia/Shanghai' where id = ?").bind(user.me.user.id).run();
    const task = await createTask(user, { title: '给王总打电话', type: 'call', dueAt: '2027-06-01T02:30:00.000Z', reminderOffsets: [0] });
    await consume((await tick(new Date('2027-06-01T02:30:30.000Z'))).filter((j) => j.type === 'reminder.deliver' && j.payload.id));
    const bell = await env.DB.prepare('select title, body from notifications where record_id = ?').bind(task.id).first<{ title: string; body: string }>();
    expect(bell!.title).toBe('提醒：给王总打电话');
    expect(bell!.body).toMatch(/10:30/); // 02:30 UTC is 10:30 in Shanghai
    const mail = await env.DB.prepare('select subject, text_body from outbox where to_address = ? order by created_at desc').bind(user.me.user.email).first<{ subject: string; text_body: string }>();
    expect(mail!.subject).toBe('提醒：给王总打电话');
    expect(mail!.text_body).toContain('李雷，您好');
  });
});

describe('catch-up after downtime', () => {
  it('after a 3-hour gap, every reminder due in it is delivered once, late', async () => {
    const now = Date.now();
    await tick(new Date(now)); // the last tick before the outage
    const tasks = await Promise.all(
      [10, 70, 150].map((m, i) => createTask(rep, { title: `Gap task ${i}`, dueAt: new Date(now + m * MIN).toISOString(), reminderOffsets: [0] })),
    );
    const jobs = await tick(new Date(now + 3 * HOUR)); // the first tick after it
    const delivering = jobs.filter((j) => j.type === 'reminder.deliver');
    expect(delivering).toHaveLength(3);
    await consume(delivering);
    await consume(delivering, 2); // redelivered after a crash: still once
    for (const t of tasks) {
      expect(await bellFor(rep.me.user.id, t.id)).toBe(1);
      expect(await emailsTo(rep.me.user.email, t.title)).toBe(1);
    }
    expect((await tick(new Date(now + 3 * HOUR + MIN))).filter((j) => j.type === 'reminder.deliver')).toEqual([]);
  });

  it('folds reminders more than a day late into one "missed while offline" digest', async () => {
    const now = Date.now();
    const late = await Promise.all(
      [20, 50].map((m, i) => createTask(rep, { title: `Stale task ${i}`, dueAt: new Date(now + m * MIN).toISOString(), reminderOffsets: [0] })),
    );
    const jobs = await tick(new Date(now + 27 * HOUR));
    expect(jobs.filter((j) => j.type === 'reminder.deliver')).toEqual([]);
    const missed = jobs.filter((j) => j.type === 'reminder.missed');
    expect(missed).toHaveLength(1);
    await consume([...missed, ...missed]);
    expect(await count("select count(*) as n from notifications where user_id = ? and kind = 'reminder.missed'", rep.me.user.id)).toBe(1);
    expect(await emailsTo(rep.me.user.email, 'missed while Hearth was offline')).toBe(1);
    const digest = await env.DB.prepare("select text_body from outbox where to_address = ? and subject like '%missed%'").bind(rep.me.user.email).first<{ text_body: string }>();
    for (const t of late) {
      expect(digest!.text_body).toContain(t.title);
      expect(await bellFor(rep.me.user.id, t.id)).toBe(0);
    }
  });
});

describe('time zones and DST', () => {
  const fireTimes = async (taskId: string) =>
    (await env.DB.prepare("select fire_at from reminders where record_id = ? and status = 'pending' order by fire_at").bind(taskId).all<{ fire_at: string }>()).results.map((r) => r.fire_at);

  it('Europe/Berlin: all-day reminders stay at 09:00 local across the spring change; a weekly 09:00 task keeps 09:00', async () => {
    // DST starts in Berlin on Sunday 28 March 2027 (CET +1 → CEST +2).
    const allDay = await createTask(rep, { title: 'Renewal talk', dueDate: '2027-03-28', timezone: 'Europe/Berlin', reminderOffsets: [0, 1440] });
    expect(await fireTimes(allDay.id)).toEqual(['2027-03-27T08:00:00.000Z', '2027-03-28T07:00:00.000Z']);
    const weekly = await createTask(rep, { title: 'Weekly check-in', dueAt: '2027-03-22T08:00:00.000Z', timezone: 'Europe/Berlin', recurrence: 'FREQ=WEEKLY', reminderOffsets: [15] });
    const done = await json<{ next: { dueAt: string; occurrence: number } }>(await api(`/tasks/${weekly.id}/complete`, { as: rep, body: {} }), 200);
    expect(done.next).toMatchObject({ dueAt: '2027-03-29T07:00:00.000Z', occurrence: 2 });
    const next = done.next as unknown as { id: string };
    expect(await fireTimes(next.id)).toEqual(['2027-03-29T06:45:00.000Z']);
    // The reminder fires at its instant and says 09:00 in the user's zone.
    await json(await api('/me/reminder-preferences', { as: rep, method: 'PUT', body: { emailMode: 'each' } }), 200);
    await env.DB.prepare("update users set timezone = 'Europe/Berlin', locale = 'en' where id = ?").bind(rep.me.user.id).run();
    await consume((await tick(new Date('2027-03-29T06:45:30.000Z'))).filter((j) => j.type === 'reminder.deliver'));
    const mail = await env.DB.prepare("select text_body from outbox where to_address = ? and subject like '%Weekly check-in%'").bind(rep.me.user.email).first<{ text_body: string }>();
    expect(mail!.text_body).toMatch(/9:00/);
    await env.DB.prepare('update users set timezone = null where id = ?').bind(rep.me.user.id).run();
  });

  it('Asia/Shanghai (no DST): the same series and reminders keep the same UTC time', async () => {
    const allDay = await createTask(rep, { title: 'Shanghai renewal', dueDate: '2027-03-28', timezone: 'Asia/Shanghai', reminderOffsets: [0, 1440] });
    expect(await fireTimes(allDay.id)).toEqual(['2027-03-27T01:00:00.000Z', '2027-03-28T01:00:00.000Z']);
    const weekly = await createTask(rep, { title: 'Shanghai weekly', dueAt: '2027-03-22T01:00:00.000Z', timezone: 'Asia/Shanghai', recurrence: 'FREQ=WEEKLY', reminderOffsets: [15] });
    const done = await json<{ next: { id: string; dueAt: string } }>(await api(`/tasks/${weekly.id}/complete`, { as: rep, body: {} }), 200);
    expect(done.next.dueAt).toBe('2027-03-29T01:00:00.000Z');
    expect(await fireTimes(done.next.id)).toEqual(['2027-03-29T00:45:00.000Z']);
  });

  it('Europe/Berlin autumn change: a daily 08:30 task stays at 08:30 local', async () => {
    // DST ends on Sunday 31 October 2027 (CEST +2 → CET +1).
    const daily = await createTask(rep, { title: 'Morning stand-up', dueAt: '2027-10-30T06:30:00.000Z', timezone: 'Europe/Berlin', recurrence: 'FREQ=DAILY;COUNT=2' });
    const done = await json<{ next: { id: string; dueAt: string } }>(await api(`/tasks/${daily.id}/complete`, { as: rep, body: {} }), 200);
    expect(done.next.dueAt).toBe('2027-10-31T07:30:00.000Z');
    const last = await json<{ next: null }>(await api(`/tasks/${done.next.id}/complete`, { as: rep, body: {} }), 200);
    expect(last.next).toBeNull(); // COUNT=2 ends the series
  });
});

describe('preferences: quiet hours and the daily digest', () => {
  it('quiet hours put the bell up at once and hold the email until they end', async () => {
    const user = await userWithRole(owner, 'rep', { name: 'Quinn Quiet' });
    await env.DB.prepare("update users set timezone = 'Asia/Shanghai' where id = ?").bind(user.me.user.id).run();
    // Quiet from the start of this hour for two hours: "now" is quiet.
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date());
    const [h] = local.split(':').map(Number);
    const start = `${String(h).padStart(2, '0')}:00`;
    const end = `${String((h + 2) % 24).padStart(2, '0')}:00`;
    const prefs = await json(await api('/me/reminder-preferences', { as: user, method: 'PUT', body: { quietStart: start, quietEnd: end } }), 200);
    expect(prefs).toMatchObject({ emailMode: 'each', quietStart: start, quietEnd: end, effectiveTimezone: 'Asia/Shanghai' });
    const now = Date.now();
    const task = await createTask(user, { title: 'Quiet call', dueAt: new Date(now + MIN).toISOString(), reminderOffsets: [0] });
    await consume((await tick(new Date(now + 2 * MIN))).filter((j) => j.type === 'reminder.deliver'));
    expect(await bellFor(user.me.user.id, task.id)).toBe(1);
    expect(await emailsTo(user.me.user.email, 'Quiet call')).toBe(0);
    // Nothing is due while they last.
    expect((await tick(new Date(now + 3 * MIN))).filter((j) => j.type === 'reminder.email')).toEqual([]);
    // After they end, the tick hands the email to the queue; the consumer (running then) sends it once.
    const after = new Date(now + 2 * HOUR + 5 * MIN);
    const jobs = (await tick(after)).filter((j) => j.type === 'reminder.email');
    expect(jobs).toHaveLength(1);
    const db = await getDb(env);
    for (const job of [...jobs, ...jobs]) await reminderJobHandlers[job.type](job, { db, env: queueEnv, now: () => after, isLastAttempt: false });
    expect(await emailsTo(user.me.user.email, 'Quiet call')).toBe(1);
  });

  it('digest mode collects reminders into one email at the chosen hour', async () => {
    const user = await userWithRole(owner, 'rep', { name: 'Dana Digest' });
    const now = Date.now();
    const zoneHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', hourCycle: 'h23' }).format(new Date(now + 30 * MIN)));
    await json(await api('/me/reminder-preferences', { as: user, method: 'PUT', body: { emailMode: 'digest', digestHour: zoneHour } }), 200);
    const tasks = await Promise.all([1, 2].map((i) => createTask(user, { title: `Digest item ${i}`, dueAt: new Date(now + i * MIN).toISOString(), reminderOffsets: [0] })));
    await consume((await tick(new Date(now + 3 * MIN))).filter((j) => j.type === 'reminder.deliver'));
    for (const t of tasks) {
      expect(await bellFor(user.me.user.id, t.id)).toBe(1);
      expect(await emailsTo(user.me.user.email, t.title)).toBe(0);
    }
    const digestJobs = (await tick(new Date(now + 30 * MIN))).filter((j) => j.type === 'reminder.digest' && j.payload.userId === user.me.user.id);
    expect(digestJobs).toHaveLength(1);
    await consume([...digestJobs, ...digestJobs]);
    expect(await emailsTo(user.me.user.email, 'Your reminders: 2')).toBe(1);
    expect((await tick(new Date(now + 31 * MIN))).filter((j) => j.type === 'reminder.digest' && j.payload.userId === user.me.user.id)).toEqual([]);
  });

  it("other modules' notify(email) follow the preferences too: off, quiet hours, digest", async () => {
    const user = await userWithRole(owner, 'rep', { name: 'Nora Notified' });
    const db = await getDb(env);
    const now = new Date();
    const send = (key: string, at = now) =>
      notify({ db, env: queueEnv, now: () => at }, { workspaceId: owner.me.workspace.id, userId: user.me.user.id, kind: 'deal.assigned', key, link: '/pipeline/d1', message: () => ({ title: `Deal for you ${key}` }), email: true });
    // Off: the bell only.
    await json(await api('/me/reminder-preferences', { as: user, method: 'PUT', body: { emailMode: 'off' } }), 200);
    await send('n-off');
    expect(await emailsTo(user.me.user.email, 'Deal for you n-off')).toBe(0);
    // Quiet hours: held, then sent once when they end, even if notify() is called again.
    const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', hourCycle: 'h23' }).format(now));
    await json(await api('/me/reminder-preferences', { as: user, method: 'PUT', body: { emailMode: 'each', quietStart: `${String(hour).padStart(2, '0')}:00`, quietEnd: `${String((hour + 2) % 24).padStart(2, '0')}:00` } }), 200);
    await send('n-quiet');
    expect(await emailsTo(user.me.user.email, 'Deal for you n-quiet')).toBe(0);
    const later = new Date(now.getTime() + 2 * HOUR + 5 * MIN);
    await send('n-quiet', later);
    const jobs = (await tick(later)).filter((j) => j.type === 'reminder.email');
    for (const job of [...jobs, ...jobs]) await reminderJobHandlers[job.type](job, { db, env: queueEnv, now: () => later, isLastAttempt: false });
    expect(await emailsTo(user.me.user.email, 'Deal for you n-quiet')).toBe(1);
    // Digest: collected, then one digest email lists it.
    await json(await api('/me/reminder-preferences', { as: user, method: 'PUT', body: { emailMode: 'digest', digestHour: 0, quietStart: null, quietEnd: null } }), 200);
    await send('n-digest');
    expect(await emailsTo(user.me.user.email, 'Deal for you n-digest')).toBe(0);
    const digestJobs = (await tick(new Date(now.getTime() + MIN))).filter((j) => j.type === 'reminder.digest' && j.payload.userId === user.me.user.id);
    await consume(digestJobs);
    const digest = await env.DB.prepare("select text_body from outbox where to_address = ? and subject like 'Your reminders%'").bind(user.me.user.email).first<{ text_body: string }>();
    expect(digest!.text_body).toContain('Deal for you n-digest');
    // Every call made its bell entry, whatever happened to the email.
    expect(await count('select count(*) as n from notifications where user_id = ?', user.me.user.id)).toBe(3);
  });

  it('names the field of a bad preference and changes nothing', async () => {
    const before = await json(await api('/me/reminder-preferences', { as: rep }), 200);
    const p = await problem(await api('/me/reminder-preferences', { as: rep, method: 'PUT', body: { emailMode: 'sometimes', quietStart: '25:00' } }), 422);
    expect(p.errors!.map((e) => e.field).sort()).toEqual(['emailMode', 'quietStart']);
    expect(await json(await api('/me/reminder-preferences', { as: rep }), 200)).toEqual(before);
  });
});

describe('dead letters', () => {
  it('a send that keeps failing lands in the dead-letter list after its last attempt; an admin retries it', async () => {
    const failing = { id: 'rem_missing_user', ws: owner.me.workspace.id };
    // A reminder for a record type the consumer cannot read: the database refuses it every time.
    await env.DB.prepare(
      "insert into reminders (id, workspace_id, user_id, kind, record_type, record_id, fire_at, delivery_key, data, status, attempts, email_status, created_at) values (?, ?, ?, 'no_contact', 'contact', 'c1', ?, 'dlq-test', '{}', 'queued', 0, 'none', ?)",
    )
      .bind(failing.id, failing.ws, rep.me.user.id, new Date().toISOString(), new Date().toISOString())
      .run();
    const job: JobMessage = { type: 'reminder.deliver', key: failing.id, payload: { id: failing.id } };
    const broken: Env = { ...queueEnv, APP_URL: undefined };
    // Make delivery fail: the notifications table refuses the insert while the trigger exists.
    await env.DB.prepare("create trigger if not exists fail_notify before insert on notifications when new.dedupe_key = 'dlq-test' begin select raise(abort, 'mail server down'); end").run();
    const early = createMessageBatch<JobMessage>('hearth-jobs', [{ id: 'dl1', timestamp: new Date(), attempts: 1, body: job }]);
    const ctx1 = createExecutionContext();
    await worker.queue(early, broken, ctx1);
    expect((await getQueueResult(early, ctx1)).retryMessages).toHaveLength(1);
    const last = await consume([job], 5);
    expect(last.retryMessages).toEqual([]);
    const list = await json<{ items: { id: string; jobType: string; error: string; attempts: number }[] }>(await api('/dead-letters', { as: owner }), 200);
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ jobType: 'reminder.deliver', attempts: 5 });
    expect(list.items[0].error).toMatch(/mail server down/);
    await problem(await api('/dead-letters', { as: rep }), 403);
    await env.DB.prepare('drop trigger fail_notify').run();
    const retried = await json<{ retriedAt: string }>(await api(`/dead-letters/${list.items[0].id}/retry`, { as: owner, method: 'POST' }), 202);
    expect(retried.retriedAt).toBeTruthy();
    expect((await env.DB.prepare('select status from reminders where id = ?').bind(failing.id).first<{ status: string }>())!.status).toBe('queued');
  });

  it('an email the mail provider keeps refusing is listed after its last attempt; retry queues it again', async () => {
    const id = `msg_dlq_${crypto.randomUUID().slice(0, 8)}`;
    await env.DB.prepare(
      "insert into outbox (id, workspace_id, kind, to_address, subject, text_body, status, transport, attempts, created_at) values (?, ?, 'reminder.task', 'someone@example.com', 'Reminder', 'Body', 'queued', 'resend', 0, ?)",
    )
      .bind(id, owner.me.workspace.id, new Date().toISOString())
      .run();
    // The HTTP provider without its key: every send fails.
    const noKey: Env = { ...queueEnv, MAIL_TRANSPORT: 'resend', MAIL_API_KEY: undefined };
    const job: JobMessage = { type: 'mail.deliver', key: id, payload: { id } };
    for (const attempts of [1, 5]) {
      const batch = createMessageBatch<JobMessage>('hearth-jobs', [{ id: `mail-${attempts}`, timestamp: new Date(), attempts, body: job }]);
      const ctx = createExecutionContext();
      await worker.queue(batch, noKey, ctx);
      await getQueueResult(batch, ctx);
    }
    const list = await json<{ items: { id: string; jobType: string; jobKey: string; error: string }[] }>(await api('/dead-letters', { as: owner }), 200);
    const dead = list.items.find((d) => d.jobKey === id)!;
    expect(dead).toMatchObject({ jobType: 'mail.deliver' });
    expect(dead.error).toMatch(/MAIL_API_KEY/);
    expect((await env.DB.prepare('select status from outbox where id = ?').bind(id).first<{ status: string }>())!.status).toBe('failed');
    // Another workspace's admin does not see it.
    const other = await signup({ workspaceName: 'Elsewhere' });
    expect((await json<{ items: unknown[] }>(await api('/dead-letters', { as: other }), 200)).items).toEqual([]);
    await problem(await api(`/dead-letters/${dead.id}/retry`, { as: other, method: 'POST' }), 404);
    await json(await api(`/dead-letters/${dead.id}/retry`, { as: owner, method: 'POST' }), 202);
    expect((await env.DB.prepare('select status from outbox where id = ?').bind(id).first<{ status: string }>())!.status).not.toBe('failed');
  });
});
