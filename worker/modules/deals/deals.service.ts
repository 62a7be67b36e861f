import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Statement } from '../../db/client';
import { activities, companies, contacts, dealItems, deals, dealStageHistory, products, recordTags, users, workspaces } from '../../db/schema';
import { inList } from '../../db/in-list';
import type { Ctx } from '../../lib/context';
import { audited, diff } from '../../lib/audit';
import { AppError, invalid, invalidField, notFound, preconditionFailed, type FieldError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { keyset, toPage } from '../../lib/pagination';
import { visibleTo } from '../../lib/visibility';
import { assignOwner } from '../assignment/assignment.service';
import { stopForClosedDeals } from '../cadences/cadences.service';
import { companyAccess } from '../companies/companies.service';
import { assertAssignable, contactVisibleTo } from '../contacts/contacts.service';
import { validateCustomFields } from '../custom-fields/custom-fields.service';
import { resolveLink } from '../history/linked';
import { notify } from '../notifications/notifications.service';
import { emitEvent } from '../webhooks/webhooks.events';
import { defaultPipeline, findPipeline, type PipelineRow, type StageRow } from '../pipelines/pipelines.service';
import { assertTags, parseTagsJson, tagsJsonColumn } from '../tags/tags.service';
import { dealStrings } from './deals.messages';
import type { CreateDealInput, DealFilters, DealItemInput, ListDealsQuery, MoveDealInput, UpdateDealInput } from './deals.schema';
import { bumped, insertIf } from './guarded';
import { pipelineStages } from '../../db/schema';

export type DealRow = typeof deals.$inferSelect;
export type DealItemRow = typeof dealItems.$inferSelect;

// ── reading ──────────────────────────────────────────────────────────────────────────────────

/** Deals the actor may see: the one visibility rule, minus deleted and merged rows. */
export const dealVisibleTo = (ctx: Pick<Ctx, 'actor'>): SQL => and(visibleTo(ctx.actor, deals), isNull(deals.deletedAt), isNull(deals.mergedIntoId))!;

// Every joined column has its own name: in a D1 batch rows come back as objects, where a second
// `name` would overwrite the first.
const dealColumns = {
  deal: deals,
  probability: sql<number>`${pipelineStages.probability}`.as('stage_probability'),
  rottingDays: sql<number | null>`${pipelineStages.rottingDays}`.as('stage_rotting_days'),
  stageName: sql<string>`${pipelineStages.name}`.as('stage_name'),
  ownerName: sql<string | null>`${users.name}`.as('owner_name'),
  contactName: sql<string | null>`${contacts.name}`.as('contact_name'),
  companyName: sql<string | null>`${companies.name}`.as('company_name'),
  tagsJson: tagsJsonColumn('deals').as('tags_json'),
};

/** Deals with what a card or a row shows beside them (stage figures, names, tags), in one query. */
export function selectDeals(ctx: Ctx) {
  return ctx.db
    .select(dealColumns)
    .from(deals)
    .innerJoin(pipelineStages, eq(pipelineStages.id, deals.stageId))
    .leftJoin(users, eq(users.id, deals.ownerId))
    // A deal of yours may be about a colleague's customer: its name shows only if you may see it.
    .leftJoin(contacts, and(eq(contacts.id, deals.contactId), contactVisibleTo(ctx)))
    .leftJoin(companies, and(eq(companies.id, deals.companyId), companyAccess(ctx)));
}
export type JoinedDeal = { deal: DealRow; probability: number; rottingDays: number | null; stageName: string; ownerName: string | null; contactName: string | null; companyName: string | null; tagsJson: string | null };

const DAY = 86_400_000;

/** Idle longer than its stage allows: no change since max(stage entered, last activity). */
export function isRotting(deal: Pick<DealRow, 'status' | 'stageEnteredAt' | 'lastActivityAt'>, rottingDays: number | null, now: Date): boolean {
  if (deal.status !== 'open' || rottingDays == null) return false;
  const idleSince = Math.max(Date.parse(deal.stageEnteredAt), Date.parse(deal.lastActivityAt));
  return now.getTime() - idleSince > rottingDays * DAY;
}

export const weighted = (amount: number, probability: number) => Math.round((amount * probability) / 100);

export function dealView(ctx: Pick<Ctx, 'now'>, j: JoinedDeal) {
  const { workspaceId: _ws, deletedAt: _d, mergedIntoId: _m, closeMonth: _cm, ...rest } = j.deal;
  return {
    ...rest,
    contactName: j.contactName,
    companyName: j.companyName,
    ownerName: j.ownerName,
    stageName: j.stageName,
    probability: j.probability,
    weightedAmount: weighted(j.deal.amount, j.probability),
    rotting: isRotting(j.deal, j.rottingDays, ctx.now()),
    tags: parseTagsJson(j.tagsJson),
  };
}
export type DealView = ReturnType<typeof dealView>;

const itemView = (i: DealItemRow) => ({ id: i.id, productId: i.productId, name: i.name, quantity: i.quantity, unitPrice: i.unitPrice, total: i.quantity * i.unitPrice });

export async function findVisibleDeal(ctx: Ctx, id: string): Promise<DealRow> {
  const row = await ctx.db.select().from(deals).where(and(eq(deals.id, id), dealVisibleTo(ctx))).get();
  if (!row) throw notFound('Deal');
  return row;
}

export async function getDeal(ctx: Ctx, id: string) {
  const [rows, items] = await ctx.db.batch([
    selectDeals(ctx).where(and(eq(deals.id, id), dealVisibleTo(ctx))),
    ctx.db.select().from(dealItems).where(and(eq(dealItems.dealId, id), eq(dealItems.workspaceId, ctx.actor.workspaceId))).orderBy(asc(dealItems.position)),
  ]);
  if (!rows[0]) throw notFound('Deal');
  return { ...dealView(ctx, rows[0] as JoinedDeal), items: items.map(itemView) };
}
export type DealDetail = Awaited<ReturnType<typeof getDeal>>;

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The filters shared by the list, the board and bulk actions (always with the visibility rule). */
export function dealConditions(ctx: Ctx, f: Partial<DealFilters>): SQL[] {
  const ws = ctx.actor.workspaceId;
  const ownerId = f.ownerId === 'me' ? (ctx.actor.type === 'user' ? ctx.actor.id : '') : f.ownerId;
  const now = ctx.now().toISOString();
  return [
    dealVisibleTo(ctx),
    f.pipelineId ? eq(deals.pipelineId, f.pipelineId) : undefined,
    f.stageId ? eq(deals.stageId, f.stageId) : undefined,
    f.status?.length ? inArray(deals.status, f.status) : undefined,
    ownerId ? eq(deals.ownerId, ownerId) : undefined,
    f.teamId ? sql`${deals.ownerId} in (select ${users.id} from ${users} where ${users.workspaceId} = ${ws} and ${users.teamId} = ${f.teamId})` : undefined,
    f.closeMonth ? eq(deals.closeMonth, f.closeMonth) : undefined,
    f.source ? eq(deals.source, f.source) : undefined,
    f.contactId ? eq(deals.contactId, f.contactId) : undefined,
    f.companyId ? eq(deals.companyId, f.companyId) : undefined,
    f.q ? sql`${deals.name} like ${`%${likeEscape(f.q)}%`} escape '\\'` : undefined,
    f.rotting === undefined
      ? undefined
      : f.rotting
        ? sql`(${deals.status} = 'open' and ${pipelineStages.rottingDays} is not null and julianday(${now}) - julianday(max(${deals.stageEnteredAt}, ${deals.lastActivityAt})) > ${pipelineStages.rottingDays})`
        : sql`not (${deals.status} = 'open' and ${pipelineStages.rottingDays} is not null and julianday(${now}) - julianday(max(${deals.stageEnteredAt}, ${deals.lastActivityAt})) > ${pipelineStages.rottingDays})`,
  ].filter((c): c is SQL => c !== undefined);
}

export async function listDeals(ctx: Ctx, query: ListDealsQuery) {
  const page = keyset(query, deals.updatedAt, deals.id, 'desc');
  const rows = await selectDeals(ctx)
    .where(and(...dealConditions(ctx, query), page.where))
    .orderBy(...page.orderBy)
    .limit(page.limit);
  const result = toPage(rows as JoinedDeal[], query, (r) => ({ k: r.deal.updatedAt, id: r.deal.id }));
  return { ...result, items: result.items.map((r) => dealView(ctx, r)) };
}

// ── writing ──────────────────────────────────────────────────────────────────────────────────

const actorId = (ctx: Ctx) => (ctx.actor.type === 'user' ? ctx.actor.id : null);
const closeMonthOf = (date: string | null | undefined) => (date ? date.slice(0, 7) : null);

/** A pipeline named by the client, as a field error rather than a 404 when it does not exist. */
async function pipelineFor(ctx: Ctx, pipelineId: string | undefined) {
  if (!pipelineId) return defaultPipeline(ctx);
  try {
    return await findPipeline(ctx, pipelineId);
  } catch (err) {
    if (err instanceof AppError && err.status === 404) throw invalidField('pipelineId', 'No such pipeline.', 'not_found');
    throw err;
  }
}

function stageIn(stages: StageRow[], stageId: string | undefined): StageRow {
  if (!stageId) {
    const first = stages.find((s) => s.kind === 'open') ?? stages[0];
    if (!first) throw invalidField('pipelineId', 'This pipeline has no stages.', 'invalid');
    return first;
  }
  const stage = stages.find((s) => s.id === stageId);
  if (!stage) throw invalidField('stageId', 'Choose a stage of this pipeline.', 'not_found');
  return stage;
}

/** Line items from the catalog: name and price default to the product's. */
async function resolveItems(ctx: Ctx, dealId: string, inputs: DealItemInput[]): Promise<DealItemRow[]> {
  const ids = [...new Set(inputs.flatMap((i) => (i.productId ? [i.productId] : [])))];
  const found = ids.length
    ? await ctx.db.select().from(products).where(and(eq(products.workspaceId, ctx.actor.workspaceId), inList(products.id, ids)))
    : [];
  const byId = new Map(found.map((p) => [p.id, p]));
  const errors: FieldError[] = [];
  const rows = inputs.map((input, position) => {
    const product = input.productId ? byId.get(input.productId) : undefined;
    if (input.productId && !product) errors.push({ field: `items.${position}.productId`, message: 'No such product.', code: 'not_found' });
    return {
      id: newId('dit'),
      workspaceId: ctx.actor.workspaceId,
      dealId,
      productId: input.productId ?? null,
      name: input.name ?? product?.name ?? '',
      quantity: input.quantity,
      unitPrice: input.unitPrice ?? product?.unitPrice ?? 0,
      position,
    };
  });
  if (errors.length) throw invalid(errors);
  return rows;
}

const itemsTotal = (items: DealItemRow[]) => items.reduce((sum, i) => sum + i.quantity * i.unitPrice, 0);

/** The fields a stage sets: status, won/lost dates (kept when already there), lost reason. */
function enterStage(current: Pick<DealRow, 'status' | 'wonAt' | 'lostAt' | 'lostReason'> | null, stage: StageRow, lostReason: string | null | undefined, at: string) {
  const reason = lostReason?.trim() || null;
  if (stage.kind === 'lost' && !reason) throw invalidField('lostReason', 'Say why the deal was lost.', 'required');
  const stayed = current?.status === stage.kind;
  const wonAt = stage.kind === 'won' ? (stayed && current?.wonAt ? current.wonAt : at) : null;
  const lostAt = stage.kind === 'lost' ? (stayed && current?.lostAt ? current.lostAt : at) : null;
  return { status: stage.kind, wonAt, lostAt, closedAt: wonAt ?? lostAt, lostReason: stage.kind === 'lost' ? reason : null };
}

const EVENT_SUBJECT: Record<string, string> = {
  'deal.created': 'Deal created',
  'deal.stage_changed': 'Deal moved',
  'deal.won': 'Deal won',
  'deal.lost': 'Deal lost',
};

/**
 * A timeline entry Hearth writes itself, linked to the deal and its customer: the deal's history
 * shows on the contact's and company's timelines too.
 */
function dealEvent(ctx: Ctx, deal: Pick<DealRow, 'id' | 'name' | 'contactId' | 'companyId'>, event: string, meta: Record<string, unknown>, at: string, guard: SQL): Statement {
  return insertIf(
    ctx.db,
    activities,
    {
      id: newId('act'),
      workspaceId: ctx.actor.workspaceId,
      type: 'system',
      contactId: deal.contactId,
      companyId: deal.companyId,
      dealId: deal.id,
      subject: `${EVENT_SUBJECT[event] ?? event}: ${deal.name}`,
      body: null,
      outcome: null,
      occurredAt: at,
      userId: actorId(ctx),
      meta: { event, dealId: deal.id, dealName: deal.name, ...meta },
      createdAt: at,
      updatedAt: at,
      deletedAt: null,
    },
    guard,
  );
}

function historyRow(ctx: Ctx, deal: Pick<DealRow, 'id' | 'pipelineId' | 'stageEnteredAt'>, from: string | null, to: string, at: string, guard: SQL): Statement {
  return insertIf(
    ctx.db,
    dealStageHistory,
    {
      id: newId('dsh'),
      workspaceId: ctx.actor.workspaceId,
      dealId: deal.id,
      pipelineId: deal.pipelineId,
      fromStageId: from,
      toStageId: to,
      movedBy: actorId(ctx),
      movedAt: at,
      secondsInPrevious: from ? Math.max(0, Math.round((Date.parse(at) - Date.parse(deal.stageEnteredAt)) / 1000)) : null,
    },
    guard,
  );
}

function tagStatements(ctx: Ctx, dealId: string, tagIds: string[], guard: SQL): Statement[] {
  return [
    ctx.db.delete(recordTags).where(and(eq(recordTags.recordType, 'deal'), eq(recordTags.recordId, dealId), guard)),
    ...tagIds.map((tagId) => insertIf(ctx.db, recordTags, { workspaceId: ctx.actor.workspaceId, tagId, recordType: 'deal', recordId: dealId }, guard)),
  ];
}

function itemStatements(ctx: Ctx, dealId: string, items: DealItemRow[], guard: SQL): Statement[] {
  return [ctx.db.delete(dealItems).where(and(eq(dealItems.dealId, dealId), guard)), ...items.map((i) => insertIf(ctx.db, dealItems, i, guard))];
}

/**
 * Outgoing webhooks (deal.created, deal.stage_changed, deal.won, deal.lost), after the change is
 * stored; keyed by deal and version, so a retried request emits nothing twice.
 */
async function emitDeal(ctx: Ctx, event: 'deal.created' | 'deal.stage_changed' | 'deal.won' | 'deal.lost', deal: DealDetail, extra: Record<string, unknown> = {}) {
  await afterWrite(`webhook ${event} for ${deal.id}`, () =>
    emitEvent({ db: ctx.db, env: ctx.env, now: ctx.now }, ctx.actor.workspaceId, event, { deal, ...extra }, `${event}:${deal.id}:${deal.version}`),
  );
}

/**
 * Side effects of a change that is already stored (notifications, webhooks). A failure is logged
 * and does not turn the answer into an error: the client would retry a write that succeeded.
 */
export async function afterWrite(what: string, effect: () => Promise<unknown>): Promise<void> {
  try {
    await effect();
  } catch (err) {
    console.error(`deals: ${what} failed after the change was stored`, err);
  }
}

/** Tells a new owner (other than the person acting) in the app and by email; once per key. */
async function notifyOwner(ctx: Ctx, deal: DealDetail) {
  const ownerId = deal.ownerId;
  if (!ownerId || ownerId === actorId(ctx)) return;
  const actorName = ctx.actor.type === 'user' ? ctx.actor.name : null;
  const send = () =>
    notify(
      { db: ctx.db, env: ctx.env, now: ctx.now },
      {
        workspaceId: ctx.actor.workspaceId,
        userId: ownerId,
        kind: 'deal.assigned',
        key: `deal.assigned:${deal.id}:${ownerId}:${deal.version}`,
        link: `/deals/${deal.id}`,
        recordType: 'deal',
        recordId: deal.id,
        message: (locale) => ({
          title: dealStrings(locale, 'assigned.title', { name: deal.name }),
          body: dealStrings(locale, 'assigned.body', { actor: actorName ?? dealStrings(locale, 'someone'), name: deal.name, stage: deal.stageName }),
        }),
        email: true,
      },
    );
  await afterWrite(`notifying the owner of ${deal.id}`, send);
}

/**
 * Who owns a new deal: the given owner (who must be assignable by the actor); `'auto'`, or no
 * owner from an API key or the system, asks the pipeline's assignment rule; otherwise the
 * creating user. A rule that finds nobody leaves the creator (or nobody).
 */
async function ownerFor(ctx: Ctx, input: CreateDealInput, pipelineId: string, record: Record<string, unknown>): Promise<string | null> {
  if (input.ownerId === null) return null;
  if (input.ownerId && input.ownerId !== 'auto') {
    await assertAssignable(ctx, input.ownerId);
    return input.ownerId;
  }
  if (input.ownerId === 'auto' || ctx.actor.type !== 'user') {
    const picked = await assignOwner({ db: ctx.db }, ctx.actor.workspaceId, 'pipeline', pipelineId, record);
    if (picked) return picked;
  }
  return actorId(ctx);
}

export async function createDeal(ctx: Ctx, input: CreateDealInput) {
  const ws = ctx.actor.workspaceId;
  const id = newId('deal');
  const [{ pipeline, stages }, workspace, link, items, customFields, tagIds] = await Promise.all([
    pipelineFor(ctx, input.pipelineId),
    ctx.db.select({ currency: workspaces.currency }).from(workspaces).where(eq(workspaces.id, ws)).get(),
    input.contactId || input.companyId ? resolveLink(ctx, input) : Promise.resolve({ contactId: null, companyId: null }),
    resolveItems(ctx, id, input.items ?? []),
    validateCustomFields(ctx, 'deal', input.customFields, {}, true),
    assertTags(ctx, input.tagIds ?? []),
  ]);
  const stage = stageIn(stages, input.stageId);
  const at = ctx.now().toISOString();
  const entered = enterStage(null, stage, input.lostReason, at);
  const record = { ...input, ...link, customFields };
  const ownerId = await ownerFor(ctx, input, pipeline.id, record);
  const row: DealRow = {
    id,
    workspaceId: ws,
    pipelineId: pipeline.id,
    stageId: stage.id,
    reachedStageBits: 0, // the stage history trigger sets it
    ...entered,
    name: input.name,
    contactId: link.contactId,
    companyId: link.companyId,
    amount: input.amount ?? itemsTotal(items),
    currency: input.currency ?? workspace?.currency ?? 'CNY',
    expectedCloseOn: input.expectedCloseOn ?? null,
    closeMonth: closeMonthOf(input.expectedCloseOn),
    source: input.source ?? null,
    nextStep: input.nextStep ?? null,
    contractStartOn: input.contractStartOn ?? null,
    contractEndOn: input.contractEndOn ?? null,
    stageEnteredAt: at,
    lastActivityAt: at,
    ownerId,
    customFields,
    archivedAt: null,
    deletedAt: null,
    mergedIntoId: null,
    createdBy: actorId(ctx),
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const guard = bumped(deals, id, 1, at);
  await audited(
    ctx,
    { action: 'deal.created', recordType: 'deal', recordId: id, changes: diff(null, { ...row, items: items.map((i) => `${i.quantity} × ${i.name}`), tagIds }) },
    ctx.db.insert(deals).values(row),
    historyRow(ctx, row, null, stage.id, at, guard),
    ...items.map((i) => ctx.db.insert(dealItems).values(i)),
    ...tagIds.map((tagId) => ctx.db.insert(recordTags).values({ workspaceId: ws, tagId, recordType: 'deal', recordId: id })),
    dealEvent(ctx, row, 'deal.created', { toStageName: stage.name, amount: row.amount, currency: row.currency }, at, guard),
    ...(stage.kind === 'open' ? [] : stopForClosedDeals(ctx, and(eq(deals.id, id), guard)!)),
  );
  const created = await detailAfterWrite(ctx, id);
  await notifyOwner(ctx, created);
  await emitDeal(ctx, 'deal.created', created);
  return created;
}

/** The deal as just written, whether or not the actor may still see it (e.g. assigned away). */
async function detailAfterWrite(ctx: Ctx, id: string): Promise<DealDetail> {
  const [rows, items] = await ctx.db.batch([
    selectDeals(ctx).where(and(eq(deals.id, id), eq(deals.workspaceId, ctx.actor.workspaceId))),
    ctx.db.select().from(dealItems).where(eq(dealItems.dealId, id)).orderBy(asc(dealItems.position)),
  ]);
  if (!rows[0]) throw notFound('Deal');
  return { ...dealView(ctx, rows[0] as JoinedDeal), items: items.map(itemView) };
}

/**
 * Writes a new version of a deal: the update (only if the version is still the one edited) and
 * every statement guarded by that very update, in one batch; then checks it took.
 */
async function writeDeal(ctx: Ctx, action: string, current: DealRow, expectedVersion: number, next: DealRow, extra: (guard: SQL) => Statement[], changes?: Record<string, unknown>) {
  const { id, workspaceId: _ws, createdAt: _c, ...columns } = next;
  const guard = bumped(deals, id, next.version, next.updatedAt);
  await audited(
    ctx,
    { action, recordType: 'deal', recordId: id, changes: { ...diff(current, next), ...(changes ?? {}) } as never },
    ctx.db.update(deals).set(columns).where(and(eq(deals.id, id), eq(deals.version, expectedVersion))),
    ...extra(guard),
  );
  const saved = await ctx.db.select({ version: deals.version, updatedAt: deals.updatedAt }).from(deals).where(eq(deals.id, id)).get();
  if (!saved || saved.version !== next.version || saved.updatedAt !== next.updatedAt) throw preconditionFailed(saved?.version ?? current.version);
}

export async function updateDeal(ctx: Ctx, id: string, expectedVersion: number, input: UpdateDealInput) {
  const current = await findVisibleDeal(ctx, id);
  if (current.version !== expectedVersion) throw preconditionFailed(current.version);
  const linkChanged = input.contactId !== undefined || input.companyId !== undefined;
  const contactId = input.contactId !== undefined ? input.contactId : current.contactId;
  const companyId = input.companyId !== undefined ? input.companyId : current.companyId;
  const [link, items, customFields, tagIds] = await Promise.all([
    linkChanged && (contactId || companyId) ? resolveLink(ctx, { contactId, companyId }) : Promise.resolve({ contactId: linkChanged ? null : current.contactId, companyId: linkChanged ? null : current.companyId }),
    input.items ? resolveItems(ctx, id, input.items) : Promise.resolve(undefined),
    input.customFields ? validateCustomFields(ctx, 'deal', input.customFields, current.customFields) : Promise.resolve(current.customFields),
    input.tagIds ? assertTags(ctx, input.tagIds) : Promise.resolve(undefined),
    input.ownerId !== undefined && input.ownerId !== current.ownerId ? assertAssignable(ctx, input.ownerId) : Promise.resolve(),
  ]);
  if (input.lostReason !== undefined && current.status === 'lost' && !input.lostReason?.trim()) throw invalidField('lostReason', 'A lost deal keeps the reason it was lost.', 'required');
  const at = ctx.now().toISOString();
  const { items: _items, tagIds: _tags, customFields: _cf, contactId: _ct, companyId: _co, ...fields } = input;
  const next: DealRow = {
    ...current,
    ...fields,
    ...link,
    lostReason: current.status === 'lost' ? (input.lostReason?.trim() ?? current.lostReason) : current.lostReason,
    amount: input.amount ?? (items ? itemsTotal(items) : current.amount),
    closeMonth: input.expectedCloseOn !== undefined ? closeMonthOf(input.expectedCloseOn) : current.closeMonth,
    customFields,
    lastActivityAt: at,
    version: current.version + 1,
    updatedAt: at,
  };
  await writeDeal(ctx, 'deal.updated', current, expectedVersion, next, (guard) => [...(items ? itemStatements(ctx, id, items, guard) : []), ...(tagIds ? tagStatements(ctx, id, tagIds, guard) : [])], {
    ...(items ? { items: { after: items.map((i) => `${i.quantity} × ${i.name}`) } } : {}),
    ...(tagIds ? { tagIds: { after: tagIds } } : {}),
  });
  const saved = await detailAfterWrite(ctx, id);
  if (next.ownerId !== current.ownerId) await notifyOwner(ctx, saved);
  return saved;
}

/**
 * Moves a deal to a stage (of its pipeline, or of another one with `pipelineId`). Entering a won
 * or lost stage stamps the date (and needs a lost reason), reopening clears them; the move is
 * recorded in the stage history with the time spent in the previous stage, and on the timeline.
 */
export async function moveDeal(ctx: Ctx, id: string, expectedVersion: number, input: MoveDealInput) {
  const current = await findVisibleDeal(ctx, id);
  if (current.version !== expectedVersion) throw preconditionFailed(current.version);
  const { pipeline, stages } = await pipelineFor(ctx, input.pipelineId ?? current.pipelineId);
  const stage = stageIn(stages, input.stageId);
  if (stage.id === current.stageId && input.lostReason === undefined) return getDeal(ctx, id);
  const at = ctx.now().toISOString();
  const entered = enterStage(current, stage, input.lostReason ?? (stage.id === current.stageId ? current.lostReason : undefined), at);
  const fromStage = (await ctx.db.select({ name: pipelineStages.name }).from(pipelineStages).where(eq(pipelineStages.id, current.stageId)).get())?.name ?? null;
  const moved = stage.id !== current.stageId;
  const next: DealRow = {
    ...current,
    ...entered,
    pipelineId: pipeline.id,
    stageId: stage.id,
    stageEnteredAt: moved ? at : current.stageEnteredAt,
    lastActivityAt: at,
    version: current.version + 1,
    updatedAt: at,
  };
  const event = !moved ? 'deal.updated' : stage.kind === 'won' ? 'deal.won' : stage.kind === 'lost' ? 'deal.lost' : 'deal.stage_changed';
  await writeDeal(ctx, event, current, expectedVersion, next, (guard) =>
    moved
      ? [
          historyRow(ctx, { ...current, pipelineId: pipeline.id }, current.stageId, stage.id, at, guard),
          dealEvent(ctx, next, event, { fromStageName: fromStage, toStageName: stage.name, lostReason: next.lostReason }, at, guard),
          // Follow-up plans that stop when a deal closes stop now, not at their next step.
          ...(stage.kind === 'open' ? [] : stopForClosedDeals(ctx, and(eq(deals.id, id), guard)!)),
        ]
      : [],
  );
  const saved = await detailAfterWrite(ctx, id);
  if (moved) {
    const change = { fromStageId: current.stageId, fromStageName: fromStage, toStageId: stage.id, toStageName: stage.name };
    await emitDeal(ctx, 'deal.stage_changed', saved, change);
    if (stage.kind === 'won' || stage.kind === 'lost') await emitDeal(ctx, stage.kind === 'won' ? 'deal.won' : 'deal.lost', saved, change);
  }
  return saved;
}

export async function deleteDeal(ctx: Ctx, id: string, expectedVersion: number): Promise<void> {
  const current = await findVisibleDeal(ctx, id);
  if (current.version !== expectedVersion) throw preconditionFailed(current.version);
  const at = ctx.now().toISOString();
  await writeDeal(ctx, 'deal.deleted', current, expectedVersion, { ...current, deletedAt: at, version: current.version + 1, updatedAt: at }, () => []);
}

export type { PipelineRow };
