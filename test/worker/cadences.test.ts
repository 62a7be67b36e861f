import { createExecutionContext, createMessageBatch, createScheduledController, env, getQueueResult } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Env, JobMessage } from '../../worker/env';
import { handleScheduled } from '../../worker/jobs/cron';
import entry from '../../worker/index';
import { api, auditRows, json, problem, type Session } from './helpers';
import { createDeal, defaultPipeline, moveDeal } from './deals-helpers';
import { buildWorld, createContact, createTag, type World } from './customers-world';

type Step = { id: string; day: number; taskType: string; title: string; position: number };
type Cadence = { id: string; name: string; trigger: string; triggerValue: string | null; stopOn: string[]; steps: Step[]; version: number };
type Enrollment = { id: string; cadenceId: string; contactId: string; status: string; startedOn: string; nextStepAt: string | null; nextPosition: number; stoppedReason: string | null };
type Task = { id: string; title: string; type: string; dueDate: string; ownerId: string; contactId: string; enrollmentId: string };

const worker = entry as Required<Pick<ExportedHandler<Env, JobMessage>, 'queue' | 'scheduled'>>;
const queueEnv: Env = { ...env, JOBS: { send: async () => {}, sendBatch: async (_: { body: JobMessage }[]) => {} } as unknown as Env['JOBS'] };
const tick = (at: Date) => handleScheduled(createScheduledController({ cron: '* * * * *', scheduledTime: at }), queueEnv);

const ZONE = 'Asia/Shanghai';
const localToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date());
const plusDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86400_000).toISOString().slice(0, 10);
/** Local midnight in Shanghai (UTC+8, no DST) of a date, as an instant. */
const shanghaiMidnight = (date: string) => new Date(`${date}T00:00:00+08:00`);

const welcomePlan = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  trigger: 'manual',
  steps: [
    { day: 30, taskType: 'call', title: `${name}: satisfaction check` },
    { day: 1, taskType: 'call', title: `${name}: welcome call` },
    { day: 7, taskType: 'visit', title: `${name}: visit` },
  ],
  ...extra,
});

let w: World;
const createCadence = async (body: Record<string, unknown>) => json<Cadence>(await api('/cadences', { as: w.owner, body }), 201);
const tasksOf = async (as: Session, contactId: string) =>
  (await json<{ items: Task[] }>(await api(`/tasks?contactId=${contactId}&status=all&limit=200`, { as }), 200)).items.filter((t) => t.enrollmentId);

beforeAll(async () => {
  w = await buildWorld('Cadence Co');
});

describe('a follow-up plan creates the right tasks on the right days', () => {
  it('day 1 at once, day 7 and day 30 when their local day begins, for the customer owner, once each', async () => {
    const plan = await createCadence(welcomePlan('Welcome'));
    expect(plan.steps.map((s) => [s.position, s.day])).toEqual([[0, 1], [1, 7], [2, 30]]);
    const customer = await createContact(w.repA, { name: 'New Customer Li' });
    const started = await json<Enrollment>(await api(`/cadences/${plan.id}/enroll`, { as: w.repA, body: { contactId: customer.id } }), 201);
    const today = localToday();
    expect(started).toMatchObject({ status: 'active', startedOn: today, nextPosition: 1, nextStepAt: shanghaiMidnight(plusDays(today, 6)).toISOString() });

    let tasks = await tasksOf(w.repA, customer.id);
    expect(tasks.map((t) => [t.title, t.type, t.dueDate, t.ownerId])).toEqual([['Welcome: welcome call', 'call', today, w.repA.me.user.id]]);

    // The last minute of day 6: nothing yet.
    await tick(new Date(shanghaiMidnight(plusDays(today, 6)).getTime() - 60_000));
    expect(await tasksOf(w.repA, customer.id)).toHaveLength(1);
    // Day 7 begins: the visit, due that day. Two overlapping ticks make it once.
    const day7 = shanghaiMidnight(plusDays(today, 6));
    await Promise.all([tick(day7), tick(day7)]);
    tasks = await tasksOf(w.repA, customer.id);
    expect(tasks.map((t) => [t.title, t.dueDate])).toEqual([
      ['Welcome: welcome call', today],
      ['Welcome: visit', plusDays(today, 6)],
    ]);
    // After downtime, day 30 is caught up by a later tick.
    await tick(new Date(shanghaiMidnight(plusDays(today, 29)).getTime() + 5 * 3600_000));
    tasks = await tasksOf(w.repA, customer.id);
    expect(tasks.map((t) => [t.title, t.dueDate])).toEqual([
      ['Welcome: welcome call', today],
      ['Welcome: visit', plusDays(today, 6)],
      ['Welcome: satisfaction check', plusDays(today, 29)],
    ]);
    const after = await json<{ items: Enrollment[] }>(await api(`/cadences/enrollments?contactId=${customer.id}`, { as: w.repA }), 200);
    expect(after.items[0]).toMatchObject({ status: 'completed', nextStepAt: null, cadenceName: 'Welcome', contactName: 'New Customer Li' });
    // Each step task reminds its owner at 09:00 local on its day.
    const fire = await env.DB.prepare("select fire_at from reminders where record_id = ?").bind(tasks[1].id).first<{ fire_at: string }>();
    expect(fire!.fire_at).toBe(new Date(`${plusDays(today, 6)}T09:00:00+08:00`).toISOString());
  });

  it('starts when a customer enters a lifecycle stage or gets a tag, once per running plan', async () => {
    const onCustomer = await createCadence(welcomePlan('Onboarding', { trigger: 'lifecycle', triggerValue: 'customer' }));
    const vip = await createTag(w.owner, 'VIP');
    const onVip = await createCadence(welcomePlan('VIP care', { trigger: 'tag', triggerValue: vip }));
    const lead = await createContact(w.repA, { name: 'Soon Customer', lifecycle: 'lead' });
    expect(await tasksOf(w.repA, lead.id)).toEqual([]);
    const promoted = await json<{ version: number }>(await api(`/contacts/${lead.id}`, { as: w.repA, method: 'PATCH', body: { lifecycle: 'customer' }, headers: { 'if-match': `"${lead.version}"` } }), 200);
    expect((await tasksOf(w.repA, lead.id)).map((t) => t.title)).toEqual(['Onboarding: welcome call']);
    const tagged = await json<{ version: number }>(await api(`/contacts/${lead.id}`, { as: w.repA, method: 'PATCH', body: { tagIds: [vip] }, headers: { 'if-match': `"${promoted.version}"` } }), 200);
    expect((await tasksOf(w.repA, lead.id)).map((t) => t.title).sort()).toEqual(['Onboarding: welcome call', 'VIP care: welcome call']);
    // Saving again with the same stage and tag starts nothing new.
    await json(await api(`/contacts/${lead.id}`, { as: w.repA, method: 'PATCH', body: { name: 'Now Customer', lifecycle: 'customer', tagIds: [vip] }, headers: { 'if-match': `"${tagged.version}"` } }), 200);
    expect(await tasksOf(w.repA, lead.id)).toHaveLength(2);
    // A customer created straight into the stage with the tag gets both plans.
    const direct = await createContact(w.repB, { name: 'Direct VIP', lifecycle: 'customer', tagIds: [vip] });
    const enrollments = await json<{ items: Enrollment[] }>(await api(`/cadences/enrollments?contactId=${direct.id}`, { as: w.repB }), 200);
    expect(enrollments.items.map((e) => e.cadenceId).sort()).toEqual([onCustomer.id, onVip.id].sort());
  });
});

describe('plans started by bulk actions', () => {
  it('a bulk tag or stage change starts the matching plans for the customers it changed', async () => {
    const tag = await createTag(w.owner, 'Bulk VIP');
    await createCadence(welcomePlan('Bulk tag plan', { trigger: 'tag', triggerValue: tag }));
    await createCadence(welcomePlan('Bulk stage plan', { trigger: 'lifecycle', triggerValue: 'churned' }));
    const people = await Promise.all([1, 2, 3].map((i) => createContact(w.repA, { name: `Bulk person ${i}` })));
    const ids = people.map((p) => p.id);
    await json(await api('/contacts/bulk', { as: w.repA, body: { action: 'tag', ids, tagIds: [tag] } }), 200);
    for (const id of ids) expect((await tasksOf(w.repA, id)).map((t) => t.title)).toEqual(['Bulk tag plan: welcome call']);
    await json(await api('/contacts/bulk', { as: w.repA, body: { action: 'lifecycle', ids: ids.slice(0, 2), lifecycle: 'churned' } }), 200);
    expect((await tasksOf(w.repA, ids[0])).map((t) => t.title).sort()).toEqual(['Bulk stage plan: welcome call', 'Bulk tag plan: welcome call']);
    expect(await tasksOf(w.repA, ids[2])).toHaveLength(1);
  });

  it('many customers start through the queue, once each however often the message comes', async () => {
    const tag = await createTag(w.owner, 'Queued VIP');
    await createCadence(welcomePlan('Queued plan', { trigger: 'tag', triggerValue: tag }));
    const person = await createContact(w.repB, { name: 'Queued person' });
    const job: JobMessage = { type: 'cadence.trigger', key: 'k', payload: { workspaceId: w.owner.me.workspace.id, contactIds: [person.id], event: { tagsAdded: [tag] } } };
    const batch = createMessageBatch<JobMessage>('hearth-jobs', [1, 2].map((n) => ({ id: `c${n}`, timestamp: new Date(), attempts: n, body: job })));
    const ctx = createExecutionContext();
    await worker.queue(batch, queueEnv, ctx);
    expect((await getQueueResult(batch, ctx)).retryMessages).toEqual([]);
    expect((await tasksOf(w.repB, person.id)).map((t) => [t.title, t.ownerId])).toEqual([['Queued plan: welcome call', w.repB.me.user.id]]);
  });
});

describe('pausing and stopping', () => {
  it('stops on rule when the customer is archived: no more tasks', async () => {
    const plan = await createCadence(welcomePlan('Archive rule'));
    const c = await createContact(w.repA, { name: 'Archived Later' });
    const e = await json<Enrollment>(await api(`/cadences/${plan.id}/enroll`, { as: w.repA, body: { contactId: c.id } }), 201);
    await json(await api(`/contacts/${c.id}/archive`, { as: w.repA, method: 'POST' }), 200);
    await tick(new Date(Date.parse(e.nextStepAt!) + 60_000));
    expect((await tasksOf(w.repA, c.id)).map((t) => t.title)).toEqual(['Archive rule: welcome call']);
    const list = await json<{ items: Enrollment[] }>(await api(`/cadences/enrollments?contactId=${c.id}`, { as: w.owner }), 200);
    expect(list.items[0]).toMatchObject({ status: 'stopped', stoppedReason: 'archived' });
  });

  it('archiving a customer stops their plans at once, by each plan\'s rules, paused ones too, single and bulk, once', async () => {
    const plan = await createCadence(welcomePlan('Archive at once'));
    const keeps = await createCadence(welcomePlan('Not on archive', { stopOn: ['deal_closed'] }));
    const enrollIn = async (cadenceId: string, contactId: string) => json<Enrollment & { version: number }>(await api(`/cadences/${cadenceId}/enroll`, { as: w.repA, body: { contactId } }), 201);
    const enrollments = async (contactId: string) =>
      new Map((await json<{ items: (Enrollment & { version: number })[] }>(await api(`/cadences/enrollments?contactId=${contactId}`, { as: w.owner }), 200)).items.map((e) => [e.cadenceId, e]));

    const c = await createContact(w.repA, { name: 'Archived At Once' });
    await enrollIn(plan.id, c.id);
    await enrollIn(keeps.id, c.id);
    await json(await api(`/contacts/${c.id}/archive`, { as: w.repA, method: 'POST' }), 200);
    const after = await enrollments(c.id);
    expect(after.get(plan.id)).toMatchObject({ status: 'stopped', stoppedReason: 'archived', nextStepAt: null, version: 2 });
    expect(after.get(keeps.id)).toMatchObject({ status: 'active', stoppedReason: null });
    const stops = (await auditRows(w.owner, { recordType: 'contact', recordId: c.id })).filter((a) => a.action === 'cadence.stopped');
    expect(stops).toHaveLength(1);
    // Archiving again changes nothing more.
    await json(await api(`/contacts/${c.id}/archive`, { as: w.repA, method: 'POST' }), 200);
    expect((await enrollments(c.id)).get(plan.id)).toMatchObject({ status: 'stopped', version: 2 });
    expect((await auditRows(w.owner, { recordType: 'contact', recordId: c.id })).filter((a) => a.action === 'cadence.stopped')).toHaveLength(1);

    // Bulk archive: an active and a paused plan stop; a customer left out keeps theirs.
    const [b1, b2, b3] = await Promise.all([1, 2, 3].map((i) => createContact(w.repA, { name: `Bulk archived ${i}` })));
    await enrollIn(plan.id, b1.id);
    const paused = await enrollIn(plan.id, b2.id);
    await json(await api(`/cadences/enrollments/${paused.id}/pause`, { as: w.repA, method: 'POST' }), 200);
    await enrollIn(plan.id, b3.id);
    await json(await api('/contacts/bulk', { as: w.repA, body: { action: 'archive', ids: [b1.id, b2.id] } }), 200);
    expect((await enrollments(b1.id)).get(plan.id)).toMatchObject({ status: 'stopped', stoppedReason: 'archived' });
    expect((await enrollments(b2.id)).get(plan.id)).toMatchObject({ status: 'stopped', stoppedReason: 'archived' });
    expect((await enrollments(b3.id)).get(plan.id)).toMatchObject({ status: 'active' });
  });

  it('a deal won or lost stops its customer\'s plans at once (those that stop on a closed deal)', async () => {
    const plan = await createCadence(welcomePlan('Until the deal closes'));
    const archiveOnly = await createCadence(welcomePlan('Only on archive', { stopOn: ['archived'] }));
    const pipeline = await defaultPipeline(w.owner);
    const [, open2] = pipeline.stages;
    const won = pipeline.stages.find((s) => s.kind === 'won')!;
    const lost = pipeline.stages.find((s) => s.kind === 'lost')!;
    const enrollments = async (contactId: string) =>
      new Map((await json<{ items: Enrollment[] }>(await api(`/cadences/enrollments?contactId=${contactId}`, { as: w.owner }), 200)).items.map((e) => [e.cadenceId, e]));

    const c = await createContact(w.repA, { name: 'Closing Chen' });
    await json(await api(`/cadences/${plan.id}/enroll`, { as: w.repA, body: { contactId: c.id } }), 201);
    await json(await api(`/cadences/${archiveOnly.id}/enroll`, { as: w.repA, body: { contactId: c.id } }), 201);
    const deal = await createDeal(w.repA, { contactId: c.id });
    const moved = await json<{ id: string; version: number }>(await moveDeal(w.repA, deal, { stageId: open2.id }), 200);
    expect((await enrollments(c.id)).get(plan.id)).toMatchObject({ status: 'active' });
    // A refused move (no lost reason) stops nothing.
    await problem(await moveDeal(w.repA, moved, { stageId: lost.id }), 422);
    expect((await enrollments(c.id)).get(plan.id)).toMatchObject({ status: 'active' });
    await json(await moveDeal(w.repA, moved, { stageId: won.id }), 200);
    const after = await enrollments(c.id);
    expect(after.get(plan.id)).toMatchObject({ status: 'stopped', stoppedReason: 'deal_closed', nextStepAt: null });
    expect(after.get(archiveOnly.id)).toMatchObject({ status: 'active' });

    // Lost counts as closed too, and so does a deal created straight into a won stage.
    const c2 = await createContact(w.repA, { name: 'Losing Lin' });
    await json(await api(`/cadences/${plan.id}/enroll`, { as: w.repA, body: { contactId: c2.id } }), 201);
    const d2 = await createDeal(w.repA, { contactId: c2.id });
    await json(await moveDeal(w.repA, d2, { stageId: lost.id, lostReason: 'Too expensive' }), 200);
    expect((await enrollments(c2.id)).get(plan.id)).toMatchObject({ status: 'stopped', stoppedReason: 'deal_closed' });
    const c3 = await createContact(w.repA, { name: 'Signed Sun' });
    await json(await api(`/cadences/${plan.id}/enroll`, { as: w.repA, body: { contactId: c3.id } }), 201);
    await createDeal(w.repA, { contactId: c3.id, stageId: won.id });
    expect((await enrollments(c3.id)).get(plan.id)).toMatchObject({ status: 'stopped', stoppedReason: 'deal_closed' });
    // Another customer's deal closing leaves this plan alone.
    const c4 = await createContact(w.repA, { name: 'Waiting Wu' });
    await json(await api(`/cadences/${plan.id}/enroll`, { as: w.repA, body: { contactId: c4.id } }), 201);
    await createDeal(w.repA, { stageId: won.id });
    expect((await enrollments(c4.id)).get(plan.id)).toMatchObject({ status: 'active' });
  });

  it('an admin removing a stage into a won stage stops the plans of the deals moved there', async () => {
    const plan = await createCadence(welcomePlan('Stage removal'));
    const p = await json<{ id: string; version: number; stages: { id: string; kind: string }[] }>(
      await api('/pipelines', { as: w.owner, body: { name: `Removal ${crypto.randomUUID().slice(0, 4)}`, stages: [{ name: 'Talk' }, { name: 'Offer' }, { name: 'Won', kind: 'won' }, { name: 'Lost', kind: 'lost' }] } }),
      201,
    );
    const [, offer, won] = p.stages;
    const c = await createContact(w.repA, { name: 'Removed Ren' });
    await json(await api(`/cadences/${plan.id}/enroll`, { as: w.repA, body: { contactId: c.id } }), 201);
    await createDeal(w.repA, { contactId: c.id, pipelineId: p.id, stageId: offer.id });
    const res = await api(`/pipelines/${p.id}/stages/${offer.id}?moveTo=${won.id}`, { as: w.owner, method: 'DELETE', headers: { 'if-match': `"${p.version}"` } });
    expect(res.status).toBe(200);
    const list = await json<{ items: Enrollment[] }>(await api(`/cadences/enrollments?contactId=${c.id}`, { as: w.owner }), 200);
    expect(list.items[0]).toMatchObject({ status: 'stopped', stoppedReason: 'deal_closed' });
  });

  it('pause by hand holds the steps; resume moves them on by the days paused; stop ends it', async () => {
    const plan = await createCadence(welcomePlan('Pausable'));
    const c = await createContact(w.repA, { name: 'Paused Pat' });
    const e = await json<Enrollment>(await api(`/cadences/${plan.id}/enroll`, { as: w.repA, body: { contactId: c.id } }), 201);
    const paused = await json<Enrollment>(await api(`/cadences/enrollments/${e.id}/pause`, { as: w.repA, method: 'POST' }), 200);
    expect(paused.status).toBe('paused');
    await tick(new Date(Date.parse(e.nextStepAt!) + 60_000));
    expect(await tasksOf(w.repA, c.id)).toHaveLength(1);
    await problem(await api(`/cadences/enrollments/${e.id}/pause`, { as: w.repA, method: 'POST' }), 409);
    const resumed = await json<Enrollment>(await api(`/cadences/enrollments/${e.id}/resume`, { as: w.repA, method: 'POST' }), 200);
    expect(resumed).toMatchObject({ status: 'active', nextStepAt: e.nextStepAt }); // resumed the same day: no shift
    const stopped = await json<Enrollment>(await api(`/cadences/enrollments/${e.id}/stop`, { as: w.repA, method: 'POST' }), 200);
    expect(stopped).toMatchObject({ status: 'stopped', stoppedReason: 'manual', nextStepAt: null });
    await tick(new Date(Date.parse(e.nextStepAt!) + 120_000));
    expect(await tasksOf(w.repA, c.id)).toHaveLength(1);
  });

  it('starting a plan a customer is already in answers 409', async () => {
    const plan = await createCadence(welcomePlan('Twice'));
    const c = await createContact(w.repA, { name: 'Twice Tom' });
    await json(await api(`/cadences/${plan.id}/enroll`, { as: w.repA, body: { contactId: c.id } }), 201);
    await problem(await api(`/cadences/${plan.id}/enroll`, { as: w.repA, body: { contactId: c.id } }), 409, 'already_enrolled');
  });
});

describe('validation and authorization', () => {
  it('names the bad fields and stores nothing', async () => {
    const before = (await json<{ items: Cadence[] }>(await api('/cadences', { as: w.owner }), 200)).items.length;
    const p = await problem(await api('/cadences', { as: w.owner, body: { name: '', trigger: 'weather', steps: [{ day: 0, taskType: 'fax', title: '' }] } }), 422);
    expect(p.errors!.map((e) => e.field).sort()).toEqual(['name', 'steps.0.day', 'steps.0.taskType', 'steps.0.title', 'trigger']);
    const noValue = await problem(await api('/cadences', { as: w.owner, body: { name: 'Tagless', trigger: 'tag', steps: [{ day: 1, taskType: 'call', title: 'x' }] } }), 422);
    expect(noValue.errors!.map((e) => e.field)).toEqual(['triggerValue']);
    const badStage = await problem(await api('/cadences', { as: w.owner, body: { name: 'Odd', trigger: 'lifecycle', triggerValue: 'vip', steps: [{ day: 1, taskType: 'call', title: 'x' }] } }), 422);
    expect(badStage.errors!.map((e) => e.field)).toEqual(['triggerValue']);
    expect((await json<{ items: Cadence[] }>(await api('/cadences', { as: w.owner }), 200)).items.length).toBe(before);
  });

  it('reps start plans but do not design them; a rep cannot enroll or touch a customer they cannot see', async () => {
    await problem(await api('/cadences', { as: w.repA, body: welcomePlan('Rep plan') }), 403);
    const plan = await createCadence(welcomePlan('Guarded'));
    await problem(await api(`/cadences/${plan.id}`, { as: w.repA, method: 'PATCH', body: { name: 'x' }, headers: { 'if-match': '"1"' } }), 403);
    const mine = await createContact(w.repA, { name: 'Rep A Own' });
    const p = await problem(await api(`/cadences/${plan.id}/enroll`, { as: w.repB, body: { contactId: mine.id } }), 422);
    expect(p.errors!.map((e) => e.field)).toEqual(['contactId']);
    await problem(await api(`/cadences/${plan.id}/enroll`, { as: w.viewer, body: { contactId: mine.id } }), 403);
    const e = await json<Enrollment>(await api(`/cadences/${plan.id}/enroll`, { as: w.repA, body: { contactId: mine.id } }), 201);
    await problem(await api(`/cadences/enrollments/${e.id}/stop`, { as: w.repB, method: 'POST' }), 404);
    expect((await json<{ items: Enrollment[] }>(await api(`/cadences/enrollments?cadenceId=${plan.id}`, { as: w.repB }), 200)).items).toEqual([]);
    await problem(await api(`/cadences/${plan.id}`, { as: w.outsider }), 404);
  });

  it('edits with If-Match and replaces the steps', async () => {
    const plan = await createCadence(welcomePlan('Editable'));
    await problem(await api(`/cadences/${plan.id}`, { as: w.owner, method: 'PATCH', body: { name: 'x' } }), 428);
    const edited = await json<Cadence>(
      await api(`/cadences/${plan.id}`, { as: w.owner, method: 'PATCH', body: { name: 'Edited', steps: [{ day: 2, taskType: 'email', title: 'Hello' }] }, headers: { 'if-match': '"1"' } }),
      200,
    );
    expect(edited).toMatchObject({ name: 'Edited', version: 2 });
    expect(edited.steps.map((s) => [s.day, s.title])).toEqual([[2, 'Hello']]);
    await problem(await api(`/cadences/${plan.id}`, { as: w.owner, method: 'PATCH', body: { name: 'Stale' }, headers: { 'if-match': '"1"' } }), 412);
    expect((await api(`/cadences/${plan.id}`, { as: w.owner, method: 'DELETE', headers: { 'if-match': '"2"' } })).status).toBe(204);
    await problem(await api(`/cadences/${plan.id}`, { as: w.owner }), 404);
  });
});
