// Service-level tests shared by both databases: test/worker/services-d1.test.ts runs them on D1
// inside workerd, test/libsql/services.test.ts on a libSQL file, so the two stay interchangeable.
import { describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../worker/db/client';
import { auditLog, sessions, teams, users, workspaces } from '../../worker/db/schema';
import type { Env } from '../../worker/env';
import type { Ctx, PublicCtx } from '../../worker/lib/context';
import { AppError } from '../../worker/lib/errors';
import { login, signup, changePassword } from '../../worker/modules/auth/auth.service';
import { actorFromSession } from '../../worker/modules/auth/session.service';
import { createTeam, updateTeam } from '../../worker/modules/teams/teams.service';
import { createInvitation, acceptInvitation } from '../../worker/modules/users/invitations.service';
import { listAudit } from '../../worker/modules/audit/audit.service';
import { createApiKey, revokeApiKey } from '../../worker/modules/api-keys/api-keys.service';
import { actorFromApiKey } from '../../worker/modules/auth/session.service';
import { listOutbox } from '../../worker/modules/outbox/outbox.service';
import { hit, retryAfter } from '../../worker/lib/rate-limit';
import { cachedQuery } from '../../worker/db/cached-query';

const env = {
  APP_NAME: 'Hearth',
  MAIL_TRANSPORT: 'outbox',
  MAIL_FROM: 'Hearth <no-reply@hearth.local>',
  SESSION_SECRET: 'test-session-secret-0123456789abcdef',
} as Env;

const meta = { ip: '203.0.113.9', userAgent: 'vitest', requestId: 'req-1', origin: 'http://localhost' };

let seq = 0;
const uniqueEmail = (name: string) => `${name}.${Date.now().toString(36)}.${++seq}@example.com`;

/** Registers the foundation's service tests against one database. */
export function foundationServiceSuite(label: string, getDb: () => Promise<Db> | Db) {
  async function publicCtx(): Promise<PublicCtx> {
    return { db: await getDb(), env, meta, now: () => new Date() };
  }
  async function ownerCtx() {
    const pub = await publicCtx();
    const email = uniqueEmail('owner');
    const { token, me } = await signup(pub, { workspaceName: 'Acme 贸易', name: '王芳', email, password: 'correct horse battery' });
    const found = await actorFromSession(pub.db, token, new Date());
    const ctx: Ctx = { ...pub, actor: found!.actor };
    return { ctx, me, token, email };
  }

  describe(`foundation services on ${label}`, () => {
    it('signup stores the workspace, the owner and a hashed session, audited in one batch', async () => {
      const { ctx, me, token } = await ownerCtx();
      expect(me.user.role).toBe('owner');
      const stored = await ctx.db.select().from(users).where(eq(users.id, me.user.id)).get();
      expect(stored?.passwordHash).toMatch(/^scrypt\$/);
      const sessionRows = await ctx.db.select().from(sessions).where(eq(sessions.userId, me.user.id));
      expect(sessionRows).toHaveLength(1);
      expect(sessionRows[0].id).not.toBe(token);
      const audit = await ctx.db.select().from(auditLog).where(eq(auditLog.workspaceId, me.workspace.id));
      expect(audit.map((a) => a.action).sort()).toEqual(['user.signed_up', 'workspace.created']);
      expect(audit[0].ip).toBe('203.0.113.9');
    });

    it('login accepts the right password and refuses a wrong one with an audited failure', async () => {
      const { ctx, email, me } = await ownerCtx();
      const pub = await publicCtx();
      await expect(login(pub, { email, password: 'wrong password!!' })).rejects.toMatchObject({ status: 401 });
      const ok = await login(pub, { email, password: 'correct horse battery' });
      expect(ok.me.user.id).toBe(me.user.id);
      const page = await listAudit(ctx, { limit: 50, action: 'auth.' });
      expect(page.items.map((a) => a.action)).toEqual(expect.arrayContaining(['auth.login_failed', 'auth.login']));
    });

    it('changing the password ends the other sessions at once', async () => {
      const { ctx, email } = await ownerCtx();
      const other = await login(await publicCtx(), { email, password: 'correct horse battery' });
      await changePassword(ctx, 'correct horse battery', 'a brand new passphrase');
      expect(await actorFromSession(ctx.db, other.token, new Date())).toBeNull();
      if (ctx.actor.type !== 'user') throw new Error('expected a user');
      const still = await ctx.db.select().from(sessions).where(eq(sessions.id, ctx.actor.sessionId)).get();
      expect(still).toBeTruthy();
    });

    it('an invitation creates a user with its role and team, once', async () => {
      const { ctx } = await ownerCtx();
      const team = await createTeam(ctx, { name: '华东', managerId: null });
      const email = uniqueEmail('rep');
      await createInvitation(ctx, { email, role: 'rep', teamId: team.id });
      const mail = (await listOutbox(ctx, { limit: 10 })).items.find((m) => m.toAddress === email)!;
      const token = decodeURIComponent(mail.textBody.match(/token=([^\s]+)/)![1]);
      const accepted = await acceptInvitation(await publicCtx(), { token, name: 'Li Lei', password: 'another good password' });
      expect(accepted.me.user).toMatchObject({ role: 'rep', teamId: team.id, email });
      await expect(acceptInvitation(await publicCtx(), { token, name: 'Again', password: 'another good password' })).rejects.toMatchObject({ status: 404 });
    });

    it('a stale team edit is refused and changes nothing', async () => {
      const { ctx } = await ownerCtx();
      const team = await createTeam(ctx, { name: 'North' });
      await updateTeam(ctx, team.id, 1, { name: 'North-East' });
      await expect(updateTeam(ctx, team.id, 1, { name: 'Stale' })).rejects.toBeInstanceOf(AppError);
      const row = await ctx.db.select().from(teams).where(eq(teams.id, team.id)).get();
      expect(row).toMatchObject({ name: 'North-East', version: 2 });
    });

    it('API keys resolve to a scoped actor until revoked', async () => {
      const { ctx } = await ownerCtx();
      const created = await createApiKey(ctx, { name: 'website', scopes: ['contacts:read'] });
      const found = await actorFromApiKey(ctx.db, created.key, new Date());
      expect(found?.actor).toMatchObject({ type: 'api_key', scopes: ['contacts:read'] });
      await revokeApiKey(ctx, created.id);
      expect(await actorFromApiKey(ctx.db, created.key, new Date())).toBeNull();
    });

    it('rate limits count within a window and then ask to wait', async () => {
      const db = await getDb();
      const rule = { key: `test:${uniqueEmail('rl')}`, limit: 3, windowSeconds: 60 };
      const now = new Date();
      for (let i = 0; i < 3; i++) await hit(db, [rule], now);
      expect(await retryAfter(db, rule, now)).toBeGreaterThan(0);
      expect(await retryAfter(db, rule, new Date(now.getTime() + 61_000))).toBe(0);
    });

    it('a statement built once runs with new values, alone and in a batch, and maps its rows like the builder', async () => {
      const { ctx } = await ownerCtx();
      const db = ctx.db;
      const tag = uniqueEmail('cached');
      const insert = (id: string, changes: Record<string, { after: unknown }>) =>
        cachedQuery(db, 'test.audit.insert', { id, ws: ctx.actor.workspaceId, tag, changes }, (v) =>
          db
            .insert(auditLog)
            .values({ id: v('id'), workspaceId: v('ws'), actorType: 'system', action: 'test.cached', recordId: v('tag'), changes: v('changes'), createdAt: '2026-01-01T00:00:00.000Z' })
            .returning({ id: auditLog.id, changes: auditLog.changes }),
        );
      const byTag = (value: string) => cachedQuery(db, 'test.audit.select', { value }, (v) => db.select({ id: auditLog.id, changes: auditLog.changes }).from(auditLog).where(eq(auditLog.recordId, v('value'))).orderBy(auditLog.id));
      expect(await insert(`aud_${tag}_1`, { amount: { after: 1 } })).toEqual([{ id: `aud_${tag}_1`, changes: { amount: { after: 1 } } }]);
      const [second, both] = await db.batch([insert(`aud_${tag}_2`, { name: { after: '王芳' } }), byTag(tag)]);
      expect(second).toEqual([{ id: `aud_${tag}_2`, changes: { name: { after: '王芳' } } }]);
      expect(both).toEqual([
        { id: `aud_${tag}_1`, changes: { amount: { after: 1 } } },
        { id: `aud_${tag}_2`, changes: { name: { after: '王芳' } } },
      ]);
      expect(await byTag('no such tag')).toEqual([]);
      // Joined tables with the same column names keep each value (rows are read as arrays alone).
      const joined = await cachedQuery(db, 'test.audit.joined', { value: tag }, (v) =>
        db.select({ audit: auditLog.id, workspace: workspaces.id }).from(auditLog).innerJoin(workspaces, eq(workspaces.id, auditLog.workspaceId)).where(eq(auditLog.recordId, v('value'))).orderBy(auditLog.id),
      );
      expect(joined[0]).toEqual({ audit: `aud_${tag}_1`, workspace: ctx.actor.workspaceId });
      // A null stays NULL (as the builder writes it), not the JSON text "null".
      await insert(`aud_${tag}_3`, null as never);
      const nulls = await db.select({ id: auditLog.id }).from(auditLog).where(and(eq(auditLog.recordId, tag), isNull(auditLog.changes)));
      expect(nulls).toEqual([{ id: `aud_${tag}_3` }]);
    });
  });
}
