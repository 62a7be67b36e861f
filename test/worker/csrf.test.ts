import { beforeAll, describe, expect, it } from 'vitest';
import { api, apiKey, json, PASSWORD, problem, signup, type Session, type Team } from './helpers';

type Workspace = { name: string; version: number };

let owner: Session;
beforeAll(async () => {
  owner = await signup({ workspaceName: 'Guarded Ltd' });
});

const teamNames = async () => (await json<{ items: Team[] }>(await api('/teams', { as: owner }), 200)).items.map((t) => t.name);

describe('cross-site writes with the session cookie', () => {
  it('a POST from another origin is 403 and creates nothing', async () => {
    const res = await api('/teams', { as: owner, body: { name: 'Evil team' }, headers: { origin: 'https://evil.example' } });
    await problem(res, 403, 'forbidden');
    expect(await teamNames()).not.toContain('Evil team');
  });

  it('Sec-Fetch-Site: cross-site (or same-site) without Origin is 403', async () => {
    for (const site of ['cross-site', 'same-site']) {
      const res = await api('/teams', { as: owner, body: { name: `Evil ${site}` }, headers: { origin: '', 'sec-fetch-site': site } });
      await problem(res, 403);
    }
    expect((await teamNames()).filter((n) => n.startsWith('Evil'))).toEqual([]);
  });

  it('Origin: null (sandboxed frame, data: URL) is 403', async () => {
    await problem(await api('/teams', { as: owner, body: { name: 'Null origin' }, headers: { origin: 'null' } }), 403);
    expect(await teamNames()).not.toContain('Null origin');
  });

  it('a cross-site PATCH and DELETE change nothing', async () => {
    const team = await json<Team>(await api('/teams', { as: owner, body: { name: 'Keep me' } }), 201);
    const ws = await json<Workspace>(await api('/workspace', { as: owner }), 200);
    const evil = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
    await problem(await api(`/teams/${team.id}`, { method: 'DELETE', as: owner, headers: evil }), 403);
    await problem(await api('/workspace', { method: 'PATCH', as: owner, body: { name: 'Pwned' }, headers: { ...evil, 'if-match': `"${ws.version}"` } }), 403);
    expect(await teamNames()).toContain('Keep me');
    expect(await json<Workspace>(await api('/workspace', { as: owner }), 200)).toEqual(ws);
  });

  it('cross-site sign-in, sign-out and password change are refused', async () => {
    const evil = { origin: 'https://evil.example' };
    const loginRes = await api('/auth/login', { body: { email: owner.email, password: PASSWORD }, headers: evil });
    await problem(loginRes, 403);
    expect(loginRes.headers.get('set-cookie')).toBeNull();
    await problem(await api('/auth/logout', { method: 'POST', as: owner, headers: evil }), 403);
    expect((await api('/me', { as: owner })).status).toBe(200);
    await problem(await api('/me/password', { as: owner, body: { currentPassword: PASSWORD, newPassword: 'attacker chosen pass' }, headers: evil }), 403);
    expect((await api('/auth/login', { body: { email: owner.email, password: PASSWORD } })).status).toBe(200);
  });

  it('reads from another origin are not blocked (they carry no side effects)', async () => {
    expect((await api('/teams', { as: owner, headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } })).status).toBe(200);
  });
});

describe('same-origin writes', () => {
  it('work with Origin, with Sec-Fetch-Site: same-origin, and from non-browser clients with neither', async () => {
    expect((await api('/teams', { as: owner, body: { name: 'Same origin' } })).status).toBe(201);
    expect((await api('/teams', { as: owner, body: { name: 'Fetch metadata' }, headers: { origin: '', 'sec-fetch-site': 'same-origin' } })).status).toBe(201);
    expect((await api('/teams', { as: owner, body: { name: 'Plain client' }, headers: { origin: '' } })).status).toBe(201);
    expect(await teamNames()).toEqual(expect.arrayContaining(['Same origin', 'Fetch metadata', 'Plain client']));
  });
});

describe('Bearer requests', () => {
  it('are exempt: they carry no ambient credential', async () => {
    const key = await apiKey(owner, ['teams:write', 'teams:read']);
    const res = await api('/teams', { apiKey: key.key, body: { name: 'From integration' }, headers: { origin: 'https://partner.example', 'sec-fetch-site': 'cross-site' } });
    expect(res.status).toBe(201);
    expect(await teamNames()).toContain('From integration');
  });
});
