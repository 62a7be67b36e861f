import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../../worker/app';
import { api, json, problem, signup, type Session } from './helpers';

type Operation = {
  summary: string;
  operationId: string;
  parameters: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: { type?: string; properties?: Record<string, unknown>; required?: string[] } }> };
  responses: Record<string, unknown>;
  security?: unknown[];
};
type OpenApi = { openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, Operation>>; components: Record<string, unknown> };

let owner: Session;
beforeAll(async () => {
  owner = await signup();
});

describe('GET /api/v1/health', () => {
  it('answers { ok: true } with the database reachable', async () => {
    const res = await api('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });
});

describe('errors and headers', () => {
  it('an unknown /api route is 404 problem+json', async () => {
    const body = await problem(await api('/no-such-thing'), 404, 'route_not_found');
    expect(body.instance).toBe('/api/v1/no-such-thing');
    await problem(await SELF.fetch('http://localhost/api/v2/health'), 404, 'route_not_found');
    await problem(await api('/no-such-thing', { as: owner, body: {} }), 404);
  });

  it('a wrong method is 405 with Allow', async () => {
    const put = await api('/auth/login', { method: 'PUT', body: {} });
    await problem(put, 405, 'method_not_allowed');
    expect(put.headers.get('allow')).toBe('POST');

    const del = await api('/users/usr_123', { method: 'DELETE', as: owner });
    await problem(del, 405);
    expect(del.headers.get('allow')?.split(/,\s*/).sort()).toEqual(['GET', 'HEAD', 'PATCH']);

    const patch = await api('/teams', { method: 'PATCH', as: owner, body: {} });
    await problem(patch, 405);
    expect(patch.headers.get('allow')?.split(/,\s*/).sort()).toEqual(['GET', 'HEAD', 'POST']);
  });

  it('a body over 1 MB is 413 problem+json and creates nothing', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) });
    await problem(await api('/teams', { as: owner, raw: huge, headers: { 'content-type': 'application/json' } }), 413, 'payload_too_large');
    await problem(await api('/auth/signup', { raw: huge, headers: { 'content-type': 'application/json' } }), 413, 'payload_too_large');
    const teams = await json<{ items: unknown[] }>(await api('/teams', { as: owner }), 200);
    expect(teams.items).toEqual([]);
  });

  it('a streamed body without Content-Length is cut off at 1 MB too', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"name":"'));
        if (sent > 1.5 * 1024 * 1024) {
          controller.enqueue(new TextEncoder().encode('"}'));
          controller.close();
          return;
        }
        controller.enqueue(chunk);
        sent += chunk.length;
      },
    });
    const res = await SELF.fetch('http://localhost/api/v1/teams', {
      method: 'POST',
      headers: { cookie: owner.cookie, origin: 'http://localhost', 'content-type': 'application/json' },
      body: stream,
    });
    await problem(res, 413, 'payload_too_large');
    expect((await json<{ items: unknown[] }>(await api('/teams', { as: owner }), 200)).items).toEqual([]);
  });

  it('a body just under the limit is read (and refused on its merits)', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(1000 * 1000) });
    const res = await api('/teams', { as: owner, raw: big, headers: { 'content-type': 'application/json' } });
    expect((await problem(res, 422)).errors?.[0].field).toBe('name');
  });

  it('every response carries x-request-id, errors included; a sane client id is echoed', async () => {
    for (const res of [await api('/health'), await api('/me'), await api('/nope'), await api('/auth/login', { method: 'PUT' }), await api('/auth/login', { raw: '{', headers: { 'content-type': 'application/json' } })]) {
      expect(res.headers.get('x-request-id'), `${res.status}`).toMatch(/^[\w-]{8,}$/);
    }
    const echoed = await api('/health', { headers: { 'x-request-id': 'client-chosen-id-42' } });
    expect(echoed.headers.get('x-request-id')).toBe('client-chosen-id-42');
    const unsafe = await api('/health', { headers: { 'x-request-id': 'bad id<script>' } });
    expect(unsafe.headers.get('x-request-id')).not.toContain('<');
  });

  it('sends the usual security headers', async () => {
    const res = await api('/health');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBeTruthy();
  });
});

describe('GET /api/v1/openapi.json', () => {
  let doc: OpenApi;
  beforeAll(async () => {
    doc = await json<OpenApi>(await api('/openapi.json'), 200);
  });

  const op = (path: string, method: string) => {
    const found = doc.paths[path]?.[method];
    expect(found, `${method.toUpperCase()} ${path} in the OpenAPI document`).toBeDefined();
    return found!;
  };

  it('is OpenAPI 3.1 with the problem schema and both security schemes', () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info.title).toBeTruthy();
    expect(doc.components).toMatchObject({
      securitySchemes: { session: expect.any(Object), apiKey: expect.any(Object) },
      schemas: { Problem: expect.any(Object) },
    });
  });

  it('lists every route the app serves, with unique operation ids', () => {
    const served = new Set<string>();
    for (const route of app.routes) {
      if (route.method === 'ALL' || !route.path.startsWith('/api/v1/')) continue;
      served.add(`${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
    }
    const documented = new Set<string>();
    for (const [path, methods] of Object.entries(doc.paths)) for (const method of Object.keys(methods)) documented.add(`${method} ${path}`);
    expect([...served].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => r.includes('/api/v1/') && !served.has(r))).toEqual([]);
    const ids = [...Object.values(doc.paths)].flatMap((m) => Object.values(m).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('includes every foundation route we know of', () => {
    const known = [
      'get /api/v1/health',
      'get /api/v1/openapi.json',
      'post /api/v1/auth/signup',
      'post /api/v1/auth/login',
      'post /api/v1/auth/logout',
      'post /api/v1/auth/password/forgot',
      'post /api/v1/auth/password/reset',
      'get /api/v1/auth/invitations/{token}',
      'post /api/v1/auth/invitations/accept',
      'get /api/v1/me',
      'patch /api/v1/me',
      'post /api/v1/me/password',
      'post /api/v1/me/totp',
      'post /api/v1/me/totp/confirm',
      'post /api/v1/me/totp/disable',
      'get /api/v1/users',
      'get /api/v1/users/{id}',
      'patch /api/v1/users/{id}',
      'post /api/v1/users/{id}/deactivate',
      'post /api/v1/users/{id}/reactivate',
      'get /api/v1/invitations',
      'post /api/v1/invitations',
      'delete /api/v1/invitations/{id}',
      'get /api/v1/teams',
      'post /api/v1/teams',
      'patch /api/v1/teams/{id}',
      'delete /api/v1/teams/{id}',
      'get /api/v1/api-keys',
      'post /api/v1/api-keys',
      'delete /api/v1/api-keys/{id}',
      'get /api/v1/workspace',
      'patch /api/v1/workspace',
      'get /api/v1/audit',
      'get /api/v1/outbox',
      'get /api/v1/outbox/{id}',
    ];
    for (const route of known) {
      const [method, path] = route.split(' ');
      op(path, method);
    }
  });

  it('describes path parameters, query parameters and request bodies from the validators', () => {
    for (const [path, method] of [
      ['/api/v1/users/{id}', 'get'],
      ['/api/v1/users/{id}', 'patch'],
      ['/api/v1/teams/{id}', 'delete'],
      ['/api/v1/auth/invitations/{token}', 'get'],
    ] as const) {
      const name = path.match(/\{(\w+)\}/)![1];
      expect(op(path, method).parameters).toContainEqual(expect.objectContaining({ name, in: 'path', required: true }));
    }

    const listUsers = op('/api/v1/users', 'get').parameters.filter((p) => p.in === 'query').map((p) => p.name);
    expect(listUsers).toEqual(expect.arrayContaining(['limit', 'cursor', 'role', 'teamId', 'active', 'q']));
    const listAudit = op('/api/v1/audit', 'get').parameters.map((p) => p.name);
    expect(listAudit).toEqual(expect.arrayContaining(['limit', 'cursor', 'action', 'actorId', 'recordType', 'recordId', 'from', 'to']));

    const body = (path: string, method: string) => op(path, method).requestBody?.content['application/json']?.schema;
    expect(body('/api/v1/auth/signup', 'post')).toMatchObject({ type: 'object', required: expect.arrayContaining(['workspaceName', 'name', 'email', 'password']) });
    expect(Object.keys(body('/api/v1/auth/login', 'post')?.properties ?? {})).toEqual(expect.arrayContaining(['email', 'password', 'totp']));
    expect(body('/api/v1/teams', 'post')).toMatchObject({ required: ['name'] });
    expect(Object.keys(body('/api/v1/teams/{id}', 'patch')?.properties ?? {})).toEqual(expect.arrayContaining(['name', 'managerId', 'memberIds']));
    expect(Object.keys(body('/api/v1/api-keys', 'post')?.properties ?? {})).toEqual(expect.arrayContaining(['name', 'scopes', 'expiresAt']));
    expect(Object.keys(body('/api/v1/invitations', 'post')?.properties ?? {})).toEqual(expect.arrayContaining(['email', 'role', 'teamId']));
    expect(Object.keys(body('/api/v1/workspace', 'patch')?.properties ?? {})).toEqual(expect.arrayContaining(['name', 'currency', 'timezone', 'locale']));
    expect(Object.keys(body('/api/v1/users/{id}', 'patch')?.properties ?? {})).toEqual(expect.arrayContaining(['name', 'role', 'teamId']));
    expect(op('/api/v1/health', 'get').requestBody).toBeUndefined();
  });

  it('marks public routes public and protected routes with security and 401/403', () => {
    expect(op('/api/v1/auth/login', 'post').security).toBeUndefined();
    expect(op('/api/v1/health', 'get').security).toBeUndefined();
    const teams = op('/api/v1/teams', 'post');
    expect(teams.security).toBeDefined();
    expect(Object.keys(teams.responses)).toEqual(expect.arrayContaining(['201', '401', '403', '422']));
  });
});
