import { beforeAll, describe, expect, it } from 'vitest';
import { api, auditRows, failingFields, json, problem, type Session } from './helpers';
import { buildWorld, countWhere, createContact, createTag, insertActivity, insertOrder, insertTicket, rawRow, type ContactBody, type World } from './customers-world';

type Consent = { granted: boolean; at: string; source: string };
type Detail = ContactBody & { title: string | null; address: Record<string, string>; nationalId: string | null; emailConsent: Consent | null; smsConsent: Consent | null };
type ConsentPage = { items: { channel: string; granted: boolean; source: string }[] };

let w: World;
let ws: string;

const detail = async (as: Session, id: string) => json<Detail>(await api(`/contacts/${id}`, { as }), 200);
const merge = (as: Session, targetId: string, sourceId: string, headers: Record<string, string> = {}) => api(`/contacts/${targetId}/merge`, { as, body: { sourceId }, headers });
const search = async (as: Session, q: string) => (await json<{ items: { id: string }[] }>(await api(`/contacts?q=${encodeURIComponent(q)}`, { as }), 200)).items.map((i) => i.id);

beforeAll(async () => {
  w = await buildWorld();
  ws = w.owner.me.workspace.id;
});

describe('POST /api/v1/contacts/:id/merge', () => {
  it('keeps all history of both customers on the survivor', async () => {
    const loyal = await createTag(w.owner, 'Loyal');
    const wholesale = await createTag(w.owner, 'Wholesale');
    const target = await createContact(w.repA, { name: '王芳', emails: ['wang.fang@example.cn'], phones: ['13800001111'], tagIds: [loyal], emailConsent: true, consentSource: 'form' });
    const source = await createContact(w.repA, {
      name: 'Fang Wang',
      emails: ['fang.w@shop.example'],
      phones: ['13800002222'],
      title: 'Buyer',
      address: { city: '杭州' },
      nationalId: '330102199001011234',
      tagIds: [loyal, wholesale],
      smsConsent: true,
    });
    // The later decision on email marketing is the source's opt-out.
    await json(await api(`/contacts/${source.id}`, { method: 'PATCH', as: w.repA, body: { emailConsent: false, consentSource: 'unsubscribe link' }, headers: { 'if-match': '"1"' } }), 200);

    const targetNote = await insertActivity(ws, target.id, 'Asked about the autumn catalogue');
    const sourceNote = await insertActivity(ws, source.id, 'Complained that the 龙井 tin arrived dented');
    const targetOrder = await insertOrder(ws, target.id, 12_000);
    const sourceOrder = await insertOrder(ws, source.id, 30_000);
    const ticket = await insertTicket(ws, source.id, 'Dented tin');

    const res = await merge(w.repA, target.id, source.id, { 'if-match': '"1"' });
    const merged = await json<Detail>(res, 200);
    expect(res.headers.get('etag')).toBe('"2"');
    expect(merged).toMatchObject({
      id: target.id,
      name: '王芳',
      title: 'Buyer',
      address: { city: '杭州' },
      emails: ['wang.fang@example.cn', 'fang.w@shop.example'],
      phones: ['+8613800001111', '+8613800002222'],
      totalSpent: 42_000,
      orderCount: 2,
      version: 2,
    });
    expect(merged.tags.map((t) => t.name).sort()).toEqual(['Loyal', 'Wholesale']);
    expect(merged.emailConsent).toMatchObject({ granted: false, source: 'unsubscribe link' });
    expect(merged.smsConsent).toMatchObject({ granted: true });
    expect((await detail(w.owner, target.id)).nationalId).toBe('330102199001011234');

    // Every history row now hangs off the survivor.
    for (const id of [targetNote, sourceNote]) expect(await countWhere('activities', 'id = ? and contact_id = ?', id, target.id)).toBe(1);
    for (const id of [targetOrder, sourceOrder]) expect(await countWhere('orders', 'id = ? and contact_id = ?', id, target.id)).toBe(1);
    expect(await countWhere('tickets', 'id = ? and contact_id = ?', ticket, target.id)).toBe(1);
    expect(await countWhere('activities', "contact_id = ? and type = 'system' and subject = 'Merged Fang Wang into 王芳'", target.id)).toBe(1);
    for (const table of ['activities', 'orders', 'tickets', 'contact_channels', 'search_docs', 'consent_events']) {
      expect(await countWhere(table, 'contact_id = ?', source.id), table).toBe(0);
    }
    expect(await countWhere('record_tags', "record_type = 'contact' and record_id = ?", source.id)).toBe(0);
    expect(await countWhere('contact_channels', 'contact_id = ?', target.id)).toBe(4);

    // Found by the source's email, phone and notes; the source itself is gone from every list.
    expect(await search(w.repA, 'fang.w@shop')).toEqual([target.id]);
    expect(await search(w.repA, '2222')).toEqual([target.id]);
    expect(await search(w.repA, '龙井 tin')).toEqual([target.id]);
    const gone = await problem(await api(`/contacts/${source.id}`, { as: w.repA }), 404, 'merged');
    expect(gone.mergedIntoId).toBe(target.id);
    // The old name still finds the person, through the merge note on the survivor's timeline.
    expect(await search(w.repA, 'Fang Wang')).toEqual([target.id]);
    expect((await json<{ count: number }>(await api('/contacts/count?q=Fang Wang', { as: w.repA }), 200)).count).toBe(1);

    // Both consent histories, on the survivor.
    const consent = await json<ConsentPage>(await api(`/contacts/${target.id}/consent`, { as: w.repA }), 200);
    expect(consent.items.map((e) => `${e.channel}:${e.granted}:${e.source}`)).toEqual(['email:false:unsubscribe link', 'sms:true:manual', 'email:true:form']);

    // A new duplicate check finds the survivor by the source's phone.
    const dupe = await problem(await api('/contacts', { as: w.repA, body: { name: 'Someone', phones: ['138 0000 2222'] } }), 409, 'duplicate_contact');
    expect((dupe.duplicates as { id: string }[])[0].id).toBe(target.id);

    expect((await auditRows(w.owner, { recordType: 'contact', recordId: target.id }))[0]).toMatchObject({ action: 'contact.merged', actorId: w.repA.me.user.id });
    expect((await auditRows(w.owner, { recordType: 'contact', recordId: source.id }))[0]).toMatchObject({ action: 'contact.merged_into', changes: { mergedIntoId: { before: null, after: target.id } } });
  });

  it('points earlier merges at the final survivor', async () => {
    const a = await createContact(w.repA, { name: 'Chain A' });
    const b = await createContact(w.repA, { name: 'Chain B' });
    const c = await createContact(w.repA, { name: 'Chain C' });
    await json(await merge(w.repA, b.id, a.id), 200);
    await json(await merge(w.repA, c.id, b.id), 200);
    expect((await problem(await api(`/contacts/${a.id}`, { as: w.repA }), 404, 'merged')).mergedIntoId).toBe(c.id);
    expect(await countWhere('activities', "contact_id = ? and type = 'system'", c.id)).toBe(2);
  });

  it('needs both customers visible and writable to the actor', async () => {
    const mine = await createContact(w.repA, { name: 'Merge Mine' });
    const theirs = await createContact(w.repB, { name: 'Merge Theirs' });
    await problem(await merge(w.repA, mine.id, theirs.id), 404, 'not_found');
    await problem(await merge(w.repA, theirs.id, mine.id), 404, 'not_found');
    await problem(await merge(w.outsider, mine.id, theirs.id), 404);
    await problem(await merge(w.viewer, mine.id, theirs.id), 403, 'forbidden');
    await problem(await api(`/contacts/${mine.id}/merge`, { body: { sourceId: theirs.id } }), 401);
    expect((await detail(w.repB, theirs.id)).version).toBe(1);

    const other = await createContact(w.repA, { name: 'Merge Other' });
    expect(await failingFields(await merge(w.repA, mine.id, mine.id))).toEqual(['sourceId']);
    expect(await failingFields(await api(`/contacts/${mine.id}/merge`, { as: w.repA, body: { sourceId: '' } }))).toEqual(['sourceId']);
    await problem(await merge(w.repA, mine.id, other.id, { 'if-match': '"5"' }), 412, 'version_mismatch');
    expect(await countWhere('contacts', 'id = ? and merged_into_id is null', other.id)).toBe(1);

    // The manager reaches both of the team's records.
    const teamOne = await createContact(w.repA, { name: 'Team One' });
    expect((await json<Detail>(await merge(w.manager, mine.id, teamOne.id), 200)).id).toBe(mine.id);
  });

  it('moves deals too', async () => {
    const target = await createContact(w.repA, { name: 'Deal Target' });
    const source = await createContact(w.repA, { name: 'Deal Source' });
    const deal = await json<{ id: string }>(await api('/deals', { as: w.repA, body: { name: 'Merge me', contactId: source.id } }), 201);
    await json(await merge(w.repA, target.id, source.id), 200);
    expect(await rawRow<{ contact_id: string }>('deals', deal.id)).toMatchObject({ contact_id: target.id });
  });

  it('refuses to merge an erased customer', async () => {
    const a = await createContact(w.owner, { name: 'To Be Erased' });
    const b = await createContact(w.owner, { name: 'Still Here' });
    await json(await api(`/contacts/${a.id}/erase`, { as: w.owner, method: 'POST' }), 200);
    await problem(await merge(w.owner, b.id, a.id), 409, 'contact_erased');
  });
});
