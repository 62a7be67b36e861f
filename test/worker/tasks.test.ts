import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, auditRows, json, problem, type Session } from './helpers';
import { buildWorld, createContact, type ContactBody, type World } from './customers-world';
import { seedCompany } from './customer-helpers';
import { backdate, createDeal, getDeal } from './deals-helpers';

type Task = {
  id: string;
  title: string;
  type: string;
  dueAt: string | null;
  dueDate: string | null;
  timezone: string;
  ownerId: string | null;
  contactId: string | null;
  companyId: string | null;
  contactName: string | null;
  companyName?: string | null;
  dealId?: string | null;
  dealName?: string | null;
  doneAt: string | null;
  outcome: string | null;
  priority: string;
  recurrence: string | null;
  seriesId: string | null;
  occurrence: number;
  isOverdue: boolean;
  version: number;
};
type Page<T> = { items: T[]; nextCursor: string | null };

const HOUR = 3600_000;
let w: World;
let customer: ContactBody;

const create = async (as: Session, body: Record<string, unknown>) => json<Task>(await api('/tasks', { as, body }), 201);
const list = async (as: Session, qs = '') => (await json<Page<Task>>(await api(`/tasks${qs}`, { as }), 200)).items;
const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });
const pendingReminders = async (taskId: string) =>
  (await env.DB.prepare("select count(*) as n from reminders where record_id = ? and status = 'pending'").bind(taskId).first<{ n: number }>())!.n;

beforeAll(async () => {
  w = await buildWorld('Task Traders');
  customer = await createContact(w.repA, { name: '王芳', emails: ['wang.fang@example.com'] });
});

describe('tasks: create, read, edit', () => {
  it('creates a timed call for a customer, assigned to the creator, in their zone', async () => {
    const dueAt = new Date(Date.now() + 2 * HOUR).toISOString();
    const res = await api('/tasks', { as: w.repA, body: { title: 'Call about the order', type: 'call', dueAt, reminderOffsets: [15, 60], contactId: customer.id, priority: 'high' } });
    expect(res.headers.get('etag')).toBe('"1"');
    const task = await json<Task>(res, 201);
    expect(task).toMatchObject({ title: 'Call about the order', type: 'call', dueAt, dueDate: null, ownerId: w.repA.me.user.id, contactId: customer.id, contactName: '王芳', priority: 'high', doneAt: null, version: 1 });
    expect(task.timezone).toBe(w.owner.me.workspace.timezone);
    expect(await pendingReminders(task.id)).toBe(2);
    expect(await json<Task>(await api(`/tasks/${task.id}`, { as: w.repA }), 200)).toMatchObject({ id: task.id });
    const audit = await auditRows(w.owner, { recordId: task.id });
    expect(audit.map((a) => a.action)).toContain('task.created');
  });

  it('keeps an all-day task as a date, not midnight UTC', async () => {
    const task = await create(w.repA, { title: 'Send the catalogue', type: 'email', dueDate: '2027-01-15' });
    expect(task).toMatchObject({ dueDate: '2027-01-15', dueAt: null });
    const row = await env.DB.prepare('select due_date, due_at from tasks where id = ?').bind(task.id).first();
    expect(row).toEqual({ due_date: '2027-01-15', due_at: null });
  });

  it('edits with If-Match: 428 without, 412 when stale, and moving the due moves the reminders', async () => {
    const task = await create(w.repA, { title: 'Visit the shop', type: 'visit', dueAt: new Date(Date.now() + 5 * HOUR).toISOString(), reminderOffsets: [30] });
    await problem(await api(`/tasks/${task.id}`, { as: w.repA, method: 'PATCH', body: { title: 'x' } }), 428);
    const newDue = new Date(Date.now() + 9 * HOUR).toISOString();
    const edited = await json<Task>(await api(`/tasks/${task.id}`, { as: w.repA, method: 'PATCH', body: { dueAt: newDue }, headers: ifMatch(1) }), 200);
    expect(edited).toMatchObject({ dueAt: newDue, version: 2 });
    const fire = await env.DB.prepare("select fire_at from reminders where record_id = ? and status = 'pending'").bind(task.id).all<{ fire_at: string }>();
    expect(fire.results.map((r) => r.fire_at)).toEqual([new Date(Date.parse(newDue) - 30 * 60_000).toISOString()]);
    await problem(await api(`/tasks/${task.id}`, { as: w.repA, method: 'PATCH', body: { title: 'Stale' }, headers: ifMatch(1) }), 412);
    expect((await json<Task>(await api(`/tasks/${task.id}`, { as: w.repA }), 200)).title).toBe('Visit the shop');
  });

  it('deletes with If-Match; the task and its reminders are gone', async () => {
    const task = await create(w.repA, { title: 'Throwaway', dueAt: new Date(Date.now() + HOUR).toISOString(), reminderOffsets: [0] });
    const res = await api(`/tasks/${task.id}`, { as: w.repA, method: 'DELETE', headers: ifMatch(1) });
    expect(res.status).toBe(204);
    await problem(await api(`/tasks/${task.id}`, { as: w.repA }), 404);
    expect(await pendingReminders(task.id)).toBe(0);
  });
});

describe('tasks: validation changes nothing', () => {
  it('names each bad field', async () => {
    const before = (await list(w.owner, '?status=all&limit=200')).length;
    const p = await problem(
      await api('/tasks', { as: w.repA, body: { title: '', type: 'fax', dueAt: 'tomorrow', timezone: 'Mars/Olympus', reminderOffsets: [-5], recurrence: 'FREQ=HOURLY' } }),
      422,
    );
    expect(p.errors!.map((e) => e.field).sort()).toEqual(['dueAt', 'recurrence', 'reminderOffsets.0', 'timezone', 'title', 'type']);
    const both = await problem(await api('/tasks', { as: w.repA, body: { title: 'Both', dueAt: new Date().toISOString(), dueDate: '2027-01-01' } }), 422);
    expect(both.errors!.map((e) => e.field)).toEqual(['dueDate']);
    const undated = await problem(await api('/tasks', { as: w.repA, body: { title: 'Repeat', recurrence: 'FREQ=DAILY' } }), 422);
    expect(undated.errors!.map((e) => e.field)).toEqual(['recurrence']);
    const strangerContact = await problem(await api('/tasks', { as: w.repB, body: { title: 'Peek', contactId: customer.id } }), 422);
    expect(strangerContact.errors!.map((e) => e.field)).toEqual(['contactId']);
    expect((await list(w.owner, '?status=all&limit=200')).length).toBe(before);
  });
});

describe('tasks: who sees and changes what', () => {
  let repATask: Task;
  beforeAll(async () => {
    repATask = await create(w.repA, { title: 'Rep A private follow-up', dueDate: '2027-02-01' });
  });

  it("a rep cannot see or change another rep's task (404); the team manager and the owner can see it", async () => {
    await problem(await api(`/tasks/${repATask.id}`, { as: w.repB }), 404);
    await problem(await api(`/tasks/${repATask.id}/complete`, { as: w.repB, body: {} }), 404);
    expect((await list(w.repB, '?limit=200')).map((t) => t.id)).not.toContain(repATask.id);
    expect((await list(w.manager, '?limit=200')).map((t) => t.id)).toContain(repATask.id);
    expect((await list(w.owner, '?limit=200')).map((t) => t.id)).toContain(repATask.id);
    await problem(await api(`/tasks/${repATask.id}`, { as: w.outsider }), 404);
  });

  it('a viewer reads but cannot write (403)', async () => {
    expect((await list(w.viewer, '?limit=200')).map((t) => t.id)).toContain(repATask.id);
    await problem(await api('/tasks', { as: w.viewer, body: { title: 'Nope' } }), 403);
    await problem(await api(`/tasks/${repATask.id}/complete`, { as: w.viewer, body: {} }), 403);
  });

  it('a rep cannot assign a task to someone else', async () => {
    await problem(await api('/tasks', { as: w.repB, body: { title: 'For A', ownerId: w.repA.me.user.id } }), 403);
    const forA = await create(w.manager, { title: 'From the manager', ownerId: w.repA.me.user.id });
    expect(forA.ownerId).toBe(w.repA.me.user.id);
  });
});

describe('names of what a task is about', () => {
  it('carries the deal name beside the deal id in the list, detail, my day and the calendar', async () => {
    const deal = await createDeal(w.repA, { name: 'Tea house fit-out' });
    const dueAt = new Date(Date.now() + 2 * HOUR).toISOString();
    const task = await create(w.repA, { title: 'Send the fit-out quote', dealId: deal.id, contactId: customer.id, dueAt });
    expect(task).toMatchObject({ dealId: deal.id, dealName: 'Tea house fit-out', contactName: '王芳' });
    expect(await json<Task>(await api(`/tasks/${task.id}`, { as: w.repA }), 200)).toMatchObject({ dealName: 'Tea house fit-out' });
    expect((await list(w.repA, `?dealId=${deal.id}`)).map((t) => [t.id, t.dealName])).toEqual([[task.id, 'Tea house fit-out']]);
    const day = await json<{ overdue: Task[]; dueToday: Task[]; upcoming: Task[] }>(await api('/tasks/my-day', { as: w.repA }), 200);
    expect([...day.dueToday, ...day.upcoming].find((t) => t.id === task.id)).toMatchObject({ dealName: 'Tea house fit-out' });
    const from = new Date(Date.now() - 86400_000).toISOString().slice(0, 10);
    const to = new Date(Date.now() + 2 * 86400_000).toISOString().slice(0, 10);
    const cal = await json<{ items: Task[] }>(await api(`/tasks/calendar?from=${from}&to=${to}`, { as: w.repA }), 200);
    expect(cal.items.find((t) => t.id === task.id)).toMatchObject({ dealName: 'Tea house fit-out' });
    const edited = await json<Task>(await api(`/tasks/${task.id}`, { method: 'PATCH', as: w.repA, body: { dealId: null }, headers: ifMatch(task.version) }), 200);
    expect(edited).toMatchObject({ dealId: null, dealName: null });
  });

  it("names a customer, company or deal only to a reader who may see it", async () => {
    const theirs = await createContact(w.repB, { name: 'Rep B Customer' });
    const company = await seedCompany(w.owner, w.repB.me.user.id, 'Rep B Holdings');
    const deal = await createDeal(w.repB, { name: 'Rep B big deal' });
    // The owner (who sees everything) gives rep A a task about rep B's records.
    const task = await create(w.owner, { title: 'Cover for rep B', ownerId: w.repA.me.user.id, contactId: theirs.id, companyId: company, dealId: deal.id });
    expect(task).toMatchObject({ contactName: 'Rep B Customer', companyName: 'Rep B Holdings', dealName: 'Rep B big deal' });
    const seenByA = await json<Task>(await api(`/tasks/${task.id}`, { as: w.repA }), 200);
    expect(seenByA).toMatchObject({ contactId: theirs.id, contactName: null, companyId: company, companyName: null, dealId: deal.id, dealName: null });
    expect((await list(w.repA, `?dealId=${deal.id}`)).map((t) => t.dealName)).toEqual([null]);
    expect(await json<Task>(await api(`/tasks/${task.id}`, { as: w.manager }), 200)).toMatchObject({ dealName: null });
    expect(await json<Task>(await api(`/tasks/${task.id}`, { as: w.viewer }), 200)).toMatchObject({ dealName: 'Rep B big deal', contactName: 'Rep B Customer' });
  });

  it('completing a task on a deal logs it on the deal and the deal stops rotting', async () => {
    const deal = await createDeal(w.repA, { name: 'Idle deal' });
    await backdate(deal.id, { stage_entered_at: '2026-01-01T00:00:00.000Z', last_activity_at: '2026-01-01T00:00:00.000Z' });
    expect((await getDeal(w.repA, deal.id)).rotting).toBe(true);
    const task = await create(w.repA, { title: 'Chase the idle deal', type: 'call', dealId: deal.id });
    await json(await api(`/tasks/${task.id}/complete`, { as: w.repA, body: { outcome: 'Still interested' } }), 200);
    const after = await getDeal(w.repA, deal.id);
    expect(after).toMatchObject({ rotting: false, version: deal.version });
    const timeline = await json<{ items: { activity?: { outcome: string | null; meta: Record<string, unknown> | null } }[] }>(await api(`/deals/${deal.id}/timeline`, { as: w.repA }), 200);
    expect(timeline.items.map((e) => e.activity)).toContainEqual(expect.objectContaining({ outcome: 'Still interested', meta: { taskId: task.id } }));
  });
});

describe('done and undone', () => {
  it("completing logs the outcome on the customer's timeline; undoing withdraws it", async () => {
    const task = await create(w.repA, { title: 'Welcome call', type: 'call', contactId: customer.id, dueAt: new Date(Date.now() + HOUR).toISOString(), reminderOffsets: [10] });
    const done = await json<{ task: Task; next: Task | null }>(await api(`/tasks/${task.id}/complete`, { as: w.repA, body: { outcome: 'Happy with the delivery' }, headers: ifMatch(1) }), 200);
    expect(done.task).toMatchObject({ outcome: 'Happy with the delivery', version: 2 });
    expect(done.task.doneAt).toBeTruthy();
    expect(done.next).toBeNull();
    expect(await pendingReminders(task.id)).toBe(0);
    const timeline = await json<{ items: { kind: string; activity?: { subject: string; outcome: string } ; [k: string]: unknown }[] }>(await api(`/contacts/${customer.id}/timeline`, { as: w.repA }), 200);
    expect(JSON.stringify(timeline.items)).toContain('Happy with the delivery');
    const contact = await json<{ lastContactedAt: string | null }>(await api(`/contacts/${customer.id}`, { as: w.repA }), 200);
    expect(contact.lastContactedAt).toBeTruthy();
    // A stale quick action is refused.
    await problem(await api(`/tasks/${task.id}/uncomplete`, { as: w.repA, method: 'POST', headers: ifMatch(1) }), 412);
    const reopened = await json<Task>(await api(`/tasks/${task.id}/uncomplete`, { as: w.repA, method: 'POST' }), 200);
    expect(reopened).toMatchObject({ doneAt: null, outcome: null, version: 3 });
    const after = await json<{ items: unknown[] }>(await api(`/contacts/${customer.id}/timeline`, { as: w.repA }), 200);
    expect(JSON.stringify(after.items)).not.toContain('Happy with the delivery');
    expect(await pendingReminders(task.id)).toBe(1);
    expect((await auditRows(w.owner, { recordId: task.id })).map((a) => a.action)).toEqual(expect.arrayContaining(['task.completed', 'task.reopened']));
  });

  it('completing an occurrence twice makes one next occurrence', async () => {
    const task = await create(w.repA, { title: 'Monthly invoice check', dueDate: '2027-01-31', recurrence: 'FREQ=MONTHLY', timezone: 'Asia/Shanghai' });
    const first = await json<{ next: Task }>(await api(`/tasks/${task.id}/complete`, { as: w.repA, body: {} }), 200);
    expect(first.next).toMatchObject({ dueDate: '2027-02-28', occurrence: 2, seriesId: task.id, doneAt: null });
    await json(await api(`/tasks/${task.id}/uncomplete`, { as: w.repA, method: 'POST' }), 200);
    await json(await api(`/tasks/${task.id}/complete`, { as: w.repA, body: {} }), 200);
    const series = await env.DB.prepare('select count(*) as n from tasks where series_id = ?').bind(task.id).first<{ n: number }>();
    expect(series!.n).toBe(2);
    // The month after a short one goes back to the 31st.
    const third = await json<{ next: Task }>(await api(`/tasks/${first.next.id}/complete`, { as: w.repA, body: {} }), 200);
    expect(third.next.dueDate).toBe('2027-03-31');
  });

  it('weekly on chosen days follows BYDAY', async () => {
    // 2027-01-04 is a Monday.
    const task = await create(w.repA, { title: 'Gym class follow-up', dueDate: '2027-01-04', recurrence: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH' });
    const a = await json<{ next: Task }>(await api(`/tasks/${task.id}/complete`, { as: w.repA, body: {} }), 200);
    expect(a.next.dueDate).toBe('2027-01-07');
    const b = await json<{ next: Task }>(await api(`/tasks/${a.next.id}/complete`, { as: w.repA, body: {} }), 200);
    expect(b.next.dueDate).toBe('2027-01-18');
  });
});

describe('my day, calendar, snooze, reschedule', () => {
  let rep: Session;
  beforeAll(async () => {
    rep = w.repB;
    await env.DB.prepare("update users set timezone = 'Europe/Berlin' where id = ?").bind(rep.me.user.id).run();
  });

  it('sorts my open tasks into overdue, today and upcoming in my zone', async () => {
    const now = Date.now();
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date(now));
    const plus = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * 86400_000).toISOString().slice(0, 10);
    const overdue = await create(rep, { title: 'Overdue thing', dueAt: new Date(now - HOUR).toISOString() });
    const yesterday = await create(rep, { title: 'Yesterday all-day', dueDate: plus(-1) });
    const todayTask = await create(rep, { title: 'Today all-day', dueDate: today });
    const upcoming = await create(rep, { title: 'In three days', dueDate: plus(3) });
    const far = await create(rep, { title: 'In a month', dueDate: plus(30) });
    const day = await json<{ timezone: string; today: string; overdue: Task[]; dueToday: Task[]; upcoming: Task[] }>(await api('/tasks/my-day', { as: rep }), 200);
    expect(day).toMatchObject({ timezone: 'Europe/Berlin', today });
    expect(day.overdue.map((t) => t.id)).toEqual(expect.arrayContaining([overdue.id, yesterday.id]));
    expect(day.overdue.every((t) => t.isOverdue)).toBe(true);
    expect(day.dueToday.map((t) => t.id)).toContain(todayTask.id);
    expect(day.upcoming.map((t) => t.id)).toContain(upcoming.id);
    expect([...day.overdue, ...day.dueToday, ...day.upcoming].map((t) => t.id)).not.toContain(far.id);
    const overdueList = await list(rep, '?overdue=true');
    expect(overdueList.map((t) => t.id).sort()).toEqual([overdue.id, yesterday.id].sort());
  });

  it('the calendar shows tasks due in a range; dragging reschedules', async () => {
    const t1 = await create(rep, { title: 'Calendar timed', dueAt: '2027-05-10T08:00:00.000Z' });
    const t2 = await create(rep, { title: 'Calendar all-day', dueDate: '2027-05-12' });
    await create(rep, { title: 'Outside range', dueDate: '2027-06-20' });
    const week = await json<{ items: Task[] }>(await api('/tasks/calendar?from=2027-05-10&to=2027-05-16', { as: rep }), 200);
    expect(week.items.map((t) => t.title)).toEqual(['Calendar timed', 'Calendar all-day']);
    const moved = await json<Task>(await api(`/tasks/${t2.id}/reschedule`, { as: rep, body: { dueDate: '2027-05-20' }, headers: ifMatch(1) }), 200);
    expect(moved).toMatchObject({ dueDate: '2027-05-20', version: 2 });
    const toTimed = await json<Task>(await api(`/tasks/${t1.id}/reschedule`, { as: rep, body: { dueAt: '2027-05-11T09:00:00.000Z' } }), 200);
    expect(toTimed.dueAt).toBe('2027-05-11T09:00:00.000Z');
    const again = await json<{ items: Task[] }>(await api('/tasks/calendar?from=2027-05-10&to=2027-05-16', { as: rep }), 200);
    expect(again.items.map((t) => t.id)).toEqual([t1.id]);
    await problem(await api('/tasks/calendar?from=2027-01-01&to=2027-12-31', { as: rep }), 422);
    // A rep's calendar does not show the other rep's tasks.
    const other = await json<{ items: Task[] }>(await api('/tasks/calendar?from=2027-01-01&to=2027-02-28', { as: rep }), 200);
    expect(other.items.every((t) => t.ownerId === rep.me.user.id)).toBe(true);
  });

  it('snooze adds one more reminder and leaves the due alone', async () => {
    const task = await create(rep, { title: 'Snooze me', dueAt: new Date(Date.now() + HOUR).toISOString() });
    const snoozed = await json<Task & { remindAt: string }>(await api(`/tasks/${task.id}/snooze`, { as: rep, body: { minutes: 30 } }), 200);
    expect(snoozed.dueAt).toBe(task.dueAt);
    expect(Date.parse(snoozed.remindAt) - Date.now()).toBeGreaterThan(25 * 60_000);
    expect(await pendingReminders(task.id)).toBe(1);
    const p = await problem(await api(`/tasks/${task.id}/snooze`, { as: rep, body: {} }), 422);
    expect(p.errors!.map((e) => e.field)).toEqual(['minutes']);
  });
});

describe('list filters', () => {
  it('filters by type, priority, customer, text and status', async () => {
    const c = await createContact(w.repA, { name: 'Filter Fan' });
    const a = await create(w.repA, { title: 'Filter: urgent visit', type: 'visit', priority: 'urgent', contactId: c.id });
    const b = await create(w.repA, { title: 'Filter: low email', type: 'email', priority: 'low', contactId: c.id });
    expect((await list(w.repA, `?contactId=${c.id}`)).map((t) => t.id).sort()).toEqual([a.id, b.id].sort());
    expect((await list(w.repA, `?contactId=${c.id}&type=visit`)).map((t) => t.id)).toEqual([a.id]);
    expect((await list(w.repA, `?contactId=${c.id}&priority=low,normal`)).map((t) => t.id)).toEqual([b.id]);
    expect((await list(w.repA, '?q=urgent%20visit')).map((t) => t.id)).toEqual([a.id]);
    const pct = await create(w.repA, { title: 'Offer 50% off' });
    await create(w.repA, { title: 'Offer 500 units' });
    expect((await list(w.repA, `?q=${encodeURIComponent('50%')}`)).map((t) => t.id)).toEqual([pct.id]);
    await json(await api(`/tasks/${a.id}/complete`, { as: w.repA, body: {} }), 200);
    expect((await list(w.repA, `?contactId=${c.id}`)).map((t) => t.id)).toEqual([b.id]);
    expect((await list(w.repA, `?contactId=${c.id}&status=done`)).map((t) => t.id)).toEqual([a.id]);
    expect((await list(w.repA, `?contactId=${c.id}&status=all&limit=1`)).length).toBe(1);
  });
});
