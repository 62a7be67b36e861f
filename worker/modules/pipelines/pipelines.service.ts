import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Statement } from '../../db/client';
import { assignmentRules, deals, dealStageHistory, pipelines, pipelineStages, workspaces, type StageKind } from '../../db/schema';
import type { Ctx } from '../../lib/context';
import { audited, diff } from '../../lib/audit';
import { conflict, invalidField, notFound, preconditionFailed } from '../../lib/errors';
import { asLocale, type Locale } from '../../lib/i18n';
import { newId } from '../../lib/ids';
import { stopForClosedDeals } from '../cadences/cadences.service';
import { bumped, insertIf } from '../deals/guarded';
import type { CreatePipelineInput, CreateStageInput, StageInput, UpdatePipelineInput, UpdateStageInput } from './pipelines.schema';

export type PipelineRow = typeof pipelines.$inferSelect;
export type StageRow = typeof pipelineStages.$inferSelect;

export function stageView(s: StageRow) {
  return { id: s.id, pipelineId: s.pipelineId, name: s.name, position: s.position, probability: s.probability, kind: s.kind, rottingDays: s.rottingDays };
}
export type StageView = ReturnType<typeof stageView>;

export function pipelineView(p: PipelineRow, stages: StageRow[]) {
  return {
    id: p.id,
    name: p.name,
    position: p.position,
    isDefault: p.isDefault,
    version: p.version,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    stages: stages
      .filter((s) => s.pipelineId === p.id && !s.deletedAt)
      .sort((a, b) => a.position - b.position)
      .map(stageView),
  };
}
export type PipelineView = ReturnType<typeof pipelineView>;

/** The pipeline a new workspace starts with, in the workspace's language. */
const DEFAULT_PIPELINE: Record<Locale, { name: string; stages: Required<StageInput>[] }> = {
  en: {
    name: 'Sales',
    stages: [
      { name: 'Lead', probability: 10, kind: 'open', rottingDays: 14 },
      { name: 'Qualified', probability: 25, kind: 'open', rottingDays: 14 },
      { name: 'Proposal', probability: 50, kind: 'open', rottingDays: 14 },
      { name: 'Negotiation', probability: 75, kind: 'open', rottingDays: 14 },
      { name: 'Won', probability: 100, kind: 'won', rottingDays: null },
      { name: 'Lost', probability: 0, kind: 'lost', rottingDays: null },
    ],
  },
  'zh-CN': {
    name: '销售',
    stages: [
      { name: '线索', probability: 10, kind: 'open', rottingDays: 14 },
      { name: '需求确认', probability: 25, kind: 'open', rottingDays: 14 },
      { name: '方案报价', probability: 50, kind: 'open', rottingDays: 14 },
      { name: '商务谈判', probability: 75, kind: 'open', rottingDays: 14 },
      { name: '赢单', probability: 100, kind: 'won', rottingDays: null },
      { name: '输单', probability: 0, kind: 'lost', rottingDays: null },
    ],
  },
};

const defaultProbability = (kind: StageKind) => (kind === 'won' ? 100 : kind === 'lost' ? 0 : 0);

function stageRow(ctx: Ctx, pipelineId: string, s: StageInput, position: number, at: string): StageRow {
  const kind = s.kind ?? 'open';
  return {
    id: newId('stg'),
    workspaceId: ctx.actor.workspaceId,
    pipelineId,
    name: s.name,
    position,
    probability: s.probability ?? defaultProbability(kind),
    kind,
    rottingDays: s.rottingDays ?? null,
    bit: null, // assigned by a trigger on insert
    deletedAt: null,
    createdAt: at,
    updatedAt: at,
  };
}

async function readAll(ctx: Ctx) {
  const ws = ctx.actor.workspaceId;
  const [rows, stages] = await ctx.db.batch([
    ctx.db.select().from(pipelines).where(eq(pipelines.workspaceId, ws)).orderBy(asc(pipelines.position), asc(pipelines.createdAt)),
    ctx.db.select().from(pipelineStages).where(and(eq(pipelineStages.workspaceId, ws), isNull(pipelineStages.deletedAt))).orderBy(asc(pipelineStages.position)),
  ]);
  return { rows, stages };
}

/**
 * Every pipeline of the workspace with its live stages. A workspace without any gets the default
 * pipeline on this first read (decided: on first use rather than at signup, so workspaces created
 * before pipelines existed get one too). Concurrent first reads create it once: the name is
 * unique per workspace and the stages are only inserted beside the pipeline row this call wrote.
 */
export async function allPipelines(ctx: Ctx): Promise<{ rows: PipelineRow[]; stages: StageRow[] }> {
  const found = await readAll(ctx);
  if (found.rows.length > 0) return found;
  const ws = await ctx.db.select({ locale: workspaces.locale }).from(workspaces).where(eq(workspaces.id, ctx.actor.workspaceId)).get();
  const preset = DEFAULT_PIPELINE[asLocale(ws?.locale)];
  const at = ctx.now().toISOString();
  const id = newId('pip');
  const mine = sql`exists (select 1 from ${pipelines} where ${pipelines.id} = ${id})`;
  await ctx.db.batch([
    ctx.db
      .insert(pipelines)
      .values({ id, workspaceId: ctx.actor.workspaceId, name: preset.name, position: 0, isDefault: true, version: 1, createdAt: at, updatedAt: at })
      .onConflictDoNothing(),
    ...preset.stages.map((s, i) => insertIf(ctx.db, pipelineStages, stageRow(ctx, id, s, i, at), mine)),
  ] as [Statement, ...Statement[]]);
  return readAll(ctx);
}

export async function listPipelines(ctx: Ctx) {
  const { rows, stages } = await allPipelines(ctx);
  return { items: rows.map((p) => pipelineView(p, stages)) };
}

/** The default pipeline (created on first use) with its live stages. */
export async function defaultPipeline(ctx: Ctx): Promise<{ pipeline: PipelineRow; stages: StageRow[] }> {
  const { rows, stages } = await allPipelines(ctx);
  const pipeline = rows.find((p) => p.isDefault) ?? rows[0];
  return { pipeline, stages: stages.filter((s) => s.pipelineId === pipeline.id) };
}

/** A pipeline of the actor's workspace with its live stages (ordered), or 404. */
export async function findPipeline(ctx: Ctx, id: string): Promise<{ pipeline: PipelineRow; stages: StageRow[] }> {
  const [rows, stages] = await ctx.db.batch([
    ctx.db.select().from(pipelines).where(and(eq(pipelines.id, id), eq(pipelines.workspaceId, ctx.actor.workspaceId))),
    ctx.db.select().from(pipelineStages).where(and(eq(pipelineStages.pipelineId, id), eq(pipelineStages.workspaceId, ctx.actor.workspaceId), isNull(pipelineStages.deletedAt))).orderBy(asc(pipelineStages.position)),
  ]);
  if (!rows[0]) throw notFound('Pipeline');
  return { pipeline: rows[0], stages };
}

export async function getPipeline(ctx: Ctx, id: string) {
  const { pipeline, stages } = await findPipeline(ctx, id);
  return pipelineView(pipeline, stages);
}

async function assertNameFree(ctx: Ctx, name: string, exceptId?: string) {
  const taken = await ctx.db
    .select({ id: pipelines.id })
    .from(pipelines)
    .where(and(eq(pipelines.workspaceId, ctx.actor.workspaceId), sql`lower(${pipelines.name}) = lower(${name})`, exceptId ? ne(pipelines.id, exceptId) : undefined))
    .get();
  if (taken) throw conflict('pipeline_name_taken', 'Another pipeline already has this name.', { errors: [{ field: 'name', message: 'Choose another name.', code: 'taken' }] });
}

export async function createPipeline(ctx: Ctx, input: CreatePipelineInput) {
  const existing = await allPipelines(ctx);
  await assertNameFree(ctx, input.name);
  const at = ctx.now().toISOString();
  const ws = await ctx.db.select({ locale: workspaces.locale }).from(workspaces).where(eq(workspaces.id, ctx.actor.workspaceId)).get();
  const stageInputs = input.stages ?? DEFAULT_PIPELINE[asLocale(ws?.locale)].stages;
  const row: PipelineRow = {
    id: newId('pip'),
    workspaceId: ctx.actor.workspaceId,
    name: input.name,
    position: Math.max(-1, ...existing.rows.map((p) => p.position)) + 1,
    isDefault: false,
    archivedAt: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const stages = stageInputs.map((s, i) => stageRow(ctx, row.id, s, i, at));
  await audited(
    ctx,
    { action: 'pipeline.created', recordType: 'pipeline', recordId: row.id, changes: diff(null, { name: row.name, stages: stages.map((s) => s.name) }) },
    ctx.db.insert(pipelines).values(row),
    ...stages.map((s) => ctx.db.insert(pipelineStages).values(s)),
  );
  return pipelineView(row, stages);
}

/**
 * Writes a versioned change of a pipeline (its own fields or its stages): the version bump comes
 * first in the batch and every other statement is guarded by it, so a stale request changes
 * nothing. Then reads the result back.
 */
async function writePipeline(ctx: Ctx, action: string, current: PipelineRow, expectedVersion: number, changes: Record<string, unknown>, build: (guard: ReturnType<typeof bumped>, at: string) => Statement[], fields: Partial<PipelineRow> = {}) {
  if (current.version !== expectedVersion) throw preconditionFailed(current.version);
  const at = ctx.now().toISOString();
  const version = expectedVersion + 1;
  const guard = bumped(pipelines, current.id, version, at);
  await audited(
    ctx,
    { action, recordType: 'pipeline', recordId: current.id, changes: changes as never },
    ctx.db
      .update(pipelines)
      .set({ ...fields, version, updatedAt: at })
      .where(and(eq(pipelines.id, current.id), eq(pipelines.version, expectedVersion))),
    ...build(guard, at),
  );
  const after = await findPipeline(ctx, current.id);
  if (after.pipeline.version !== version || after.pipeline.updatedAt !== at) throw preconditionFailed(after.pipeline.version);
  return pipelineView(after.pipeline, after.stages);
}

export async function updatePipeline(ctx: Ctx, id: string, expectedVersion: number, input: UpdatePipelineInput) {
  const { pipeline } = await findPipeline(ctx, id);
  if (input.name !== undefined) await assertNameFree(ctx, input.name, id);
  return writePipeline(
    ctx,
    'pipeline.updated',
    pipeline,
    expectedVersion,
    diff(pipeline, { ...pipeline, ...input }),
    (guard) =>
      input.isDefault
        ? [ctx.db.update(pipelines).set({ isDefault: false }).where(and(eq(pipelines.workspaceId, ctx.actor.workspaceId), ne(pipelines.id, id), guard))]
        : [],
    input,
  );
}

export async function deletePipeline(ctx: Ctx, id: string, expectedVersion: number): Promise<void> {
  const { pipeline } = await findPipeline(ctx, id);
  if (pipeline.version !== expectedVersion) throw preconditionFailed(pipeline.version);
  const [others, anyDeal] = await ctx.db.batch([
    ctx.db.select({ id: pipelines.id }).from(pipelines).where(and(eq(pipelines.workspaceId, ctx.actor.workspaceId), ne(pipelines.id, id))).orderBy(asc(pipelines.position)),
    ctx.db.select({ id: deals.id }).from(deals).where(and(eq(deals.workspaceId, ctx.actor.workspaceId), eq(deals.pipelineId, id))).limit(1),
  ]);
  if (others.length === 0) throw conflict('last_pipeline', 'A workspace keeps at least one pipeline.');
  if (anyDeal.length > 0) throw conflict('pipeline_has_deals', 'Move or delete the deals of this pipeline first.');
  const guard = sql`${pipelines.version} = ${expectedVersion}`;
  const stillThere = sql`exists (select 1 from ${pipelines} where ${pipelines.id} = ${id} and ${guard})`;
  await audited(
    ctx,
    { action: 'pipeline.deleted', recordType: 'pipeline', recordId: id, changes: diff({ name: pipeline.name }, null) },
    ctx.db.delete(pipelineStages).where(and(eq(pipelineStages.pipelineId, id), stillThere)),
    ctx.db.delete(assignmentRules).where(and(eq(assignmentRules.workspaceId, ctx.actor.workspaceId), eq(assignmentRules.scopeType, 'pipeline'), eq(assignmentRules.scopeId, id), stillThere)),
    // The default moves to the first remaining pipeline.
    ...(pipeline.isDefault ? [ctx.db.update(pipelines).set({ isDefault: true }).where(and(eq(pipelines.id, others[0].id), stillThere))] : []),
    ctx.db.delete(pipelines).where(and(eq(pipelines.id, id), guard)),
  );
  const left = await ctx.db.select({ version: pipelines.version }).from(pipelines).where(eq(pipelines.id, id)).get();
  if (left) throw preconditionFailed(left.version);
}

// ── stages ───────────────────────────────────────────────────────────────────────────────────

function stageOf(stages: StageRow[], stageId: string): StageRow {
  const stage = stages.find((s) => s.id === stageId);
  if (!stage) throw notFound('Stage');
  return stage;
}

/** Statements that give the stages the positions 0..n-1 in the given order. */
function positionStatements(ctx: Ctx, ordered: StageRow[], guard: ReturnType<typeof bumped>, at: string): Statement[] {
  return ordered
    .map((s, position) => ({ s, position }))
    .filter(({ s, position }) => s.position !== position)
    .map(({ s, position }) => ctx.db.update(pipelineStages).set({ position, updatedAt: at }).where(and(eq(pipelineStages.id, s.id), guard)));
}

export async function addStage(ctx: Ctx, pipelineId: string, input: CreateStageInput) {
  const { pipeline, stages } = await findPipeline(ctx, pipelineId);
  if (stages.length >= 30) throw invalidField('name', 'A pipeline has at most 30 stages.', 'too_big');
  const kind = input.kind ?? 'open';
  // Without a position, a new open stage goes after the last open one (before won/lost).
  const lastOpen = stages.reduce((max, s, i) => (s.kind === 'open' ? i : max), -1);
  const index = Math.min(input.position ?? (kind === 'open' ? lastOpen + 1 : stages.length), stages.length);
  const at = ctx.now().toISOString();
  const row = stageRow(ctx, pipelineId, input, index, at);
  const ordered = [...stages.slice(0, index), row, ...stages.slice(index)];
  return writePipeline(ctx, 'pipeline.stage_added', pipeline, pipeline.version, { stage: { after: { name: row.name, kind: row.kind, probability: row.probability } } }, (guard, at2) => [
    ...ordered
      .map((s, position) => ({ s, position }))
      .filter(({ s, position }) => s.id !== row.id && s.position !== position)
      .map(({ s, position }) => ctx.db.update(pipelineStages).set({ position, updatedAt: at2 }).where(and(eq(pipelineStages.id, s.id), guard))),
    insertIf(ctx.db, pipelineStages, { ...row, createdAt: at2, updatedAt: at2 }, guard),
  ]);
}

export async function updateStage(ctx: Ctx, pipelineId: string, stageId: string, expectedVersion: number, input: UpdateStageInput) {
  const { pipeline, stages } = await findPipeline(ctx, pipelineId);
  const stage = stageOf(stages, stageId);
  if (input.kind && input.kind !== stage.kind) {
    const held = await ctx.db.select({ id: deals.id }).from(deals).where(and(eq(deals.workspaceId, ctx.actor.workspaceId), eq(deals.stageId, stageId))).limit(1).get();
    if (held) throw invalidField('kind', 'Move the deals out of this stage before changing its kind.', 'stage_not_empty');
    if (stage.kind === 'open' && stages.filter((s) => s.kind === 'open').length === 1) throw invalidField('kind', 'A pipeline needs at least one open stage.', 'last_open_stage');
  }
  const next = { ...stage, ...input };
  return writePipeline(ctx, 'pipeline.stage_updated', pipeline, expectedVersion, { [`stage.${stageId}`]: { before: stageView(stage), after: stageView(next) } }, (guard, at) => [
    ctx.db.update(pipelineStages).set({ ...input, updatedAt: at }).where(and(eq(pipelineStages.id, stageId), guard)),
  ]);
}

export async function reorderStages(ctx: Ctx, pipelineId: string, expectedVersion: number, stageIds: string[]) {
  const { pipeline, stages } = await findPipeline(ctx, pipelineId);
  const known = new Set(stages.map((s) => s.id));
  if (stageIds.length !== stages.length || new Set(stageIds).size !== stageIds.length || stageIds.some((id) => !known.has(id))) {
    throw invalidField('stageIds', 'List every stage of this pipeline exactly once.', 'invalid');
  }
  const ordered = stageIds.map((id) => stageOf(stages, id));
  return writePipeline(ctx, 'pipeline.stages_reordered', pipeline, expectedVersion, { stages: { before: stages.map((s) => s.name), after: ordered.map((s) => s.name) } }, (guard, at) =>
    positionStatements(ctx, ordered, guard, at),
  );
}

/**
 * Removes a stage without losing a deal: every deal in it (deleted ones too, so nothing points at
 * a removed stage) moves to `moveTo`, with a stage-history row each, and takes the target's
 * status: won/lost dates are set or cleared as for a move. The stage row stays (marked deleted, at
 * position -1) so that history and win rates still name it.
 */
export async function removeStage(ctx: Ctx, pipelineId: string, stageId: string, expectedVersion: number, moveTo: string | undefined) {
  const { pipeline, stages } = await findPipeline(ctx, pipelineId);
  const stage = stageOf(stages, stageId);
  if (stage.kind === 'open' && stages.filter((s) => s.kind === 'open').length === 1) throw invalidField('stageId', 'A pipeline needs at least one open stage.', 'last_open_stage');
  const held = await ctx.db.select({ id: deals.id }).from(deals).where(and(eq(deals.workspaceId, ctx.actor.workspaceId), eq(deals.stageId, stageId))).limit(1).get();
  let target: StageRow | undefined;
  if (moveTo !== undefined) {
    target = stages.find((s) => s.id === moveTo && s.id !== stageId);
    if (!target) throw invalidField('moveTo', 'Choose another stage of this pipeline.', 'not_found');
  }
  if (held && !target) throw invalidField('moveTo', 'This stage has deals: choose the stage they move to.', 'required');
  const remaining = stages.filter((s) => s.id !== stageId);
  const actorId = ctx.actor.type === 'user' ? ctx.actor.id : null;
  return writePipeline(ctx, 'pipeline.stage_removed', pipeline, expectedVersion, { stage: { before: stage.name, after: target ? `deals → ${target.name}` : null } }, (guard, at) => {
    const statements: Statement[] = [];
    if (target) {
      const inStage = sql`${deals.workspaceId} = ${ctx.actor.workspaceId} and ${deals.stageId} = ${stageId}`;
      statements.push(
        ctx.db.insert(dealStageHistory).select(
          sql`select 'dsh_' || upper(hex(randomblob(13))), ${deals.workspaceId}, ${deals.id}, ${deals.pipelineId}, ${stageId}, ${target.id}, ${actorId}, ${at},
                 max(0, cast(round((julianday(${at}) - julianday(${deals.stageEnteredAt})) * 86400) as integer))
          from ${deals} where ${inStage} and ${guard}`,
        ),
        ctx.db
          .update(deals)
          .set({
            stageId: target.id,
            status: target.kind,
            stageEnteredAt: at,
            wonAt: target.kind === 'won' ? sql`coalesce(${deals.wonAt}, ${at})` : null,
            lostAt: target.kind === 'lost' ? sql`coalesce(${deals.lostAt}, ${at})` : null,
            closedAt: target.kind === 'open' ? null : sql`coalesce(${target.kind === 'won' ? deals.wonAt : deals.lostAt}, ${at})`,
            lostReason: target.kind === 'lost' ? sql`coalesce(${deals.lostReason}, 'stage removed')` : null,
            version: sql`${deals.version} + 1`,
            updatedAt: at,
          })
          .where(and(sql`${inStage}`, guard)),
      );
      // Deals moved into a won or lost stage stop their customers' plans that stop on a closed deal.
      if (target.kind !== 'open') statements.push(...stopForClosedDeals(ctx, and(eq(deals.workspaceId, ctx.actor.workspaceId), eq(deals.stageId, target.id), guard)!));
    }
    statements.push(ctx.db.update(pipelineStages).set({ deletedAt: at, position: -1, updatedAt: at }).where(and(eq(pipelineStages.id, stageId), guard)));
    statements.push(...positionStatements(ctx, remaining, guard, at));
    return statements;
  });
}
