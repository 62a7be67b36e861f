import { and, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { teams, users } from '../db/schema';
import type { Actor } from '../env';

/** Any table whose rows belong to a workspace and (optionally) an owner. */
export type OwnedTable = { workspaceId: SQLiteColumn | SQL; ownerId: SQLiteColumn };

/**
 * The one record-visibility rule, as a SQL condition every query on owned records includes:
 * owner, admin, viewer and API keys see the whole workspace; a manager sees what they and the
 * members of the teams they lead (or belong to) own; a rep sees what they own, plus unowned rows
 * matching `claimable` (e.g. unassigned leads). A row outside the condition does not exist for
 * the actor: 404 on detail, absent from lists, searches, counts, reports and exports.
 */
export function visibleTo(actor: Actor, table: OwnedTable, options: { claimable?: SQL } = {}): SQL {
  const inWorkspace = sql`${table.workspaceId} = ${actor.workspaceId}`;
  if (actor.type !== 'user' || actor.role === 'owner' || actor.role === 'admin' || actor.role === 'viewer') {
    return inWorkspace;
  }
  const claimable = options.claimable ? and(isNull(table.ownerId), options.claimable) : undefined;
  if (actor.role === 'manager') {
    const ledTeams = teamsLedOrJoinedBy(actor);
    const teamMembers = sql`${table.ownerId} in (select ${users.id} from ${users} where ${users.workspaceId} = ${actor.workspaceId} and ${users.teamId} in (${ledTeams}))`;
    return and(inWorkspace, or(eq(table.ownerId, actor.id), teamMembers, claimable))!;
  }
  return and(inWorkspace, or(eq(table.ownerId, actor.id), claimable))!;
}

function teamsLedOrJoinedBy(actor: Extract<Actor, { type: 'user' }>): SQL {
  return sql`select ${teams.id} from ${teams} where ${teams.workspaceId} = ${actor.workspaceId} and (${teams.managerId} = ${actor.id} or ${teams.id} = ${actor.teamId ?? ''})`;
}

/**
 * For a statement built once per visibility shape (see db/cached-query.ts): the shape's key, and
 * the actor with its workspace, id and team as placeholders whose values are `visibilityValues`.
 */
export function visibilityShape(actor: Actor): 'workspace' | 'manager' | 'rep' {
  if (actor.type !== 'user' || actor.role === 'owner' || actor.role === 'admin' || actor.role === 'viewer') return 'workspace';
  return actor.role === 'manager' ? 'manager' : 'rep';
}
export const visibilityValues = (actor: Actor) => ({ vWorkspace: actor.workspaceId, vActor: actor.id ?? '', vTeam: actor.teamId ?? '' });
export function placeholderActor(actor: Actor, v: (name: string) => never): Actor {
  return { ...actor, workspaceId: v('vWorkspace'), id: v('vActor'), teamId: v('vTeam') } as Actor;
}

