import { beforeAll, describe, expect, it } from 'vitest';
import { api, apiKey, failingFields, json, problem, signup, userWithRole, type Me, type Session } from './helpers';

let owner: Session;

beforeAll(async () => {
  owner = await signup({ name: 'Mia Me' });
});

describe('GET /me', () => {
  it('returns the user, role, workspace and permissions', async () => {
    const me = await json<Me>(await api('/me', { as: owner }), 200);
    expect(me.user).toMatchObject({ id: owner.me.user.id, name: 'Mia Me', role: 'owner', email: owner.email });
    expect(me.workspace.id).toBe(owner.me.workspace.id);
    expect(me.permissions).toEqual(expect.arrayContaining(['users:write', 'settings:write', 'audit:read']));
  });

  it('permissions follow the role', async () => {
    const [rep, viewer] = await Promise.all([userWithRole(owner, 'rep'), userWithRole(owner, 'viewer')]);
    const repMe = await json<Me>(await api('/me', { as: rep }), 200);
    expect(repMe.user.role).toBe('rep');
    expect(repMe.permissions).toContain('contacts:write');
    expect(repMe.permissions).not.toContain('users:write');
    expect(repMe.permissions).not.toContain('settings:write');
    const viewerMe = await json<Me>(await api('/me', { as: viewer }), 200);
    expect(viewerMe.permissions.filter((p) => p.endsWith(':write'))).toEqual([]);
    expect(viewerMe.permissions).toContain('contacts:read');
  });

  it('is 401 problem+json when signed out or with a made-up cookie', async () => {
    await problem(await api('/me'), 401, 'unauthorized');
    await problem(await api('/me', { cookie: 'hearth_session=forged-token-value' }), 401, 'unauthorized');
  });
});

describe('PATCH /me', () => {
  it('updates my name, language and time zone', async () => {
    const me = await json<Me>(await api('/me', { method: 'PATCH', as: owner, body: { name: '  Mia Li ', locale: 'en', timezone: 'America/New_York' } }), 200);
    expect(me.user).toMatchObject({ name: 'Mia Li', locale: 'en', timezone: 'America/New_York' });
    const again = await json<Me>(await api('/me', { as: owner }), 200);
    expect(again.user).toMatchObject({ name: 'Mia Li', locale: 'en', timezone: 'America/New_York', version: owner.me.user.version + 1 });
    const cleared = await json<Me>(await api('/me', { method: 'PATCH', as: owner, body: { locale: null, timezone: null } }), 200);
    expect(cleared.user).toMatchObject({ name: 'Mia Li', locale: null, timezone: null });
  });

  it('cannot change my role or email', async () => {
    await problem(await api('/me', { method: 'PATCH', as: owner, body: { role: 'viewer', email: 'other@example.com' } }), 422);
    const withName = await json<Me>(await api('/me', { method: 'PATCH', as: owner, body: { name: owner.me.user.name, role: 'viewer', email: 'other@example.com' } }), 200);
    expect(withName.user).toMatchObject({ role: 'owner', email: owner.email });
  });

  it('validates by field and refuses malformed JSON', async () => {
    expect(await failingFields(await api('/me', { method: 'PATCH', as: owner, body: { locale: 'klingon' } }))).toEqual(['locale']);
    expect(await failingFields(await api('/me', { method: 'PATCH', as: owner, body: { timezone: 'Atlantis/Capital' } }))).toEqual(['timezone']);
    expect(await failingFields(await api('/me', { method: 'PATCH', as: owner, body: { name: '' } }))).toEqual(['name']);
    await problem(await api('/me', { method: 'PATCH', as: owner, raw: '{name:1}', headers: { 'content-type': 'application/json' } }), 400, 'malformed_json');
  });

  it('is 401 signed out and 403 for an API key', async () => {
    await problem(await api('/me', { method: 'PATCH', body: { name: 'Ghost' } }), 401);
    const key = await apiKey(owner, ['users:write']);
    await problem(await api('/me', { method: 'PATCH', apiKey: key.key, body: { name: 'Robot' } }), 403);
  });
});
