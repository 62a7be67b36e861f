import { beforeAll, describe, expect, it } from 'vitest';
import { api, apiKey, failingFields, json, login, problem, signup, userWithRole, type Session, type Team } from './helpers';

let owner: Session;
let admin: Session;
let viewer: Session;
let stranger: Session;

beforeAll(async () => {
  owner = await signup();
  [admin, viewer, stranger] = await Promise.all([userWithRole(owner, 'admin'), userWithRole(owner, 'viewer'), signup({ workspaceName: 'Other' })]);
});

const key = () => `idem-${crypto.randomUUID()}`;
const teamsNamed = async (as: Session, name: string) => (await json<{ items: Team[] }>(await api('/teams', { as }), 200)).items.filter((t) => t.name === name);

describe('Idempotency-Key on POST', () => {
  it('the same key and body twice create one record and replay the first response', async () => {
    const k = key();
    const first = await api('/teams', { as: owner, body: { name: 'Once only' }, headers: { 'idempotency-key': k } });
    const firstBody = await json<Team>(first, 201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    const second = await api('/teams', { as: owner, body: { name: 'Once only' }, headers: { 'idempotency-key': k } });
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await json<Team>(second)).toEqual(firstBody);

    // A second session of the same person (a retry from another tab) also gets the replay.
    const otherTab = await login(owner.email);
    const third = await api('/teams', { as: otherTab, body: { name: 'Once only' }, headers: { 'idempotency-key': k } });
    expect(third.headers.get('idempotent-replayed')).toBe('true');
    expect(await teamsNamed(owner, 'Once only')).toHaveLength(1);
  });

  it('two simultaneous requests with one key create one record', async () => {
    const k = key();
    const send = () => api('/teams', { as: owner, body: { name: 'Double click' }, headers: { 'idempotency-key': k } });
    const results = await Promise.all([send(), send()]);
    const fresh = results.filter((r) => r.status === 201 && !r.headers.get('idempotent-replayed'));
    expect(fresh).toHaveLength(1);
    for (const other of results.filter((r) => r !== fresh[0])) {
      expect(other.status === 409 || other.headers.get('idempotent-replayed') === 'true').toBe(true);
    }
    expect(await teamsNamed(owner, 'Double click')).toHaveLength(1);
  });

  it('the same key with a different body is 422 and creates nothing', async () => {
    const k = key();
    await json(await api('/teams', { as: owner, body: { name: 'First body' }, headers: { 'idempotency-key': k } }), 201);
    await problem(await api('/teams', { as: owner, body: { name: 'Second body' }, headers: { 'idempotency-key': k } }), 422, 'idempotency_key_reused');
    expect(await teamsNamed(owner, 'Second body')).toHaveLength(0);
  });

  it('the same key on another route is 422', async () => {
    const k = key();
    await json(await api('/teams', { as: owner, body: { name: 'Route one' }, headers: { 'idempotency-key': k } }), 201);
    await problem(await api('/api-keys', { as: owner, body: { name: 'Route one' }, headers: { 'idempotency-key': k } }), 422, 'idempotency_key_reused');
  });

  it('a refused request is not remembered: the key can be retried with a corrected body', async () => {
    const k = key();
    expect(await failingFields(await api('/teams', { as: owner, body: { name: '' }, headers: { 'idempotency-key': k } }))).toEqual(['name']);
    const ok = await api('/teams', { as: owner, body: { name: 'Corrected' }, headers: { 'idempotency-key': k } });
    expect(ok.status).toBe(201);
    expect(ok.headers.get('idempotent-replayed')).toBeNull();
  });

  it('without a key, two identical POSTs are two attempts', async () => {
    await json(await api('/teams', { as: owner, body: { name: 'Twice' } }), 201);
    await problem(await api('/teams', { as: owner, body: { name: 'Twice' } }), 409, 'team_name_taken');
  });

  it('a key longer than 200 characters is 422 naming the header', async () => {
    expect(await failingFields(await api('/teams', { as: owner, body: { name: 'Long key' }, headers: { 'idempotency-key': 'k'.repeat(201) } }))).toEqual(['Idempotency-Key']);
    expect(await teamsNamed(owner, 'Long key')).toHaveLength(0);
  });

  it('keys are per workspace: another workspace using the same key gets its own record', async () => {
    const k = key();
    const ours = await json<Team>(await api('/teams', { as: owner, body: { name: 'Shared key' }, headers: { 'idempotency-key': k } }), 201);
    const res = await api('/teams', { as: stranger, body: { name: 'Shared key' }, headers: { 'idempotency-key': k } });
    const theirs = await json<Team>(res, 201);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.id).not.toBe(ours.id);
  });

  it('a replay never hands one person\'s response to another, nor skips authorization', async () => {
    const k = key();
    const body = { name: 'Admin key', scopes: ['users:read'] };
    const created = await json<{ key: string }>(await api('/api-keys', { as: admin, body, headers: { 'idempotency-key': k } }), 201);
    const res = await api('/api-keys', { as: viewer, body, headers: { 'idempotency-key': k } });
    expect([403, 422]).toContain(res.status);
    expect(await res.text()).not.toContain(created.key);
  });

  it('works for API keys too', async () => {
    const { key: secret } = await apiKey(owner, ['teams:write', 'teams:read']);
    const k = key();
    const first = await json<Team>(await api('/teams', { apiKey: secret, body: { name: 'Via key' }, headers: { 'idempotency-key': k } }), 201);
    const second = await api('/teams', { apiKey: secret, body: { name: 'Via key' }, headers: { 'idempotency-key': k } });
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await json<Team>(second, 201)).toEqual(first);
    expect(await teamsNamed(owner, 'Via key')).toHaveLength(1);
  });
});
