import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, createTeam, failingFields, json, problem, signup, userWithRole, type Session } from './helpers';

type Contact = { id: string; name: string; phones: string[]; emails: string[]; ownerId: string | null; version: number; nationalId: string | null; tags: { id: string }[] };
type Page = { items: Contact[]; nextCursor: string | null };

let owner: Session;
let manager: Session;
let repA: Session;
let repB: Session;
let outsider: Session;

const create = async (as: Session, body: Record<string, unknown>) => json<Contact>(await api('/contacts', { as, body }), 201);
const list = async (as: Session, qs = '') => json<Page>(await api(`/contacts${qs}`, { as }), 200);

beforeAll(async () => {
  owner = await signup({ workspaceName: '华茂贸易' });
  manager = await userWithRole(owner, 'manager', { name: 'Mia Manager' });
  const team = await createTeam(owner, { name: 'East', managerId: manager.me.user.id });
  repA = await userWithRole(owner, 'rep', { teamId: team.id, name: 'Rep A' });
  repB = await userWithRole(owner, 'rep', { name: 'Rep B' });
  outsider = await signup({ workspaceName: 'Other Co' });
});

describe('customers', () => {
  it('creates a customer with normalized phones and emails and lists it', async () => {
    const c = await create(repA, { name: '王芳', phones: ['138 1234 5678'], emails: ['Wang.Fang@Example.COM'] });
    expect(c).toMatchObject({ name: '王芳', phones: ['+8613812345678'], emails: ['wang.fang@example.com'], ownerId: repA.me.user.id, version: 1 });
    const page = await list(repA);
    expect(page.items.map((i) => i.id)).toContain(c.id);
  });

  it('names the failing fields', async () => {
    const res = await api('/contacts', { as: repA, body: { name: '', emails: ['not-an-email'], phones: ['abc123'] } });
    expect(await failingFields(res)).toEqual(expect.arrayContaining(['name', 'emails.0']));
    const bad = await api('/contacts', { as: repA, body: { name: 'X', phones: ['12'] } });
    expect(await failingFields(bad)).toEqual(expect.arrayContaining(['phones.0']));
  });

  it('finds a two-character Chinese name and a 4-digit phone fragment', async () => {
    await create(owner, { name: '李娜', phones: ['+86 139 0000 4321'], force: true });
    const byName = await list(owner, `?q=${encodeURIComponent('王芳')}`);
    expect(byName.items.map((i) => i.name)).toEqual(['王芳']);
    const byPhone = await list(owner, '?q=4321');
    expect(byPhone.items.map((i) => i.name)).toEqual(['李娜']);
    const byEmail = await list(owner, '?q=wang.fang');
    expect(byEmail.items.map((i) => i.name)).toEqual(['王芳']);
  });

  it('answers a likely duplicate with the existing record', async () => {
    const res = await api('/contacts', { as: repA, body: { name: 'Fang Wang', phones: ['+86 138-1234-5678'] } });
    const body = await problem(res, 409, 'duplicate_contact');
    expect((body.duplicates as { name: string; matchedOn: string[] }[])[0]).toMatchObject({ name: '王芳', matchedOn: ['phone'] });
  });

  it('looks up likely duplicates of a phone as typed, in the workspace\'s country format', async () => {
    const res = await api(`/contacts/duplicates?phone=${encodeURIComponent('138-1234-5678')}`, { as: repA });
    const body = await json<{ items: { name: string; matchedOn: string[] }[] }>(res, 200);
    expect(body.items).toEqual([expect.objectContaining({ name: '王芳', matchedOn: ['phone'] })]);
    expect(await failingFields(await api('/contacts/duplicates?phone=12', { as: repA }))).toEqual(['phone.0']);
  });

  it('hides a rep\'s customers from another rep everywhere, but not from their manager', async () => {
    const secret = await create(repA, { name: 'Zhao Secret', emails: ['zhao@secret.cn'] });
    expect((await api(`/contacts/${secret.id}`, { as: repB })).status).toBe(404);
    expect((await list(repB)).items.map((i) => i.id)).not.toContain(secret.id);
    expect((await list(repB, '?q=zhao')).items).toHaveLength(0);
    expect((await json<{ count: number }>(await api('/contacts/count?q=zhao', { as: repB }), 200)).count).toBe(0);
    expect((await api(`/contacts/${secret.id}`, { method: 'PATCH', as: repB, body: { name: 'x' }, headers: { 'if-match': '"1"' } })).status).toBe(404);
    expect((await api(`/contacts/${secret.id}`, { as: manager })).status).toBe(200);
    expect((await list(manager, '?q=zhao')).items.map((i) => i.id)).toEqual([secret.id]);
    expect((await api(`/contacts/${secret.id}`, { as: outsider })).status).toBe(404);
  });

  it('refuses a stale edit with 412 and leaves the record unchanged', async () => {
    const c = await create(owner, { name: 'Stale Test', emails: ['stale@example.com'] });
    const ok = await api(`/contacts/${c.id}`, { method: 'PATCH', as: owner, body: { title: 'CEO' }, headers: { 'if-match': '"1"' } });
    expect(ok.status).toBe(200);
    const stale = await api(`/contacts/${c.id}`, { method: 'PATCH', as: owner, body: { title: 'Intern' }, headers: { 'if-match': '"1"' } });
    await problem(stale, 412, 'version_mismatch');
    const now = await json<Contact & { title: string }>(await api(`/contacts/${c.id}`, { as: owner }), 200);
    expect(now).toMatchObject({ title: 'CEO', version: 2 });
  });

  it('stores sensitive fields encrypted, masks them for reps and finds them by exact match', async () => {
    const c = await create(repA, { name: 'Sensitive Sun', nationalId: '110101199003077777', emails: ['sun@example.com'] });
    const raw = await env.DB.prepare('select * from contacts where id = ?').bind(c.id).first<Record<string, string>>();
    expect(JSON.stringify(raw)).not.toContain('110101199003077777');
    expect(raw!.national_id_enc).toMatch(/^v1\./);
    expect(c.nationalId).toMatch(/^•+7777$/);
    const full = await json<Contact>(await api(`/contacts/${c.id}`, { as: owner }), 200);
    expect(full.nationalId).toBe('110101199003077777');
    const found = await json<Page>(await api('/contacts/lookup?field=nationalId&value=110101199003077777', { as: owner }), 200);
    expect(found.items.map((i) => i.id)).toEqual([c.id]);
  });
});

describe('large pages', () => {
  it('lists 200 tagged customers in one page (more ids than D1 binds per statement)', async () => {
    const tag = await json<{ id: string }>(await api('/tags', { as: owner, body: { name: 'bulk-page' } }), 201);
    const ws = owner.me.workspace.id;
    const now = new Date().toISOString();
    const statements = [];
    for (let i = 0; i < 150; i++) {
      const id = `con_page_${String(i).padStart(3, '0')}`;
      statements.push(
        env.DB.prepare('insert into contacts (id, workspace_id, name, owner_id, created_at, updated_at) values (?, ?, ?, ?, ?, ?)').bind(id, ws, `Page ${i}`, owner.me.user.id, now, now),
        env.DB.prepare("insert into record_tags (workspace_id, tag_id, record_type, record_id) values (?, ?, 'contact', ?)").bind(ws, tag.id, id),
      );
    }
    await env.DB.batch(statements);
    const page = await list(owner, `?limit=200&tagId=${tag.id}`);
    expect(page.items).toHaveLength(150);
    expect(page.items.every((c) => c.tags.some((t) => t.id === tag.id))).toBe(true);
  });
});

describe('list rows and custom filters', () => {
  it('carries the company name and filters a yes/no custom field by true/false', async () => {
    await json(await api('/custom-fields', { as: owner, body: { entity: 'contact', key: 'vip', label: 'VIP', type: 'boolean' } }), 201);
    const company = await json<{ id: string }>(await api('/companies', { as: owner, body: { name: '东方贸易', ownerId: null } }), 201);
    const yes = await create(owner, { name: 'Vip Yes', companyId: company.id, customFields: { vip: true }, force: true });
    await create(owner, { name: 'Vip No', customFields: { vip: false }, force: true });
    const page = await json<{ items: (Contact & { companyName: string | null })[] }>(await api('/contacts?cf.vip=true', { as: owner }), 200);
    expect(page.items.map((i) => [i.name, i.companyName])).toEqual([['Vip Yes', '东方贸易']]);
    const no = await list(owner, '?cf.vip=false');
    expect(no.items.map((i) => i.name)).toEqual(['Vip No']);
    expect(yes.id).toBeTruthy();
  });
});

describe('broad searches', () => {
  it('read the newest 100 hits, say there are more, and bulk actions still take every match', async () => {
    const ws = await signup({ workspaceName: 'Broad Co' });
    const now = new Date().toISOString();
    const statements = [];
    for (let i = 0; i < 230; i++) {
      statements.push(env.DB.prepare('insert into contacts (id, workspace_id, name, owner_id, created_at, updated_at) values (?, ?, ?, ?, ?, ?)').bind(`con_broad_${String(i).padStart(3, '0')}`, ws.me.workspace.id, `Broadterm ${i}`, ws.me.user.id, now, now));
    }
    await env.DB.batch(statements);
    const page = await list(ws, '?q=Broadterm&limit=200&sort=name');
    expect(page.items).toHaveLength(100);
    expect(page.nextCursor).toBeNull();
    // The newest documents: the first 130 written are the ones left out.
    expect(page.items.some((c) => c.id === 'con_broad_129')).toBe(false);
    expect(page.items.some((c) => c.id === 'con_broad_130')).toBe(true);
    expect(await json(await api('/contacts/count?q=Broadterm', { as: ws }), 200)).toEqual({ count: 100, more: true });
    expect(await json(await api('/contacts/count?q=Broadterm 217', { as: ws }), 200)).toEqual({ count: 1, more: false });
    expect(await json(await api('/contacts/count', { as: ws }), 200)).toEqual({ count: 230, more: false });
    // Page by page (the statement is kept per shape; each page fills in its own cursor).
    const pages = async (qs: string) => {
      const seen: Contact[] = [];
      let cursor: string | null = null;
      do {
        const page = await list(ws, `${qs}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        seen.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    const searched = await pages('?q=Broadterm&limit=30&sort=-name');
    expect(new Set(searched.map((c) => c.id)).size).toBe(100);
    expect(searched.map((c) => c.name)).toEqual([...searched.map((c) => c.name)].sort().reverse());
    const everyone = await pages('?limit=40&sort=name');
    expect(everyone.map((c) => c.name)).toEqual([...Array(230).keys()].map((i) => `Broadterm ${i}`).sort());
    // Two characters: the name index by prefix, every match.
    expect((await pages('?q=Br&limit=40&sort=name')).map((c) => c.name)).toEqual(everyone.map((c) => c.name));
    const tag = await json<{ id: string }>(await api('/tags', { as: ws, body: { name: 'broad' } }), 201);
    const res = await api('/contacts/bulk', { as: ws, body: { action: 'tag', filter: { q: 'Broadterm' }, tagIds: [tag.id] } });
    expect((await res.json<{ matched: number }>()).matched).toBe(230);
  });
});

describe('custom field definitions', () => {
  it('a definition changed elsewhere (another isolate, a migration) applies to the next create: kept definitions follow the workspace version', async () => {
    const ws = await signup({ workspaceName: 'Fields Co' });
    await json(await api('/custom-fields', { as: ws, body: { entity: 'contact', key: 'shoe', label: 'Shoe size', type: 'number' } }), 201);
    await create(ws, { name: 'First Foot', customFields: { shoe: 42 }, force: true });
    // A new definition and a changed type, written straight to D1 as another isolate would: this
    // isolate's kept copy is outdated, and the triggers move the version the session reads.
    const at = new Date().toISOString();
    await env.DB.batch([
      env.DB.prepare("insert into custom_field_defs (id, workspace_id, entity, key, label, type, options, is_required, position, created_at) values ('cfd_elsewhere', ?, 'contact', 'club', 'Club', 'text', '[]', 1, 9, ?)").bind(ws.me.workspace.id, at),
      env.DB.prepare("update custom_field_defs set type = 'text' where workspace_id = ? and key = 'shoe'").bind(ws.me.workspace.id),
    ]);
    const missing = await api('/contacts', { as: ws, body: { name: 'Second Foot', customFields: { shoe: 'EU 42' }, force: true } });
    expect(await failingFields(missing)).toEqual(['customFields.club']);
    const ok = await create(ws, { name: 'Second Foot', customFields: { shoe: 'EU 42', club: 'Rovers' }, force: true });
    expect(ok).toMatchObject({ customFields: { shoe: 'EU 42', club: 'Rovers' } });
    await env.DB.prepare("delete from custom_field_defs where id = 'cfd_elsewhere'").run();
    const gone = await api('/contacts', { as: ws, body: { name: 'Third Foot', customFields: { club: 'Rovers' }, force: true } });
    expect(await failingFields(gone)).toEqual(['customFields.club']);
  });
});
