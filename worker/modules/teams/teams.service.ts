import { and, asc, eq } from 'drizzle-orm';
import { inList } from '../../db/in-list';
import { invitations, teams, users } from '../../db/schema';
import type { Statement } from '../../db/client';
import type { Ctx } from '../../lib/context';
import { audited, diff } from '../../lib/audit';
import { conflict, invalidField, notFound, preconditionFailed } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { CreateTeamInput, UpdateTeamInput } from './teams.schema';

type TeamRow = typeof teams.$inferSelect;

async function assertMembers(ctx: Ctx, ids: string[], field: string) {
  if (ids.length === 0) return;
  const found = await ctx.db.select({ id: users.id }).from(users).where(and(eq(users.workspaceId, ctx.actor.workspaceId), inList(users.id, ids)));
  if (found.length !== new Set(ids).size) throw invalidField(field, 'Some of these users do not exist in this workspace.', 'not_found');
}

export async function listTeams(ctx: Ctx) {
  const [rows, members] = await Promise.all([
    ctx.db.select().from(teams).where(eq(teams.workspaceId, ctx.actor.workspaceId)).orderBy(asc(teams.name)),
    ctx.db.select({ id: users.id, name: users.name, teamId: users.teamId }).from(users).where(eq(users.workspaceId, ctx.actor.workspaceId)),
  ]);
  return {
    items: rows.map((t) => ({ ...t, memberIds: members.filter((m) => m.teamId === t.id).map((m) => m.id) })),
    nextCursor: null,
  };
}

async function findTeam(ctx: Ctx, id: string): Promise<TeamRow> {
  const team = await ctx.db.select().from(teams).where(and(eq(teams.id, id), eq(teams.workspaceId, ctx.actor.workspaceId))).get();
  if (!team) throw notFound('Team');
  return team;
}

function membershipStatements(ctx: Ctx, teamId: string, memberIds: string[] | undefined, now: string): Statement[] {
  if (!memberIds) return [];
  return [
    ctx.db.update(users).set({ teamId: null, updatedAt: now }).where(and(eq(users.workspaceId, ctx.actor.workspaceId), eq(users.teamId, teamId))),
    ...(memberIds.length ? [ctx.db.update(users).set({ teamId, updatedAt: now }).where(and(eq(users.workspaceId, ctx.actor.workspaceId), inList(users.id, memberIds)))] : []),
  ];
}

function isDuplicateName(err: unknown) {
  return String(err).includes('UNIQUE');
}

export async function createTeam(ctx: Ctx, input: CreateTeamInput) {
  await assertMembers(ctx, input.memberIds ?? [], 'memberIds');
  await assertMembers(ctx, input.managerId ? [input.managerId] : [], 'managerId');
  const now = ctx.now().toISOString();
  const team: TeamRow = { id: newId('team'), workspaceId: ctx.actor.workspaceId, name: input.name, managerId: input.managerId ?? null, version: 1, createdAt: now, updatedAt: now };
  try {
    await audited(
      ctx,
      { action: 'team.created', recordType: 'team', recordId: team.id, changes: diff(null, { name: team.name, managerId: team.managerId, memberIds: input.memberIds ?? [] }) },
      ctx.db.insert(teams).values(team),
      ...membershipStatements(ctx, team.id, input.memberIds, now),
    );
  } catch (err) {
    if (isDuplicateName(err)) throw conflict('team_name_taken', 'A team with this name exists.', { errors: [{ field: 'name', message: 'Already used.', code: 'taken' }] });
    throw err;
  }
  return { ...team, memberIds: input.memberIds ?? [] };
}

export async function updateTeam(ctx: Ctx, id: string, expectedVersion: number, input: UpdateTeamInput) {
  const team = await findTeam(ctx, id);
  if (team.version !== expectedVersion) throw preconditionFailed(team.version);
  await assertMembers(ctx, input.memberIds ?? [], 'memberIds');
  await assertMembers(ctx, input.managerId ? [input.managerId] : [], 'managerId');
  const now = ctx.now().toISOString();
  const { memberIds, ...fields } = input;
  const next = { ...team, ...fields, version: team.version + 1, updatedAt: now };
  try {
    await audited(
      ctx,
      { action: 'team.updated', recordType: 'team', recordId: id, changes: { ...diff(team, next), ...(memberIds ? { memberIds: { after: memberIds } } : {}) } },
      ctx.db.update(teams).set({ ...fields, version: next.version, updatedAt: now }).where(and(eq(teams.id, id), eq(teams.version, expectedVersion))),
      ...membershipStatements(ctx, id, memberIds, now),
    );
  } catch (err) {
    if (isDuplicateName(err)) throw conflict('team_name_taken', 'A team with this name exists.', { errors: [{ field: 'name', message: 'Already used.', code: 'taken' }] });
    throw err;
  }
  const members = await ctx.db.select({ id: users.id }).from(users).where(eq(users.teamId, id));
  return { ...next, memberIds: members.map((m) => m.id) };
}

/** Deleting a team keeps its members; they are simply in no team. */
export async function deleteTeam(ctx: Ctx, id: string) {
  const team = await findTeam(ctx, id);
  const now = ctx.now().toISOString();
  await audited(
    ctx,
    { action: 'team.deleted', recordType: 'team', recordId: id, changes: diff(team, null) },
    ...membershipStatements(ctx, id, [], now),
    // Pending invitations into the team would otherwise create members of a team that is gone.
    ctx.db.update(invitations).set({ teamId: null }).where(and(eq(invitations.workspaceId, ctx.actor.workspaceId), eq(invitations.teamId, id))),
    ctx.db.delete(teams).where(eq(teams.id, id)),
  );
}
