import { beforeAll, describe, expect, it } from 'vitest';
import { api, apiKey, failingFields, invite, json, lastEmailTo, problem, signup, userWithRole, type OutboxMessage, type Session } from './helpers';

type Page = { items: OutboxMessage[]; nextCursor: string | null };

let owner: Session;
let admin: Session;
let manager: Session;
let rep: Session;
let viewer: Session;
let stranger: Session;

beforeAll(async () => {
  owner = await signup({ workspaceName: 'Postal Co', locale: 'en' });
  [admin, manager, rep, viewer, stranger] = await Promise.all([
    userWithRole(owner, 'admin'),
    userWithRole(owner, 'manager'),
    userWithRole(owner, 'rep'),
    userWithRole(owner, 'viewer'),
    signup({ workspaceName: 'Other Post' }),
  ]);
});

describe('GET /outbox', () => {
  it('keeps every email locally, newest first, with its full text', async () => {
    const { email } = await invite(owner, 'viewer');
    const page = await json<Page>(await api('/outbox', { as: admin }), 200);
    expect(page.items[0]).toMatchObject({ toAddress: email, kind: 'invitation', status: 'kept', transport: 'outbox', workspaceId: owner.me.workspace.id, attempts: 0 });
    expect(page.items[0].subject).toContain('Postal Co');
    expect(page.items[0].textBody).toMatch(/accept-invitation\?token=/);
    const times = page.items.map((m) => m.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('pages with a cursor', async () => {
    const all = (await json<Page>(await api('/outbox', { as: owner }), 200)).items.map((m) => m.id);
    expect(all.length).toBeGreaterThanOrEqual(5);
    const first = await json<Page>(await api('/outbox?limit=2', { as: owner }), 200);
    expect(first.items.map((m) => m.id)).toEqual(all.slice(0, 2));
    const second = await json<Page>(await api(`/outbox?limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`, { as: owner }), 200);
    expect(second.items.map((m) => m.id)).toEqual(all.slice(2, 4));
    expect(await failingFields(await api('/outbox?limit=1000', { as: owner }))).toEqual(['limit']);
  });

  it('never shows another workspace\'s email', async () => {
    const theirs = await invite(stranger, 'rep');
    const ours = (await json<Page>(await api('/outbox', { as: owner }), 200)).items;
    expect(ours.map((m) => m.toAddress)).not.toContain(theirs.email);
    await problem(await api(`/outbox/${(await lastEmailTo(stranger, theirs.email)).id}`, { as: owner }), 404, 'not_found');
  });

  it('is for owners and admins: 403 for manager, rep and viewer; 401 signed out', async () => {
    for (const who of [manager, rep, viewer]) await problem(await api('/outbox', { as: who }), 403);
    await problem(await api('/outbox'), 401);
  });
});

describe('password reset emails', () => {
  it('only the recipient reads the link: not an admin, not an API key', async () => {
    expect((await api('/auth/password/forgot', { body: { email: owner.email } })).status).toBe(202);
    const mine = await lastEmailTo(owner, owner.email, 'password_reset');
    expect(mine.textBody).toMatch(/reset-password\?token=/);

    const seenByAdmin = await lastEmailTo(admin, owner.email, 'password_reset');
    expect(seenByAdmin.id).toBe(mine.id);
    expect(seenByAdmin.textBody).not.toContain('token=');
    const detail = await json<OutboxMessage>(await api(`/outbox/${mine.id}`, { as: admin }), 200);
    expect(JSON.stringify(detail)).not.toContain('token=');

    const key = await apiKey(owner, ['outbox:read']);
    const viaKey = await json<Page>(await api('/outbox', { apiKey: key.key }), 200);
    expect(JSON.stringify(viaKey)).not.toContain('reset-password?token=');

    // Invitations stay readable: whoever may read the outbox may invite anyway.
    const { email } = await invite(owner, 'rep');
    expect((await lastEmailTo(admin, email, 'invitation')).textBody).toContain('token=');
  });
});

describe('GET /outbox/:id', () => {
  it('returns one message', async () => {
    const { email } = await invite(owner, 'rep');
    const listed = await lastEmailTo(owner, email);
    expect(await json<OutboxMessage>(await api(`/outbox/${listed.id}`, { as: admin }), 200)).toEqual(listed);
    await problem(await api(`/outbox/${listed.id}`, { as: rep }), 403);
    await problem(await api('/outbox/msg_nothing', { as: owner }), 404);
  });

  it('an API key needs outbox:read', async () => {
    const key = await apiKey(owner, ['outbox:read']);
    expect((await api('/outbox', { apiKey: key.key })).status).toBe(200);
    const other = await apiKey(owner, ['teams:read']);
    await problem(await api('/outbox', { apiKey: other.key }), 403);
  });
});
