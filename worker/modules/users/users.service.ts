import { and, eq, like, or, sql } from 'drizzle-orm';
import { teams, users } from '../../db/schema';
import type { Role } from '../../db/schema';
import type { Ctx } from '../../lib/context';
import { audited, diff } from '../../lib/audit';
import { conflict, forbidden, invalidField, notFound, preconditionFailed } from '../../lib/errors';
import { keyset, toPage } from '../../lib/pagination';
import { endSessionsOf } from '../auth/session.service';
import { publicUser } from '../auth/auth.service';
import type { ListUsersQuery, UpdateUserInput } from './users.schema';

type UserRow = typeof users.$inferSelect;

export async function listUsers(ctx: Ctx, query: ListUsersQuery) {
  const page = keyset(query, users.createdAt, users.id, 'asc');
  const q = query.q ? `%${query.q.replace(/[%_]/g, '')}%` : null;
  const rows = await ctx.db
    .select()
    .from(users)
    .where(
      and(
        eq(users.workspaceId, ctx.actor.workspaceId),
        query.role ? eq(users.role, query.role) : undefined,
        query.teamId ? eq(users.teamId, query.teamId) : undefined,
        query.active ? eq(users.isActive, query.active === 'true') : undefined,
        q ? or(like(users.name, q), like(users.email, q)) : undefined,
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(page.limit);
  const result = toPage(rows, query, (u) => ({ k: u.createdAt, id: u.id }));
  return { ...result, items: result.items.map(publicUser) };
}

async function findUser(ctx: Ctx, id: string): Promise<UserRow> {
  const user = await ctx.db.select().from(users).where(and(eq(users.id, id), eq(users.workspaceId, ctx.actor.workspaceId))).get();
  if (!user) throw notFound('User');
  return user;
}

export async function getUser(ctx: Ctx, id: string) {
  return publicUser(await findUser(ctx, id));
}

async function activeOwnerCount(ctx: Ctx): Promise<number> {
  const row = await ctx.db
    .select({ n: sql<number>`count(*)` })
    .from(users)
    .where(and(eq(users.workspaceId, ctx.actor.workspaceId), eq(users.role, 'owner'), eq(users.isActive, true)))
    .get();
  return row?.n ?? 0;
}

/** Only an owner may make or unmake owners; nobody changes their own role. */
function assertMayChangeRole(ctx: Ctx, target: UserRow, nextRole: Role | undefined) {
  if (nextRole === undefined || nextRole === target.role) return;
  if (ctx.actor.id === target.id) throw forbidden('You cannot change your own role.');
  if ((target.role === 'owner' || nextRole === 'owner') && ctx.actor.role !== 'owner') {
    throw forbidden('Only an owner can grant or remove the owner role.');
  }
}

async function assertTeam(ctx: Ctx, teamId: string | null | undefined) {
  if (!teamId) return;
  const team = await ctx.db.select({ id: teams.id }).from(teams).where(and(eq(teams.id, teamId), eq(teams.workspaceId, ctx.actor.workspaceId))).get();
  if (!team) throw invalidField('teamId', 'No such team.', 'not_found');
}

export async function updateUser(ctx: Ctx, id: string, expectedVersion: number, input: UpdateUserInput) {
  const user = await findUser(ctx, id);
  if (user.role === 'owner' && ctx.actor.role !== 'owner' && ctx.actor.id !== user.id) throw forbidden('Only an owner can change an owner.');
  assertMayChangeRole(ctx, user, input.role);
  await assertTeam(ctx, input.teamId);
  // Demoting an inactive owner leaves the active owners as they are.
  if (user.role === 'owner' && user.isActive && input.role && input.role !== 'owner' && (await activeOwnerCount(ctx)) <= 1) {
    throw conflict('last_owner', 'A workspace needs at least one owner.');
  }
  if (user.version !== expectedVersion) throw preconditionFailed(user.version);
  const now = ctx.now().toISOString();
  const next: UserRow = { ...user, ...input, version: user.version + 1, updatedAt: now };
  const roleChanged = input.role !== undefined && input.role !== user.role;
  await audited(
    ctx,
    { action: roleChanged ? 'user.role_changed' : 'user.updated', recordType: 'user', recordId: id, changes: diff(publicUser(user), publicUser(next)) },
    ctx.db
      .update(users)
      .set({ ...input, version: next.version, updatedAt: now })
      .where(and(eq(users.id, id), eq(users.version, expectedVersion))),
  );
  const saved = await findUser(ctx, id);
  if (saved.version !== next.version) throw preconditionFailed(saved.version);
  return publicUser(saved);
}

/** Deactivation signs the user out everywhere at once; their records stay. */
export async function setUserActive(ctx: Ctx, id: string, isActive: boolean) {
  const user = await findUser(ctx, id);
  if (user.id === ctx.actor.id) throw forbidden('You cannot deactivate yourself.');
  if (user.role === 'owner' && ctx.actor.role !== 'owner') throw forbidden('Only an owner can deactivate an owner.');
  if (user.isActive === isActive) return publicUser(user);
  if (!isActive && user.role === 'owner' && (await activeOwnerCount(ctx)) <= 1) throw conflict('last_owner', 'A workspace needs at least one owner.');
  const now = ctx.now().toISOString();
  const next = { ...user, isActive, version: user.version + 1, updatedAt: now };
  await audited(
    ctx,
    { action: isActive ? 'user.reactivated' : 'user.deactivated', recordType: 'user', recordId: id, changes: diff(publicUser(user), publicUser(next)) },
    ctx.db.update(users).set({ isActive, version: next.version, updatedAt: now }).where(eq(users.id, id)),
    ...(isActive ? [] : [endSessionsOf(ctx.db, id)]),
  );
  return publicUser(next);
}
