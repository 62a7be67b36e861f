import { beforeAll, describe, expect, it } from 'vitest';
import { api, createTeam, failingFields, invite, json, PASSWORD, problem, signup, userWithRole, type Me, type Session, type Team } from './helpers';

type User = { id: string; teamId: string | null };

let owner: Session;
let admin: Session;
let manager: Session;
let rep: Session;
let viewer: Session;
let stranger: Session;

beforeAll(async () => {
  owner = await signup();
  [admin, manager, rep, viewer, stranger] = await Promise.all([
    userWithRole(owner, 'admin'),
    userWithRole(owner, 'manager'),
    userWithRole(owner, 'rep'),
    userWithRole(owner, 'viewer'),
    signup({ workspaceName: 'Other Co' }),
  ]);
});

const teamOf = async (as: Session, userId: string) => (await json<User>(await api(`/users/${userId}`, { as }), 200)).teamId;
const listTeams = async (as: Session) => (await json<{ items: Team[] }>(await api('/teams', { as }), 200)).items;
const patchTeam = (as: Session, id: string, body: unknown, version?: number) =>
  api(`/teams/${id}`, { method: 'PATCH', as, body, headers: version === undefined ? {} : { 'if-match': `"${version}"` } });

describe('POST /teams', () => {
  it('creates a team with a manager and members; members join it', async () => {
    const res = await api('/teams', { as: admin, body: { name: ' Sales South ', managerId: manager.me.user.id, memberIds: [rep.me.user.id] } });
    const team = await json<Team>(res, 201);
    expect(team).toMatchObject({ name: 'Sales South', managerId: manager.me.user.id, memberIds: [rep.me.user.id], version: 1 });
    expect(res.headers.get('etag')).toBe('"1"');
    expect(await teamOf(owner, rep.me.user.id)).toBe(team.id);
    const listed = (await listTeams(viewer)).find((t) => t.id === team.id);
    expect(listed).toMatchObject({ name: 'Sales South', managerId: manager.me.user.id, memberIds: [rep.me.user.id] });
  });

  it('refuses a duplicate name with 409 naming the field', async () => {
    await createTeam(owner, { name: 'Dup' });
    const body = await problem(await api('/teams', { as: owner, body: { name: 'Dup' } }), 409, 'team_name_taken');
    expect(body.errors?.[0].field).toBe('name');
    expect((await listTeams(owner)).filter((t) => t.name === 'Dup')).toHaveLength(1);
  });

  it('the same name is fine in another workspace', async () => {
    await createTeam(owner, { name: 'Everywhere' });
    await createTeam(stranger, { name: 'Everywhere' });
  });

  it('validates by field and refuses people from another workspace', async () => {
    expect(await failingFields(await api('/teams', { as: owner, body: { name: '' } }))).toEqual(['name']);
    expect(await failingFields(await api('/teams', { as: owner, body: { name: 'X', memberIds: 'all' } }))).toEqual(['memberIds']);
    expect(await failingFields(await api('/teams', { as: owner, body: { name: 'Poach', memberIds: [stranger.me.user.id] } }))).toEqual(['memberIds']);
    expect(await failingFields(await api('/teams', { as: owner, body: { name: 'Poach 2', managerId: stranger.me.user.id } }))).toEqual(['managerId']);
    await problem(await api('/teams', { as: owner, raw: '{', headers: { 'content-type': 'application/json' } }), 400, 'malformed_json');
    expect(await teamOf(stranger, stranger.me.user.id)).toBeNull();
    expect((await listTeams(owner)).map((t) => t.name)).not.toContain('Poach');
  });

  it('is 403 for manager, rep and viewer; 401 signed out', async () => {
    for (const who of [manager, rep, viewer]) await problem(await api('/teams', { as: who, body: { name: 'Mine' } }), 403, 'forbidden');
    await problem(await api('/teams', { body: { name: 'Mine' } }), 401);
    expect((await listTeams(owner)).map((t) => t.name)).not.toContain('Mine');
  });
});

describe('GET /teams', () => {
  it('never shows another workspace\'s teams', async () => {
    const theirs = await createTeam(stranger, { name: 'Hidden' });
    expect((await listTeams(owner)).map((t) => t.id)).not.toContain(theirs.id);
    await problem(await api('/teams'), 401);
  });
});

describe('PATCH /teams/:id', () => {
  it('renames, sets the manager and replaces the members with the current version', async () => {
    const team = await createTeam(owner, { name: 'Alpha', memberIds: [rep.me.user.id] });
    const res = await patchTeam(owner, team.id, { name: 'Alpha Prime', managerId: manager.me.user.id, memberIds: [viewer.me.user.id] }, team.version);
    const updated = await json<Team>(res, 200);
    expect(updated).toMatchObject({ name: 'Alpha Prime', managerId: manager.me.user.id, memberIds: [viewer.me.user.id], version: team.version + 1 });
    expect(res.headers.get('etag')).toBe(`"${team.version + 1}"`);
    expect(await teamOf(owner, rep.me.user.id)).toBeNull();
    expect(await teamOf(owner, viewer.me.user.id)).toBe(team.id);
  });

  it('refuses a stale version with 412 and changes nothing', async () => {
    const team = await createTeam(owner, { name: 'Beta' });
    await json(await patchTeam(owner, team.id, { name: 'Beta 2' }, team.version), 200);
    await problem(await patchTeam(admin, team.id, { name: 'Beta stale', memberIds: [rep.me.user.id] }, team.version), 412, 'version_mismatch');
    const stored = (await listTeams(owner)).find((t) => t.id === team.id);
    expect(stored).toMatchObject({ name: 'Beta 2', version: team.version + 1, memberIds: [] });
  });

  it('needs If-Match (428) and a non-empty body (422)', async () => {
    const team = await createTeam(owner, { name: 'Gamma' });
    await problem(await patchTeam(owner, team.id, { name: 'Gamma 2' }), 428, 'precondition_required');
    await problem(await patchTeam(owner, team.id, {}, team.version), 422, 'validation_failed');
    expect((await listTeams(owner)).find((t) => t.id === team.id)?.name).toBe('Gamma');
  });

  it('names the field when a manager or member is not in the workspace', async () => {
    const team = await createTeam(owner, { name: 'Theta' });
    expect(await failingFields(await patchTeam(owner, team.id, { managerId: stranger.me.user.id }, team.version))).toEqual(['managerId']);
    expect(await failingFields(await patchTeam(owner, team.id, { memberIds: [stranger.me.user.id] }, team.version))).toEqual(['memberIds']);
    expect((await listTeams(owner)).find((t) => t.id === team.id)).toMatchObject({ managerId: null, memberIds: [], version: team.version });
  });

  it('refuses renaming onto an existing name with 409', async () => {
    await createTeam(owner, { name: 'Taken' });
    const team = await createTeam(owner, { name: 'Delta' });
    await problem(await patchTeam(owner, team.id, { name: 'Taken' }, team.version), 409, 'team_name_taken');
  });

  it('is 404 across workspaces and 403 for a manager', async () => {
    const team = await createTeam(owner, { name: 'Epsilon' });
    await problem(await patchTeam(stranger, team.id, { name: 'Stolen' }, team.version), 404, 'not_found');
    await problem(await patchTeam(manager, team.id, { name: 'Mine now' }, team.version), 403);
    expect((await listTeams(owner)).find((t) => t.id === team.id)?.name).toBe('Epsilon');
  });
});

describe('DELETE /teams/:id', () => {
  it('deletes the team; its members stay, in no team', async () => {
    const team = await createTeam(owner, { name: 'Zeta', memberIds: [rep.me.user.id] });
    expect((await api(`/teams/${team.id}`, { method: 'DELETE', as: admin })).status).toBe(204);
    expect((await listTeams(owner)).map((t) => t.id)).not.toContain(team.id);
    expect(await teamOf(owner, rep.me.user.id)).toBeNull();
    expect((await api('/me', { as: rep })).status).toBe(200);
    await problem(await api(`/teams/${team.id}`, { method: 'DELETE', as: admin }), 404);
  });

  it('pending invitations into the team no longer point at it', async () => {
    const team = await createTeam(owner, { name: 'Short-lived' });
    const { token } = await invite(owner, 'rep', { teamId: team.id });
    expect((await api(`/teams/${team.id}`, { method: 'DELETE', as: owner })).status).toBe(204);
    const me = await json<Me>(await api('/auth/invitations/accept', { body: { token, name: 'Late Joiner', password: PASSWORD } }), 201);
    expect(me.user.teamId).toBeNull();
  });

  it('is 404 across workspaces and 403 for a rep', async () => {
    const team = await createTeam(owner, { name: 'Eta' });
    await problem(await api(`/teams/${team.id}`, { method: 'DELETE', as: stranger }), 404);
    await problem(await api(`/teams/${team.id}`, { method: 'DELETE', as: rep }), 403);
    expect((await listTeams(owner)).map((t) => t.id)).toContain(team.id);
  });
});
