import { env } from 'cloudflare:test';
import { and, count, eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../worker/env';
import { visibleTo } from '../../worker/lib/visibility';
import { api, apiKey, createTeam, json, signup, userWithRole, type Me, type Session, type Team } from './helpers';

/**
 * `visibleTo` is the one record-visibility rule every record module uses. Here it runs against a
 * real table, with users and teams built through the API, so the SQL it produces is exercised
 * against the real users/teams tables.
 */
const records = sqliteTable('t_records', {
  id: text('id').primaryKey(),
  workspaceId: text('workspace_id').notNull(),
  ownerId: text('owner_id'),
  kind: text('kind'),
});

const db = () => drizzle(env.DB);
const leads = { claimable: eq(records.kind, 'lead') };

type People = Record<'owner' | 'admin' | 'manager' | 'memberManager' | 'rep1' | 'rep2' | 'rep3' | 'viewer' | 'otherOwner' | 'otherRep', Session>;
let people: People;
let teamNorth: Team;
let teamSouth: Team;
let keyActor: Actor;

async function actorOf(session: Session): Promise<Actor> {
  const { user, workspace } = await json<Me>(await api('/me', { as: session }), 200);
  return { type: 'user', id: user.id, workspaceId: workspace.id, role: user.role, teamId: user.teamId, name: user.name, email: user.email, locale: null, timezone: null, sessionId: '' };
}

async function visibleIds(session: Session | Actor, options: { claimable?: ReturnType<typeof eq> } = {}): Promise<string[]> {
  const actor = 'cookie' in session ? await actorOf(session) : session;
  const rows = await db().select({ id: records.id }).from(records).where(visibleTo(actor, records, options)).orderBy(records.id);
  return rows.map((r) => r.id);
}

const W1 = ['r_admin', 'r_lead', 'r_manager', 'r_memberManager', 'r_note', 'r_owner', 'r_rep1', 'r_rep2', 'r_rep3', 'r_viewer'];

beforeAll(async () => {
  await env.DB.exec('CREATE TABLE t_records (id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, owner_id TEXT, kind TEXT)');

  const owner = await signup({ workspaceName: 'Visible Ltd' });
  const otherOwner = await signup({ workspaceName: 'Invisible Ltd' });
  const [admin, manager, memberManager, rep1, rep2, rep3, viewer, otherRep] = await Promise.all([
    userWithRole(owner, 'admin'),
    userWithRole(owner, 'manager'),
    userWithRole(owner, 'manager'),
    userWithRole(owner, 'rep'),
    userWithRole(owner, 'rep'),
    userWithRole(owner, 'rep'),
    userWithRole(owner, 'viewer'),
    userWithRole(otherOwner, 'rep'),
  ]);
  people = { owner, admin, manager, memberManager, rep1, rep2, rep3, viewer, otherOwner, otherRep };

  // North is led by `manager` (who is in no team himself); South has no manager, and
  // `memberManager` is simply one of its members.
  teamNorth = await createTeam(owner, { name: 'North', managerId: manager.me.user.id, memberIds: [rep1.me.user.id, rep2.me.user.id] });
  teamSouth = await createTeam(owner, { name: 'South', memberIds: [rep3.me.user.id, memberManager.me.user.id] });

  const w1 = owner.me.workspace.id;
  const w2 = otherOwner.me.workspace.id;
  const rows = [
    ...(['owner', 'admin', 'manager', 'memberManager', 'rep1', 'rep2', 'rep3', 'viewer'] as const).map((who) => ({ id: `r_${who}`, workspaceId: w1, ownerId: people[who].me.user.id, kind: 'deal' })),
    { id: 'r_lead', workspaceId: w1, ownerId: null, kind: 'lead' },
    { id: 'r_note', workspaceId: w1, ownerId: null, kind: 'note' },
    { id: 'w2_owner', workspaceId: w2, ownerId: otherOwner.me.user.id, kind: 'deal' },
    { id: 'w2_rep', workspaceId: w2, ownerId: otherRep.me.user.id, kind: 'deal' },
    { id: 'w2_lead', workspaceId: w2, ownerId: null, kind: 'lead' },
    // A row in workspace 1 "owned" by someone from workspace 2 must not leak them anything.
    { id: 'r_foreign_owner', workspaceId: w1, ownerId: otherRep.me.user.id, kind: 'deal' },
  ];
  await db().insert(records).values(rows);
  W1.push('r_foreign_owner');
  W1.sort();

  const key = await apiKey(owner, ['contacts:read']);
  keyActor = { type: 'api_key', id: key.id, workspaceId: w1, role: 'admin', scopes: key.scopes, teamId: null };
});

describe('visibleTo', () => {
  it('owner, admin and viewer see the whole workspace and nothing else', async () => {
    for (const who of [people.owner, people.admin, people.viewer]) {
      expect(await visibleIds(who)).toEqual(W1);
      expect(await visibleIds(who, leads)).toEqual(W1);
    }
  });

  it('an API key sees the whole workspace', async () => {
    expect(await visibleIds(keyActor)).toEqual(W1);
  });

  it('a manager sees their own rows and those of the team they lead', async () => {
    expect(await visibleIds(people.manager)).toEqual(['r_manager', 'r_rep1', 'r_rep2']);
  });

  it('a manager sees the rows of the team they belong to', async () => {
    expect(await visibleIds(people.memberManager)).toEqual(['r_memberManager', 'r_rep3']);
  });

  it('a manager also sees unowned rows that match `claimable`', async () => {
    expect(await visibleIds(people.manager, leads)).toEqual(['r_lead', 'r_manager', 'r_rep1', 'r_rep2']);
  });

  it('a rep sees only their own rows, not their teammates\'', async () => {
    expect(await visibleIds(people.rep1)).toEqual(['r_rep1']);
    expect(await visibleIds(people.rep3)).toEqual(['r_rep3']);
  });

  it('a rep sees unowned rows only when they match `claimable`', async () => {
    expect(await visibleIds(people.rep1, leads)).toEqual(['r_lead', 'r_rep1']);
    expect(await visibleIds(people.rep2, { claimable: eq(records.kind, 'nothing-matches') })).toEqual(['r_rep2']);
  });

  it('never another workspace\'s rows, whatever the role', async () => {
    expect(await visibleIds(people.otherOwner)).toEqual(['w2_lead', 'w2_owner', 'w2_rep']);
    expect(await visibleIds(people.otherRep, leads)).toEqual(['w2_lead', 'w2_rep']);
    // Owning a row in another workspace gives nothing there.
    expect(await visibleIds(people.otherRep)).not.toContain('r_foreign_owner');
  });

  it('follows team changes at once', async () => {
    const res = await api(`/teams/${teamNorth.id}`, { method: 'PATCH', as: people.owner, body: { memberIds: [people.rep1.me.user.id] }, headers: { 'if-match': `"${teamNorth.version}"` } });
    teamNorth = await json<Team>(res, 200);
    expect(await visibleIds(people.manager)).toEqual(['r_manager', 'r_rep1']);
    expect(await visibleIds(people.rep2)).toEqual(['r_rep2']);

    const moved = await api(`/teams/${teamSouth.id}`, { method: 'PATCH', as: people.owner, body: { managerId: people.manager.me.user.id }, headers: { 'if-match': `"${teamSouth.version}"` } });
    teamSouth = await json<Team>(moved, 200);
    expect(await visibleIds(people.manager)).toEqual(['r_manager', 'r_memberManager', 'r_rep1', 'r_rep3']);
  });

  it('composes with other conditions and counts', async () => {
    const actor = await actorOf(people.rep1);
    const [{ n }] = await db().select({ n: count() }).from(records).where(visibleTo(actor, records, leads));
    expect(n).toBe(2);
    const onlyLeads = await db()
      .select({ id: records.id })
      .from(records)
      .where(and(visibleTo(actor, records, leads), eq(records.kind, 'lead')));
    expect(onlyLeads.map((r) => r.id)).toEqual(['r_lead']);
    // Raw SQL fragments still see the same rows.
    const viaSql = await db().select({ id: records.id }).from(records).where(and(visibleTo(actor, records), sql`1 = 1`));
    expect(viaSql.map((r) => r.id)).toEqual(['r_rep1']);
  });
});
