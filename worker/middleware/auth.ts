import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import type { AppEnv } from './context';
import { actorFromApiKey, actorFromSession, actorHint, forgetActor, SESSION_MAX_AGE, sessionIdOf, sessionProof, touchApiKey } from '../modules/auth/session.service';
import { getDb } from '../db/client';
import { SessionProofFailed, withSessionProof } from '../db/session-proof';
import { forbidden, unauthorized } from '../lib/errors';
import { can, type Permission } from '../lib/permissions';

const COOKIE = 'hearth_session';
/** Marks a response the Worker must discard and serve again with a full session check. */
export const RETRY_HEADER = 'x-hearth-serve-again';
const SECURE_COOKIE = '__Host-hearth_session';

const isHttps = (c: Context) => new URL(c.req.url).protocol === 'https:';
const cookieName = (c: Context) => (isHttps(c) ? SECURE_COOKIE : COOKIE);

export function setSessionCookie(c: Context, token: string): void {
  setCookie(c, cookieName(c), token, {
    httpOnly: true,
    secure: isHttps(c),
    sameSite: 'Lax',
    path: '/',
    maxAge: SESSION_MAX_AGE,
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, cookieName(c), { path: '/', secure: isHttps(c) });
}

/** Resolves who is calling (session cookie or API key) without requiring anyone. */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const db = c.get('db');
  const now = new Date();
  const authz = c.req.header('authorization');
  if (authz) {
    const key = authz.match(/^Bearer\s+(\S+)$/)?.[1];
    const found = key ? await actorFromApiKey(db, key, now) : null;
    if (!found) throw unauthorized('The API key is not valid.');
    c.set('actor', found.actor);
    c.set('authBy', 'bearer');
    if (found.touch) c.executionCtx.waitUntil(touchApiKey(db, found.actor.id!, now));
    return next();
  }
  const token = getCookie(c, cookieName(c));
  if (token && (c.req.method === 'GET' || c.req.method === 'HEAD') && !c.env.LIBSQL_URL) {
    const sessionId = await sessionIdOf(token);
    const hint = actorHint(sessionId, now);
    if (hint?.type === 'user') {
      let settle: () => Promise<void> = async () => {};
      c.set(
        'db',
        await getDb(c.env, {
          wrapD1: (binding) => {
            const proven = withSessionProof(binding, sessionProof(hint, now));
            settle = proven.settle;
            return proven.binding;
          },
          replacing: db,
        }),
      );
      c.set('actor', hint);
      c.set('authBy', 'cookie');
      await next();
      try {
        await settle();
      } catch (err) {
        if (!(err instanceof SessionProofFailed)) throw err;
        // Nothing read under the stale hint leaves: the Worker serves the request again (index.ts).
        forgetActor(sessionId);
        c.res = new Response(null, { status: 503, headers: { [RETRY_HEADER]: 'session' } });
      }
      return;
    }
  }
  if (token) {
    const found = await actorFromSession(db, token, now);
    if (found) {
      c.set('actor', found.actor);
      c.set('authBy', 'cookie');
      await next();
      if (found.renewed && c.get('actor')) setSessionCookie(c, token);
      return;
    }
  }
  await next();
};

/** 401 unless someone is signed in. */
export const requireAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get('actor')) throw unauthorized();
  await next();
};

/** 401 when signed out, 403 when the role or key scope lacks the permission. */
export function requirePermission(permission: Permission): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const actor = c.get('actor');
    if (!actor) throw unauthorized();
    if (!can(actor, permission)) throw forbidden();
    await next();
  };
}

/** Only a signed-in person (not an API key): profile, password, sessions. */
export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  const actor = c.get('actor');
  if (!actor) throw unauthorized();
  if (actor.type !== 'user') throw forbidden('This needs a signed-in user, not an API key.');
  await next();
};
