import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { JobMessage } from '../../worker/env';
import { handleQueue } from '../../worker/jobs/queue';
import { api, auditRows, failingFields, json, problem, type Session } from './helpers';
import { buildWorld, countWhere, createContact, createTag, rawRow, type ContactBody, type World } from './customers-world';

type Result = { matched: number; updated: number; skipped: number };
type Queued = { jobId: string; status: string; matched: number; skipped: number };
type Job = { id: string; type: string; status: string; total: number; processed: number; updated: number; skipped: number; error: string | null };

let w: World;
let vip: string;
let cold: string;

const bulk = (as: Session, body: Record<string, unknown>) => api('/contacts/bulk', { as, body });
const ok = async (as: Session, body: Record<string, unknown>) => json<Result>(await bulk(as, body), 200);
const contact = async (as: Session, id: string) => json<ContactBody>(await api(`/contacts/${id}`, { as }), 200);

beforeAll(async () => {
  w = await buildWorld();
  vip = await createTag(w.owner, 'VIP');
  cold = await createTag(w.owner, 'Cold');
});

describe('POST /api/v1/contacts/bulk', () => {
  it('tags a selection, audits one row per record changed, and changes nothing the second time', async () => {
    const a = await createContact(w.repA, { name: 'Bulk Tag One' });
    const b = await createContact(w.repA, { name: 'Bulk Tag Two', tagIds: [vip] });
    const c = await createContact(w.repA, { name: 'Bulk Tag Three', tagIds: [vip, cold] });
    expect(await ok(w.repA, { action: 'tag', ids: [a.id, b.id, c.id], tagIds: [vip, cold] })).toEqual({ matched: 3, updated: 2, skipped: 0 });
    for (const id of [a.id, b.id, c.id]) expect((await contact(w.repA, id)).tags.map((t) => t.name).sort()).toEqual(['Cold', 'VIP']);
    expect((await contact(w.repA, a.id)).version).toBe(2);
    expect((await contact(w.repA, c.id)).version).toBe(1);
    const audit = await auditRows(w.owner, { recordType: 'contact', recordId: b.id });
    expect(audit[0]).toMatchObject({ action: 'contact.updated', actorId: w.repA.me.user.id, changes: { tagIds: { before: [vip], after: [cold, vip].sort() } } });
    expect(await ok(w.repA, { action: 'tag', ids: [a.id, b.id, c.id], tagIds: [vip, cold] })).toEqual({ matched: 3, updated: 0, skipped: 0 });

    expect(await ok(w.repA, { action: 'untag', ids: [a.id, b.id], tagIds: [cold] })).toEqual({ matched: 2, updated: 2, skipped: 0 });
    expect((await contact(w.repA, a.id)).tags.map((t) => t.name)).toEqual(['VIP']);
    expect((await auditRows(w.owner, { recordType: 'contact', recordId: a.id }))[0].changes).toEqual({ tagIds: { before: [cold, vip].sort(), after: [vip] } });
  });

  it('assigns, changes lifecycle, archives, deletes and restores, each audited under its own action', async () => {
    const a = await createContact(w.manager, { name: 'Bulk Flow One', ownerId: w.repA.me.user.id });
    const b = await createContact(w.manager, { name: 'Bulk Flow Two', ownerId: w.repA.me.user.id });
    const ids = [a.id, b.id];
    expect(await ok(w.manager, { action: 'assign', ids, ownerId: w.manager.me.user.id })).toMatchObject({ updated: 2 });
    expect((await contact(w.manager, a.id)).ownerId).toBe(w.manager.me.user.id);
    expect(await ok(w.manager, { action: 'lifecycle', ids, lifecycle: 'customer' })).toMatchObject({ updated: 2 });
    expect(await ok(w.manager, { action: 'archive', ids })).toMatchObject({ updated: 2 });
    expect((await json<{ items: unknown[] }>(await api('/contacts?q=Bulk Flow', { as: w.manager }), 200)).items).toHaveLength(0);
    expect(await ok(w.manager, { action: 'unarchive', ids })).toMatchObject({ updated: 2 });
    expect(await ok(w.manager, { action: 'delete', ids })).toMatchObject({ updated: 2 });
    expect((await contact(w.manager, a.id)).deletedAt).not.toBeNull();
    expect(await ok(w.manager, { action: 'restore', ids })).toMatchObject({ matched: 2, updated: 2 });
    const final = await contact(w.manager, a.id);
    expect(final).toMatchObject({ deletedAt: null, isArchived: false, lifecycle: 'customer', version: 7 });
    const actions = (await auditRows(w.owner, { recordType: 'contact', recordId: a.id })).map((r) => r.action);
    expect(actions).toEqual(['contact.restored', 'contact.deleted', 'contact.unarchived', 'contact.archived', 'contact.updated', 'contact.updated', 'contact.created']);
    // An edit prepared before the bulk change is stale now.
    await problem(await api(`/contacts/${a.id}`, { method: 'PATCH', as: w.manager, body: { title: 'x' }, headers: { 'if-match': '"1"' } }), 412);
  });

  it('applies to a whole filter, but only to the records the actor may see', async () => {
    const tag = await createTag(w.owner, 'Spring fair');
    const mine = await createContact(w.repA, { name: 'Fair Visitor A', source: 'event' });
    const theirs = await createContact(w.repB, { name: 'Fair Visitor B', source: 'event' });
    expect(await ok(w.repA, { action: 'tag', filter: { source: ['event'] }, tagIds: [tag] })).toEqual({ matched: 1, updated: 1, skipped: 0 });
    expect((await contact(w.repB, theirs.id)).tags).toEqual([]);
    expect((await contact(w.repA, mine.id)).tags.map((t) => t.id)).toEqual([tag]);
    expect(await ok(w.owner, { action: 'tag', filter: { source: 'event', q: 'Fair Visitor' }, tagIds: [tag] })).toEqual({ matched: 2, updated: 1, skipped: 0 });
    expect((await contact(w.repB, theirs.id)).tags.map((t) => t.id)).toEqual([tag]);
  });

  it("skips another rep's customers and leaves them unchanged, while their manager reaches them", async () => {
    const mine = await createContact(w.repB, { name: 'Rep B Own' });
    const target = await createContact(w.repA, { name: 'Rep A Protected', lifecycle: 'prospect' });
    for (const body of [
      { action: 'lifecycle', lifecycle: 'churned' },
      { action: 'tag', tagIds: [vip] },
      { action: 'archive' },
      { action: 'delete' },
    ]) {
      expect(await ok(w.repB, { ...body, ids: [mine.id, target.id, 'con_does_not_exist'] })).toMatchObject({ matched: 1, skipped: 2 });
    }
    expect(await ok(w.repB, { action: 'restore', ids: [mine.id, target.id] })).toEqual({ matched: 1, updated: 1, skipped: 1 });
    const untouched = await contact(w.repA, target.id);
    expect(untouched).toMatchObject({ lifecycle: 'prospect', tags: [], isArchived: false, deletedAt: null, version: 1 });
    expect(await countWhere('audit_log', "record_id = ? and action != 'contact.created'", target.id)).toBe(0);

    expect(await ok(w.outsider, { action: 'archive', ids: [target.id] })).toEqual({ matched: 0, updated: 0, skipped: 1 });
    expect(await ok(w.manager, { action: 'lifecycle', ids: [target.id, mine.id], lifecycle: 'customer' })).toEqual({ matched: 1, updated: 1, skipped: 1 });
    expect((await contact(w.repA, target.id)).lifecycle).toBe('customer');
    expect((await contact(w.repB, mine.id)).lifecycle).toBe('churned');
  });

  it('names the failing fields and refuses what the role may not do', async () => {
    expect(await failingFields(await bulk(w.repA, { action: 'archive' }))).toEqual(['ids']);
    expect(await failingFields(await bulk(w.repA, { action: 'archive', ids: ['x'], filter: {} }))).toEqual(['ids']);
    expect(await failingFields(await bulk(w.repA, { action: 'tag', ids: ['x'] }))).toEqual(['tagIds']);
    expect(await failingFields(await bulk(w.repA, { action: 'assign', ids: ['x'] }))).toEqual(['ownerId']);
    expect(await failingFields(await bulk(w.repA, { action: 'lifecycle', ids: ['x'], lifecycle: 'vip' }))).toEqual(['lifecycle']);
    expect(await failingFields(await bulk(w.repA, { action: 'explode', ids: ['x'] }))).toEqual(['action']);
    expect(await failingFields(await bulk(w.repA, { action: 'archive', filter: { lifecycel: 'lead' } }))).toEqual(['filter']);
    expect(await failingFields(await bulk(w.repA, { action: 'archive', ids: [] }))).toEqual(['ids']);
    expect(await failingFields(await bulk(w.repA, { action: 'tag', ids: ['x'], tagIds: ['tag_nope'] }))).toEqual(['tagIds']);
    await problem(await bulk(w.repA, { action: 'assign', ids: ['x'], ownerId: w.repB.me.user.id }), 403, 'forbidden');
    await problem(await bulk(w.viewer, { action: 'archive', ids: ['x'] }), 403, 'forbidden');
    await problem(await api('/contacts/bulk', { body: { action: 'archive', filter: {} } }), 401, 'unauthorized');
  });
});

describe('bulk actions beyond 500 records', () => {
  let ids: string[] = [];
  let queued: Queued;
  const tagName = 'Mass mailing';
  let tag: string;

  beforeAll(async () => {
    tag = await createTag(w.owner, tagName);
    const ws = w.owner.me.workspace.id;
    const now = new Date().toISOString();
    ids = Array.from({ length: 620 }, (_, i) => `con_bulk${String(i).padStart(5, '0')}${crypto.randomUUID().slice(0, 8)}`).sort();
    const rows = ids.map((id, i) => [id, ws, `Mass Contact ${i}`, w.repA.me.user.id, now, now]);
    const statements = [];
    // D1 allows 100 bound parameters per statement: 6 per row.
    for (let i = 0; i < rows.length; i += 16) {
      const chunk = rows.slice(i, i + 16);
      statements.push(
        env.DB.prepare(`insert into contacts (id, workspace_id, name, owner_id, created_at, updated_at) values ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`).bind(...chunk.flat()),
      );
    }
    await env.DB.batch(statements);
    // One more record that rep A may not see must not be touched by rep A's filter.
    await createContact(w.repB, { name: 'Mass Contact hidden' });
  });

  it('queues a job, reports its progress, and tags every visible record exactly once', async () => {
    const res = await bulk(w.repA, { action: 'tag', filter: { q: 'Mass Contact' }, tagIds: [tag] });
    queued = await json<Queued>(res, 202);
    expect(queued).toMatchObject({ status: 'queued', matched: 620, skipped: 0 });
    expect(res.headers.get('location')).toBe(`/api/v1/jobs/${queued.jobId}`);

    const finished = await vi.waitFor(
      async () => {
        const job = await json<Job>(await api(`/jobs/${queued.jobId}`, { as: w.repA }), 200);
        expect(job.status).toBe('done');
        return job;
      },
      { timeout: 30_000, interval: 100 },
    );
    expect(finished).toMatchObject({ type: 'contacts.bulk', total: 620, processed: 620, updated: 620, skipped: 0, error: null });
    expect(await countWhere('record_tags', "tag_id = ? and record_type = 'contact'", tag)).toBe(620);
    expect(await countWhere('audit_log', "action = 'contact.updated' and request_id like ?", `contacts.bulk:${queued.jobId}:%`)).toBe(620);
    expect((await rawRow<{ version: number }>('contacts', ids[0]))?.version).toBe(2);
  });

  it('does nothing more when a chunk is delivered again', async () => {
    const message: JobMessage = {
      type: 'contacts.bulk',
      key: `contacts.bulk:${queued.jobId}:0`,
      payload: { jobId: queued.jobId, chunk: 0, actor: { type: 'user', id: w.repA.me.user.id, workspaceId: w.owner.me.workspace.id }, op: { action: 'untag', tagIds: [tag] }, ids: ids.slice(0, 250) },
    };
    const batch = createMessageBatch<JobMessage>('hearth-jobs', [{ id: 'redelivered', timestamp: new Date(), attempts: 2, body: message }]);
    const ctx = createExecutionContext();
    await handleQueue(batch, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['redelivered']);
    expect(await countWhere('record_tags', 'tag_id = ?', tag)).toBe(620);
    expect(await json<Job>(await api(`/jobs/${queued.jobId}`, { as: w.repA }), 200)).toMatchObject({ processed: 620, updated: 620 });
  });

  it('shows the job to whoever started it and to admins only', async () => {
    await problem(await api(`/jobs/${queued.jobId}`, { as: w.repB }), 404);
    await problem(await api(`/jobs/${queued.jobId}`, { as: w.outsider }), 404);
    await problem(await api(`/jobs/${queued.jobId}`), 401);
    expect((await json<Job>(await api(`/jobs/${queued.jobId}`, { as: w.owner }), 200)).status).toBe('done');
  });
});
