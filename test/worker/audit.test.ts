import * as OTPAuth from 'otpauth';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  apiKey,
  auditRows,
  createTeam,
  failingFields,
  json,
  lastEmailTo,
  linkToken,
  login,
  PASSWORD,
  problem,
  signup,
  uniqueEmail,
  userWithRole,
  type ApiOptions,
  type AuditRow,
  type Me,
  type Session,
  type Team,
} from './helpers';

const IP = '203.0.113.7';
const UA = 'HearthAuditTest/1.0 (+https://example.com)';
let requestCounter = 0;

/** Sends a request from a known address, browser and request id, like a proxy in front of us would. */
function traced(path: string, options: ApiOptions = {}) {
  requestCounter += 1;
  const requestId = `audit-req-${requestCounter}-${crypto.randomUUID().slice(0, 8)}`;
  return api(path, { ...options, headers: { 'cf-connecting-ip': IP, 'user-agent': UA, 'x-request-id': requestId, ...options.headers } });
}

/** The audit rows written by the request that produced `res`. */
async function rowsOf(reader: Session, res: Response): Promise<AuditRow[]> {
  const requestId = res.headers.get('x-request-id');
  expect(requestId).toBeTruthy();
  return (await auditRows(reader)).filter((r) => r.requestId === requestId);
}

async function expectAudited(
  reader: Session,
  res: Response,
  expected: { action: string; actorType?: string; actorId?: string | null; recordType?: string; recordId?: string | null },
): Promise<AuditRow> {
  const rows = await rowsOf(reader, res);
  const row = rows.find((r) => r.action === expected.action);
  expect(row, `audit row ${expected.action} among ${rows.map((r) => r.action).join(', ') || 'nothing'}`).toBeDefined();
  expect(row).toMatchObject({ actorType: 'user', ip: IP, userAgent: UA, requestId: res.headers.get('x-request-id'), workspaceId: reader.me.workspace.id, ...expected });
  expect(Date.parse(row!.createdAt)).not.toBeNaN();
  return row!;
}

let owner: Session;
let ownerEmail: string;

beforeAll(async () => {
  ownerEmail = uniqueEmail('auditor');
  const res = await traced('/auth/signup', { body: { workspaceName: 'Ledger & Co', name: 'Ada Auditor', email: ownerEmail, password: PASSWORD } });
  const me = await json<Me>(res.clone(), 201);
  const cookie = res.headers.getSetCookie()[0].split(';')[0];
  owner = { cookie, me, headers: { cookie }, email: ownerEmail, password: PASSWORD };
  const rows = await rowsOf(owner, res);
  expect(rows.map((r) => r.action).sort()).toEqual(['user.signed_up', 'workspace.created']);
});

describe('what the audit log records', () => {
  it('signup: the workspace and the owner, with ip, user agent and request id', async () => {
    const rows = await auditRows(owner, { recordType: 'user', action: 'user.signed_up' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorType: 'user', actorId: owner.me.user.id, recordId: owner.me.user.id, ip: IP, userAgent: UA });
    expect(rows[0].changes?.email).toEqual({ after: ownerEmail });
    expect(rows[0].changes?.role).toEqual({ after: 'owner' });
    expect(JSON.stringify(rows[0].changes)).not.toMatch(/scrypt|password/i);
  });

  it('sign-in, a failed sign-in and sign-out', async () => {
    const ok = await traced('/auth/login', { body: { email: ownerEmail, password: PASSWORD } });
    expect(ok.status).toBe(200);
    const session = ok.headers.getSetCookie()[0].split(';')[0];
    await expectAudited(owner, ok, { action: 'auth.login', actorId: owner.me.user.id, recordType: 'user', recordId: owner.me.user.id });

    const failed = await traced('/auth/login', { body: { email: ownerEmail, password: 'a wrong password' } });
    expect(failed.status).toBe(401);
    const failure = await expectAudited(owner, failed, { action: 'auth.login_failed', actorType: 'anonymous', actorId: null, recordId: owner.me.user.id });
    expect(failure.changes).toEqual({ reason: { after: 'bad_credentials' } });

    const out = await traced('/auth/logout', { method: 'POST', cookie: session });
    expect(out.status).toBe(204);
    await expectAudited(owner, out, { action: 'auth.logout', actorId: owner.me.user.id });
  });

  it('team create, update and delete with before and after', async () => {
    const created = await traced('/teams', { as: owner, body: { name: 'Ledger North' } });
    const team = await json<Team>(created.clone(), 201);
    const createdRow = await expectAudited(owner, created, { action: 'team.created', actorId: owner.me.user.id, recordType: 'team', recordId: team.id });
    expect(createdRow.changes?.name).toEqual({ after: 'Ledger North' });

    const updated = await traced(`/teams/${team.id}`, { method: 'PATCH', as: owner, body: { name: 'Ledger South' }, headers: { 'if-match': '"1"' } });
    expect(updated.status).toBe(200);
    const updatedRow = await expectAudited(owner, updated, { action: 'team.updated', recordId: team.id });
    expect(updatedRow.changes?.name).toEqual({ before: 'Ledger North', after: 'Ledger South' });

    const deleted = await traced(`/teams/${team.id}`, { method: 'DELETE', as: owner });
    expect(deleted.status).toBe(204);
    const deletedRow = await expectAudited(owner, deleted, { action: 'team.deleted', recordId: team.id });
    expect(deletedRow.changes?.name).toEqual({ before: 'Ledger South' });
  });

  it('invitations, acceptance, role changes and deactivation', async () => {
    const email = uniqueEmail('audited');
    const invited = await traced('/invitations', { as: owner, body: { email, role: 'rep' } });
    const invitation = await json<{ id: string }>(invited.clone(), 201);
    const inviteRow = await expectAudited(owner, invited, { action: 'user.invited', recordType: 'invitation', recordId: invitation.id });
    expect(inviteRow.changes).toMatchObject({ email: { after: email }, role: { after: 'rep' } });

    const token = linkToken((await lastEmailTo(owner, email, 'invitation')).textBody);
    const accepted = await traced('/auth/invitations/accept', { body: { token, name: 'Audited Rep', password: PASSWORD } });
    const me = await json<Me>(accepted.clone(), 201);
    await expectAudited(owner, accepted, { action: 'user.invitation_accepted', actorId: me.user.id, recordType: 'user', recordId: me.user.id });

    const promoted = await traced(`/users/${me.user.id}`, { method: 'PATCH', as: owner, body: { role: 'manager' }, headers: { 'if-match': '"1"' } });
    expect(promoted.status).toBe(200);
    const roleRow = await expectAudited(owner, promoted, { action: 'user.role_changed', recordType: 'user', recordId: me.user.id });
    expect(roleRow.changes?.role).toEqual({ before: 'rep', after: 'manager' });

    const off = await traced(`/users/${me.user.id}/deactivate`, { method: 'POST', as: owner });
    expect((await expectAudited(owner, off, { action: 'user.deactivated', recordId: me.user.id })).changes?.isActive).toEqual({ before: true, after: false });
    const on = await traced(`/users/${me.user.id}/reactivate`, { method: 'POST', as: owner });
    await expectAudited(owner, on, { action: 'user.reactivated', recordId: me.user.id });

    const second = await json<{ id: string }>(await api('/invitations', { as: owner, body: { email: uniqueEmail(), role: 'viewer' } }), 201);
    const revoked = await traced(`/invitations/${second.id}`, { method: 'DELETE', as: owner });
    await expectAudited(owner, revoked, { action: 'user.invitation_revoked', recordType: 'invitation', recordId: second.id });
  });

  it('API keys: creation and revocation, never the secret', async () => {
    const created = await traced('/api-keys', { as: owner, body: { name: 'Zapier', scopes: ['teams:read'] } });
    const key = await json<{ id: string; key: string }>(created.clone(), 201);
    const row = await expectAudited(owner, created, { action: 'api_key.created', recordType: 'api_key', recordId: key.id });
    expect(row.changes).toMatchObject({ name: { after: 'Zapier' }, scopes: { after: ['teams:read'] } });
    const revoked = await traced(`/api-keys/${key.id}`, { method: 'DELETE', as: owner });
    await expectAudited(owner, revoked, { action: 'api_key.revoked', recordId: key.id });
    const everything = JSON.stringify(await auditRows(owner));
    expect(everything).not.toContain(key.key);
  });

  it('workspace settings and profile changes with before and after', async () => {
    const ws = await traced('/workspace', { method: 'PATCH', as: owner, body: { currency: 'EUR' }, headers: { 'if-match': '"1"' } });
    expect(ws.status).toBe(200);
    const wsRow = await expectAudited(owner, ws, { action: 'workspace.updated', recordType: 'workspace', recordId: owner.me.workspace.id });
    expect(wsRow.changes).toEqual({ currency: { before: 'CNY', after: 'EUR' } });

    const profile = await traced('/me', { method: 'PATCH', as: owner, body: { name: 'Ada A.' } });
    const profileRow = await expectAudited(owner, profile, { action: 'user.profile_updated', recordId: owner.me.user.id });
    expect(profileRow.changes?.name).toEqual({ before: 'Ada Auditor', after: 'Ada A.' });
  });

  it('password changes, resets and two-factor changes, never the password', async () => {
    const person = await userWithRole(owner, 'admin');
    const changed = await traced('/me/password', { as: person, body: { currentPassword: PASSWORD, newPassword: 'second passphrase!' } });
    expect(changed.status).toBe(204);
    await expectAudited(owner, changed, { action: 'auth.password_changed', actorId: person.me.user.id, recordId: person.me.user.id });

    const asked = await traced('/auth/password/forgot', { body: { email: person.email } });
    expect(asked.status).toBe(202);
    await expectAudited(owner, asked, { action: 'auth.password_reset_requested', actorType: 'anonymous', actorId: null, recordId: person.me.user.id });
    const token = linkToken((await lastEmailTo(person, person.email, 'password_reset')).textBody);
    const reset = await traced('/auth/password/reset', { body: { token, password: 'third passphrase!!' } });
    expect(reset.status).toBe(204);
    await expectAudited(owner, reset, { action: 'auth.password_reset', actorType: 'anonymous', recordId: person.me.user.id });

    const again = await login(person.email, 'third passphrase!!');
    const { secret } = await json<{ secret: string }>(await api('/me/totp', { method: 'POST', as: again }), 200);
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate();
    const enabled = await traced('/me/totp/confirm', { as: again, body: { secret, code } });
    expect(enabled.status).toBe(204);
    await expectAudited(owner, enabled, { action: 'auth.totp_enabled', recordId: person.me.user.id });
    const disabled = await traced('/me/totp/disable', { as: again, body: { password: 'third passphrase!!' } });
    await expectAudited(owner, disabled, { action: 'auth.totp_disabled', recordId: person.me.user.id });

    const everything = JSON.stringify(await auditRows(owner));
    for (const secretText of [PASSWORD, 'second passphrase!', 'third passphrase!!', secret, 'scrypt$']) expect(everything).not.toContain(secretText);
  });

  it('a request without an id gets a generated one, recorded as sent back', async () => {
    const res = await api('/teams', { as: owner, body: { name: 'Generated id' } });
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const rows = (await auditRows(owner)).filter((r) => r.requestId === requestId);
    expect(rows.map((r) => r.action)).toEqual(['team.created']);
  });

  it('a refused write records nothing', async () => {
    const before = (await auditRows(owner)).length;
    expect((await api('/teams', { as: owner, body: { name: '' } })).status).toBe(422);
    expect((await api('/workspace', { method: 'PATCH', as: owner, body: { name: 'Stale' }, headers: { 'if-match': '"1"' } })).status).toBe(412);
    expect((await auditRows(owner)).length).toBe(before);
  });
});

describe('GET /audit', () => {
  let admin: Session;
  let manager: Session;
  let rep: Session;
  let viewer: Session;
  let otherOwner: Session;

  beforeAll(async () => {
    [admin, manager, rep, viewer] = await Promise.all([
      userWithRole(owner, 'admin'),
      userWithRole(owner, 'manager'),
      userWithRole(owner, 'rep'),
      userWithRole(owner, 'viewer'),
    ]);
    otherOwner = await signup({ workspaceName: 'Other Ledger' });
    for (const name of ['Page A', 'Page B', 'Page C', 'Page D', 'Page E']) await createTeam(admin, { name });
  });

  it('is newest first and filters by action, family, actor, record and time', async () => {
    const all = await auditRows(owner);
    const times = all.map((r) => r.createdAt);
    expect([...times].sort().reverse()).toEqual(times);

    const teamCreated = await auditRows(owner, { action: 'team.created' });
    expect(teamCreated.length).toBeGreaterThanOrEqual(5);
    expect(new Set(teamCreated.map((r) => r.action))).toEqual(new Set(['team.created']));

    const authFamily = await auditRows(owner, { action: 'auth.*' });
    expect(authFamily.length).toBeGreaterThan(0);
    expect(authFamily.every((r) => r.action.startsWith('auth.'))).toBe(true);

    const byAdmin = await auditRows(owner, { actorId: admin.me.user.id });
    expect(byAdmin.length).toBeGreaterThanOrEqual(5);
    expect(byAdmin.every((r) => r.actorId === admin.me.user.id)).toBe(true);

    const aTeam = teamCreated[0];
    const byRecord = await auditRows(owner, { recordType: 'team', recordId: aTeam.recordId! });
    expect(byRecord.map((r) => r.id)).toEqual([aTeam.id]);

    const oldest = all[all.length - 1].createdAt;
    expect(await auditRows(owner, { to: oldest })).toEqual([]);
    expect((await auditRows(owner, { from: oldest })).length).toBe(all.length);
    expect(await auditRows(owner, { from: new Date(Date.now() + 3600_000).toISOString() })).toEqual([]);
  });

  it('pages with an opaque cursor without gaps or repeats', async () => {
    const all = (await auditRows(owner)).map((r) => r.id);
    expect(all.length).toBeGreaterThan(6);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const qs = new URLSearchParams({ limit: '4', ...(cursor ? { cursor } : {}) });
      const page: { items: AuditRow[]; nextCursor: string | null } = await json(await api(`/audit?${qs}`, { as: owner }), 200);
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);
    expect(seen).toEqual(all);
  });

  it('validates its query by field', async () => {
    expect(await failingFields(await api('/audit?from=yesterday', { as: owner }))).toEqual(['from']);
    expect(await failingFields(await api('/audit?limit=0', { as: owner }))).toEqual(['limit']);
    await problem(await api('/audit?cursor=%%%', { as: owner }), 400, 'invalid_cursor');
  });

  it('is for owners and admins only; never shows another workspace', async () => {
    expect((await api('/audit', { as: admin })).status).toBe(200);
    for (const who of [manager, rep, viewer]) await problem(await api('/audit', { as: who }), 403, 'forbidden');
    await problem(await api('/audit'), 401);
    const theirs = await auditRows(otherOwner);
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.every((r) => r.workspaceId === otherOwner.me.workspace.id)).toBe(true);
    const ours = new Set((await auditRows(owner)).map((r) => r.id));
    expect(theirs.some((r) => ours.has(r.id))).toBe(false);
  });

  it('an API key needs the audit:read scope', async () => {
    const key = await apiKey(owner, ['audit:read']);
    expect((await api('/audit', { apiKey: key.key })).status).toBe(200);
    const other = await apiKey(owner, ['teams:read']);
    await problem(await api('/audit', { apiKey: other.key }), 403);
  });
});
