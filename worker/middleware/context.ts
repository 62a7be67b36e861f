import type { Context, MiddlewareHandler } from 'hono';
import { getDb, type Db } from '../db/client';
import type { Actor, Env, RequestMeta } from '../env';
import type { Ctx, PublicCtx } from '../lib/context';
import { unauthorized } from '../lib/errors';

export type AppEnv = {
  Bindings: Env;
  Variables: { db: Db; actor: Actor | null; meta: RequestMeta; requestId: string; authBy: 'cookie' | 'bearer' | null };
};

/** Puts the database handle and where the request came from on the context. */
export const requestContext: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('db', await getDb(c.env, { measure: Boolean((c.env as { BENCH?: string }).BENCH && c.req.header('x-bench-trace')) }));
  c.set('actor', null);
  c.set('authBy', null);
  const url = new URL(c.req.url);
  c.set('meta', {
    // Only Cloudflare's header: anything else a client could set to dodge per-address limits.
    ip: c.req.header('cf-connecting-ip') ?? null,
    userAgent: c.req.header('user-agent')?.slice(0, 300) ?? null,
    requestId: c.get('requestId') ?? null,
    origin: c.env.APP_URL ?? url.origin,
  });
  await next();
  // Error responses (problem+json, 404, 405) are built as plain Responses and would lose the
  // request id header set before the handler ran; a client quoting it in a bug report needs it most.
  const requestId = c.get('requestId');
  if (requestId && !c.res.headers.has('x-request-id')) c.header('X-Request-Id', requestId);
};

/** The service context for a signed-in request. */
export function ctx(c: Context<AppEnv>): Ctx {
  const actor = c.get('actor');
  if (!actor) throw unauthorized();
  return { db: c.get('db'), actor, now: () => new Date(), env: c.env, meta: c.get('meta') };
}

/** The service context for a request that needs nobody signed in. */
export function publicCtx(c: Context<AppEnv>): PublicCtx {
  return { db: c.get('db'), now: () => new Date(), env: c.env, meta: c.get('meta') };
}
