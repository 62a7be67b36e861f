import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, auditRows, failingFields, json, problem, type Session } from './helpers';
import { buildWorld, countWhere, createContact, createTag, insertActivity, insertOrder, insertTicket, rawRow, type World } from './customers-world';

type Export = {
  exportedAt: string;
  contact: { id: string; name: string; emails: string[]; nationalId: string | null; tags: { name: string }[] };
  mergedRecords: { id: string; name: string; nationalId: string | null }[];
  channels: { kind: string; value: string }[];
  consentHistory: { channel: string; granted: boolean }[];
  activities: { id: string; body: string | null }[];
  orders: { id: string; total: number; items: { name: string; quantity: number }[] }[];
  tickets: { id: string; subject: string }[];
  auditLog: { action: string; recordId: string }[];
};
type ConsentPage = {
  items: { channel: string; granted: boolean; source: string; actorId: string | null; occurredAt: string }[];
  nextCursor: string | null;
  current: { email: { granted: boolean } | null; sms: { granted: boolean } | null };
};

let w: World;
let ws: string;

const patch = (as: Session, id: string, version: number, body: Record<string, unknown>) =>
  api(`/contacts/${id}`, { method: 'PATCH', as, body, headers: { 'if-match': `"${version}"` } });

beforeAll(async () => {
  w = await buildWorld();
  ws = w.owner.me.workspace.id;
});

describe('GET /api/v1/contacts/:id/export', () => {
  it('returns everything about one person, sensitive fields in full for admins only', async () => {
    const tag = await createTag(w.owner, 'Tea club');
    const person = await createContact(w.repA, { name: '李娜', emails: ['li.na@example.cn'], phones: ['13900004321'], nationalId: '110101199003077777', tagIds: [tag], emailConsent: true });
    const old = await createContact(w.repA, { name: 'Li Na (old)', emails: ['lina.old@example.cn'], bankAccount: '6222020200112233' });
    await json(await api(`/contacts/${person.id}/merge`, { as: w.repA, body: { sourceId: old.id } }), 200);
    const note = await insertActivity(ws, person.id, 'Prefers green tea');
    const order = await insertOrder(ws, person.id, 8_800);
    const ticket = await insertTicket(ws, person.id, 'Late delivery');

    const res = await api(`/contacts/${person.id}/export`, { as: w.owner });
    const full = await json<Export>(res, 200);
    expect(res.headers.get('content-disposition')).toContain(`customer-${person.id}.json`);
    expect(full.contact).toMatchObject({ id: person.id, name: '李娜', nationalId: '110101199003077777' });
    expect(full.contact.emails).toEqual(['li.na@example.cn', 'lina.old@example.cn']);
    expect(full.contact.tags.map((t) => t.name)).toEqual(['Tea club']);
    expect(full.mergedRecords).toMatchObject([{ id: old.id, name: 'Li Na (old)', bankAccount: '6222020200112233' }]);
    expect(full.channels.map((c) => c.value).sort()).toEqual(['+8613900004321', 'li.na@example.cn', 'lina.old@example.cn']);
    expect(full.consentHistory).toMatchObject([{ channel: 'email', granted: true }]);
    expect(full.activities.map((a) => a.id)).toContain(note);
    expect(full.orders).toMatchObject([{ id: order, total: 8_800, items: [{ name: 'Tea set', quantity: 1 }] }]);
    expect(full.tickets).toMatchObject([{ id: ticket, subject: 'Late delivery' }]);
    expect(full.auditLog.map((a) => `${a.action}:${a.recordId === person.id ? 'person' : 'old'}`)).toEqual(
      expect.arrayContaining(['contact.created:person', 'contact.created:old', 'contact.merged:person', 'contact.merged_into:old']),
    );

    const masked = await json<Export>(await api(`/contacts/${person.id}/export`, { as: w.repA }), 200);
    expect(masked.contact.nationalId).toMatch(/^•+7777$/);
    expect(masked.mergedRecords[0].nationalId).toBeNull();
    expect(JSON.stringify(masked)).not.toContain('6222020200112233');

    expect((await auditRows(w.owner, { action: 'contact.exported', recordId: person.id })).map((a) => a.actorId).sort()).toEqual([w.owner.me.user.id, w.repA.me.user.id].sort());
  });

  it('is not found for a customer the reader may not see', async () => {
    const secret = await createContact(w.repA, { name: 'Export Secret' });
    await problem(await api(`/contacts/${secret.id}/export`, { as: w.repB }), 404);
    await problem(await api(`/contacts/${secret.id}/export`, { as: w.outsider }), 404);
    await problem(await api(`/contacts/${secret.id}/export`), 401);
    expect((await json<Export>(await api(`/contacts/${secret.id}/export`, { as: w.manager }), 200)).contact.id).toBe(secret.id);
  });
});

describe('POST /api/v1/contacts/:id/erase', () => {
  it('removes the personal data but keeps order totals', async () => {
    await json(await api('/custom-fields', { as: w.owner, body: { entity: 'contact', key: 'wechat', label: 'WeChat', type: 'text' } }), 201);
    const company = await json<{ id: string }>(await api('/companies', { as: w.owner, body: { name: 'Erase Test Co', ownerId: null } }), 201);
    const person = await createContact(w.repA, {
      name: '张伟',
      emails: ['zhang.wei@example.cn'],
      phones: ['13700009876'],
      address: { city: '上海', street: '南京西路 1 号' },
      birthday: '1988-08-08',
      nationalId: '310101198808081234',
      customFields: { wechat: 'zw_8888' },
      companyId: company.id,
      emailConsent: true,
    });
    const note = await insertActivity(ws, person.id, 'Home address is 南京西路 1 号');
    const loggedNote = await json<{ id: string }>(await api('/activities', { as: w.repA, body: { type: 'call', contactId: person.id, body: '张伟 asked us to call 13700009876 after six' } }), 201);
    const orderA = await insertOrder(ws, person.id, 15_000, { note: 'Deliver to 张伟 at home' });
    const orderB = await insertOrder(ws, person.id, 5_000);
    const ticket = await insertTicket(ws, person.id, 'Call 张伟 back', 'Wants a refund to 13700009876');
    const companyTotalsBefore = (await json<{ totals: { totalSpent: number } }>(await api(`/companies/${company.id}`, { as: w.owner }), 200)).totals.totalSpent;

    await problem(await api(`/contacts/${person.id}/erase`, { as: w.repA, method: 'POST' }), 403, 'forbidden');
    await problem(await api(`/contacts/${person.id}/erase`, { as: w.manager, method: 'POST' }), 403, 'forbidden');
    const erased = await json<{ name: string; erasedAt: string; totalSpent: number; orderCount: number; emails: string[]; version: number }>(
      await api(`/contacts/${person.id}/erase`, { as: w.owner, method: 'POST' }),
      200,
    );
    expect(erased).toMatchObject({ name: 'Erased customer', emails: [], totalSpent: 20_000, orderCount: 2 });
    expect(erased.erasedAt).toBeTruthy();

    const raw = await rawRow<Record<string, unknown>>('contacts', person.id);
    expect(raw).toMatchObject({
      name: 'Erased customer',
      emails: '[]',
      phones: '[]',
      address: '{}',
      birthday: null,
      national_id_enc: null,
      national_id_hash: null,
      custom_fields: '{}',
      email_consent: null,
      total_spent: 20_000,
      company_id: company.id,
    });
    for (const secret of ['张伟', 'zhang.wei', '9876', '南京西路', '1988-08-08', 'zw_8888']) {
      expect(JSON.stringify(raw)).not.toContain(secret);
    }
    expect(await countWhere('search_docs', 'contact_id = ?', person.id)).toBe(0);
    expect(await countWhere('contact_channels', 'contact_id = ?', person.id)).toBe(0);
    expect(await rawRow('activities', note)).toMatchObject({ body: null, subject: null });
    expect(await rawRow('tickets', ticket)).toMatchObject({ description: null });
    expect(await rawRow('orders', orderA)).toMatchObject({ total: 15_000, note: null });
    expect(await rawRow('orders', orderB)).toMatchObject({ total: 5_000 });
    const companyTotalsAfter = (await json<{ totals: { totalSpent: number } }>(await api(`/companies/${company.id}`, { as: w.owner }), 200)).totals.totalSpent;
    expect(companyTotalsAfter).toBe(companyTotalsBefore);

    const found = await json<{ items: unknown[] }>(await api(`/contacts?q=${encodeURIComponent('张伟')}`, { as: w.owner }), 200);
    expect(found.items).toHaveLength(0);
    expect((await json<{ items: unknown[] }>(await api('/contacts?q=9876', { as: w.owner }), 200)).items).toHaveLength(0);

    // Nothing personal left in the audit log, the erasure's own row included.
    const audit = await env.DB.prepare('select action, changes from audit_log where record_id = ?').bind(person.id).all<{ action: string; changes: string | null }>();
    expect(audit.results.map((r) => r.action)).toEqual(expect.arrayContaining(['contact.created', 'contact.erased']));
    for (const secret of ['张伟', 'zhang.wei', '13700009876', '南京西路', 'zw_8888']) expect(JSON.stringify(audit.results)).not.toContain(secret);
    const noteAudit = await env.DB.prepare('select changes from audit_log where record_id = ?').bind(loggedNote.id).all<{ changes: string | null }>();
    expect(noteAudit.results.length).toBeGreaterThan(0);
    for (const secret of ['张伟', '13700009876']) expect(JSON.stringify(noteAudit.results)).not.toContain(secret);
    const created = audit.results.find((r) => r.action === 'contact.created');
    expect(JSON.parse(created!.changes!).emails).toEqual({ erased: true });

    await problem(await patch(w.owner, person.id, erased.version, { name: 'Back again' }), 409, 'contact_erased');
    expect((await rawRow<{ name: string }>('contacts', person.id))?.name).toBe('Erased customer');
  });

  it('is not found for a customer the admin of another workspace names', async () => {
    const person = await createContact(w.owner, { name: 'Cross Workspace' });
    await problem(await api(`/contacts/${person.id}/erase`, { as: w.outsider, method: 'POST' }), 404);
    expect((await rawRow<{ erased_at: string | null }>('contacts', person.id))?.erased_at).toBeNull();
  });
});

describe('GET /api/v1/contacts/:id/consent', () => {
  it('lists every consent decision, newest first, with who made it', async () => {
    const person = await createContact(w.repA, { name: 'Consent Person', emails: ['consent@example.com'], emailConsent: true, consentSource: 'signup form' });
    await json(await patch(w.repA, person.id, 1, { emailConsent: false, consentSource: 'phone call' }), 200);
    await json(await patch(w.repA, person.id, 2, { smsConsent: true }), 200);
    // Repeating the current decision is not a new decision.
    await json(await patch(w.repA, person.id, 3, { smsConsent: true, title: 'Owner' }), 200);
    const page = await json<ConsentPage>(await api(`/contacts/${person.id}/consent`, { as: w.repA }), 200);
    expect(page.items.map((e) => `${e.channel}:${e.granted}:${e.source}`)).toEqual(['sms:true:manual', 'email:false:phone call', 'email:true:signup form']);
    expect(page.items.every((e) => e.actorId === w.repA.me.user.id)).toBe(true);
    expect(page.current).toMatchObject({ email: { granted: false }, sms: { granted: true } });

    const first = await json<ConsentPage>(await api(`/contacts/${person.id}/consent?limit=2`, { as: w.repA }), 200);
    expect(first.items).toHaveLength(2);
    const rest = await json<ConsentPage>(await api(`/contacts/${person.id}/consent?limit=2&cursor=${first.nextCursor}`, { as: w.repA }), 200);
    expect(rest.items.map((e) => e.source)).toEqual(['signup form']);

    expect(await failingFields(await api(`/contacts/${person.id}/consent?limit=0`, { as: w.repA }))).toEqual(['limit']);
    await problem(await api(`/contacts/${person.id}/consent`, { as: w.repB }), 404);
    await problem(await api(`/contacts/${person.id}/consent`, { as: w.outsider }), 404);
  });
});
