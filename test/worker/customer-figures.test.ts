import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../../worker/db/client';
import type { Env, JobMessage } from '../../worker/env';
import { handleQueue } from '../../worker/jobs/queue';
import { RECOMPUTE_JOB, refreshAllCustomers } from '../../worker/modules/customer-figures/figures.service';
import { api, auditRows, failingFields, json, login, problem, signup, userWithRole, type Session } from './helpers';
import {
  DAY,
  createContact,
  createOrder,
  daysAgo,
  getContact,
  paidOrder,
  putRules,
  runNightly,
  timeline,
  type Activity,
  type CustomerRules,
  type Page,
} from './customer-helpers';

let owner: Session;
let admin: Session;
let rep: Session;

const DEFAULTS: CustomerRules = {
  churnAfterDays: 180,
  rfm: { recencyDays: [30, 90, 180, 365], frequency: [2, 3, 5, 10], monetary: [50_000, 200_000, 500_000, 2_000_000] },
};

beforeAll(async () => {
  owner = await signup({ workspaceName: 'RFM Tea House' });
  [admin, rep] = await Promise.all([userWithRole(owner, 'admin'), userWithRole(owner, 'rep')]);
});

/** The nightly cron also purges sessions that expired by its (future) time: sign in again after it. */
async function nightlyThenSignIn(scheduledTime: number) {
  await runNightly(scheduledTime);
  [owner, rep] = await Promise.all([login(owner.email), login(rep.email)]);
}

/** A customer of `as` with paid orders of the given amounts, `daysAgo` each. */
async function buyer(as: Session, orders: [amount: number, daysAgo: number][], body: Record<string, unknown> = {}) {
  const c = await createContact(as, body);
  for (const [amount, age] of orders) await createOrder(as, paidOrder(c.id, amount, { orderedAt: daysAgo(age) }));
  return getContact(as, c.id);
}

describe('customer rules', () => {
  it('start at the documented defaults, readable and writable by admins only', async () => {
    expect(await json<CustomerRules>(await api('/settings/customer-rules', { as: owner }), 200)).toEqual(DEFAULTS);
    expect(await json<CustomerRules>(await api('/settings/customer-rules', { as: admin }), 200)).toEqual(DEFAULTS);
    await problem(await api('/settings/customer-rules'), 401);
    await problem(await api('/settings/customer-rules', { as: rep }), 403);
    await problem(await putRules(rep, DEFAULTS), 403);
  });

  it('name the failing fields', async () => {
    expect(await failingFields(await putRules(owner, { ...DEFAULTS, churnAfterDays: 0 }))).toEqual(['churnAfterDays']);
    expect(await failingFields(await putRules(owner, { ...DEFAULTS, rfm: { ...DEFAULTS.rfm, recencyDays: [90, 30, 180, 365] } }))).toEqual(['rfm.recencyDays']);
    expect(await failingFields(await putRules(owner, { ...DEFAULTS, rfm: { ...DEFAULTS.rfm, frequency: [1, 2, 3] } }))).toEqual(['rfm.frequency']);
    expect(await failingFields(await putRules(owner, { ...DEFAULTS, rfm: { ...DEFAULTS.rfm, monetary: [0, 1.5, 2, 3] } }))).toEqual(['rfm.monetary.1']);
    expect(await failingFields(await api('/settings/customer-rules', { method: 'PUT', as: owner, body: { churnAfterDays: 90 } }))).toEqual(['rfm']);
    expect(await json<CustomerRules>(await api('/settings/customer-rules', { as: owner }), 200)).toEqual(DEFAULTS);
  });
});

describe('RFM scores and segments', () => {
  it('follow the documented mapping under the default thresholds', async () => {
    const cases: [string, [number, number][], string, string][] = [
      ['champion', [[300_000, 40], [300_000, 20], [100_000, 10], [100_000, 5], [100_000, 1]], '544', 'champions'],
      ['newcomer', [[10_000, 3]], '511', 'new'],
      ['loyal', [[100_000, 150], [100_000, 120], [100_000, 100]], '333', 'loyal'],
      ['potential', [[10_000, 100]], '311', 'potential'],
      ['at risk', [[100_000, 300], [100_000, 250], [100_000, 200]], '233', 'at_risk'],
      ['hibernating', [[10_000, 300]], '211', 'hibernating'],
      ['lost', [[900_000, 500], [900_000, 400]], '124', 'lost'],
    ];
    for (const [name, orders, score, segment] of cases) {
      const c = await buyer(rep, orders, { name });
      expect({ name, score: c.rfmScore, segment: c.rfmSegment }).toEqual({ name, score, segment });
    }
    const none = await createContact(rep);
    expect(none).toMatchObject({ rfmScore: null, rfmSegment: 'none' });
  });

  it('change with the thresholds, for every customer at once', async () => {
    const single = await buyer(rep, [[10_000, 3]]);
    expect(single.rfmSegment).toBe('new');
    const res = await putRules(owner, { ...DEFAULTS, rfm: { recencyDays: [30, 90, 180, 365], frequency: [1, 2, 3, 4], monetary: [100, 200, 300, 400] } });
    expect(await json<CustomerRules>(res, 200)).toMatchObject({ rfm: { frequency: [1, 2, 3, 4] } });
    expect(await getContact(rep, single.id)).toMatchObject({ rfmScore: '525', rfmSegment: 'loyal' });
    const audits = await auditRows(owner, { action: 'settings.customer_rules_updated' });
    expect(audits[0].changes).toMatchObject({ rfm: { after: { frequency: [1, 2, 3, 4] } } });

    await json(await putRules(owner, DEFAULTS), 200);
    expect(await getContact(rep, single.id)).toMatchObject({ rfmScore: '511', rfmSegment: 'new' });
  });
});

describe('the nightly pass', () => {
  it('decays recency, churns quiet customers once, and changes nothing when run again', async () => {
    const c = await buyer(rep, [[50_000, 10]], { lifecycle: 'prospect' });
    expect(c).toMatchObject({ lifecycle: 'customer', rfmSegment: 'new' });
    const fresh = await buyer(rep, [[50_000, 1]]);

    const night = Date.now() + 175 * DAY;
    await nightlyThenSignIn(night);
    const churned = await getContact(rep, c.id);
    expect(churned).toMatchObject({ lifecycle: 'churned', rfmScore: '212', rfmSegment: 'hibernating', version: c.version + 1 });
    expect((await getContact(rep, fresh.id)).lifecycle).toBe('customer');

    const entries = (await timeline(rep, c.id, '?kinds=activity')).items.map((e) => e.activity!);
    const moves = entries.filter((a) => a.type === 'system').map((a) => a.meta?.event);
    expect(moves).toEqual(['lifecycle.churned', 'lifecycle.customer']);
    const churnEntry = entries.find((a) => a.meta?.event === 'lifecycle.churned')!;
    expect(churnEntry).toMatchObject({ occurredAt: new Date(night).toISOString(), userId: null, meta: { days: 180, from: 'customer', to: 'churned' } });
    expect(churnEntry.summary).toContain('180');
    const audits = await auditRows(owner, { recordId: c.id, action: 'contact.lifecycle_changed' });
    expect(audits.map((a) => [a.actorType, a.changes])).toEqual([
      ['system', { lifecycle: { before: 'customer', after: 'churned' } }],
      ['user', { lifecycle: { before: 'prospect', after: 'customer' } }],
    ]);

    await nightlyThenSignIn(night);
    await nightlyThenSignIn(night + 60_000);
    expect(await getContact(rep, c.id)).toEqual(churned);
    expect((await timeline(rep, c.id, '?kinds=activity')).items).toHaveLength(entries.length);
    expect(await auditRows(owner, { recordId: c.id, action: 'contact.lifecycle_changed' })).toHaveLength(2);
  });

  it('brings a churned customer back on a new purchase', async () => {
    const c = await buyer(rep, [[1_000, 400]], { lifecycle: 'customer' });
    await nightlyThenSignIn(Date.now());
    expect((await getContact(rep, c.id)).lifecycle).toBe('churned');
    await createOrder(rep, paidOrder(c.id, 1_000, { number: 'BACK-1' }));
    expect((await getContact(rep, c.id)).lifecycle).toBe('customer');
    const system = (await json<Page<Activity>>(await api(`/activities?contactId=${c.id}&type=system`, { as: rep }), 200)).items;
    expect(system.map((a) => [a.meta?.event, a.meta?.from])).toEqual([
      ['lifecycle.customer', 'churned'],
      ['lifecycle.churned', 'customer'],
    ]);
  });

  it('hands large workspaces to the queue chunk by chunk, idempotently', async () => {
    const big = await signup({ workspaceName: 'Big Workspace' });
    const people = [];
    for (let i = 0; i < 5; i++) people.push(await createContact(big, { lifecycle: 'customer' }));
    // Orders written behind the API's back (say, by an import) leave the figures stale until the pass.
    for (const [i, p] of people.entries()) {
      await env.DB.prepare(
        "insert into orders (id, workspace_id, contact_id, status, ordered_at, currency, total, created_at, updated_at) values (?, ?, ?, 'paid', ?, 'CNY', ?, ?, ?)",
      )
        .bind(`ord_IMPORT${i}`, big.me.workspace.id, p.id, daysAgo(200 + i), 1_000 * (i + 1), daysAgo(0), daysAgo(0))
        .run();
    }
    const sent: JobMessage[] = [];
    const queueEnv = {
      ...env,
      JOBS: {
        send: async (body: JobMessage) => void sent.push(body),
        sendBatch: async (messages: { body: JobMessage }[]) => void sent.push(...messages.map((m) => m.body)),
      },
    } as unknown as Env;
    const asOf = new Date();
    const db = await getDb(queueEnv);
    const result = await refreshAllCustomers({ db, env: queueEnv }, asOf, { chunkSize: 2, statementBudget: 0 });
    expect(result.inline).toBe(0);
    expect(sent.every((m) => m.type === RECOMPUTE_JOB)).toBe(true);

    const deliver = async () => {
      let rounds = 0;
      while (sent.length) {
        const batch = createMessageBatch<JobMessage>('hearth-jobs', sent.splice(0).map((body, i) => ({ id: `m${rounds}-${i}`, timestamp: new Date(), attempts: 1, body })));
        const ctx = createExecutionContext();
        await handleQueue(batch, queueEnv);
        const outcome = await getQueueResult(batch, ctx);
        expect(outcome.explicitAcks).toHaveLength(batch.messages.length);
        rounds += 1;
      }
      return rounds;
    };
    // One message per chunk: the first enqueues the next, so a 5-contact workspace takes 3 rounds.
    expect(await deliver()).toBeGreaterThanOrEqual(3);
    const after = await Promise.all(people.map((p) => getContact(big, p.id)));
    expect(after.map((p) => [p.totalSpent, p.orderCount, p.lifecycle, p.rfmSegment])).toEqual(
      people.map((_, i) => [1_000 * (i + 1), 1, 'churned', 'hibernating']),
    );

    sent.push(...[0, 1].map(() => ({ type: RECOMPUTE_JOB, key: 'again', payload: { workspaceId: big.me.workspace.id, asOf: asOf.toISOString(), after: null, chunkSize: 2 } })));
    await deliver();
    expect(await Promise.all(people.map((p) => getContact(big, p.id)))).toEqual(after);
    expect(await auditRows(big, { action: 'contact.lifecycle_changed' })).toHaveLength(5);
  });

  it('drops a malformed job instead of retrying it forever', async () => {
    const batch = createMessageBatch<JobMessage>('hearth-jobs', [{ id: 'bad', timestamp: new Date(), attempts: 1, body: { type: RECOMPUTE_JOB, key: 'bad', payload: { workspaceId: 42 } } }]);
    const ctx = createExecutionContext();
    await handleQueue(batch, env);
    const outcome = await getQueueResult(batch, ctx);
    expect(outcome.explicitAcks).toEqual(['bad']);
    expect(outcome.retryMessages).toEqual([]);
  });
});
