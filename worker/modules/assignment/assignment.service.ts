import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { assignmentRules, pipelines, teams, users, type AssignmentRuleBody, type AssignmentScope } from '../../db/schema';
import type { Ctx } from '../../lib/context';
import { audited, diff } from '../../lib/audit';
import { conflict, invalid, invalidField, notFound, preconditionFailed, type FieldError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { CreateRuleInput, ListRulesQuery, UpdateRuleInput } from './assignment.schema';

export type AssignmentRuleRow = typeof assignmentRules.$inferSelect;
export type AssignDeps = { db: Db };

const MAX_FALLBACK_DEPTH = 3;

/** A value of a flat record, or of a nested one by dotted path (`address.province`, `customFields.region`). */
function valueAt(record: Record<string, unknown>, path: string): unknown {
  if (path in record) return record[path];
  return path.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), record);
}

const norm = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v).trim().toLowerCase() : '');

async function activeUser(db: Db, workspaceId: string, userId: string): Promise<string | null> {
  const row = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.workspaceId, workspaceId), eq(users.isActive, true)))
    .get();
  return row?.id ?? null;
}

/**
 * Round robin over a team's ACTIVE members, in a stable order (by id). The rule's counter is
 * advanced atomically in the database (`update … set position = position + 1 … returning`), so
 * two records assigned at the same moment get different members; deactivated members are not in
 * the list, so they are skipped and the rest share evenly.
 */
async function nextInRotation(db: Db, rule: AssignmentRuleRow, teamId: string): Promise<string | null> {
  const members = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.workspaceId, rule.workspaceId), eq(users.teamId, teamId), eq(users.isActive, true)))
    .orderBy(asc(users.id));
  if (members.length === 0) return null;
  const [counter] = await db
    .update(assignmentRules)
    .set({ position: sql`${assignmentRules.position} + 1` })
    .where(eq(assignmentRules.id, rule.id))
    .returning({ position: assignmentRules.position });
  const position = counter?.position ?? 1;
  return members[(position - 1) % members.length].id;
}

async function pick(deps: AssignDeps, rule: AssignmentRuleRow, body: AssignmentRuleBody, record: Record<string, unknown>, depth: number): Promise<string | null> {
  switch (body.kind) {
    case 'fixed':
      return activeUser(deps.db, rule.workspaceId, body.userId);
    case 'round_robin':
      return nextInRotation(deps.db, rule, body.teamId);
    case 'field_match': {
      const wanted = norm(valueAt(record, body.field));
      const match = wanted ? Object.entries(body.map).find(([value]) => norm(value) === wanted) : undefined;
      const chosen = match ? await activeUser(deps.db, rule.workspaceId, match[1]) : null;
      if (chosen) return chosen;
      return body.fallback && depth < MAX_FALLBACK_DEPTH ? pick(deps, rule, body.fallback, record, depth + 1) : null;
    }
  }
}

/**
 * The owner a rule picks for a record, or null when nobody eligible is found (inactive fixed
 * owner, empty team, no match and no fallback). Shared by deals and lead capture.
 */
export async function pickOwner(deps: AssignDeps, rule: AssignmentRuleRow, record: Record<string, unknown>): Promise<string | null> {
  if (!rule.isActive) return null;
  return pick(deps, rule, rule.rule, record, 0);
}

/** The active rule of a scope (a pipeline id, or a lead source name), or null. */
export async function ruleFor(deps: AssignDeps, workspaceId: string, scopeType: AssignmentScope, scopeId: string): Promise<AssignmentRuleRow | null> {
  const row = await deps.db
    .select()
    .from(assignmentRules)
    .where(and(eq(assignmentRules.workspaceId, workspaceId), eq(assignmentRules.scopeType, scopeType), eq(assignmentRules.scopeId, scopeId), eq(assignmentRules.isActive, true)))
    .get();
  return row ?? null;
}

/** `ruleFor` + `pickOwner`: the owner for a new record of that scope, or null (no rule / nobody eligible). */
export async function assignOwner(deps: AssignDeps, workspaceId: string, scopeType: AssignmentScope, scopeId: string, record: Record<string, unknown>): Promise<string | null> {
  const rule = await ruleFor(deps, workspaceId, scopeType, scopeId);
  return rule ? pickOwner(deps, rule, record) : null;
}

// ── administration ───────────────────────────────────────────────────────────────────────────

export function ruleView(row: AssignmentRuleRow) {
  const { workspaceId: _ws, ...rest } = row;
  return rest;
}

/** Checks that the users and teams a rule names belong to the workspace (fields under `rule.`). */
async function assertRuleTargets(ctx: Ctx, body: AssignmentRuleBody, path = 'rule', errors: FieldError[] = []): Promise<FieldError[]> {
  const ws = ctx.actor.workspaceId;
  const userExists = async (id: string) => Boolean(await ctx.db.select({ id: users.id }).from(users).where(and(eq(users.id, id), eq(users.workspaceId, ws))).get());
  if (body.kind === 'fixed' && !(await userExists(body.userId))) errors.push({ field: `${path}.userId`, message: 'No such member.', code: 'not_found' });
  if (body.kind === 'round_robin') {
    const team = await ctx.db.select({ id: teams.id }).from(teams).where(and(eq(teams.id, body.teamId), eq(teams.workspaceId, ws))).get();
    if (!team) errors.push({ field: `${path}.teamId`, message: 'No such team.', code: 'not_found' });
  }
  if (body.kind === 'field_match') {
    for (const [value, userId] of Object.entries(body.map)) {
      if (!(await userExists(userId))) errors.push({ field: `${path}.map.${value}`, message: 'No such member.', code: 'not_found' });
    }
    if (body.fallback) await assertRuleTargets(ctx, body.fallback, `${path}.fallback`, errors);
  }
  return errors;
}

async function assertScope(ctx: Ctx, scopeType: AssignmentScope, scopeId: string) {
  if (scopeType !== 'pipeline') return;
  const found = await ctx.db.select({ id: pipelines.id }).from(pipelines).where(and(eq(pipelines.id, scopeId), eq(pipelines.workspaceId, ctx.actor.workspaceId))).get();
  if (!found) throw invalidField('scopeId', 'No such pipeline.', 'not_found');
}

export async function listRules(ctx: Ctx, query: ListRulesQuery) {
  const rows = await ctx.db
    .select()
    .from(assignmentRules)
    .where(
      and(
        eq(assignmentRules.workspaceId, ctx.actor.workspaceId),
        query.scopeType ? eq(assignmentRules.scopeType, query.scopeType) : undefined,
        query.scopeId ? eq(assignmentRules.scopeId, query.scopeId) : undefined,
      ),
    )
    .orderBy(asc(assignmentRules.scopeType), asc(assignmentRules.createdAt));
  return { items: rows.map(ruleView) };
}

export async function findRule(ctx: Ctx, id: string): Promise<AssignmentRuleRow> {
  const row = await ctx.db.select().from(assignmentRules).where(and(eq(assignmentRules.id, id), eq(assignmentRules.workspaceId, ctx.actor.workspaceId))).get();
  if (!row) throw notFound('Assignment rule');
  return row;
}

export const getRule = async (ctx: Ctx, id: string) => ruleView(await findRule(ctx, id));

export async function createRule(ctx: Ctx, input: CreateRuleInput) {
  await assertScope(ctx, input.scopeType, input.scopeId);
  const errors = await assertRuleTargets(ctx, input.rule);
  if (errors.length) throw invalid(errors);
  const existing = await ctx.db
    .select({ id: assignmentRules.id })
    .from(assignmentRules)
    .where(and(eq(assignmentRules.workspaceId, ctx.actor.workspaceId), eq(assignmentRules.scopeType, input.scopeType), eq(assignmentRules.scopeId, input.scopeId)))
    .get();
  if (existing) throw conflict('rule_exists', 'This pipeline or source already has an assignment rule: edit it instead.', { ruleId: existing.id });
  const at = ctx.now().toISOString();
  const row: AssignmentRuleRow = {
    id: newId('asr'),
    workspaceId: ctx.actor.workspaceId,
    name: input.name,
    scopeType: input.scopeType,
    scopeId: input.scopeId,
    kind: input.rule.kind,
    rule: input.rule,
    position: 0,
    isActive: input.isActive ?? true,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  await audited(ctx, { action: 'assignment_rule.created', recordType: 'assignment_rule', recordId: row.id, changes: diff(null, ruleView(row)) }, ctx.db.insert(assignmentRules).values(row));
  return ruleView(row);
}

export async function updateRule(ctx: Ctx, id: string, expectedVersion: number, input: UpdateRuleInput) {
  const current = await findRule(ctx, id);
  if (current.version !== expectedVersion) throw preconditionFailed(current.version);
  if (input.rule) {
    const errors = await assertRuleTargets(ctx, input.rule);
    if (errors.length) throw invalid(errors);
  }
  const at = ctx.now().toISOString();
  const next: AssignmentRuleRow = { ...current, ...input, kind: input.rule?.kind ?? current.kind, version: current.version + 1, updatedAt: at };
  // A new rule starts its rotation afresh.
  if (input.rule) next.position = 0;
  const { id: _id, workspaceId: _ws, createdAt: _c, ...columns } = next;
  await audited(
    ctx,
    { action: 'assignment_rule.updated', recordType: 'assignment_rule', recordId: id, changes: diff(ruleView(current), ruleView(next)) },
    ctx.db.update(assignmentRules).set(columns).where(and(eq(assignmentRules.id, id), eq(assignmentRules.version, expectedVersion))),
  );
  const saved = await findRule(ctx, id);
  if (saved.version !== next.version || saved.updatedAt !== at) throw preconditionFailed(saved.version);
  return ruleView(saved);
}

export async function deleteRule(ctx: Ctx, id: string, expectedVersion: number): Promise<void> {
  const current = await findRule(ctx, id);
  if (current.version !== expectedVersion) throw preconditionFailed(current.version);
  await audited(
    ctx,
    { action: 'assignment_rule.deleted', recordType: 'assignment_rule', recordId: id, changes: diff(ruleView(current), null) },
    ctx.db.delete(assignmentRules).where(and(eq(assignmentRules.id, id), eq(assignmentRules.version, expectedVersion))),
  );
  const left = await ctx.db.select({ version: assignmentRules.version }).from(assignmentRules).where(eq(assignmentRules.id, id)).get();
  if (left) throw preconditionFailed(left.version);
}
