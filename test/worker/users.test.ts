import { beforeAll, describe, expect, it } from 'vitest';
import { api, createTeam, failingFields, json, login, PASSWORD, problem, signup, userWithRole, type Session, type Team } from './helpers';

type User = { id: string; name: string; email: string; role: string; teamId: string | null; isActive: boolean; version: number };
type Page = { items: User[]; nextCursor: string | null };

const patchUser = (as: Session, id: string, body: unknown, version?: number | string) =>
  api(`/users/${id}`, { method: 'PATCH', as, body, headers: version === undefined ? {} : { 'if-match': typeof version === 'number' ? `"${version}"` : version } });

async function getUser(as: Session, id: string): Promise<User> {
  return json<User>(await api(`/users/${id}`, { as }), 200);
}

let owner: Session;
let admin: Session;
let rep: Session;
let viewer: Session;
let team: Team;
let stranger: Session;

beforeAll(async () => {
  owner = await signup({ name: 'Olga Owner' });
  team = await createTeam(owner, { name: 'North' });
  [admin, rep, viewer, stranger] = await Promise.all([
    userWithRole(owner, 'admin', { name: 'Adam Admin' }),
    userWithRole(owner, 'rep', { name: 'Rosa Rep', teamId: team.id }),
    userWithRole(owner, 'viewer', { name: 'Vic Viewer' }),
    signup({ workspaceName: 'Elsewhere Ltd' }),
  ]);
});

describe('GET /users', () => {
  it('lists the workspace members, never another workspace, never secrets', async () => {
    const page = await json<Page>(await api('/users', { as: viewer }), 200);
    const ids = page.items.map((u) => u.id);
    expect(ids).toEqual(expect.arrayContaining([owner.me.user.id, admin.me.user.id, rep.me.user.id, viewer.me.user.id]));
    expect(ids).not.toContain(stranger.me.user.id);
    expect(page.nextCursor).toBeNull();
    expect(JSON.stringify(page)).not.toMatch(/passwordHash|totpSecret|password_hash/);
  });

  it('filters by role, team, name and active state', async () => {
    const reps = await json<Page>(await api('/users?role=rep', { as: owner }), 200);
    expect(reps.items.map((u) => u.id)).toEqual([rep.me.user.id]);
    const inTeam = await json<Page>(await api(`/users?teamId=${team.id}`, { as: owner }), 200);
    expect(inTeam.items.map((u) => u.id)).toEqual([rep.me.user.id]);
    const byName = await json<Page>(await api('/users?q=adam', { as: owner }), 200);
    expect(byName.items.map((u) => u.id)).toEqual([admin.me.user.id]);
    const inactive = await json<Page>(await api('/users?active=false', { as: owner }), 200);
    expect(inactive.items).toEqual([]);
  });

  it('pages with limit and an opaque cursor, without gaps or repeats', async () => {
    const all = (await json<Page>(await api('/users', { as: owner }), 200)).items.map((u) => u.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const qs: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
      const page: Page = await json<Page>(await api(`/users${qs}`, { as: owner }), 200);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((u) => u.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
  });

  it('refuses a bad limit by field, a forged cursor with 400 and a bad role with 422', async () => {
    expect(await failingFields(await api('/users?limit=500', { as: owner }))).toEqual(['limit']);
    expect(await failingFields(await api('/users?role=emperor', { as: owner }))).toEqual(['role']);
    const body = await problem(await api('/users?cursor=not-a-cursor', { as: owner }), 400, 'invalid_cursor');
    expect(body.errors?.[0].field).toBe('cursor');
  });

  it('is 401 signed out', async () => {
    await problem(await api('/users'), 401);
  });
});

describe('GET /users/:id', () => {
  it('returns the user with an ETag of its version', async () => {
    const res = await api(`/users/${rep.me.user.id}`, { as: owner });
    const user = await json<User>(res, 200);
    expect(user).toMatchObject({ id: rep.me.user.id, role: 'rep', teamId: team.id });
    expect(res.headers.get('etag')).toBe(`"${user.version}"`);
  });

  it('is 404 for a user of another workspace', async () => {
    await problem(await api(`/users/${stranger.me.user.id}`, { as: owner }), 404, 'not_found');
    await problem(await api(`/users/${owner.me.user.id}`, { as: stranger }), 404, 'not_found');
  });
});

describe('PATCH /users/:id', () => {
  it('changes a role with the current version and bumps it', async () => {
    const target = await userWithRole(owner, 'rep');
    const before = await getUser(owner, target.me.user.id);
    const res = await patchUser(owner, before.id, { role: 'manager', name: 'Mona Manager' }, before.version);
    const after = await json<User>(res, 200);
    expect(after).toMatchObject({ role: 'manager', name: 'Mona Manager', version: before.version + 1 });
    expect(res.headers.get('etag')).toBe(`"${before.version + 1}"`);
    // The new role applies to the person's existing session at once.
    const me = await json<{ user: User; permissions: string[] }>(await api('/me', { as: target }), 200);
    expect(me.user.role).toBe('manager');
  });

  it('refuses a stale version with 412 and changes nothing', async () => {
    const target = await userWithRole(owner, 'rep');
    const current = await getUser(owner, target.me.user.id);
    await json(await patchUser(owner, current.id, { name: 'First edit' }, current.version), 200);
    const body = await problem(await patchUser(admin, current.id, { role: 'viewer' }, current.version), 412, 'version_mismatch');
    expect(body.currentVersion).toBe(current.version + 1);
    expect(await getUser(owner, current.id)).toMatchObject({ role: 'rep', name: 'First edit', version: current.version + 1 });
  });

  it('needs If-Match: 428 when missing, 400 when not a version', async () => {
    const body = await problem(await patchUser(owner, rep.me.user.id, { name: 'No precondition' }), 428, 'precondition_required');
    expect(body.errors?.[0].field).toBe('If-Match');
    await problem(await patchUser(owner, rep.me.user.id, { name: 'Bad precondition' }, 'yesterday'), 400, 'invalid_if_match');
    expect((await getUser(owner, rep.me.user.id)).name).toBe('Rosa Rep');
  });

  it('accepts weak and unquoted versions in If-Match', async () => {
    const target = await userWithRole(owner, 'viewer');
    const v = (await getUser(owner, target.me.user.id)).version;
    await json(await patchUser(owner, target.me.user.id, { name: 'Weak' }, `W/"${v}"`), 200);
    await json(await patchUser(owner, target.me.user.id, { name: 'Bare' }, String(v + 1)), 200);
  });

  it('validates the body by field', async () => {
    const v = (await getUser(owner, rep.me.user.id)).version;
    expect(await failingFields(await patchUser(owner, rep.me.user.id, { role: 'emperor' }, v))).toEqual(['role']);
    expect(await failingFields(await patchUser(owner, rep.me.user.id, { name: '' }, v))).toEqual(['name']);
    expect((await problem(await patchUser(owner, rep.me.user.id, {}, v), 422)).code).toBe('validation_failed');
    expect(await failingFields(await patchUser(owner, rep.me.user.id, { teamId: 'team_doesnotexist' }, v))).toEqual(['teamId']);
    await problem(await api(`/users/${rep.me.user.id}`, { method: 'PATCH', as: owner, raw: '{"name":', headers: { 'content-type': 'application/json', 'if-match': `"${v}"` } }), 400);
  });

  it('refuses a team of another workspace', async () => {
    const theirTeam = await createTeam(stranger, { name: 'Their team' });
    const v = (await getUser(owner, rep.me.user.id)).version;
    expect(await failingFields(await patchUser(owner, rep.me.user.id, { teamId: theirTeam.id }, v))).toEqual(['teamId']);
  });

  it('lets only an owner grant the owner role', async () => {
    const target = await userWithRole(owner, 'rep');
    const v = (await getUser(owner, target.me.user.id)).version;
    await problem(await patchUser(admin, target.me.user.id, { role: 'owner' }, v), 403, 'forbidden');
    expect((await getUser(owner, target.me.user.id)).role).toBe('rep');
    // An admin cannot touch an owner either.
    const ownerV = (await getUser(owner, owner.me.user.id)).version;
    await problem(await patchUser(admin, owner.me.user.id, { role: 'rep' }, ownerV), 403);
    await problem(await patchUser(admin, owner.me.user.id, { name: 'Renamed by admin' }, ownerV), 403);
    // The owner can.
    expect((await json<User>(await patchUser(owner, target.me.user.id, { role: 'owner' }, v), 200)).role).toBe('owner');
  });

  it('nobody changes their own role, so the last owner cannot demote themself', async () => {
    const solo = await signup({ workspaceName: 'Solo' });
    const me = await getUser(solo, solo.me.user.id);
    const res = await patchUser(solo, me.id, { role: 'admin' }, me.version);
    expect([403, 409]).toContain(res.status);
    await problem(res);
    expect((await getUser(solo, me.id)).role).toBe('owner');
    // Renaming oneself is fine.
    expect((await json<User>(await patchUser(solo, me.id, { name: 'Still the owner' }, me.version), 200)).role).toBe('owner');
  });

  it('lets an owner demote a co-owner, and a deactivated co-owner', async () => {
    const ws = await signup({ workspaceName: 'Two owners' });
    const coOwner = await userWithRole(ws, 'owner');
    const third = await userWithRole(ws, 'owner');
    const v = (await getUser(ws, coOwner.me.user.id)).version;
    expect((await json<User>(await patchUser(ws, coOwner.me.user.id, { role: 'admin' }, v), 200)).role).toBe('admin');
    await json(await api(`/users/${third.me.user.id}/deactivate`, { method: 'POST', as: ws }), 200);
    const tv = (await getUser(ws, third.me.user.id)).version;
    // Demoting an inactive owner leaves the active owner count as it is.
    expect((await json<User>(await patchUser(ws, third.me.user.id, { role: 'viewer' }, tv), 200)).role).toBe('viewer');
  });

  it('is 403 for a rep and a viewer, 404 across workspaces', async () => {
    const v = (await getUser(owner, admin.me.user.id)).version;
    await problem(await patchUser(rep, admin.me.user.id, { name: 'x' }, v), 403);
    await problem(await patchUser(viewer, admin.me.user.id, { name: 'x' }, v), 403);
    await problem(await patchUser(stranger, admin.me.user.id, { name: 'x' }, v), 404);
    expect((await getUser(owner, admin.me.user.id)).name).toBe('Adam Admin');
  });
});

describe('deactivate and reactivate', () => {
  it('ends the user\'s sessions at once; they cannot sign in until reactivated', async () => {
    const leaver = await userWithRole(owner, 'rep', { name: 'Lee Leaver' });
    const secondSession = await login(leaver.email);
    const res = await api(`/users/${leaver.me.user.id}/deactivate`, { method: 'POST', as: admin });
    expect(await json<User>(res, 200)).toMatchObject({ isActive: false });
    await problem(await api('/me', { as: leaver }), 401);
    await problem(await api('/me', { as: secondSession }), 401);
    await problem(await api('/auth/login', { body: { email: leaver.email, password: PASSWORD } }), 401);

    const inactive = await json<Page>(await api('/users?active=false', { as: owner }), 200);
    expect(inactive.items.map((u) => u.id)).toEqual([leaver.me.user.id]);

    // Old cookies stay dead after reactivation; a fresh sign-in works.
    expect(await json<User>(await api(`/users/${leaver.me.user.id}/reactivate`, { method: 'POST', as: admin }), 200)).toMatchObject({ isActive: true });
    await problem(await api('/me', { as: leaver }), 401);
    await login(leaver.email);
  });

  it('refuses deactivating yourself, and an admin deactivating an owner', async () => {
    await problem(await api(`/users/${admin.me.user.id}/deactivate`, { method: 'POST', as: admin }), 403);
    await problem(await api(`/users/${owner.me.user.id}/deactivate`, { method: 'POST', as: admin }), 403);
    expect((await api('/me', { as: owner })).status).toBe(200);
  });

  it('is 403 for a rep, 404 for another workspace\'s user', async () => {
    await problem(await api(`/users/${viewer.me.user.id}/deactivate`, { method: 'POST', as: rep }), 403);
    await problem(await api(`/users/${stranger.me.user.id}/deactivate`, { method: 'POST', as: owner }), 404);
    expect((await api('/me', { as: stranger })).status).toBe(200);
    expect((await api('/me', { as: viewer })).status).toBe(200);
  });
});
