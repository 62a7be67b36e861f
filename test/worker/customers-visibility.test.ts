import { beforeAll, describe, expect, it } from 'vitest';
import { api, json, problem, type Session } from './helpers';
import { buildWorld, createContact, createTag, rawRow, type World } from './customers-world';

type Page = { items: { id: string }[] };

let w: World;

const count = async (as: Session, qs: string) => (await json<{ count: number }>(await api(`/contacts/count?${qs}`, { as }), 200)).count;
const listed = async (as: Session, path: string) => (await json<Page>(await api(path, { as }), 200)).items.map((i) => i.id);

beforeAll(async () => {
  w = await buildWorld();
});

describe('one customer of rep A, every way in', () => {
  it('is unreachable for rep B by id, search, count, segment or bulk action, and reachable for their manager', async () => {
    const tag = await createTag(w.owner, 'Orchid');
    const c = await createContact(w.repA, { name: 'Orchid Ouyang', emails: ['orchid@ouyang.example'], phones: ['13500007777'], tagIds: [tag] });
    const segment = await json<{ id: string }>(await api('/segments', { as: w.repA, body: { name: 'Orchids', filters: { tagId: tag }, isShared: true } }), 201);

    // Rep B: every door answers as if the customer did not exist.
    for (const path of [`/contacts/${c.id}`, `/contacts/${c.id}/export`, `/contacts/${c.id}/consent`]) await problem(await api(path, { as: w.repB }), 404);
    await problem(await api(`/contacts/${c.id}`, { method: 'PATCH', as: w.repB, body: { name: 'x' }, headers: { 'if-match': '"1"' } }), 404);
    const own = await createContact(w.repB, { name: 'Rep B Own' });
    await problem(await api(`/contacts/${own.id}/merge`, { as: w.repB, body: { sourceId: c.id } }), 404);
    expect(await listed(w.repB, '/contacts?q=orchid')).toEqual([]);
    expect(await listed(w.repB, '/contacts?q=7777')).toEqual([]);
    expect(await listed(w.repB, `/contacts?tagId=${tag}`)).toEqual([]);
    expect(await count(w.repB, 'q=ouyang')).toBe(0);
    expect(await count(w.repB, `tagId=${tag}`)).toBe(0);
    expect((await json<{ count: number }>(await api(`/segments/${segment.id}`, { as: w.repB }), 200)).count).toBe(0);
    expect(await listed(w.repB, `/segments/${segment.id}/contacts`)).toEqual([]);
    expect(await json(await api('/contacts/bulk', { as: w.repB, body: { action: 'archive', ids: [c.id] } }), 200)).toEqual({ matched: 0, updated: 0, skipped: 1 });
    expect(await json(await api('/contacts/bulk', { as: w.repB, body: { action: 'delete', filter: { tagId: tag } } }), 200)).toEqual({ matched: 0, updated: 0, skipped: 0 });
    expect(await rawRow('contacts', c.id)).toMatchObject({ archived_at: null, deleted_at: null, version: 1 });

    // Their manager leads rep A's team: every door opens.
    expect((await json<{ id: string }>(await api(`/contacts/${c.id}`, { as: w.manager }), 200)).id).toBe(c.id);
    expect((await json<{ contact: { id: string } }>(await api(`/contacts/${c.id}/export`, { as: w.manager }), 200)).contact.id).toBe(c.id);
    expect(await listed(w.manager, '/contacts?q=orchid')).toEqual([c.id]);
    expect(await listed(w.manager, '/contacts?q=7777')).toEqual([c.id]);
    expect(await count(w.manager, 'q=ouyang')).toBe(1);
    expect((await json<{ count: number }>(await api(`/segments/${segment.id}`, { as: w.manager }), 200)).count).toBe(1);
    expect(await listed(w.manager, `/segments/${segment.id}/contacts`)).toEqual([c.id]);
    expect(await json(await api('/contacts/bulk', { as: w.manager, body: { action: 'archive', ids: [c.id] } }), 200)).toEqual({ matched: 1, updated: 1, skipped: 0 });
    expect(await rawRow<{ archived_at: string | null }>('contacts', c.id)).toMatchObject({ archived_at: expect.any(String), version: 2 });

    // Another workspace's owner sees nothing either.
    await problem(await api(`/contacts/${c.id}`, { as: w.outsider }), 404);
    expect(await listed(w.outsider, '/contacts?q=orchid&archived=any')).toEqual([]);
  });
});
