import { createExecutionContext, createMessageBatch, createScheduledController, env, getQueueResult } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JobMessage } from '../../worker/env';
import { handleScheduled } from '../../worker/jobs/cron';
import { handleQueue } from '../../worker/jobs/queue';
import { api, auditRows, json, problem } from './helpers';
import { buildWorld, countWhere, createContact, createTag, insertActivity, insertOrder, insertTicket, rawRow, type ContactBody, type World } from './customers-world';

const DAY = 86400_000;

let w: World;
let ws: string;

/** The nightly cron, as the Workers runtime fires it. */
async function nightlyCron() {
  await handleScheduled(createScheduledController({ scheduledTime: new Date(), cron: '0 3 * * *' }), env);
}

/** Moves the deletion of the given records `days` into the past, as if the days had gone by. */
async function deletedDaysAgo(days: number, ...records: [table: 'contacts' | 'companies', id: string][]) {
  const at = new Date(Date.now() - days * DAY).toISOString();
  await env.DB.batch(records.map(([table, id]) => env.DB.prepare(`update ${table} set deleted_at = ? where id = ?`).bind(at, id)));
}

const ids = async (qs: string) => (await json<{ items: { id: string }[] }>(await api(`/contacts${qs}`, { as: w.owner }), 200)).items.map((i) => i.id);

beforeAll(async () => {
  w = await buildWorld();
  ws = w.owner.me.workspace.id;
});

describe('archive', () => {
  it('hides a customer from lists, search and counts, and brings it back', async () => {
    const c = await createContact(w.repA, { name: 'Archie Ved', emails: ['archie@example.com'] });
    const archived = await json<ContactBody>(await api(`/contacts/${c.id}/archive`, { as: w.repA, method: 'POST' }), 200);
    expect(archived).toMatchObject({ isArchived: true, version: 2 });
    expect(await ids('?q=archie')).toEqual([]);
    expect((await json<{ count: number }>(await api('/contacts/count?q=archie', { as: w.owner }), 200)).count).toBe(0);
    expect(await ids('?q=archie&archived=true')).toEqual([c.id]);
    expect((await json<ContactBody>(await api(`/contacts/${c.id}`, { as: w.repA }), 200)).isArchived).toBe(true);
    await problem(await api(`/contacts/${c.id}/archive`, { as: w.repB, method: 'POST' }), 404);
    await json(await api(`/contacts/${c.id}/unarchive`, { as: w.repA, method: 'POST' }), 200);
    expect(await ids('?q=archie')).toEqual([c.id]);
  });
});

describe('delete and the nightly purge', () => {
  let doomed: ContactBody;
  let mergedIn: ContactBody;
  let restored: ContactBody;
  let company: { id: string };
  let survivorOfCompany: ContactBody;
  const rows: Record<string, string> = {};

  beforeAll(async () => {
    const tag = await createTag(w.owner, 'Doomed');
    company = await json<{ id: string }>(await api('/companies', { as: w.owner, body: { name: 'Gone Trading', tagIds: [tag] } }), 201);
    survivorOfCompany = await createContact(w.owner, { name: 'Works At Gone', companyId: company.id });
    doomed = await createContact(w.repA, { name: 'Doomed Dora', emails: ['dora@example.com'], phones: ['13600005555'], tagIds: [tag], emailConsent: true });
    mergedIn = await createContact(w.repA, { name: 'Dora Duplicate', emails: ['dora.dup@example.com'] });
    await json(await api(`/contacts/${doomed.id}/merge`, { as: w.repA, body: { sourceId: mergedIn.id } }), 200);
    restored = await createContact(w.repA, { name: 'Restored Rita' });
    rows.note = await insertActivity(ws, doomed.id, 'Dora likes oolong');
    rows.order = await insertOrder(ws, doomed.id, 9_900);
    rows.ticket = await insertTicket(ws, doomed.id, 'Broken lid');
    rows.companyNote = await insertActivity(ws, null, 'Annual contract talk', company.id);
    rows.personAtCompanyNote = await insertActivity(ws, survivorOfCompany.id, 'Met at the fair', company.id);
    for (const path of [`/contacts/${doomed.id}`, `/contacts/${restored.id}`, `/companies/${company.id}`]) {
      await json(await api(path, { as: w.owner, method: 'DELETE' }), 200);
    }
  });

  it('moves a deleted customer to the recycle bin, restorable', async () => {
    expect(await ids('?q=Restored Rita')).toEqual([]);
    expect(await ids('?q=Restored Rita&deleted=true')).toEqual([restored.id]);
    await problem(await api(`/contacts/${restored.id}/restore`, { as: w.repB, method: 'POST' }), 404);
    const back = await json<ContactBody>(await api(`/contacts/${restored.id}/restore`, { as: w.repA, method: 'POST' }), 200);
    expect(back.deletedAt).toBeNull();
    expect(await ids('?q=Restored Rita')).toEqual([restored.id]);
  });

  it('keeps deleted records through the first 30 days', async () => {
    await deletedDaysAgo(29, ['contacts', doomed.id], ['companies', company.id]);
    await nightlyCron();
    expect(await rawRow('contacts', doomed.id)).not.toBeNull();
    expect(await rawRow('companies', company.id)).not.toBeNull();
    expect(await rawRow('activities', rows.note)).not.toBeNull();
    expect((await json<ContactBody>(await api(`/contacts/${doomed.id}`, { as: w.owner }), 200)).deletedAt).not.toBeNull();
  });

  it('purges them after 30 days with everything that hangs off them', async () => {
    await deletedDaysAgo(31, ['contacts', doomed.id], ['companies', company.id]);
    await nightlyCron();
    expect(await rawRow('contacts', doomed.id)).toBeNull();
    expect(await rawRow('contacts', mergedIn.id)).toBeNull();
    for (const [table, id] of [['activities', rows.note], ['orders', rows.order], ['tickets', rows.ticket]] as const) {
      expect(await rawRow(table, id), table).toBeNull();
    }
    expect(await countWhere('order_items', 'order_id = ?', rows.order)).toBe(0);
    for (const table of ['contact_channels', 'search_docs', 'consent_events']) {
      expect(await countWhere(table, 'contact_id in (?, ?)', doomed.id, mergedIn.id), table).toBe(0);
    }
    expect(await countWhere('record_tags', 'record_id in (?, ?, ?)', doomed.id, mergedIn.id, company.id)).toBe(0);
    await problem(await api(`/contacts/${doomed.id}`, { as: w.owner }), 404, 'not_found');
    expect(await ids('?q=dora&deleted=true')).toEqual([]);

    // The company goes, its people stay (unlinked), and so does what they said at it.
    expect(await rawRow('companies', company.id)).toBeNull();
    expect(await rawRow('activities', rows.companyNote)).toBeNull();
    expect(await rawRow('activities', rows.personAtCompanyNote)).toMatchObject({ contact_id: survivorOfCompany.id, company_id: null });
    expect((await json<ContactBody>(await api(`/contacts/${survivorOfCompany.id}`, { as: w.owner }), 200)).companyId).toBeNull();

    // Restored within the 30 days: untouched.
    expect(await rawRow('contacts', restored.id)).not.toBeNull();

    // What happened stays in the audit log; what the values were does not.
    const trail = await auditRows(w.owner, { recordType: 'contact', recordId: doomed.id });
    expect(trail[0]).toMatchObject({ action: 'contact.purged', actorType: 'system', changes: null });
    expect(JSON.stringify(trail)).not.toContain('dora@example.com');
    expect((await auditRows(w.owner, { recordType: 'company', recordId: company.id }))[0].action).toBe('company.purged');
  });

  it('is idempotent: running again, or from a redelivered queue message, changes nothing', async () => {
    const before = await countWhere('audit_log', "action like '%.purged'");
    await nightlyCron();
    const message: JobMessage = { type: 'records.purge', key: 'records.purge:again:2', payload: { cutoff: new Date(Date.now() + DAY).toISOString(), round: 2 } };
    const batch = createMessageBatch<JobMessage>('hearth-jobs', [{ id: 'purge-again', timestamp: new Date(), attempts: 1, body: message }]);
    await handleQueue(batch, env);
    expect((await getQueueResult(batch, createExecutionContext())).explicitAcks).toEqual(['purge-again']);
    expect(await countWhere('audit_log', "action like '%.purged'")).toBe(before);
    expect(await rawRow('contacts', restored.id)).not.toBeNull();
  });
});
