import { beforeAll, describe, expect, it } from 'vitest';
import { api, failingFields, json, problem, signup, userWithRole, type Session } from './helpers';

type Workspace = { id: string; name: string; currency: string; timezone: string; locale: string; defaultCountry: string; accentColor: string; version: number };

let owner: Session;
let admin: Session;
let manager: Session;
let rep: Session;
let viewer: Session;
let stranger: Session;

beforeAll(async () => {
  owner = await signup({ workspaceName: 'Jade Garden' });
  [admin, manager, rep, viewer, stranger] = await Promise.all([
    userWithRole(owner, 'admin'),
    userWithRole(owner, 'manager'),
    userWithRole(owner, 'rep'),
    userWithRole(owner, 'viewer'),
    signup({ workspaceName: 'Somebody Else' }),
  ]);
});

const getWorkspace = async (as: Session) => {
  const res = await api('/workspace', { as });
  const ws = await json<Workspace>(res, 200);
  expect(res.headers.get('etag')).toBe(`"${ws.version}"`);
  return ws;
};
const patchWorkspace = (as: Session, body: unknown, version?: number) =>
  api('/workspace', { method: 'PATCH', as, body, headers: version === undefined ? {} : { 'if-match': `"${version}"` } });

describe('GET /workspace', () => {
  it('every member reads their own workspace\'s settings, with an ETag', async () => {
    for (const who of [owner, admin, manager, rep, viewer]) {
      expect(await getWorkspace(who)).toMatchObject({ id: owner.me.workspace.id, name: 'Jade Garden', currency: 'CNY', timezone: 'Asia/Shanghai', locale: 'zh-CN' });
    }
    expect((await getWorkspace(stranger)).id).toBe(stranger.me.workspace.id);
    await problem(await api('/workspace'), 401);
  });
});

describe('PATCH /workspace', () => {
  it('an admin changes settings with the current version', async () => {
    const before = await getWorkspace(admin);
    const res = await patchWorkspace(admin, { name: 'Jade Garden Ltd', currency: 'HKD', timezone: 'Asia/Hong_Kong', accentColor: '#10b981' }, before.version);
    const after = await json<Workspace>(res, 200);
    expect(after).toMatchObject({ name: 'Jade Garden Ltd', currency: 'HKD', timezone: 'Asia/Hong_Kong', accentColor: '#10b981', version: before.version + 1 });
    expect(res.headers.get('etag')).toBe(`"${before.version + 1}"`);
    expect(await getWorkspace(viewer)).toMatchObject({ name: 'Jade Garden Ltd', version: before.version + 1 });
    expect((await getWorkspace(stranger)).name).toBe('Somebody Else');
  });

  it('refuses a stale version with 412 and changes nothing', async () => {
    const current = await getWorkspace(owner);
    await problem(await patchWorkspace(owner, { name: 'Stale edit' }, current.version - 1), 412, 'version_mismatch');
    expect(await getWorkspace(owner)).toEqual(current);
  });

  it('needs If-Match (428)', async () => {
    const current = await getWorkspace(owner);
    await problem(await patchWorkspace(owner, { name: 'No precondition' }), 428, 'precondition_required');
    expect(await getWorkspace(owner)).toEqual(current);
  });

  it('validates by field', async () => {
    const { version } = await getWorkspace(owner);
    expect(await failingFields(await patchWorkspace(owner, { currency: 'dollars' }, version))).toEqual(['currency']);
    expect(await failingFields(await patchWorkspace(owner, { defaultCountry: 'China' }, version))).toEqual(['defaultCountry']);
    expect(await failingFields(await patchWorkspace(owner, { accentColor: 'red' }, version))).toEqual(['accentColor']);
    expect(await failingFields(await patchWorkspace(owner, { locale: 'fr' }, version))).toEqual(['locale']);
    expect(await failingFields(await patchWorkspace(owner, { timezone: 'Nowhere/City' }, version))).toEqual(['timezone']);
    await problem(await patchWorkspace(owner, {}, version), 422);
    await problem(await api('/workspace', { method: 'PATCH', as: owner, raw: '{"name"', headers: { 'content-type': 'application/json', 'if-match': `"${version}"` } }), 400);
    expect((await getWorkspace(owner)).version).toBe(version);
  });

  it('is admin only: 403 for manager, rep and viewer', async () => {
    const current = await getWorkspace(owner);
    for (const who of [manager, rep, viewer]) {
      await problem(await patchWorkspace(who, { name: 'Taken over' }, current.version), 403, 'forbidden');
    }
    expect(await getWorkspace(owner)).toEqual(current);
  });

  it('another workspace\'s admin only ever changes their own workspace', async () => {
    const current = await getWorkspace(owner);
    const theirs = await getWorkspace(stranger);
    expect(await json<Workspace>(await patchWorkspace(stranger, { name: 'Still Somebody Else' }, theirs.version), 200)).toMatchObject({ id: stranger.me.workspace.id });
    expect(await getWorkspace(owner)).toEqual(current);
  });
});
