import { and, eq, gt, lt, ne } from 'drizzle-orm';
import { apiKeys, sessions, users, workspaces } from '../../db/schema';
import type { Db, Statement } from '../../db/client';
import type { Actor, RequestMeta } from '../../env';
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

/** The actor behind a session cookie, or null; extends the session when it is in use. */
export async function actorFromSession(db: Db, token: string, now: Date): Promise<{ actor: Actor; renewed: boolean } | null> {
  const id = await sha256Hex(token);
  const row = await db
    .select({ session: sessions, user: users, defaultCountry: workspaces.defaultCountry })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, now.toISOString()), eq(users.isActive, true)))
    .get();
  if (!row) return null;
  let renewed = false;
  if (now.getTime() - Date.parse(row.session.lastSeenAt) > RENEW_AFTER_MS) {
    renewed = true;
    await db
      .update(sessions)
      .set({ lastSeenAt: now.toISOString(), expiresAt: new Date(now.getTime() + SESSION_DAYS * DAY).toISOString() })
      .where(eq(sessions.id, id));
  }
  const u = row.user;
  return {
    renewed,
    actor: {
      type: 'user',
      id: u.id,
      workspaceId: u.workspaceId,
      role: u.role,
      teamId: u.teamId,
      name: u.name,
      email: u.email,
      locale: u.locale,
      timezone: u.timezone,
      sessionId: id,
      defaultCountry: row.defaultCountry,
    },
  };
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
    actor: { type: 'api_key', id: k.id, workspaceId: k.workspaceId, role: 'admin', scopes: k.scopes, teamId: null, defaultCountry: row.workspaces.defaultCountry },
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
