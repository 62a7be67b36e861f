import { beforeAll, describe, expect, it } from 'vitest';
import { api, createTeam, json, problem, signup, userWithRole, type Session } from './helpers';
import {
  createContact,
  createOrder,
  createTicket,
  daysAgo,
  ifMatch,
  logActivity,
  paidOrder,
  seedCompany,
  timeline,
  type Page,
  type Ticket,
  type TimelineEntry,
} from './customer-helpers';

let owner: Session;
let manager: Session;
let repA: Session;
let repB: Session;
let outsider: Session;

beforeAll(async () => {
  owner = await signup({ workspaceName: 'Timeline Traders' });
  manager = await userWithRole(owner, 'manager');
  const team = await createTeam(owner, { name: 'South', managerId: manager.me.user.id });
  [repA, repB, outsider] = await Promise.all([userWithRole(owner, 'rep', { teamId: team.id }), userWithRole(owner, 'rep'), signup({ workspaceName: 'Another Shop' })]);
});

/** Every entry of a timeline, walking the cursor `limit` at a time. */
async function walk(as: Session, path: string, limit: number): Promise<{ entries: TimelineEntry[]; pages: number }> {
  const entries: TimelineEntry[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const qs: string = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: Page<TimelineEntry> = await json(await api(`${path}${qs}`, { as }), 200);
    entries.push(...page.items);
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor);
  return { entries, pages };
}

const isNewestFirst = (entries: TimelineEntry[]) =>
  entries.every((e, i) => i === 0 || entries[i - 1].at > e.at || (entries[i - 1].at === e.at && entries[i - 1].key > e.key));

describe('a customer timeline', () => {
  it('merges activities, orders, tickets and system entries newest first', async () => {
    const c = await createContact(repA, { lifecycle: 'prospect' });
    const note = await logActivity(repA, { contactId: c.id, type: 'note', body: 'Likes oolong', occurredAt: daysAgo(5) });
    const order = await createOrder(repA, paidOrder(c.id, 6_600, { number: 'T-1', orderedAt: daysAgo(4) }));
    const complaint = await createTicket(repA, { contactId: c.id, kind: 'complaint', subject: 'Chipped lid', openedAt: daysAgo(3) });
    const call = await logActivity(repA, { contactId: c.id, type: 'call', outcome: 'Sending a new lid', occurredAt: daysAgo(1) });
    const resolved = await json<Ticket>(
      await api(`/tickets/${complaint.id}`, { method: 'PATCH', as: repA, body: { status: 'resolved', resolution: 'New lid shipped' }, headers: ifMatch(1) }),
      200,
    );

    const page = await timeline(repA, c.id);
    expect(page.nextCursor).toBeNull();
    expect(isNewestFirst(page.items)).toBe(true);
    const byKey = Object.fromEntries(page.items.map((e) => [e.key, e]));
    expect(page.items.map((e) => e.kind).sort()).toEqual(['activity', 'activity', 'activity', 'order', 'ticket_opened', 'ticket_resolved']);
    expect(byKey[`a:${note.id}`]).toMatchObject({ kind: 'activity', at: note.occurredAt, activity: { body: 'Likes oolong' } });
    expect(byKey[`o:${order.id}`]).toMatchObject({ kind: 'order', at: order.orderedAt, order: { number: 'T-1', total: 6_600, status: 'paid' } });
    expect(byKey[`t:${complaint.id}`]).toMatchObject({ kind: 'ticket_opened', at: complaint.openedAt, ticket: { kind: 'complaint' } });
    expect(byKey[`r:${complaint.id}`]).toMatchObject({ kind: 'ticket_resolved', at: resolved.resolvedAt, ticket: { resolution: 'New lid shipped' } });
    const system = page.items.find((e) => e.activity?.type === 'system');
    expect(system?.activity?.meta).toMatchObject({ event: 'lifecycle.customer', from: 'prospect', orderNumber: 'T-1' });
    // The four dated in the past keep their order below the two stamped just now.
    expect(page.items.slice(2).map((e) => e.key)).toEqual([`a:${call.id}`, `t:${complaint.id}`, `o:${order.id}`, `a:${note.id}`]);

    const onlyTickets = await timeline(repA, c.id, '?kinds=ticket_opened,ticket_resolved');
    expect(onlyTickets.items.map((e) => e.key).sort()).toEqual([`r:${complaint.id}`, `t:${complaint.id}`]);
  });

  it('pages through ties and every source without losing or repeating an entry', async () => {
    const c = await createContact(repA);
    const same = daysAgo(2);
    for (let i = 0; i < 4; i++) await logActivity(repA, { contactId: c.id, type: 'note', body: `Note ${i}`, occurredAt: same });
    for (let i = 0; i < 3; i++) await createOrder(repA, { ...paidOrder(c.id, 100), status: 'pending', orderedAt: same });
    for (let i = 0; i < 3; i++) await createTicket(repA, { contactId: c.id, subject: `Question ${i}`, openedAt: daysAgo(3 + i) });
    await logActivity(repA, { contactId: c.id, type: 'email', subject: 'Catalogue', occurredAt: daysAgo(1) });

    const all = await timeline(repA, c.id, '?limit=200');
    expect(all.items).toHaveLength(11);
    expect(isNewestFirst(all.items)).toBe(true);
    for (const limit of [1, 2, 3, 5]) {
      const walked = await walk(repA, `/contacts/${c.id}/timeline`, limit);
      expect(walked.entries.map((e) => e.key)).toEqual(all.items.map((e) => e.key));
      expect(walked.pages).toBe(Math.ceil(11 / limit));
    }
  });

  it('leaves out deleted activities and orders', async () => {
    const c = await createContact(repA);
    const kept = await logActivity(repA, { contactId: c.id, type: 'note', body: 'kept' });
    const gone = await logActivity(repA, { contactId: c.id, type: 'note', body: 'gone' });
    const order = await createOrder(repA, paidOrder(c.id, 100));
    expect((await api(`/activities/${gone.id}`, { method: 'DELETE', as: repA })).status).toBe(204);
    expect((await api(`/orders/${order.id}`, { method: 'DELETE', as: repA, headers: ifMatch(order.version) })).status).toBe(204);
    const keys = (await timeline(repA, c.id)).items.map((e) => e.key);
    expect(keys).toContain(`a:${kept.id}`);
    expect(keys).not.toContain(`a:${gone.id}`);
    expect(keys).not.toContain(`o:${order.id}`);
  });

  it("keeps both histories after a merge, with the merge told in the reader's language", async () => {
    const target = await createContact(repA, { name: '王芳' });
    const source = await createContact(repA, { name: 'Fang Wang' });
    const kept = await createOrder(repA, paidOrder(target.id, 1_000, { orderedAt: daysAgo(9) }));
    const moved = await createOrder(repA, paidOrder(source.id, 2_000, { orderedAt: daysAgo(8) }));
    const note = await logActivity(repA, { contactId: source.id, type: 'note', body: 'Prefers WeChat', occurredAt: daysAgo(7) });
    expect((await api(`/contacts/${target.id}/merge`, { as: repA, body: { sourceId: source.id } })).status).toBe(200);

    const zh = await timeline(repA, target.id, '?limit=200');
    expect(zh.items.map((e) => e.key)).toEqual(expect.arrayContaining([`o:${kept.id}`, `o:${moved.id}`, `a:${note.id}`]));
    const merge = zh.items.find((e) => e.activity?.meta?.event === 'contact.merged');
    expect(merge?.activity?.summary).toBe('已将 Fang Wang 合并到 王芳');
    await json(await api('/me', { method: 'PATCH', as: manager, body: { locale: 'en' } }), 200);
    const en = await timeline(manager, target.id, '?kinds=activity');
    expect(en.items.find((e) => e.activity?.meta?.event === 'contact.merged')?.activity?.summary).toBe('Merged Fang Wang into 王芳');
  });

  it('is 404 to whoever may not see the customer, and refuses a foreign cursor', async () => {
    const c = await createContact(repA);
    await logActivity(repA, { contactId: c.id, type: 'note', body: 'private' });
    await problem(await api(`/contacts/${c.id}/timeline`, { as: repB }), 404, 'not_found');
    await problem(await api(`/contacts/${c.id}/timeline`, { as: outsider }), 404, 'not_found');
    await problem(await api('/contacts/con_missing/timeline', { as: owner }), 404);
    await problem(await api(`/contacts/${c.id}/timeline`), 401);
    expect((await timeline(manager, c.id)).items).toHaveLength(1);
    await problem(await api(`/contacts/${c.id}/timeline?cursor=not-a-cursor`, { as: repA }), 400, 'invalid_cursor');
  });
});

describe('a company timeline', () => {
  it("shows the company's own history and its people's, but not a hidden person's", async () => {
    const company = await seedCompany(owner, repA.me.user.id, '龙井茶业');
    const mine = await createContact(repA, { companyId: company });
    // repB cannot see repA's company, so the owner links repB's customer to it.
    const theirs = await createContact(owner, { companyId: company, ownerId: repB.me.user.id });
    const call = await logActivity(repA, { contactId: mine.id, type: 'call', outcome: 'Reached the buyer' });
    expect(call.companyId).toBe(company);
    const companyOrder = await createOrder(repA, paidOrder(mine.id, 100, { contactId: undefined, companyId: company }));
    expect(companyOrder).toMatchObject({ contactId: null, companyId: company });
    const hidden = await logActivity(repB, { contactId: theirs.id, type: 'visit', outcome: 'Private visit' });

    const seen = await walk(repA, `/companies/${company}/timeline`, 50);
    const keys = seen.entries.map((e) => e.key);
    expect(keys).toEqual(expect.arrayContaining([`a:${call.id}`, `o:${companyOrder.id}`]));
    expect(keys).not.toContain(`a:${hidden.id}`);
    const all = await walk(owner, `/companies/${company}/timeline`, 50);
    expect(all.entries.map((e) => e.key)).toContain(`a:${hidden.id}`);

    await problem(await api(`/companies/${company}/timeline`, { as: repB }), 404);
    await problem(await api(`/companies/${company}/timeline`, { as: outsider }), 404);
  });
});
