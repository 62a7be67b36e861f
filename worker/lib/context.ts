import type { Db } from '../db/client';
import type { Actor, Env, RequestMeta } from '../env';

/**
 * What a service needs, and nothing of HTTP: the same service runs from a request, a queue
 * message, a cron tick and a test.
 */
export type Ctx = {
  db: Db;
  actor: Actor;
  now: () => Date;
  env: Env;
  meta: RequestMeta;
};

/** A context with no signed-in actor yet (signup, login, public forms). */
export type PublicCtx = Omit<Ctx, 'actor'>;

export const systemMeta = (origin = ''): RequestMeta => ({ ip: null, userAgent: null, requestId: null, origin });

export function systemActor(workspaceId: string): Actor {
  return { type: 'system', id: null, workspaceId, role: 'owner', teamId: null };
}

export const isoNow = (ctx: { now: () => Date }) => ctx.now().toISOString();
