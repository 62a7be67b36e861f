import { beforeAll, describe, expect, it } from 'vitest';
import { api, auditRows, failingFields, json, problem, type Session } from './helpers';
import { buildWorld, createContact, createTag, type World } from './customers-world';

type Segment = { id: string; name: string; filters: Record<string, unknown>; isShared: boolean; ownerId: string; isMine: boolean; canEdit: boolean; count: number | null; version: number };
type Members = { items: { id: string; name: string }[]; nextCursor: string | null };

let w: World;
let vipTag: string;
const ids: Record<string, string> = {};

const create = async (as: Session, body: Record<string, unknown>) => json<Segment>(await api('/segments', { as, body }), 201);
const get = async (as: Session, id: string) => json<Segment>(await api(`/segments/${id}`, { as }), 200);
const listIds = async (as: Session, qs = '') => (await json<{ items: Segment[] }>(await api(`/segments${qs}`, { as }), 200)).items.map((s) => s.id);
const members = async (as: Session, id: string, qs = '') => json<Members>(await api(`/segments/${id}/contacts${qs}`, { as }), 200);

beforeAll(async () => {
  w = await buildWorld();
  vipTag = await createTag(w.owner, 'VIP');
  // Rep A (in the manager's team) has two VIP customers and a VIP lead; rep B one VIP customer.
  ids.a1 = (await createContact(w.repA, { name: 'Anna VIP', lifecycle: 'customer', tagIds: [vipTag] })).id;
  ids.a2 = (await createContact(w.repA, { name: 'Arne VIP', lifecycle: 'customer', tagIds: [vipTag] })).id;
  ids.a3 = (await createContact(w.repA, { name: 'Alma Lead', lifecycle: 'prospect', tagIds: [vipTag] })).id;
  ids.b1 = (await createContact(w.repB, { name: 'Bert VIP', lifecycle: 'customer', tagIds: [vipTag] })).id;
});

describe('segments', () => {
  it('saves a filter, counts and lists its members, edits with If-Match and deletes', async () => {
    const s = await create(w.repA, { name: 'VIP customers', filters: { tagId: vipTag, lifecycle: ['customer'] } });
    expect(s).toMatchObject({ name: 'VIP customers', isShared: false, isMine: true, canEdit: true, count: 2, version: 1 });
    expect(s.filters).toEqual({ tagId: vipTag, lifecycle: 'customer' });
    expect(await listIds(w.repA)).toContain(s.id);

    const page1 = await members(w.repA, s.id, '?sort=name&limit=1');
    expect(page1.items.map((c) => c.name)).toEqual(['Anna VIP']);
    const page2 = await members(w.repA, s.id, `?sort=name&limit=1&cursor=${page1.nextCursor}`);
    expect(page2.items.map((c) => c.name)).toEqual(['Arne VIP']);
    expect(page2.nextCursor).toBeNull();

    const res = await api(`/segments/${s.id}`, { method: 'PATCH', as: w.repA, body: { filters: { tagId: vipTag } }, headers: { 'if-match': '"1"' } });
    expect(await json<Segment>(res, 200)).toMatchObject({ count: 3, version: 2 });
    await problem(await api(`/segments/${s.id}`, { method: 'PATCH', as: w.repA, body: { name: 'Stale' }, headers: { 'if-match': '"1"' } }), 412, 'version_mismatch');
    expect((await get(w.repA, s.id)).name).toBe('VIP customers');

    expect((await api(`/segments/${s.id}`, { method: 'DELETE', as: w.repA })).status).toBe(204);
    await problem(await api(`/segments/${s.id}`, { as: w.repA }), 404);
    expect((await auditRows(w.owner, { recordType: 'segment', recordId: s.id })).map((a) => a.action)).toEqual(['segment.deleted', 'segment.updated', 'segment.created']);
  });

  it('names the failing fields, including inside the filters', async () => {
    expect(await failingFields(await api('/segments', { as: w.repA, body: { name: '', filters: {} } }))).toEqual(['name']);
    expect(await failingFields(await api('/segments', { as: w.repA, body: { name: 'Typo', filters: { lifecycel: 'lead' } } }))).toEqual(['filters']);
    expect(await failingFields(await api('/segments', { as: w.repA, body: { name: 'Bad stage', filters: { lifecycle: 'vip', spentMin: -1 } } }))).toEqual(
      expect.arrayContaining(['filters.lifecycle.0', 'filters.spentMin']),
    );
    expect(await failingFields(await api('/segments', { as: w.repA, body: { name: 'No filters' } }))).toEqual(['filters']);
  });

  it('keeps a private segment to its creator, even from admins', async () => {
    const s = await create(w.repA, { name: 'My secret list', filters: { tagId: vipTag } });
    for (const other of [w.repB, w.manager, w.owner, w.outsider]) {
      await problem(await api(`/segments/${s.id}`, { as: other }), 404);
      await problem(await api(`/segments/${s.id}/contacts`, { as: other }), 404);
      expect(await listIds(other)).not.toContain(s.id);
    }
    await problem(await api(`/segments/${s.id}`, { method: 'DELETE', as: w.owner }), 404);
  });

  it('shares a segment with the workspace, each reader counting only the customers they may see', async () => {
    const s = await create(w.repA, { name: 'All VIPs', filters: { tagId: vipTag }, isShared: true });
    expect(s.count).toBe(3);
    const asRepB = await get(w.repB, s.id);
    expect(asRepB).toMatchObject({ isShared: true, isMine: false, canEdit: false, count: 1 });
    expect((await members(w.repB, s.id)).items.map((c) => c.id)).toEqual([ids.b1]);
    expect((await get(w.manager, s.id)).count).toBe(3);
    expect((await members(w.manager, s.id)).items.map((c) => c.id).sort()).toEqual([ids.a1, ids.a2, ids.a3].sort());
    expect((await get(w.owner, s.id)).count).toBe(4);
    expect((await get(w.viewer, s.id)).count).toBe(4);
    expect(await listIds(w.repB, '?scope=shared')).toContain(s.id);
    expect(await listIds(w.repB, '?scope=mine')).not.toContain(s.id);
    await problem(await api(`/segments/${s.id}`, { as: w.outsider }), 404);

    await problem(await api(`/segments/${s.id}`, { method: 'PATCH', as: w.repB, body: { name: 'Mine' }, headers: { 'if-match': '"1"' } }), 403, 'forbidden');
    await problem(await api(`/segments/${s.id}`, { method: 'DELETE', as: w.repB }), 403);
    const renamed = await json<Segment>(await api(`/segments/${s.id}`, { method: 'PATCH', as: w.owner, body: { name: 'Every VIP' }, headers: { 'if-match': '"1"' } }), 200);
    expect(renamed).toMatchObject({ name: 'Every VIP', canEdit: true, count: 4 });
  });

  it('is read-only for a viewer and closed when signed out', async () => {
    await problem(await api('/segments', { as: w.viewer, body: { name: 'Viewer', filters: {} } }), 403, 'forbidden');
    await problem(await api('/segments'), 401, 'unauthorized');
  });
});
