import { beforeAll, describe, expect, it } from 'vitest';
import { api, failingFields, json, problem, type Session } from './helpers';
import { buildWorld, createContact, createTag, type World } from './customers-world';
import { createDeal, getDeal } from './deals-helpers';

type Tagged = { id: string; tags: { id: string; name: string; color: string }[] };
type Page = { items: Tagged[] };

let w: World;

const tagNames = (r: { tags: { name: string }[] }) => r.tags.map((t) => t.name);
const listed = async (as: Session, path: string, id: string) => (await json<Page>(await api(path, { as }), 200)).items.find((i) => i.id === id);
const contactDetail = async (as: Session, id: string) => json<Tagged>(await api(`/contacts/${id}`, { as }), 200);

beforeAll(async () => {
  w = await buildWorld();
});

describe('tags', () => {
  it('a rename or recolour shows at once on every tagged customer, company and deal, in lists and details', async () => {
    const tag = await createTag(w.owner, 'Trade fair');
    const other = await createTag(w.owner, 'Annual');
    const person = await createContact(w.repA, { name: 'Tagged Person', tagIds: [tag, other] });
    const company = await json<Tagged>(await api('/companies', { as: w.repA, body: { name: 'Tagged Co', tagIds: [tag] } }), 201);
    const member = await createContact(w.repA, { name: 'Tagged Member', companyId: company.id, tagIds: [tag] });
    const deal = await createDeal(w.repA, { name: 'Tagged deal', tagIds: [tag] });
    expect(tagNames(person)).toEqual(['Annual', 'Trade fair']);
    expect(tagNames((await listed(w.repA, '/contacts?q=Tagged Person', person.id))!)).toEqual(['Annual', 'Trade fair']);

    const renamed = await api(`/tags/${tag}`, { method: 'PATCH', as: w.owner, body: { name: 'Canton Fair 2026', color: '#dc2626' } });
    expect(renamed.status).toBe(200);

    for (const view of [await contactDetail(w.repA, person.id), (await listed(w.repA, '/contacts', person.id))!]) {
      expect(view.tags).toEqual([
        { id: other, name: 'Annual', color: '#64748b' },
        { id: tag, name: 'Canton Fair 2026', color: '#dc2626' },
      ]);
    }
    const companyPage = await json<Tagged & { contacts: Tagged[] }>(await api(`/companies/${company.id}`, { as: w.repA }), 200);
    expect(tagNames(companyPage)).toEqual(['Canton Fair 2026']);
    expect(companyPage.contacts.filter((c) => c.id === member.id).map(tagNames)).toEqual([['Canton Fair 2026']]);
    expect(tagNames((await listed(w.repA, '/companies', company.id))!)).toEqual(['Canton Fair 2026']);
    expect(tagNames(await getDeal(w.repA, deal.id))).toEqual(['Canton Fair 2026']);
    expect(tagNames((await listed(w.repA, '/deals', deal.id))!)).toEqual(['Canton Fair 2026']);
  });

  it('deleting a tag takes it off every record, and the records stay', async () => {
    const tag = await createTag(w.owner, 'Short-lived');
    const keep = await createTag(w.owner, 'Keeper');
    const person = await createContact(w.repA, { name: 'Untag Person', tagIds: [tag, keep] });
    const deal = await createDeal(w.repA, { name: 'Untag deal', tagIds: [tag] });

    expect((await api(`/tags/${tag}`, { method: 'DELETE', as: w.owner })).status).toBe(204);

    expect(tagNames(await contactDetail(w.repA, person.id))).toEqual(['Keeper']);
    expect(tagNames((await listed(w.repA, '/contacts?q=Untag Person', person.id))!)).toEqual(['Keeper']);
    expect(tagNames(await getDeal(w.repA, deal.id))).toEqual([]);
    const tags = await json<{ items: { id: string }[] }>(await api('/tags', { as: w.repA }), 200);
    expect(tags.items.map((t) => t.id)).not.toContain(tag);
  });

  it('an edit that replaces the tags, a bulk untag and a merge each leave the list showing exactly the tags the record has', async () => {
    const [a, b, c] = [await createTag(w.owner, 'Alpha'), await createTag(w.owner, 'Beta'), await createTag(w.owner, 'Gamma')];
    const one = await createContact(w.repA, { name: 'Exact One', tagIds: [a] });
    const two = await createContact(w.repA, { name: 'Exact Two', tagIds: [b, c] });

    const edited = await json<Tagged>(await api(`/contacts/${one.id}`, { method: 'PATCH', as: w.repA, body: { tagIds: [b] }, headers: { 'if-match': '"1"' } }), 200);
    expect(tagNames(edited)).toEqual(['Beta']);
    expect(tagNames((await listed(w.repA, '/contacts?q=Exact One', one.id))!)).toEqual(['Beta']);

    await json(await api('/contacts/bulk', { as: w.repA, body: { action: 'untag', ids: [two.id], tagIds: [c] } }), 200);
    expect(tagNames((await listed(w.repA, '/contacts?q=Exact Two', two.id))!)).toEqual(['Beta']);
    await json(await api('/contacts/bulk', { as: w.repA, body: { action: 'tag', ids: [two.id], tagIds: [a, c] } }), 200);

    await json(await api(`/contacts/${one.id}/merge`, { as: w.repA, body: { sourceId: two.id } }), 200);
    expect(tagNames((await listed(w.repA, '/contacts?q=Exact One', one.id))!)).toEqual(['Alpha', 'Beta', 'Gamma']);
  });

  it('names are checked: empty, too long or already used is a 4xx naming the field, and nothing is written', async () => {
    await createTag(w.owner, 'Unique name');
    expect(await failingFields(await api('/tags', { as: w.owner, body: { name: '' } }))).toEqual(['name']);
    expect(await failingFields(await api('/tags', { as: w.owner, body: { name: 'x'.repeat(500) } }))).toEqual(['name']);
    const taken = await api('/tags', { as: w.owner, body: { name: 'Unique name' } });
    expect(taken.status).toBe(409);
    expect((await problem(taken)).errors?.[0]?.field).toBe('name');
    const tags = await json<{ items: { name: string }[] }>(await api('/tags', { as: w.owner }), 200);
    expect(tags.items.filter((t) => t.name === 'Unique name')).toHaveLength(1);
  });

  it('only admins rename or delete a tag; another workspace cannot see it', async () => {
    const tag = await createTag(w.owner, 'Guarded');
    expect((await api(`/tags/${tag}`, { method: 'PATCH', as: w.repA, body: { name: 'Hijacked' } })).status).toBe(403);
    expect((await api(`/tags/${tag}`, { method: 'DELETE', as: w.repA })).status).toBe(403);
    expect((await api(`/tags/${tag}`, { method: 'PATCH', as: w.outsider, body: { name: 'Hijacked' } })).status).toBe(404);
    const outsiders = await json<{ items: { id: string }[] }>(await api('/tags', { as: w.outsider }), 200);
    expect(outsiders.items.map((t) => t.id)).not.toContain(tag);
    const person = await createContact(w.repA, { name: 'Guarded Person', tagIds: [tag] });
    expect(tagNames(await contactDetail(w.repA, person.id))).toEqual(['Guarded']);
  });
});
