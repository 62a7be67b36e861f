import { beforeAll, describe, expect, it } from 'vitest';
import { api, auditRows, failingFields, json, problem, type Session } from './helpers';
import { createContact, createTicket, daysAgo, ifMatch, timeline, type Page, type Ticket } from './customer-helpers';
import { buildWorld } from './customers-world';

let owner: Session;
let manager: Session;
let repA: Session;
let repB: Session;
let viewer: Session;
let outsider: Session;

beforeAll(async () => {
  ({ owner, manager, repA, repB, viewer, outsider } = await buildWorld('Service Desk Ltd'));
});

const patch = (as: Session, t: { id: string }, version: number, body: unknown) => api(`/tickets/${t.id}`, { method: 'PATCH', as, body, headers: ifMatch(version) });

describe('tickets', () => {
  it('opens a complaint with defaults, and it shows on the timeline', async () => {
    const c = await createContact(repA);
    const res = await api('/tickets', { as: repA, body: { contactId: c.id, kind: 'complaint', subject: '茶叶受潮', description: 'Arrived damp', priority: 'high' } });
    const t = await json<Ticket>(res, 201);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(t).toMatchObject({ kind: 'complaint', status: 'open', priority: 'high', ownerId: repA.me.user.id, contactId: c.id, resolvedAt: null, timeToResolveSeconds: null, version: 1 });
    const entries = (await timeline(repA, c.id)).items;
    expect(entries.map((e) => [e.kind, e.ticket?.id])).toEqual([['ticket_opened', t.id]]);
  });

  it('needs a resolution to resolve, derives the time to resolve, and clears it on reopening', async () => {
    const c = await createContact(repA);
    const t = await createTicket(repA, { contactId: c.id, subject: 'Invoice copy', openedAt: daysAgo(2) });
    expect(await failingFields(await patch(repA, t, 1, { status: 'resolved' }))).toEqual(['resolution']);
    expect(await failingFields(await patch(repA, t, 1, { status: 'closed', resolution: '' }))).toEqual(['resolution']);
    const resolved = await json<Ticket>(await patch(repA, t, 1, { status: 'resolved', resolution: 'Sent by email' }), 200);
    expect(resolved).toMatchObject({ status: 'resolved', resolution: 'Sent by email', version: 2 });
    expect(resolved.timeToResolveSeconds).toBe(Math.round((Date.parse(resolved.resolvedAt!) - Date.parse(t.openedAt)) / 1000));
    expect(resolved.timeToResolveSeconds).toBeGreaterThanOrEqual(2 * 86_400);
    const closed = await json<Ticket>(await patch(repA, t, 2, { status: 'closed' }), 200);
    expect(closed.resolvedAt).toBe(resolved.resolvedAt);
    const reopened = await json<Ticket>(await patch(repA, t, 3, { status: 'open' }), 200);
    expect(reopened).toMatchObject({ status: 'open', resolvedAt: null, timeToResolveSeconds: null });
    const audits = await auditRows(owner, { recordType: 'ticket', recordId: t.id });
    expect(audits.map((a) => a.action)).toEqual(['ticket.updated', 'ticket.updated', 'ticket.updated', 'ticket.created']);
  });

  it('refuses a stale edit with 412 and a missing If-Match with 428', async () => {
    const c = await createContact(repA);
    const t = await createTicket(repA, { contactId: c.id, subject: 'Stale' });
    await json(await patch(repA, t, 1, { priority: 'urgent' }), 200);
    await problem(await patch(repA, t, 1, { priority: 'low' }), 412, 'version_mismatch');
    await problem(await api(`/tickets/${t.id}`, { method: 'PATCH', as: repA, body: { priority: 'low' } }), 428);
    expect((await json<Ticket>(await api(`/tickets/${t.id}`, { as: repA }), 200)).priority).toBe('urgent');
  });

  it('names each failing field', async () => {
    const c = await createContact(repA);
    const fields = await failingFields(await api('/tickets', { as: repA, body: { contactId: c.id, subject: '', kind: 'praise', priority: 'whenever', status: 'done' } }));
    expect(fields).toEqual(expect.arrayContaining(['subject', 'kind', 'priority', 'status']));
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect(await failingFields(await api('/tickets', { as: repA, body: { contactId: c.id, subject: 'x', openedAt: future } }))).toEqual(['openedAt']);
    expect(await failingFields(await api('/tickets', { as: repA, body: { subject: 'nobody' } }))).toEqual(['contactId']);
    expect(await failingFields(await api('/tickets', { as: repA, body: { contactId: c.id, subject: 'x', ownerId: 'usr_nobody' } }))).toEqual(['ownerId']);
  });

  it('lists newest first with filters and a cursor, and deletes softly', async () => {
    const c = await createContact(repA);
    const a = await createTicket(repA, { contactId: c.id, subject: 'A', kind: 'complaint', openedAt: daysAgo(3) });
    const b = await createTicket(repA, { contactId: c.id, subject: 'B', openedAt: daysAgo(2) });
    const d = await createTicket(repA, { contactId: c.id, subject: 'C', kind: 'complaint', openedAt: daysAgo(1) });
    const first = await json<Page<Ticket>>(await api(`/tickets?contactId=${c.id}&limit=2`, { as: repA }), 200);
    const rest = await json<Page<Ticket>>(await api(`/tickets?contactId=${c.id}&limit=2&cursor=${first.nextCursor}`, { as: repA }), 200);
    expect([...first.items, ...rest.items].map((t) => t.id)).toEqual([d.id, b.id, a.id]);
    const complaints = await json<Page<Ticket>>(await api(`/tickets?contactId=${c.id}&kind=complaint`, { as: repA }), 200);
    expect(complaints.items.map((t) => t.id)).toEqual([d.id, a.id]);
    await problem(await api(`/tickets/${b.id}`, { method: 'DELETE', as: repA }), 428);
    expect((await api(`/tickets/${b.id}`, { method: 'DELETE', as: repA, headers: ifMatch(1) })).status).toBe(204);
    await problem(await api(`/tickets/${b.id}`, { as: repA }), 404);
    expect((await timeline(repA, c.id)).items.map((e) => e.ticket?.id)).not.toContain(b.id);
  });
});

describe('who may see and change tickets', () => {
  it("is 401/403/404 as it should be, and visible to the rep's manager", async () => {
    const c = await createContact(repA, { name: 'Private complainant' });
    const t = await createTicket(repA, { contactId: c.id, kind: 'complaint', subject: 'Private' });
    await problem(await api('/tickets'), 401);
    await problem(await api('/tickets', { as: viewer, body: { contactId: c.id, subject: 'x' } }), 403);
    expect((await api(`/tickets/${t.id}`, { as: viewer })).status).toBe(200);
    await problem(await api(`/tickets/${t.id}`, { as: repB }), 404, 'not_found');
    await problem(await patch(repB, t, 1, { priority: 'low' }), 404);
    expect((await json<Page<Ticket>>(await api('/tickets?limit=200', { as: repB }), 200)).items.map((x) => x.id)).not.toContain(t.id);
    await problem(await api(`/tickets/${t.id}`, { as: outsider }), 404);
    expect((await json<Page<Ticket>>(await api('/tickets', { as: outsider }), 200)).items).toEqual([]);
    expect((await api(`/tickets/${t.id}`, { as: manager })).status).toBe(200);
    await problem(await api('/tickets', { as: repA, body: { contactId: c.id, subject: 'x', ownerId: repB.me.user.id } }), 403);
    const assigned = await createTicket(manager, { contactId: c.id, subject: 'For the rep', ownerId: repA.me.user.id });
    expect(assigned.ownerId).toBe(repA.me.user.id);
  });
});
