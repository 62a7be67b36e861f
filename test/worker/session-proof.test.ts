import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { SessionProofFailed, withSessionProof } from '../../worker/db/session-proof';
import { buildWorld, createContact, type World } from './customers-world';
import { api, json, login, problem, type Me } from './helpers';

// Reads by a signed-in user are served from a per-isolate hint of who is behind the session, with
// the session check carried inside the first query. These tests change the session or the user
// between two reads and expect the second read to see the database, not the hint.

type Page = { items: { id: string; name: string }[] };

let w: World;

beforeAll(async () => {
  w = await buildWorld('Proof Co');
  await createContact(w.repA, { name: 'Anna of Rep A' });
  await createContact(w.repB, { name: 'Bert of Rep B' });
});

const names = async (as: World['owner']) => (await json<Page>(await api('/contacts', { as }), 200)).items.map((c) => c.name).sort();

describe('signed-in reads from a remembered session', () => {
  it('serve the same answers as a full check', async () => {
    const first = await names(w.repA);
    expect(first).toEqual(['Anna of Rep A']);
    expect(await names(w.repA)).toEqual(first);
    expect((await json<Page>(await api('/contacts?q=Bert', { as: w.repA }), 200)).items).toEqual([]);
  });

  it('stop at once after sign-out, also for a second session of the same cookie jar', async () => {
    const session = await login(w.repB.email);
    expect(await names(session)).toEqual(['Bert of Rep B']);
    expect((await api('/auth/logout', { method: 'POST', as: session })).status).toBe(204);
    await problem(await api('/contacts', { as: session }), 401);
    await problem(await api('/me', { as: session }), 401);
  });

  it('stop at once when the user is deactivated', async () => {
    const session = await login(w.repB.email);
    expect(await names(session)).toEqual(['Bert of Rep B']);
    await json(await api(`/users/${w.repB.me.user.id}/deactivate`, { method: 'POST', as: w.owner }), 200);
    await problem(await api('/contacts', { as: session }), 401);
    await json(await api(`/users/${w.repB.me.user.id}/reactivate`, { method: 'POST', as: w.owner }), 200);
  });

  it('follow a role change made elsewhere on the very next read', async () => {
    const rep = await login(w.repA.email);
    expect(await names(rep)).toEqual(['Anna of Rep A']);
    const user = await json<{ version: number }>(await api(`/users/${w.repA.me.user.id}`, { as: w.owner }), 200);
    await json(await api(`/users/${w.repA.me.user.id}`, { method: 'PATCH', as: w.owner, body: { role: 'admin' }, headers: { 'if-match': `"${user.version}"` } }), 200);
    expect(await names(rep)).toEqual(['Anna of Rep A', 'Bert of Rep B']);
    expect((await json<Me>(await api('/me', { as: rep }), 200)).user.role).toBe('admin');
    const again = await json<{ version: number }>(await api(`/users/${w.repA.me.user.id}`, { as: w.owner }), 200);
    await json(await api(`/users/${w.repA.me.user.id}`, { method: 'PATCH', as: w.owner, body: { role: 'rep' }, headers: { 'if-match': `"${again.version}"` } }), 200);
    expect(await names(rep)).toEqual(['Anna of Rep A']);
  });

  it('follow a team change: the manager sees the new member’s records at once', async () => {
    expect(await names(w.manager)).toEqual(['Anna of Rep A']);
    const user = await json<{ version: number }>(await api(`/users/${w.repB.me.user.id}`, { as: w.owner }), 200);
    await json(await api(`/users/${w.repB.me.user.id}`, { method: 'PATCH', as: w.owner, body: { teamId: w.teamId }, headers: { 'if-match': `"${user.version}"` } }), 200);
    expect(await names(w.manager)).toEqual(['Anna of Rep A', 'Bert of Rep B']);
  });
});

describe('withSessionProof()', () => {
  const failing = { sql: 'select 1 where 0', params: [] };
  const holding = { sql: 'select 1', params: [] };

  it('hands out no row and runs no write when the proof fails', async () => {
    const { binding, settle } = withSessionProof(env.DB, failing);
    await expect(binding.prepare('select 1 as one').raw()).rejects.toBeInstanceOf(SessionProofFailed);
    await expect(binding.prepare('create table proof_write_probe (x)').run()).rejects.toBeInstanceOf(SessionProofFailed);
    await expect(settle()).rejects.toBeInstanceOf(SessionProofFailed);
    const table = await env.DB.prepare("select name from sqlite_master where name = 'proof_write_probe'").first();
    expect(table).toBeNull();
  });

  it('answers reads, empty ones included, and batches once the proof holds', async () => {
    const { binding } = withSessionProof(env.DB, holding);
    const [rows, empty] = await Promise.all([binding.prepare('select ? as n').bind(7).raw(), binding.prepare('select 1 where 0').all()]);
    expect(rows).toEqual([[7]]);
    expect(empty.results).toEqual([]);
    const results = await binding.batch([binding.prepare('select ? as n').bind(1), binding.prepare('select ? as n').bind(2)]);
    expect(results.map((r) => r.results)).toEqual([[{ n: 1 }], [{ n: 2 }]]);
  });
});
