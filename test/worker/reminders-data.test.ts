import { createExecutionContext, createMessageBatch, createScheduledController, env, getQueueResult } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Env, JobMessage } from '../../worker/env';
import { handleScheduled } from '../../worker/jobs/cron';
import entry from '../../worker/index';
import { api, json, problem } from './helpers';
import { buildWorld, createContact, type World } from './customers-world';
import { createDeal } from './deals-helpers';

const worker = entry as Required<Pick<ExportedHandler<Env, JobMessage>, 'queue' | 'scheduled'>>;
const DAY = 86400_000;

const enqueued: JobMessage[] = [];
const queueEnv: Env = {
  ...env,
  JOBS: {
    send: async (body: JobMessage) => void enqueued.push(body),
    sendBatch: async (messages: { body: JobMessage }[]) => void enqueued.push(...messages.map((m) => m.body)),
  } as unknown as Env['JOBS'],
};
async function tick(at: Date) {
  await handleScheduled(createScheduledController({ cron: '* * * * *', scheduledTime: at }), queueEnv);
  return enqueued.splice(0);
}
let seq = 0;
async function consume(jobs: JobMessage[]) {
  const batch = createMessageBatch<JobMessage>('hearth-jobs', jobs.map((body) => ({ id: `d${++seq}`, timestamp: new Date(), attempts: 1, body })));
  const ctx = createExecutionContext();
  await worker.queue(batch, queueEnv, ctx);
  return getQueueResult(batch, ctx);
}

type Rules = { rules: { kind: string; isEnabled: boolean; days: number; segmentIds: string[] }[] };
type Bell = { items: { kind: string; title: string; recordId: string | null }[] };

/** The workspace (Asia/Shanghai) date and the instant of 09:00 on it. */
const shanghaiDate = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);
const nineAm = (date: string) => new Date(`${date}T09:00:00+08:00`);
const plusDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

let w: World;
beforeAll(async () => {
  w = await buildWorld('Data Reminders Ltd');
  await env.DB.prepare("update users set locale = 'en' where workspace_id = ?").bind(w.owner.me.workspace.id).run();
});

describe('reminder settings', () => {
  it('lists every kind with defaults, off until an admin turns it on', async () => {
    const rules = await json<Rules>(await api('/settings/reminders', { as: w.owner }), 200);
    expect(rules.rules.map((r) => r.kind)).toEqual(['contract_ending', 'deal_contract_ending', 'no_contact', 'birthday', 'deal_idle']);
    expect(rules.rules.every((r) => !r.isEnabled)).toBe(true);
  });

  it('is for admins only, and names a bad field without changing anything', async () => {
    await problem(await api('/settings/reminders', { as: w.repA }), 403);
    await problem(await api('/settings/reminders', { as: w.manager, method: 'PUT', body: { rules: [{ kind: 'birthday', isEnabled: true }] } }), 403);
    const p = await problem(await api('/settings/reminders', { as: w.owner, method: 'PUT', body: { rules: [{ kind: 'weather', days: -1 }] } }), 422);
    expect(p.errors!.map((e) => e.field).sort()).toEqual(['rules.0.days', 'rules.0.kind']);
    const missing = await problem(await api('/settings/reminders', { as: w.owner, method: 'PUT', body: { rules: [{ kind: 'no_contact', segmentIds: ['seg_nope'] }] } }), 422);
    expect(missing.errors!.map((e) => e.field)).toEqual(['rules.0.segmentIds']);
    const rules = await json<Rules>(await api('/settings/reminders', { as: w.owner }), 200);
    expect(rules.rules.every((r) => !r.isEnabled)).toBe(true);
  });
});

describe('reminders from data, evaluated daily at 09:00 workspace time', () => {
  it('contracts and renewals ending, no contact, birthdays and idle deals remind the owner once', async () => {
    const now = new Date();
    const today = shanghaiDate(now);
    const company = await json<{ id: string }>(await api('/companies', { as: w.repA, body: { name: 'Renewal Corp', contractEndsOn: plusDays(today, 10) } }), 201);
    const farCompany = await json<{ id: string }>(await api('/companies', { as: w.repA, body: { name: 'Far Future Corp', contractEndsOn: plusDays(today, 90) } }), 201);
    const birthdayGirl = await createContact(w.repA, { name: 'Birthday Bo', birthday: `1990-${plusDays(today, 1).slice(5)}` });
    const quiet = await createContact(w.repB, { name: 'Silent Sam', lifecycle: 'customer' });
    await env.DB.prepare('update contacts set created_at = ? where id = ?').bind(new Date(now.getTime() - 40 * DAY).toISOString(), quiet.id).run();
    const deal = await createDeal(w.repA, { name: 'Sleepy deal', contractEndOn: plusDays(today, 5) });
    await env.DB.prepare('update deals set stage_entered_at = ? where id = ?').bind(new Date(now.getTime() - 20 * DAY).toISOString(), deal.id).run();

    await json(
      await api('/settings/reminders', {
        as: w.owner,
        method: 'PUT',
        body: {
          rules: [
            { kind: 'contract_ending', isEnabled: true, days: 30 },
            { kind: 'deal_contract_ending', isEnabled: true, days: 30 },
            { kind: 'no_contact', isEnabled: true, days: 30 },
            { kind: 'birthday', isEnabled: true, days: 1 },
            { kind: 'deal_idle', isEnabled: true, days: 14 },
          ],
        },
      }),
      200,
    );

    // Before 09:00 nothing is evaluated; from 09:00 (or the first tick after) once, even if ticks overlap.
    expect((await tick(new Date(nineAm(today).getTime() - 60_000))).filter((j) => j.type === 'reminder.rules')).toEqual([]);
    const at = new Date(Math.max(nineAm(today).getTime(), now.getTime()) + 60_000);
    const [a, b] = await Promise.all([tick(at), tick(at)]);
    const ruleJobs = [...a, ...b].filter((j) => j.type === 'reminder.rules');
    expect(ruleJobs).toHaveLength(1);
    await consume([ruleJobs[0], ruleJobs[0]]);
    const deliver = (await tick(new Date(at.getTime() + 60_000))).filter((j) => j.type === 'reminder.deliver');
    await consume([...deliver, ...deliver]);

    const bellA = await json<Bell>(await api('/notifications?limit=200', { as: w.repA }), 200);
    const titlesA = bellA.items.map((n) => n.title);
    expect(titlesA).toContain(`Contract with Renewal Corp ends on ${new Intl.DateTimeFormat('en', { timeZone: 'UTC', dateStyle: 'medium' }).format(new Date(`${plusDays(today, 10)}T00:00:00Z`))}`);
    expect(bellA.items.find((n) => n.recordId === birthdayGirl.id)?.kind).toBe('reminder.birthday');
    expect(bellA.items.filter((n) => n.recordId === deal.id).map((n) => n.kind).sort()).toEqual(['reminder.deal_contract_ending', 'reminder.deal_idle']);
    expect(bellA.items.some((n) => n.recordId === farCompany.id)).toBe(false);
    expect(bellA.items.filter((n) => n.recordId === company.id)).toHaveLength(1);
    const bellB = await json<Bell>(await api('/notifications?limit=200', { as: w.repB }), 200);
    expect(bellB.items.find((n) => n.recordId === quiet.id)?.title).toBe('No contact with Silent Sam for 30 days');

    // The same day again (a second evaluation forced by hand) makes nothing new.
    await consume([ruleJobs[0]]);
    expect((await tick(new Date(at.getTime() + 2 * 60_000))).filter((j) => j.type === 'reminder.deliver')).toEqual([]);
  });
});
