import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { api, apiKey, failingFields, json, problem, signup, userWithRole, type ApiKey, type Session, type Team } from './helpers';

type ListedKey = Omit<ApiKey, 'key'> & { lastUsedAt: string | null; revokedAt: string | null; createdBy: string };

let owner: Session;
let admin: Session;
let manager: Session;
let viewer: Session;
let stranger: Session;

beforeAll(async () => {
  owner = await signup();
  [admin, manager, viewer, stranger] = await Promise.all([
    userWithRole(owner, 'admin'),
    userWithRole(owner, 'manager'),
    userWithRole(owner, 'viewer'),
    signup({ workspaceName: 'Elsewhere' }),
  ]);
});

const listKeys = async (as: Session) => (await json<{ items: ListedKey[] }>(await api('/api-keys', { as }), 200)).items;

describe('POST /api-keys', () => {
  it('shows the secret once; the list never contains it', async () => {
    const res = await api('/api-keys', { as: admin, body: { name: 'Website', scopes: ['contacts:read', 'contacts:write', 'contacts:read'] } });
    const created = await json<ApiKey & { createdBy: string }>(res, 201);
    expect(created.key).toMatch(/^hk_[\w-]{30,}$/);
    expect(created.key.startsWith(created.prefix)).toBe(true);
    expect(created.scopes).toEqual(['contacts:read', 'contacts:write']);
    expect(created.createdBy).toBe(admin.me.user.id);

    const listRes = await api('/api-keys', { as: owner });
    const text = await listRes.text();
    expect(listRes.status).toBe(200);
    expect(text).not.toContain(created.key);
    expect(text).not.toMatch(/keyHash|key_hash/);
    const listed = (JSON.parse(text) as { items: ListedKey[] }).items.find((k) => k.id === created.id)!;
    expect(listed).toMatchObject({ name: 'Website', prefix: created.prefix, lastUsedAt: null, revokedAt: null });
    expect(listed).not.toHaveProperty('key');
  });

  it('validates by field', async () => {
    expect(await failingFields(await api('/api-keys', { as: owner, body: { name: 'None', scopes: [] } }))).toEqual(['scopes']);
    expect(await failingFields(await api('/api-keys', { as: owner, body: { name: 'Bad', scopes: ['everything'] } }))).toEqual(['scopes.0']);
    expect(await failingFields(await api('/api-keys', { as: owner, body: { name: '', scopes: ['teams:read'] } }))).toEqual(['name']);
    expect(await failingFields(await api('/api-keys', { as: owner, body: { name: 'Past', scopes: ['teams:read'], expiresAt: '2001-01-01T00:00:00Z' } }))).toEqual(['expiresAt']);
    expect(await failingFields(await api('/api-keys', { as: owner, body: { name: 'When', scopes: ['teams:read'], expiresAt: 'tomorrow' } }))).toEqual(['expiresAt']);
    await problem(await api('/api-keys', { as: owner, raw: '[', headers: { 'content-type': 'application/json' } }), 400);
  });

  it('is 403 for a manager and a viewer', async () => {
    await problem(await api('/api-keys', { as: manager, body: { name: 'Sneaky', scopes: ['users:read'] } }), 403);
    await problem(await api('/api-keys', { as: viewer }), 403);
    await problem(await api('/api-keys'), 401);
  });
});

describe('Bearer authentication', () => {
  it('acts within the key\'s scopes: allowed with the scope, 403 without', async () => {
    const key = await apiKey(owner, ['teams:read', 'users:read']);
    const teams = await api('/teams', { apiKey: key.key });
    expect(teams.status).toBe(200);
    const users = await json<{ items: { id: string }[] }>(await api('/users', { apiKey: key.key }), 200);
    expect(users.items.map((u) => u.id)).toContain(owner.me.user.id);

    await problem(await api('/teams', { apiKey: key.key, body: { name: 'By key' } }), 403, 'forbidden');
    await problem(await api('/audit', { apiKey: key.key }), 403);
    await problem(await api('/api-keys', { apiKey: key.key }), 403);
    expect((await json<{ items: Team[] }>(await api('/teams', { as: owner }), 200)).items.map((t) => t.name)).not.toContain('By key');
  });

  it('writes with a write scope, recorded in the audit log as the key', async () => {
    const key = await apiKey(owner, ['teams:write', 'teams:read']);
    const team = await json<Team>(await api('/teams', { apiKey: key.key, body: { name: 'Made by key' } }), 201);
    const rows = await json<{ items: { actorType: string; actorId: string }[] }>(await api(`/audit?recordId=${team.id}`, { as: owner }), 200);
    expect(rows.items[0]).toMatchObject({ actorType: 'api_key', actorId: key.id });
  });

  it('/me describes the key; person-only routes are 403', async () => {
    const key = await apiKey(owner, ['teams:read']);
    const me = await json<{ user: null; apiKey: { id: string; scopes: string[] }; workspace: { id: string } }>(await api('/me', { apiKey: key.key }), 200);
    expect(me).toMatchObject({ user: null, apiKey: { id: key.id, scopes: ['teams:read'] }, workspace: { id: owner.me.workspace.id } });
    await problem(await api('/me', { method: 'PATCH', apiKey: key.key, body: { name: 'Robot' } }), 403);
    await problem(await api('/me/password', { apiKey: key.key, body: { currentPassword: 'x', newPassword: 'yyyyyyyyyyyy' } }), 403);
  });

  it('records when a key was last used', async () => {
    const key = await apiKey(owner, ['teams:read']);
    expect((await api('/teams', { apiKey: key.key })).status).toBe(200);
    await vi.waitFor(async () => {
      const listed = (await listKeys(owner)).find((k) => k.id === key.id)!;
      expect(listed.lastUsedAt).not.toBeNull();
    });
  });

  it('a revoked key is 401 at once', async () => {
    const key = await apiKey(owner, ['teams:read']);
    expect((await api('/teams', { apiKey: key.key })).status).toBe(200);
    expect((await api(`/api-keys/${key.id}`, { method: 'DELETE', as: owner })).status).toBe(204);
    await problem(await api('/teams', { apiKey: key.key }), 401, 'unauthorized');
    expect((await listKeys(owner)).find((k) => k.id === key.id)?.revokedAt).not.toBeNull();
    // Revoking twice is harmless.
    expect((await api(`/api-keys/${key.id}`, { method: 'DELETE', as: owner })).status).toBe(204);
  });

  it('an expired key is 401', async () => {
    const key = await apiKey(owner, ['teams:read']);
    await env.DB.prepare('update api_keys set expires_at = ? where id = ?').bind('2020-01-01T00:00:00.000Z', key.id).run();
    await problem(await api('/teams', { apiKey: key.key }), 401);
  });

  it('an unknown or malformed key is 401, even with a valid session cookie', async () => {
    await problem(await api('/teams', { apiKey: 'hk_not_a_real_key' }), 401);
    await problem(await api('/teams', { headers: { authorization: 'Bearer' } }), 401);
    await problem(await api('/teams', { headers: { authorization: 'Basic dXNlcjpwYXNz' } }), 401);
    await problem(await api('/teams', { as: owner, apiKey: 'hk_wrong' }), 401);
  });

  it('sees only its own workspace: another workspace\'s records are 404', async () => {
    const key = await apiKey(owner, ['users:read', 'users:write', 'api_keys:write']);
    await problem(await api(`/users/${stranger.me.user.id}`, { apiKey: key.key }), 404);
    const theirKey = await apiKey(stranger, ['teams:read']);
    await problem(await api(`/api-keys/${theirKey.id}`, { method: 'DELETE', apiKey: key.key }), 404);
    expect((await api('/teams', { apiKey: theirKey.key })).status).toBe(200);
  });

  it('a key cannot mint a key with scopes it does not have', async () => {
    const key = await apiKey(owner, ['api_keys:write', 'teams:read']);
    await problem(await api('/api-keys', { apiKey: key.key, body: { name: 'Escalate', scopes: ['users:write'] } }), 403);
    const narrower = await json<ApiKey>(await api('/api-keys', { apiKey: key.key, body: { name: 'Narrower', scopes: ['teams:read'] } }), 201);
    expect(narrower.scopes).toEqual(['teams:read']);
    expect((await listKeys(owner)).map((k) => k.name)).not.toContain('Escalate');
  });

  it('a key with users:write cannot create or promote owners', async () => {
    const key = await apiKey(owner, ['users:write', 'users:read']);
    await problem(await api('/invitations', { apiKey: key.key, body: { email: 'new.owner@example.com', role: 'owner' } }), 403);
    const target = await userWithRole(owner, 'rep');
    await problem(await api(`/users/${target.me.user.id}`, { method: 'PATCH', apiKey: key.key, body: { role: 'owner' }, headers: { 'if-match': '"1"' } }), 403);
  });
});

describe('DELETE /api-keys/:id', () => {
  it('is 404 for another workspace\'s key and 403 for a viewer; the key keeps working', async () => {
    const key = await apiKey(owner, ['teams:read']);
    await problem(await api(`/api-keys/${key.id}`, { method: 'DELETE', as: stranger }), 404);
    await problem(await api(`/api-keys/${key.id}`, { method: 'DELETE', as: viewer }), 403);
    expect((await api('/teams', { apiKey: key.key })).status).toBe(200);
  });
});
