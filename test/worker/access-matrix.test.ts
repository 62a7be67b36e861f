import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../../worker/app';
import { api, apiKey, json, signup, userWithRole, type ApiKey, type Role, type Session } from './helpers';

/**
 * Who may call what, written down from the product's rules rather than read from the code:
 * owners and admins run the workspace (people, teams, keys, settings, audit, outbox); everyone
 * signed in reads the directory (users, teams) and the workspace settings and manages their own
 * profile, password and two-factor sign-in.
 *
 * Each request is built so that an allowed caller gets past authorization and then stops on
 * something harmless (a validation error, a record that does not exist, a read), so the matrix
 * changes nothing.
 */
type Access = 'allowed' | 'forbidden';
type Row = {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Only people, never API keys. */
  personOnly?: boolean;
  /** The scope an API key needs; none means any valid key. */
  scope?: string;
  roles: Record<Role, Access>;
};

const EVERYONE: Record<Role, Access> = { owner: 'allowed', admin: 'allowed', manager: 'allowed', rep: 'allowed', viewer: 'allowed' };
const ADMINS: Record<Role, Access> = { owner: 'allowed', admin: 'allowed', manager: 'forbidden', rep: 'forbidden', viewer: 'forbidden' };
const ROLES: Role[] = ['owner', 'admin', 'manager', 'rep', 'viewer'];
const MATCH = { 'if-match': '"1"' };

const MATRIX: Row[] = [
  { method: 'GET', path: '/me', roles: EVERYONE },
  { method: 'PATCH', path: '/me', body: { locale: 'not-a-locale' }, personOnly: true, roles: EVERYONE },
  { method: 'POST', path: '/me/password', body: {}, personOnly: true, roles: EVERYONE },
  { method: 'POST', path: '/me/totp', personOnly: true, roles: EVERYONE },
  { method: 'POST', path: '/me/totp/confirm', body: {}, personOnly: true, roles: EVERYONE },
  { method: 'POST', path: '/me/totp/disable', body: {}, personOnly: true, roles: EVERYONE },
  { method: 'GET', path: '/me/reminder-preferences', personOnly: true, roles: EVERYONE },
  { method: 'PUT', path: '/me/reminder-preferences', body: {}, personOnly: true, roles: EVERYONE },
  { method: 'GET', path: '/users', scope: 'users:read', roles: EVERYONE },
  { method: 'GET', path: '/users/{ownerId}', scope: 'users:read', roles: EVERYONE },
  { method: 'PATCH', path: '/users/{ownerId}', body: {}, headers: MATCH, scope: 'users:write', roles: ADMINS },
  { method: 'POST', path: '/users/usr_missing/deactivate', scope: 'users:write', roles: ADMINS },
  { method: 'POST', path: '/users/usr_missing/reactivate', scope: 'users:write', roles: ADMINS },
  { method: 'GET', path: '/invitations', scope: 'users:write', roles: ADMINS },
  { method: 'POST', path: '/invitations', body: {}, scope: 'users:write', roles: ADMINS },
  { method: 'DELETE', path: '/invitations/inv_missing', scope: 'users:write', roles: ADMINS },
  { method: 'GET', path: '/teams', scope: 'teams:read', roles: EVERYONE },
  { method: 'POST', path: '/teams', body: {}, scope: 'teams:write', roles: ADMINS },
  { method: 'PATCH', path: '/teams/team_missing', body: {}, headers: MATCH, scope: 'teams:write', roles: ADMINS },
  { method: 'DELETE', path: '/teams/team_missing', scope: 'teams:write', roles: ADMINS },
  { method: 'GET', path: '/api-keys', scope: 'api_keys:read', roles: ADMINS },
  { method: 'POST', path: '/api-keys', body: {}, scope: 'api_keys:write', roles: ADMINS },
  { method: 'DELETE', path: '/api-keys/key_missing', scope: 'api_keys:write', roles: ADMINS },
  { method: 'GET', path: '/workspace', roles: EVERYONE },
  { method: 'PATCH', path: '/workspace', body: {}, headers: MATCH, scope: 'settings:write', roles: ADMINS },
  { method: 'GET', path: '/audit', scope: 'audit:read', roles: ADMINS },
  { method: 'GET', path: '/outbox', scope: 'outbox:read', roles: ADMINS },
  { method: 'GET', path: '/outbox/msg_missing', scope: 'outbox:read', roles: ADMINS },
];

// Routes of the foundation modules; record modules keep their own access tests.
const FOUNDATION = /^\/api\/v1\/(me|users|invitations|teams|api-keys|workspace|audit|outbox)(\/|$)/;

const sessions = {} as Record<Role, Session>;
let wideKey: ApiKey;
let narrowKey: ApiKey;

beforeAll(async () => {
  sessions.owner = await signup({ workspaceName: 'Matrix Inc' });
  const others = await Promise.all((['admin', 'manager', 'rep', 'viewer'] as const).map((r) => userWithRole(sessions.owner, r)));
  others.forEach((s) => (sessions[s.me.user.role] = s));
  const scopes = [...new Set(MATRIX.flatMap((r) => (r.scope ? [r.scope] : [])))];
  wideKey = await apiKey(sessions.owner, scopes, 'All matrix scopes');
  narrowKey = await apiKey(sessions.owner, ['webhooks:read'], 'Unrelated scope');
});

const pathOf = (row: Row) => row.path.replace('{ownerId}', sessions.owner.me.user.id);

async function call(row: Row, who: { as?: Session; apiKey?: string }): Promise<Response> {
  return api(pathOf(row), { method: row.method, body: row.body, headers: row.headers, ...who });
}

function outcome(res: Response): Access | 'signed-out' {
  if (res.status >= 500) throw new Error(`${res.status} from the matrix`);
  if (res.status === 401) return 'signed-out';
  return res.status === 403 ? 'forbidden' : 'allowed';
}

describe('role × route', () => {
  it.each(MATRIX.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', async (_name, row) => {
    const actual = {} as Record<Role, Access | 'signed-out'>;
    for (const role of ROLES) actual[role] = outcome(await call(row, { as: sessions[role] }));
    expect(actual).toEqual(row.roles);
  });

  it('every foundation route has a row', () => {
    const rows = new Set(MATRIX.map((r) => `${r.method} /api/v1${r.path.replace(/\/(usr|inv|team|key|msg)_missing/, '/:id').replace('{ownerId}', ':id')}`));
    const missing = app.routes
      .filter((r) => r.method !== 'ALL' && FOUNDATION.test(r.path))
      .map((r) => `${r.method} ${r.path}`)
      .filter((r) => !rows.has(r));
    expect([...new Set(missing)]).toEqual([]);
  });
});

describe('API keys × route', () => {
  it.each(MATRIX.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', async (_name, row) => {
    const withScope = outcome(await call(row, { apiKey: wideKey.key }));
    const withoutScope = outcome(await call(row, { apiKey: narrowKey.key }));
    expect({ withScope, withoutScope }).toEqual({
      withScope: row.personOnly ? 'forbidden' : 'allowed',
      withoutScope: row.personOnly || row.scope ? 'forbidden' : 'allowed',
    });
  });
});

describe('signed out', () => {
  it.each(MATRIX.map((r) => [`${r.method} ${r.path}`, r] as const))('%s is 401', async (_name, row) => {
    const res = await call(row, {});
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('every route the OpenAPI document marks as protected is 401, record modules included', async () => {
    const doc = await json<{ paths: Record<string, Record<string, { security?: unknown[] }>> }>(await api('/openapi.json'), 200);
    const notRefused: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (!op.security) continue;
        const url = `http://localhost${path.replace(/\{\w+\}/g, 'x_missing')}`;
        const hasBody = !['get', 'head', 'delete'].includes(method);
        const res = await api(url, { method: method.toUpperCase(), body: hasBody ? {} : undefined, headers: { origin: 'http://localhost' } });
        if (res.status !== 401) notRefused.push(`${method.toUpperCase()} ${path} → ${res.status}`);
      }
    }
    expect(notRefused).toEqual([]);
  });
});
