import { beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createTeam,
  failingFields,
  invite,
  json,
  lastEmailTo,
  linkToken,
  PASSWORD,
  problem,
  signup,
  uniqueEmail,
  userWithRole,
  type Invitation,
  type Me,
  type Session,
  type Team,
} from './helpers';

let owner: Session;
let admin: Session;
let rep: Session;
let viewer: Session;
let stranger: Session;
let team: Team;

beforeAll(async () => {
  owner = await signup({ workspaceName: 'Harbour Supplies', name: 'Hana Owner', locale: 'en' });
  team = await createTeam(owner, { name: 'Harbour East' });
  [admin, rep, viewer, stranger] = await Promise.all([
    userWithRole(owner, 'admin'),
    userWithRole(owner, 'rep'),
    userWithRole(owner, 'viewer'),
    signup({ workspaceName: 'Rival Co' }),
  ]);
});

const accept = (token: string, body: Record<string, unknown> = {}) =>
  api('/auth/invitations/accept', { body: { token, name: 'New Colleague', password: PASSWORD, ...body } });

describe('POST /invitations', () => {
  it('emails a link with the role and workspace; accepting creates the user with that role and team', async () => {
    const email = uniqueEmail('Invitee');
    const res = await api('/invitations', { as: admin, body: { email, role: 'manager', teamId: team.id } });
    const invitation = await json<Invitation>(res, 201);
    expect(invitation).toMatchObject({ email: email.toLowerCase(), role: 'manager', teamId: team.id, status: 'pending' });
    expect(JSON.stringify(invitation)).not.toMatch(/token/i);

    const message = await lastEmailTo(owner, email, 'invitation');
    expect(message.subject).toContain('Harbour Supplies');
    expect(message.textBody).toMatch(/as manager/);
    expect(message.textBody).toMatch(/http:\/\/localhost\/accept-invitation\?token=/);
    const token = linkToken(message.textBody);

    const preview = await json(await api(`/auth/invitations/${encodeURIComponent(token)}`), 200);
    expect(preview).toEqual({ email: email.toLowerCase(), role: 'manager', workspaceName: 'Harbour Supplies', locale: 'en' });

    const accepted = await accept(token, { name: 'Mei Manager' });
    expect(accepted.headers.get('set-cookie')).toMatch(/hearth_session=.+HttpOnly/i);
    const me = await json<Me>(accepted, 201);
    expect(me.user).toMatchObject({ email: email.toLowerCase(), name: 'Mei Manager', role: 'manager', teamId: team.id });
    expect(me.workspace.id).toBe(owner.me.workspace.id);

    const list = await json<{ items: Invitation[] }>(await api('/invitations', { as: owner }), 200);
    expect(list.items.find((i) => i.id === invitation.id)?.status).toBe('accepted');
    const teams = await json<{ items: Team[] }>(await api('/teams', { as: owner }), 200);
    expect(teams.items.find((t) => t.id === team.id)?.memberIds).toContain(me.user.id);
  });

  it('a link works once', async () => {
    const { token } = await invite(owner, 'rep');
    expect((await accept(token)).status).toBe(201);
    await problem(await accept(token, { name: 'Second Try' }), 404, 'invitation_not_found');
    await problem(await api(`/auth/invitations/${encodeURIComponent(token)}`), 404);
  });

  it('a double submit of the same link creates one user', async () => {
    const { token, email } = await invite(owner, 'rep');
    const results = await Promise.all([accept(token, { name: 'Click one' }), accept(token, { name: 'Click two' })]);
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    // The loser is told the link is used (404) or that the account now exists (409).
    expect([404, 409]).toContain(statuses.find((s) => s !== 201));
    const users = await json<{ items: { email: string }[] }>(await api(`/users?q=${encodeURIComponent(email.split('@')[0])}`, { as: owner }), 200);
    expect(users.items.filter((u) => u.email === email)).toHaveLength(1);
  });

  it('refuses with 409 when the address signed up on its own in the meantime, and leaves the invitation pending', async () => {
    const { invitation, token, email } = await invite(owner, 'rep');
    await signup({ email });
    await problem(await accept(token), 409, 'email_taken');
    const list = await json<{ items: Invitation[] }>(await api('/invitations', { as: owner }), 200);
    expect(list.items.find((i) => i.id === invitation.id)?.status).toBe('pending');
  });

  it('an unknown token is 404, and a malformed accept body names fields', async () => {
    await problem(await accept('x'.repeat(40)), 404, 'invitation_not_found');
    const { token } = await invite(owner, 'rep');
    expect(await failingFields(await accept(token, { password: 'short', name: '' }))).toEqual(expect.arrayContaining(['password', 'name']));
    await problem(await api('/auth/invitations/accept', { raw: '{"token":', headers: { 'content-type': 'application/json' } }), 400);
  });

  it('defaults to the rep role', async () => {
    const email = uniqueEmail('default');
    const invitation = await json<Invitation>(await api('/invitations', { as: owner, body: { email } }), 201);
    expect(invitation.role).toBe('rep');
  });

  it('validates by field: email, role, team of another workspace', async () => {
    expect(await failingFields(await api('/invitations', { as: owner, body: { email: 'nope', role: 'rep' } }))).toEqual(['email']);
    expect(await failingFields(await api('/invitations', { as: owner, body: { email: uniqueEmail(), role: 'god' } }))).toEqual(['role']);
    const theirs = await createTeam(stranger, { name: 'Theirs' });
    expect(await failingFields(await api('/invitations', { as: owner, body: { email: uniqueEmail(), role: 'rep', teamId: theirs.id } }))).toEqual(['teamId']);
    await problem(await api('/invitations', { as: owner, raw: 'not json', headers: { 'content-type': 'application/json' } }), 400);
  });

  it('refuses someone who already has an account (in any workspace) with 409', async () => {
    const body = await problem(await api('/invitations', { as: owner, body: { email: stranger.email, role: 'rep' } }), 409, 'email_taken');
    expect(body.errors?.[0].field).toBe('email');
  });

  it('only an owner may invite an owner', async () => {
    await problem(await api('/invitations', { as: admin, body: { email: uniqueEmail(), role: 'owner' } }), 403);
    const { token } = await invite(owner, 'owner');
    expect((await json<Me>(await accept(token), 201)).user.role).toBe('owner');
  });

  it('is 403 for reps and viewers, 401 signed out', async () => {
    await problem(await api('/invitations', { as: rep, body: { email: uniqueEmail(), role: 'rep' } }), 403);
    await problem(await api('/invitations', { as: viewer, body: { email: uniqueEmail(), role: 'rep' } }), 403);
    await problem(await api('/invitations', { as: viewer }), 403);
    await problem(await api('/invitations', { body: { email: uniqueEmail(), role: 'rep' } }), 401);
  });
});

describe('GET /invitations', () => {
  it('lists this workspace\'s invitations only', async () => {
    const { invitation } = await invite(owner, 'viewer');
    const theirs = await invite(stranger, 'viewer');
    const ids = (await json<{ items: Invitation[] }>(await api('/invitations', { as: admin }), 200)).items.map((i) => i.id);
    expect(ids).toContain(invitation.id);
    expect(ids).not.toContain(theirs.invitation.id);
  });
});

describe('DELETE /invitations/:id', () => {
  it('revokes: the link stops working and the list says revoked', async () => {
    const { invitation, token } = await invite(owner, 'rep');
    expect((await api(`/invitations/${invitation.id}`, { method: 'DELETE', as: admin })).status).toBe(204);
    await problem(await accept(token), 404, 'invitation_not_found');
    const list = await json<{ items: Invitation[] }>(await api('/invitations', { as: owner }), 200);
    expect(list.items.find((i) => i.id === invitation.id)?.status).toBe('revoked');
    // Revoking twice is harmless.
    expect((await api(`/invitations/${invitation.id}`, { method: 'DELETE', as: admin })).status).toBe(204);
  });

  it('cannot revoke an accepted invitation', async () => {
    const { invitation, token } = await invite(owner, 'rep');
    await json(await accept(token), 201);
    await problem(await api(`/invitations/${invitation.id}`, { method: 'DELETE', as: owner }), 409, 'already_accepted');
  });

  it('is 404 for another workspace\'s invitation, 403 for a rep', async () => {
    const { invitation, token } = await invite(owner, 'rep');
    await problem(await api(`/invitations/${invitation.id}`, { method: 'DELETE', as: stranger }), 404);
    await problem(await api(`/invitations/${invitation.id}`, { method: 'DELETE', as: rep }), 403);
    expect((await api(`/auth/invitations/${encodeURIComponent(token)}`)).status).toBe(200);
  });
});
