import type { MiddlewareHandler } from 'hono';
import { forbidden } from '../lib/errors';
import type { AppEnv } from './context';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Writes must come from our own origin. Every current browser sends `Origin` (and
 * `Sec-Fetch-Site`) on a cross-site POST, so a write naming another site is refused; a request
 * with neither header did not come from a browser page and carries no ambient risk (curl, servers).
 * Requests authenticated by `Authorization: Bearer` carry no ambient credential and are exempt.
 */
export const csrfGuard: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (SAFE.has(c.req.method) || c.req.header('authorization')?.startsWith('Bearer ')) return next();
  const origin = c.req.header('origin');
  const fetchSite = c.req.header('sec-fetch-site');
  const ownOrigin = new URL(c.req.url).origin;
  const allowed = origin
    ? origin === ownOrigin || origin === c.env.APP_URL
    : !fetchSite || fetchSite === 'same-origin' || fetchSite === 'none';
  if (!allowed) throw forbidden('Cross-site request refused.');
  await next();
};
