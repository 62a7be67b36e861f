import { SELF } from 'cloudflare:test';
import { expect } from 'vitest';

/**
 * Factories that build data through the public API, the way a person or an integration would.
 * Storage is isolated per test file, so every file builds what it needs; emails are unique per
 * call so that factories never collide inside a file either.
 */

export const ORIGIN = 'http://localhost';
export const PASSWORD = 'correct horse battery staple';

export type Role = 'owner' | 'admin' | 'manager' | 'rep' | 'viewer';

export type Me = {
  user: {
    id: string;
    name: string;
    email: string;
    role: Role;
    teamId: string | null;
    isActive: boolean;
    totpEnabled: boolean;
    version: number;
  };
  workspace: { id: string; name: string; version: number; currency: string; timezone: string; locale: string };
  permissions: string[];
};

/** A signed-in browser: the cookie, who it is, and the headers a same-origin page would send. */
export type Session = {
  cookie: string;
  me: Me;
  headers: Record<string, string>;
  email: string;
  password: string;
};

export type Problem = {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  errors?: { field: string; message: string; code: string }[];
  [extra: string]: unknown;
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
let sequence = 0;

export function uniqueEmail(label = 'user'): string {
  sequence += 1;
  return `${label}.${sequence}.${crypto.randomUUID().slice(0, 8)}@example.com`;
}

export type ApiOptions = {
  method?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent exactly as given (malformed JSON, huge bodies, forms). */
  raw?: BodyInit;
  cookie?: string;
  /** A signed-in session; shorthand for its cookie. */
  as?: Session;
  apiKey?: string;
  /** Extra headers; an empty value suppresses a header the helper would add. */
  headers?: Record<string, string>;
  /** Defaults to http://localhost. */
  origin?: string;
};

/**
 * Calls `/api/v1{path}` on the Worker. Cookie writes carry `Origin: http://localhost` like a
 * same-origin page does, unless the caller sets its own Origin.
 */
export function api(path: string, options: ApiOptions = {}): Promise<Response> {
  const hasBody = options.body !== undefined || options.raw !== undefined;
  const method = options.method ?? (hasBody ? 'POST' : 'GET');
  const base = options.origin ?? ORIGIN;
  const headers = new Headers(options.headers);
  if (options.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const cookie = options.cookie ?? options.as?.cookie;
  if (cookie) {
    headers.set('cookie', cookie);
    if (!SAFE_METHODS.has(method) && !headers.has('origin')) headers.set('origin', base);
  }
  if (options.apiKey) headers.set('authorization', `Bearer ${options.apiKey}`);
  // An empty value means "do not send this header" (e.g. a client that sends no Origin).
  for (const [name, value] of [...headers]) if (value === '') headers.delete(name);
  const url = path.startsWith('http') ? path : `${base}/api/v1${path}`;
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return SELF.fetch(url, { method, headers, body, redirect: 'manual' });
}

/** The JSON body of a response, after checking its status. */
export async function json<T = any>(res: Response, status?: number): Promise<T> {
  const text = await res.text();
  if (status !== undefined && res.status !== status) {
    throw new Error(`expected ${status}, got ${res.status}: ${text.slice(0, 500)}`);
  }
  return (text ? JSON.parse(text) : null) as T;
}

/** The problem+json body of an error response; checks the media type and the status. */
export async function problem(res: Response, status?: number, code?: string): Promise<Problem> {
  const text = await res.text();
  if (status !== undefined) expect(res.status, text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(text) as Problem;
  expect(body.status).toBe(res.status);
  expect(body.type).toMatch(/^https?:\/\//);
  expect(typeof body.detail).toBe('string');
  expect(text).not.toMatch(/\n\s+at /); // never a stack trace
  if (code !== undefined) expect(body.code).toBe(code);
  return body;
}

/** The fields a 422 names. */
export async function failingFields(res: Response): Promise<string[]> {
  const body = await problem(res, 422);
  return (body.errors ?? []).map((e) => e.field);
}

function sessionCookie(res: Response): string {
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => /^(__Host-)?hearth_session=./.test(c));
  if (!cookie) throw new Error(`no session cookie in ${res.status} response`);
  return cookie;
}

function sessionFrom(res: Response, me: Me, email: string, password: string): Session {
  const cookie = sessionCookie(res);
  return { cookie, me, headers: { cookie, origin: ORIGIN }, email, password };
}

export type SignupInput = { workspaceName?: string; name?: string; email?: string; password?: string; locale?: string; timezone?: string };

/** A new workspace and its owner, signed in. */
export async function signup(input: SignupInput = {}): Promise<Session> {
  const body = {
    workspaceName: 'Acme Trading',
    name: 'Olivia Owner',
    email: uniqueEmail('owner'),
    password: PASSWORD,
    ...input,
  };
  const res = await api('/auth/signup', { body });
  const me = await json<Me>(res.clone(), 201);
  return sessionFrom(res, me, me.user.email, body.password);
}

/** Signs in again: a second, independent session of the same person. */
export async function login(email: string, password = PASSWORD, extra: Record<string, unknown> = {}): Promise<Session> {
  const res = await api('/auth/login', { body: { email, password, ...extra } });
  const me = await json<Me>(res.clone(), 200);
  return sessionFrom(res, me, email, password);
}

export type OutboxMessage = {
  id: string;
  workspaceId: string | null;
  kind: string;
  toAddress: string;
  subject: string;
  textBody: string;
  status: string;
  transport: string;
  attempts: number;
  createdAt: string;
};

/** The newest outbox email to `to`, read the way an admin reads it in the UI. */
export async function lastEmailTo(reader: Session, to: string, kind?: string): Promise<OutboxMessage> {
  const page = await json<{ items: OutboxMessage[] }>(await api('/outbox?limit=200', { as: reader }), 200);
  const found = page.items.find((m) => m.toAddress === to.toLowerCase() && (!kind || m.kind === kind));
  if (!found) throw new Error(`no ${kind ?? ''} email to ${to} in the outbox`);
  return found;
}

/** The `token` query parameter of the first link in an email. */
export function linkToken(text: string): string {
  const link = text.match(/https?:\/\/\S+/)?.[0];
  if (!link) throw new Error(`no link in email: ${text}`);
  const token = new URL(link).searchParams.get('token');
  if (!token) throw new Error(`no token in link ${link}`);
  return token;
}

export type Invitation = { id: string; email: string; role: Role; teamId: string | null; status: string };

/** Invites by email and returns the invitation and the token from the emailed link. */
export async function invite(
  inviter: Session,
  role: Role,
  options: { teamId?: string | null; email?: string } = {},
): Promise<{ invitation: Invitation; token: string; email: string }> {
  const email = options.email ?? uniqueEmail(role);
  const res = await api('/invitations', { as: inviter, body: { email, role, teamId: options.teamId ?? null } });
  const invitation = await json<Invitation>(res, 201);
  const message = await lastEmailTo(inviter, email, 'invitation');
  return { invitation, token: linkToken(message.textBody), email };
}

/** A colleague in the owner's workspace with `role` (and team), invited and signed in. */
export async function userWithRole(
  owner: Session,
  role: Role,
  options: { teamId?: string | null; name?: string } = {},
): Promise<Session> {
  const { token, email } = await invite(owner, role, options);
  const res = await api('/auth/invitations/accept', { body: { token, name: options.name ?? `${role} person`, password: PASSWORD } });
  const me = await json<Me>(res.clone(), 201);
  return sessionFrom(res, me, email, PASSWORD);
}

export type ApiKey = { id: string; key: string; name: string; prefix: string; scopes: string[] };

/** An API key of the owner's workspace with the given scopes. */
export async function apiKey(owner: Session, scopes: string[], name = 'Integration'): Promise<ApiKey> {
  return json<ApiKey>(await api('/api-keys', { as: owner, body: { name, scopes } }), 201);
}

export type Team = { id: string; name: string; managerId: string | null; memberIds: string[]; version: number };

export async function createTeam(owner: Session, body: { name: string; managerId?: string | null; memberIds?: string[] }): Promise<Team> {
  return json<Team>(await api('/teams', { as: owner, body }), 201);
}

export type AuditRow = {
  id: string;
  workspaceId: string;
  actorType: string;
  actorId: string | null;
  action: string;
  recordType: string | null;
  recordId: string | null;
  changes: Record<string, { before?: unknown; after?: unknown }> | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  createdAt: string;
};

/** Audit rows matching the query (newest first), read through the API. */
export async function auditRows(reader: Session, query: Record<string, string> = {}): Promise<AuditRow[]> {
  const qs = new URLSearchParams({ limit: '200', ...query });
  const page = await json<{ items: AuditRow[] }>(await api(`/audit?${qs}`, { as: reader }), 200);
  return page.items;
}
