import { and, eq, gt, lt, ne } from 'drizzle-orm';
import { apiKeys, sessions, users, workspaces } from '../../db/schema';
import { cachedQuery } from '../../db/cached-query';
import type { Db, Statement } from '../../db/client';
import type { Actor, RequestMeta } from '../../env';
import type { SessionProof } from '../../db/session-proof';
import { sha256Hex } from '../../lib/crypto';
import { randomToken } from '../../lib/ids';

const SESSION_DAYS = 14;
// Sliding expiry without a write on every request: extend at most once an hour.
const RENEW_AFTER_MS = 60 * 60 * 1000;
const DAY = 24 * 60 * 60 * 1000;

export const SESSION_MAX_AGE = SESSION_DAYS * 24 * 60 * 60;

/** A new session for a user: the cookie token, and the row (storing only its hash) to batch. */
export async function newSession(
  db: Db,
  user: { id: string; workspaceId: string },
  meta: RequestMeta,
  now: Date,
): Promise<{ token: string; id: string; statement: Statement }> {
  const token = randomToken(32);
  const id = await sha256Hex(token);
  const statement = db.insert(sessions).values({
    id,
    userId: user.id,
    workspaceId: user.workspaceId,
    expiresAt: new Date(now.getTime() + SESSION_DAYS * DAY).toISOString(),
    ip: meta.ip,
    userAgent: meta.userAgent,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
  });
  return { token, id, statement };
}

/** A signed-in user as the actor of a request. */
export function userActor(u: typeof users.$inferSelect, sessionId: string, defaultCountry?: string, customFieldsVersion?: number): Actor {
  return {
    type: 'user',
    id: u.id,
    workspaceId: u.workspaceId,
    role: u.role,
    teamId: u.teamId,
    name: u.name,
    email: u.email,
    locale: u.locale,
    timezone: u.timezone,
    sessionId,
    ...(defaultCountry === undefined ? {} : { defaultCountry }),
    ...(customFieldsVersion === undefined ? {} : { customFieldsVersion }),
  };
}

const sessionIds = new Map<string, string>();

/** The id (hash) of the session behind a cookie token; kept per isolate, as every signed-in request asks. */
export async function sessionIdOf(token: string): Promise<string> {
  const known = sessionIds.get(token);
  if (known) return known;
  const id = await sha256Hex(token);
  sessionIds.set(token, id);
  if (sessionIds.size > HINT_LIMIT) sessionIds.delete(sessionIds.keys().next().value!);
  return id;
}

/** The actor behind a session cookie, or null; extends the session when it is in use. */
export async function actorFromSession(db: Db, token: string, now: Date): Promise<{ actor: Actor; renewed: boolean } | null> {
  const id = await sessionIdOf(token);
  // Read by every signed-in request that is not a proven read: built once per isolate.
  const [row] = await cachedQuery(db, 'session.actor', { id, now: now.toISOString() }, (v) =>
    db
      .select({ session: sessions, user: users, defaultCountry: workspaces.defaultCountry, customFieldsVersion: workspaces.customFieldsVersion })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
      .where(and(eq(sessions.id, v('id')), gt(sessions.expiresAt, v('now')), eq(users.isActive, true)))
      .limit(1),
  );
  if (!row) return null;
  let renewed = false;
  if (now.getTime() - Date.parse(row.session.lastSeenAt) > RENEW_AFTER_MS) {
    renewed = true;
    await db
      .update(sessions)
      .set({ lastSeenAt: now.toISOString(), expiresAt: new Date(now.getTime() + SESSION_DAYS * DAY).toISOString() })
      .where(eq(sessions.id, id));
  }
  const actor = userActor(row.user, id, row.defaultCountry, row.customFieldsVersion);
  rememberActor(id, actor, now);
  return { renewed, actor };
}

/** The actor behind an API key, or null. */
export async function actorFromApiKey(db: Db, key: string, now: Date): Promise<{ actor: Actor; touch: boolean } | null> {
  const keyHash = await sha256Hex(key);
  const row = await db
    .select()
    .from(apiKeys)
    .innerJoin(workspaces, eq(workspaces.id, apiKeys.workspaceId))
    .where(eq(apiKeys.keyHash, keyHash))
    .get();
  const k = row?.api_keys;
  if (!k || k.revokedAt || (k.expiresAt && k.expiresAt <= now.toISOString())) return null;
  // Keys see the whole workspace; what they may do is limited by their scopes.
  return {
    actor: { type: 'api_key', id: k.id, workspaceId: k.workspaceId, role: 'admin', scopes: k.scopes, teamId: null, defaultCountry: row.workspaces.defaultCountry, customFieldsVersion: row.workspaces.customFieldsVersion },
    touch: !k.lastUsedAt || now.getTime() - Date.parse(k.lastUsedAt) > 60_000,
  };
}

export async function touchApiKey(db: Db, id: string, now: Date): Promise<void> {
  await db.update(apiKeys).set({ lastUsedAt: now.toISOString() }).where(eq(apiKeys.id, id));
}

/** Ends one session. */
export function endSession(db: Db, sessionId: string): Statement {
  return db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user except, optionally, the current one. */
export function endSessionsOf(db: Db, userId: string, keep?: string): Statement {
  return db.delete(sessions).where(keep ? and(eq(sessions.userId, userId), ne(sessions.id, keep)) : eq(sessions.userId, userId));
}

export async function purgeExpiredSessions(db: Db, now: Date): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, now.toISOString()));
}

// ── Signed-in reads in one round trip ──────────────────────────────────────────────────────────
// Each isolate remembers who was behind a session for a minute. A read-only request is served from
// that hint with the session check carried inside its first query (db/session-proof.ts): the
// hint is never trusted, only used to build the query that proves it.

const HINT_TTL_MS = 60_000;
const HINT_LIMIT = 1000;
const hints = new Map<string, { actor: Actor; until: number }>();

function rememberActor(sessionId: string, actor: Actor, now: Date) {
  hints.delete(sessionId);
  hints.set(sessionId, { actor, until: now.getTime() + HINT_TTL_MS });
  if (hints.size > HINT_LIMIT) hints.delete(hints.keys().next().value!);
}

/** Who was behind this session when this isolate last checked it (unproven), if recently. */
export function actorHint(sessionId: string, now: Date): Actor | undefined {
  const hint = hints.get(sessionId);
  if (hint && hint.until > now.getTime()) return hint.actor;
  hints.delete(sessionId);
  return undefined;
}

export function forgetActor(sessionId: string): void {
  hints.delete(sessionId);
}

/** A condition that holds exactly while the session is live and its user is still `actor`. */
export function sessionProof(actor: Extract<Actor, { type: 'user' }>, now: Date): SessionProof {
  return {
    sql: `select 1 from sessions s join users u on u.id = s.user_id join workspaces w on w.id = u.workspace_id
      where s.id = ? and s.expires_at > ? and u.is_active = 1 and u.id = ? and u.workspace_id = ? and u.role = ?
        and u.team_id is ? and u.name = ? and u.email = ? and u.locale is ? and u.timezone is ? and w.default_country = ?
        and w.custom_fields_version = ?`,
    params: [actor.sessionId, now.toISOString(), actor.id, actor.workspaceId, actor.role, actor.teamId, actor.name, actor.email, actor.locale, actor.timezone, actor.defaultCountry ?? null, actor.customFieldsVersion ?? -1],
  };
}
