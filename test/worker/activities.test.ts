import { beforeAll, describe, expect, it } from 'vitest';
import { api, apiKey, auditRows, failingFields, json, problem, type Session } from './helpers';
import { createContact, daysAgo, getContact, logActivity, seedCompany, type Activity, type Page } from './customer-helpers';
import { buildWorld } from './customers-world';

let owner: Session;
let manager: Session;
let repA: Session;
let repB: Session;
let viewer: Session;
let outsider: Session;

beforeAll(async () => {
  ({ owner, manager, repA, repB, viewer, outsider } = await buildWorld('Activity Arts'));
});

const patchActivity = (as: Session, id: string, body: unknown) => api(`/activities/${id}`, { method: 'PATCH', as, body });

describe('logging activities', () => {
  it('logs a call by the signed-in user, fills in the company and audits it', async () => {
    const company = await seedCompany(owner, repA.me.user.id);
    const c = await createContact(repA, { companyId: company });
    const call = await logActivity(repA, { contactId: c.id, type: 'call', subject: '回访', outcome: 'Wants a quote', occurredAt: '2026-11-20T09:30:00+08:00' });
    expect(call).toMatchObject({ type: 'call', contactId: c.id, companyId: company, userId: repA.me.user.id, outcome: 'Wants a quote', occurredAt: '2026-11-20T01:30:00.000Z', summary: null });
    expect(await json<Activity>(await api(`/activities/${call.id}`, { as: repA }), 200)).toEqual(call);
    const audits = await auditRows(owner, { recordType: 'activity', recordId: call.id });
    expect(audits.map((a) => a.action)).toEqual(['activity.created']);
  });

  it('keeps lastContactedAt at the latest call, email, meeting or visit', async () => {
    const c = await createContact(repA);
    expect((await getContact(repA, c.id)).lastContactedAt).toBeNull();
    const visit = await logActivity(repA, { contactId: c.id, type: 'visit', outcome: 'Tasting', occurredAt: daysAgo(3) });
    await logActivity(repA, { contactId: c.id, type: 'note', body: 'Notes do not count', occurredAt: daysAgo(1) });
    await logActivity(repA, { contactId: c.id, type: 'complaint', body: 'Complaints come from them', occurredAt: daysAgo(1) });
    expect((await getContact(repA, c.id)).lastContactedAt).toBe(visit.occurredAt);
    const email = await logActivity(repA, { contactId: c.id, type: 'email', subject: 'Older email', occurredAt: daysAgo(10) });
    expect((await getContact(repA, c.id)).lastContactedAt).toBe(visit.occurredAt);
    const meeting = await logActivity(repA, { contactId: c.id, type: 'meeting', subject: 'Contract', occurredAt: daysAgo(2) });
    expect((await getContact(repA, c.id)).lastContactedAt).toBe(meeting.occurredAt);

    // Moving the meeting back and deleting the visit leave the email as the latest contact.
    await json<Activity>(await patchActivity(repA, meeting.id, { occurredAt: daysAgo(20) }), 200);
    expect((await getContact(repA, c.id)).lastContactedAt).toBe(visit.occurredAt);
    expect((await api(`/activities/${visit.id}`, { method: 'DELETE', as: repA })).status).toBe(204);
    const after = await getContact(repA, c.id);
    expect(after.lastContactedAt).toBe(email.occurredAt);
    expect(after.version).toBe(c.version);
  });

  it('names each failing field', async () => {
    const c = await createContact(repA);
    expect(await failingFields(await api('/activities', { as: repA, body: { contactId: c.id, type: 'system', body: 'x' } }))).toEqual(['type']);
    expect(await failingFields(await api('/activities', { as: repA, body: { contactId: c.id, type: 'note' } }))).toEqual(['body']);
    expect(await failingFields(await api('/activities', { as: repA, body: { contactId: c.id, type: 'call', outcome: 'ok', occurredAt: 'yesterday' } }))).toEqual(['occurredAt']);
    expect(await failingFields(await api('/activities', { as: repA, body: { type: 'note', body: 'about nobody' } }))).toEqual(['contactId']);
    expect(await failingFields(await api('/activities', { as: repA, body: { companyId: 'cmp_nope', type: 'note', body: 'x' } }))).toEqual(['companyId']);
    const long = 'x'.repeat(201);
    expect(await failingFields(await api('/activities', { as: repA, body: { contactId: c.id, type: 'note', subject: long } }))).toEqual(['subject']);
    const a = await logActivity(repA, { contactId: c.id, type: 'note', body: 'x' });
    expect(await failingFields(await patchActivity(repA, a.id, {}))).toEqual(['(body)']);
  });

  it('lists newest first, filtered by contact and type, with a cursor', async () => {
    const c = await createContact(repA);
    const made: Activity[] = [];
    for (let i = 0; i < 5; i++) made.push(await logActivity(repA, { contactId: c.id, type: i % 2 ? 'call' : 'note', body: `#${i}`, occurredAt: daysAgo(10 - i) }));
    const first = await json<Page<Activity>>(await api(`/activities?contactId=${c.id}&limit=3`, { as: repA }), 200);
    const rest = await json<Page<Activity>>(await api(`/activities?contactId=${c.id}&limit=3&cursor=${first.nextCursor}`, { as: repA }), 200);
    expect([...first.items, ...rest.items].map((a) => a.id)).toEqual(made.map((a) => a.id).reverse());
    expect(rest.nextCursor).toBeNull();
    const calls = await json<Page<Activity>>(await api(`/activities?contactId=${c.id}&type=call`, { as: repA }), 200);
    expect(calls.items.map((a) => a.id)).toEqual([made[3].id, made[1].id]);
    expect(await failingFields(await api('/activities?type=letter', { as: repA }))).toEqual(['type.0']);
  });
});

describe('who may see and change activities', () => {
  let c: { id: string };
  let note: Activity;

  beforeAll(async () => {
    c = await createContact(repA, { name: 'Quiet client' });
    note = await logActivity(repA, { contactId: c.id, type: 'note', body: 'Confidential terms' });
  });

  it('is 401 signed out and 403 for a viewer writing', async () => {
    await problem(await api('/activities'), 401);
    await problem(await api('/activities', { as: viewer, body: { contactId: c.id, type: 'note', body: 'x' } }), 403);
    expect((await api(`/activities/${note.id}`, { as: viewer })).status).toBe(200);
    const readOnly = await apiKey(owner, ['activities:read']);
    await problem(await api('/activities', { apiKey: readOnly.key, body: { contactId: c.id, type: 'note', body: 'x' } }), 403);
  });

  it("is 404 and absent for another rep and another workspace, visible to the rep's manager", async () => {
    await problem(await api(`/activities/${note.id}`, { as: repB }), 404, 'not_found');
    await problem(await patchActivity(repB, note.id, { body: 'changed' }), 404);
    await problem(await api(`/activities/${note.id}`, { method: 'DELETE', as: repB }), 404);
    expect((await json<Page<Activity>>(await api(`/activities?contactId=${c.id}`, { as: repB }), 200)).items).toEqual([]);
    expect((await json<Page<Activity>>(await api('/activities?limit=200', { as: repB }), 200)).items.map((a) => a.id)).not.toContain(note.id);
    expect(await failingFields(await api('/activities', { as: repB, body: { contactId: c.id, type: 'note', body: 'x' } }))).toEqual(['contactId']);
    await problem(await api(`/activities/${note.id}`, { as: outsider }), 404);
    expect((await json<Page<Activity>>(await api('/activities', { as: outsider }), 200)).items).toEqual([]);
    expect((await api(`/activities/${note.id}`, { as: manager })).status).toBe(200);
  });

  it('follows the company when there is no contact', async () => {
    const company = await seedCompany(owner, repA.me.user.id);
    const visit = await logActivity(repA, { companyId: company, type: 'visit', outcome: 'Met the board' });
    expect(visit).toMatchObject({ contactId: null, companyId: company });
    await problem(await api(`/activities/${visit.id}`, { as: repB }), 404);
    expect((await api(`/activities/${visit.id}`, { as: repA })).status).toBe(200);
    expect(await failingFields(await api('/activities', { as: repB, body: { companyId: company, type: 'note', body: 'x' } }))).toEqual(['companyId']);
  });

  it('lets the author and admins edit or delete, nobody else', async () => {
    await problem(await patchActivity(manager, note.id, { body: 'manager edit' }), 403, 'forbidden');
    const edited = await json<Activity>(await patchActivity(repA, note.id, { body: 'Revised terms' }), 200);
    expect(edited.body).toBe('Revised terms');
    expect((await json<Activity>(await patchActivity(owner, note.id, { outcome: 'Signed' }), 200)).outcome).toBe('Signed');
    await problem(await api(`/activities/${note.id}`, { method: 'DELETE', as: manager }), 403);
    const throwaway = await logActivity(repA, { contactId: c.id, type: 'note', body: 'typo' });
    expect((await api(`/activities/${throwaway.id}`, { method: 'DELETE', as: repA })).status).toBe(204);
    await problem(await api(`/activities/${throwaway.id}`, { as: repA }), 404);
    const audits = await auditRows(owner, { recordType: 'activity', recordId: throwaway.id });
    expect(audits.map((a) => a.action)).toEqual(['activity.deleted', 'activity.created']);
  });

  it('logs for a colleague only as an admin, who then becomes the author of record', async () => {
    await problem(await api('/activities', { as: repA, body: { contactId: c.id, type: 'call', outcome: 'x', userId: repB.me.user.id } }), 403);
    const forA = await logActivity(owner, { contactId: c.id, type: 'call', outcome: 'Logged by the owner', userId: repA.me.user.id });
    expect(forA.userId).toBe(repA.me.user.id);
    expect((await patchActivity(repA, forA.id, { outcome: 'Corrected by rep A' })).status).toBe(200);
    expect(await failingFields(await api('/activities', { as: owner, body: { contactId: c.id, type: 'call', outcome: 'x', userId: 'usr_nobody' } }))).toEqual(['userId']);
  });

  it("keeps Hearth's own entries as written", async () => {
    const buyer = await createContact(repA, { lifecycle: 'lead' });
    await api('/orders', { as: repA, body: { contactId: buyer.id, status: 'paid', items: [{ name: 'Tea', quantity: 1, unitPrice: 100 }] } });
    const page = await json<Page<Activity>>(await api(`/activities?contactId=${buyer.id}&type=system`, { as: repA }), 200);
    expect(page.items).toHaveLength(1);
    expect(page.items[0].summary).toMatch(/#/);
    await problem(await patchActivity(owner, page.items[0].id, { body: 'rewrite history' }), 403);
    await problem(await api(`/activities/${page.items[0].id}`, { method: 'DELETE', as: owner }), 403);
  });
});
