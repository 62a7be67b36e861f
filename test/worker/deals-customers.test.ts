import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Env } from '../../worker/env';
import { getDb } from '../../worker/db/client';
import { purgeDeletedRecords } from '../../worker/modules/contacts/contacts.purge';
import { api, failingFields, json, type Session } from './helpers';
import { createContact } from './customer-helpers';
import { buildWorld } from './customers-world';
import { createDeal, getDeal, ifMatch, type Deal } from './deals-helpers';

let owner: Session;
let repA: Session;
let repB: Session;

beforeAll(async () => {
  ({ owner, repA, repB } = await buildWorld('Deal Customers'));
});

describe('deals and their customers', () => {
  it('validates custom fields defined for deals, like built-in fields', async () => {
    await json(await api('/custom-fields', { as: owner, body: { entity: 'deal', key: 'region', label: 'Region', type: 'select', options: ['north', 'south'], isRequired: true } }), 201);
    expect(await failingFields(await api('/deals', { as: repA, body: { name: 'No region' } }))).toEqual(['customFields.region']);
    expect(await failingFields(await api('/deals', { as: repA, body: { name: 'Bad region', customFields: { region: 'east' } } }))).toEqual(['customFields.region']);
    const deal = await createDeal(repA, { customFields: { region: 'north' } });
    expect(deal.customFields).toEqual({ region: 'north' });
    const edited = await json<Deal>(await api(`/deals/${deal.id}`, { method: 'PATCH', as: repA, body: { customFields: { region: 'south' } }, headers: ifMatch(1) }), 200);
    expect(edited.customFields).toEqual({ region: 'south' });
    expect(await failingFields(await api(`/deals/${deal.id}`, { method: 'PATCH', as: repA, body: { customFields: { region: null } }, headers: ifMatch(2) }))).toEqual(['customFields.region']);
  });

  it("names a colleague's customer on your deal only to those who may see that customer", async () => {
    const theirs = await createContact(owner, { name: 'Bea of Rep B', ownerId: repB.me.user.id });
    const deal = await createDeal(owner, { contactId: theirs.id, ownerId: repA.me.user.id, customFields: { region: 'north' } });
    expect((await getDeal(owner, deal.id)).contactName).toBe('Bea of Rep B');
    expect((await getDeal(repA, deal.id)).contactName).toBeNull();
    const listed = await json<{ items: Deal[] }>(await api(`/deals?ownerId=${repA.me.user.id}`, { as: repA }), 200);
    expect(listed.items.find((d) => d.id === deal.id)?.contactName).toBeNull();
  });

  it('keeps a deal when its customer is purged, no longer linked to them', async () => {
    const contact = await createContact(repA, { name: 'Gone Soon' });
    const deal = await createDeal(repA, { contactId: contact.id, customFields: { region: 'north' } });
    expect((await api(`/contacts/${contact.id}`, { method: 'DELETE', as: repA, headers: ifMatch(contact.version) })).status).toBe(200);
    const db = await getDb(env as Env);
    const now = new Date();
    await purgeDeletedRecords({ db, env: env as Env }, new Date(now.getTime() + 86_400_000).toISOString(), now);
    expect((await api(`/contacts/${contact.id}`, { as: owner })).status).toBe(404);
    const kept = await getDeal(repA, deal.id);
    expect(kept).toMatchObject({ id: deal.id, contactId: null, name: deal.name });
  });
});
