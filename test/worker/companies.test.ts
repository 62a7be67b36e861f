import { beforeAll, describe, expect, it } from 'vitest';
import { api, auditRows, failingFields, json, problem, type Session } from './helpers';
import { buildWorld, countWhere, createContact, createTag, insertActivity, insertOrder, rawRow, type World } from './customers-world';

type Company = {
  id: string;
  name: string;
  industry: string | null;
  size: string | null;
  website: string | null;
  domain: string | null;
  phones: string[];
  ownerId: string | null;
  contractEndsOn: string | null;
  tags: { id: string; name: string }[];
  customFields: Record<string, unknown>;
  isArchived: boolean;
  deletedAt: string | null;
  version: number;
  contacts: { id: string; name: string }[];
  totals: { contactCount: number; totalSpent: number; orderCount: number; lastPurchaseAt: string | null };
};
type Page = { items: Company[]; nextCursor: string | null };
type Duplicate = { id: string | null; name: string | null; matchedOn: string[]; visible: boolean };

let w: World;

const create = async (as: Session, body: Record<string, unknown>) => json<Company>(await api('/companies', { as, body }), 201);
const list = async (as: Session, qs = '') => json<Page>(await api(`/companies${qs}`, { as }), 200);
const get = async (as: Session, id: string) => json<Company>(await api(`/companies/${id}`, { as }), 200);
const patch = (as: Session, id: string, version: number, body: Record<string, unknown>) =>
  api(`/companies/${id}`, { method: 'PATCH', as, body, headers: { 'if-match': `"${version}"` } });

beforeAll(async () => {
  w = await buildWorld();
});

describe('companies', () => {
  it('creates a company with a normalized domain, E.164 phones, tags and custom fields', async () => {
    const tag = await createTag(w.owner, 'Key account');
    await json(await api('/custom-fields', { as: w.owner, body: { entity: 'company', key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'] } }), 201);
    const c = await create(w.repA, {
      name: '华茂茶业',
      industry: 'Tea',
      size: '11-50',
      website: 'https://www.HuaMao-Tea.cn/about',
      phones: ['010 6552 9988'],
      address: { province: '浙江', city: '杭州' },
      tagIds: [tag],
      customFields: { tier: 'gold' },
      contractEndsOn: '2027-03-31',
    });
    expect(c).toMatchObject({
      name: '华茂茶业',
      domain: 'huamao-tea.cn',
      website: 'https://www.HuaMao-Tea.cn/about',
      phones: ['+861065529988'],
      ownerId: w.repA.me.user.id,
      customFields: { tier: 'gold' },
      contractEndsOn: '2027-03-31',
      version: 1,
      contacts: [],
      totals: { contactCount: 0, totalSpent: 0 },
    });
    expect(c.tags.map((t) => t.name)).toEqual(['Key account']);
    const audit = await auditRows(w.owner, { recordType: 'company', recordId: c.id });
    expect(audit.map((a) => a.action)).toEqual(['company.created']);
  });

  it('names every failing field', async () => {
    const res = await api('/companies', {
      as: w.repA,
      body: { name: ' ', website: 'not a site', size: 'huge', phones: ['12'], contractEndsOn: '31/03/2027', customFields: { nope: 1 } },
    });
    expect(await failingFields(res)).toEqual(expect.arrayContaining(['name', 'website', 'size', 'contractEndsOn']));
    const phones = await api('/companies', { as: w.repA, body: { name: 'Phone Co', phones: ['12'] } });
    expect(await failingFields(phones)).toEqual(['phones.0']);
    const custom = await api('/companies', { as: w.repA, body: { name: 'Custom Co', customFields: { tier: 'bronze', nope: 1 } } });
    expect(await failingFields(custom)).toEqual(expect.arrayContaining(['customFields.tier', 'customFields.nope']));
  });

  it('answers a likely duplicate (same domain, or same name in any case) with the existing company', async () => {
    const first = await create(w.repA, { name: 'Globex Trading', website: 'globex.com' });
    const byDomain = await problem(await api('/companies', { as: w.repA, body: { name: 'Globex Asia', website: 'http://WWW.globex.com/contact' } }), 409, 'duplicate_company');
    expect(byDomain.duplicates).toEqual([{ id: first.id, name: 'Globex Trading', matchedOn: ['domain'], visible: true }]);
    const byName = await problem(await api('/companies', { as: w.repA, body: { name: 'GLOBEX trading' } }), 409, 'duplicate_company');
    expect((byName.duplicates as Duplicate[])[0]).toMatchObject({ id: first.id, matchedOn: ['name'] });

    // Rep B may not see rep A's company: told a duplicate exists, but not which.
    const hidden = await problem(await api('/companies', { as: w.repB, body: { name: 'Globex', website: 'globex.com' } }), 409, 'duplicate_company');
    expect(hidden.duplicates).toEqual([{ id: null, name: null, matchedOn: ['domain'], visible: false }]);

    const forced = await create(w.repA, { name: 'Globex Trading', website: 'globex.com', force: true });
    expect(forced.id).not.toBe(first.id);

    const other = await create(w.repA, { name: 'Initech' });
    const rename = await patch(w.repA, other.id, 1, { website: 'https://globex.com' });
    await problem(rename, 409, 'duplicate_company');
    expect((await get(w.repA, other.id)).version).toBe(1);
    const dupes = await json<{ items: Duplicate[] }>(await api('/companies/duplicates?website=globex.com', { as: w.repA }), 200);
    expect(dupes.items.map((d) => d.id).sort()).toEqual([first.id, forced.id].sort());
  });

  it('lists with filters, search on name and domain, sort and cursor', async () => {
    const tag = await createTag(w.owner, 'Export');
    await create(w.owner, { name: 'Zeta Ceramics', industry: 'Ceramics', website: 'zeta-ceramics.com', tagIds: [tag], size: '1-10' });
    await create(w.owner, { name: 'Alpha Ceramics', industry: 'Ceramics', size: '51-200' });
    await create(w.owner, { name: 'Beta Ceramics', industry: 'Ceramics', ownerId: null });
    expect((await list(w.owner, '?q=ceramics&sort=name')).items.map((c) => c.name)).toEqual(['Alpha Ceramics', 'Beta Ceramics', 'Zeta Ceramics']);
    expect((await list(w.owner, '?q=zeta-cer')).items.map((c) => c.name)).toEqual(['Zeta Ceramics']);
    expect((await list(w.owner, `?tagId=${tag}`)).items.map((c) => c.name)).toEqual(['Zeta Ceramics']);
    expect((await list(w.owner, '?industry=Ceramics&size=1-10,51-200&sort=-name')).items.map((c) => c.name)).toEqual(['Zeta Ceramics', 'Alpha Ceramics']);
    expect((await list(w.owner, '?industry=Ceramics&ownerId=none')).items.map((c) => c.name)).toEqual(['Beta Ceramics']);
    expect((await list(w.manager, `?teamId=${w.teamId}&q=globex`)).items.length).toBeGreaterThan(0);

    const first = await list(w.owner, '?industry=Ceramics&sort=name&limit=2');
    expect(first.items.map((c) => c.name)).toEqual(['Alpha Ceramics', 'Beta Ceramics']);
    const second = await list(w.owner, `?industry=Ceramics&sort=name&limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((c) => c.name)).toEqual(['Zeta Ceramics']);
    expect(second.nextCursor).toBeNull();
    expect(await failingFields(await api('/companies?sort=nope&limit=500', { as: w.owner }))).toEqual(expect.arrayContaining(['sort', 'limit']));
  });

  it('shows its visible people and their totals: each reader sees only what they may', async () => {
    // A shared account (nobody owns it): every rep may see it and link their people to it.
    const company = await create(w.owner, { name: 'Totals Ltd', website: 'totals.example', ownerId: null });
    const mine = await createContact(w.repA, { name: 'Ada Mine', companyId: company.id });
    const theirs = await createContact(w.repB, { name: 'Bo Theirs', companyId: company.id });
    await insertOrder(w.owner.me.workspace.id, mine.id, 10_000);
    await insertOrder(w.owner.me.workspace.id, theirs.id, 25_000);
    const asRepA = await get(w.repA, company.id);
    expect(asRepA.contacts.map((c) => c.name)).toEqual(['Ada Mine']);
    expect(asRepA.totals).toMatchObject({ contactCount: 1, totalSpent: 10_000, orderCount: 1 });
    expect((await get(w.manager, company.id)).totals).toMatchObject({ contactCount: 1, totalSpent: 10_000 });
    const asOwner = await get(w.owner, company.id);
    expect(asOwner.contacts.map((c) => c.name)).toEqual(['Ada Mine', 'Bo Theirs']);
    expect(asOwner.totals).toMatchObject({ contactCount: 2, totalSpent: 35_000, orderCount: 2 });
  });

  it("refuses to link a person to a company the rep may not see", async () => {
    const hidden = await create(w.repA, { name: 'Hidden Link Ltd', website: 'hiddenlink.example' });
    const res = await api('/contacts', { as: w.repB, body: { name: 'Linker', companyId: hidden.id } });
    expect(await failingFields(res)).toEqual(['companyId']);
  });

  it("keeps a rep's companies from another rep and from other workspaces, but not from their manager", async () => {
    const c = await create(w.repA, { name: 'Secretive Corp', website: 'secretive.example' });
    expect((await api(`/companies/${c.id}`, { as: w.repB })).status).toBe(404);
    expect((await list(w.repB, '?q=secretive')).items).toHaveLength(0);
    expect((await list(w.repB)).items.map((i) => i.id)).not.toContain(c.id);
    await problem(await patch(w.repB, c.id, 1, { name: 'Mine now' }), 404, 'not_found');
    await problem(await api(`/companies/${c.id}`, { method: 'DELETE', as: w.repB }), 404);
    await problem(await api(`/companies/${c.id}`, { as: w.outsider }), 404);
    expect((await get(w.manager, c.id)).name).toBe('Secretive Corp');
    expect((await list(w.manager, '?q=secretive')).items.map((i) => i.id)).toEqual([c.id]);
    expect((await get(w.viewer, c.id)).id).toBe(c.id);
    await problem(await api('/companies', { as: w.viewer, body: { name: 'Viewer Co' } }), 403, 'forbidden');
    await problem(await api('/companies'), 401, 'unauthorized');
    expect((await get(w.repA, c.id)).name).toBe('Secretive Corp');
  });

  it('refuses a stale edit with 412 and an edit without If-Match with 428', async () => {
    const c = await create(w.owner, { name: 'Versioned Inc' });
    const ok = await json<Company>(await patch(w.owner, c.id, 1, { industry: 'Software', phones: ['+1 415 555 0100'] }), 200);
    expect(ok).toMatchObject({ industry: 'Software', phones: ['+14155550100'], version: 2 });
    await problem(await patch(w.owner, c.id, 1, { industry: 'Hardware' }), 412, 'version_mismatch');
    await problem(await api(`/companies/${c.id}`, { method: 'PATCH', as: w.owner, body: { industry: 'Hardware' } }), 428);
    expect(await failingFields(await patch(w.owner, c.id, 2, {}))).toEqual(['(body)']);
    expect((await get(w.owner, c.id)).industry).toBe('Software');
  });

  it('archives and deletes restorably; deleting a company keeps its people', async () => {
    const c = await create(w.owner, { name: 'Fading Goods' });
    const person = await createContact(w.owner, { name: 'Stays Here', companyId: c.id });
    expect(await json<Company>(await api(`/companies/${c.id}/archive`, { as: w.owner, method: 'POST' }), 200)).toMatchObject({ isArchived: true, version: 2 });
    expect((await list(w.owner, '?q=fading')).items).toHaveLength(0);
    expect((await list(w.owner, '?q=fading&archived=true')).items.map((i) => i.id)).toEqual([c.id]);
    expect((await list(w.owner, '?q=fading&archived=any')).items.map((i) => i.id)).toEqual([c.id]);
    await json(await api(`/companies/${c.id}/unarchive`, { as: w.owner, method: 'POST' }), 200);
    expect((await list(w.owner, '?q=fading')).items.map((i) => i.id)).toEqual([c.id]);

    const deleted = await json<Company>(await api(`/companies/${c.id}`, { as: w.owner, method: 'DELETE' }), 200);
    expect(deleted.deletedAt).not.toBeNull();
    expect((await list(w.owner, '?q=fading')).items).toHaveLength(0);
    expect((await list(w.owner, '?q=fading&deleted=true')).items.map((i) => i.id)).toEqual([c.id]);
    await problem(await patch(w.owner, c.id, deleted.version, { name: 'x' }), 404);
    const still = await json<{ id: string; companyId: string }>(await api(`/contacts/${person.id}`, { as: w.owner }), 200);
    expect(still.companyId).toBe(c.id);

    const restored = await json<Company>(await api(`/companies/${c.id}/restore`, { as: w.owner, method: 'POST' }), 200);
    expect(restored.deletedAt).toBeNull();
    const actions = (await auditRows(w.owner, { recordType: 'company', recordId: c.id })).map((a) => a.action);
    expect(actions).toEqual(['company.restored', 'company.deleted', 'company.unarchived', 'company.archived', 'company.created']);
  });

  it('merges two companies: people, history and tags move, empty fields fill, the old id points on', async () => {
    const ws = w.owner.me.workspace.id;
    const tagA = await createTag(w.owner, 'Merge A');
    const tagB = await createTag(w.owner, 'Merge B');
    const target = await create(w.repA, { name: 'Merged Target', phones: ['+86 21 5555 0001'], tagIds: [tagA] });
    const source = await create(w.repA, { name: 'Merged Source', industry: 'Logistics', website: 'source.example', phones: ['+86 21 5555 0002'], tagIds: [tagA, tagB] });
    const person = await createContact(w.repA, { name: 'Moving Person', companyId: source.id });
    const note = await insertActivity(ws, null, 'Quarterly review with the source company', source.id);

    const merged = await json<Company>(await api(`/companies/${target.id}/merge`, { as: w.repA, body: { sourceId: source.id }, headers: { 'if-match': '"1"' } }), 200);
    expect(merged).toMatchObject({ name: 'Merged Target', industry: 'Logistics', domain: 'source.example', phones: ['+862155550001', '+862155550002'], version: 2 });
    expect(merged.tags.map((t) => t.name).sort()).toEqual(['Merge A', 'Merge B']);
    expect(merged.contacts.map((c) => c.id)).toEqual([person.id]);
    expect((await rawRow<{ company_id: string }>('activities', note))?.company_id).toBe(target.id);
    expect(await countWhere('activities', "company_id = ? and type = 'system' and subject = ?", target.id, 'Merged Merged Source into Merged Target')).toBe(1);
    expect(await countWhere('record_tags', "record_type = 'company' and record_id = ?", source.id)).toBe(0);

    const gone = await problem(await api(`/companies/${source.id}`, { as: w.repA }), 404, 'merged');
    expect(gone.mergedIntoId).toBe(target.id);
    expect((await list(w.repA, '?q=merged')).items.map((c) => c.id)).toEqual([target.id]);
    const actions = (await auditRows(w.owner, { recordType: 'company', recordId: target.id })).map((a) => a.action);
    expect(actions[0]).toBe('company.merged');
    expect((await auditRows(w.owner, { recordType: 'contact', recordId: person.id }))[0].changes).toEqual({ companyId: { before: source.id, after: target.id } });
  });

  it('refuses a merge the actor may not make', async () => {
    const mine = await create(w.repA, { name: 'Rep A Merge Co' });
    const theirs = await create(w.repB, { name: 'Rep B Merge Co' });
    await problem(await api(`/companies/${mine.id}/merge`, { as: w.repA, body: { sourceId: theirs.id } }), 404, 'not_found');
    await problem(await api(`/companies/${theirs.id}/merge`, { as: w.repA, body: { sourceId: mine.id } }), 404, 'not_found');
    expect(await failingFields(await api(`/companies/${mine.id}/merge`, { as: w.repA, body: { sourceId: mine.id } }))).toEqual(['sourceId']);
    expect(await failingFields(await api(`/companies/${mine.id}/merge`, { as: w.repA, body: {} }))).toEqual(['sourceId']);
    await problem(await api(`/companies/${mine.id}/merge`, { as: w.viewer, body: { sourceId: theirs.id } }), 403);
    await problem(await api(`/companies/${mine.id}/merge`, { as: w.repA, body: { sourceId: theirs.id }, headers: { 'if-match': '"7"' } }), 404);
    expect((await get(w.repB, theirs.id)).version).toBe(1);
  });
});
