import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import { contacts, segments } from '../../db/schema';
import type { Ctx } from '../../lib/context';
import { audited, diff } from '../../lib/audit';
import { AppError, forbidden, notFound, preconditionFailed } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { keyset, toPage } from '../../lib/pagination';
import { isAdminRole } from '../../lib/permissions';
import { contactFilters, filtersAsQuery, type ContactFilters } from '../contacts/contacts.schema';
import { contactConditions, listContacts } from '../contacts/contacts.service';
import { type CreateSegmentInput, type ListSegmentsQuery, type SegmentMembersQuery, type UpdateSegmentInput } from './segments.schema';

type SegmentRow = typeof segments.$inferSelect;

/** Shared segments are the workspace's; a private one exists only for the person who made it. */
function segmentVisibleTo(ctx: Ctx): SQL {
  return and(eq(segments.workspaceId, ctx.actor.workspaceId), eq(segments.entity, 'contact'), or(eq(segments.isShared, true), eq(segments.ownerId, ctx.actor.id ?? '')))!;
}

/** Its creator may change a segment; a shared one, also an admin (who tidies up the workspace's list). */
const mayEdit = (ctx: Ctx, row: SegmentRow) => row.ownerId === ctx.actor.id || (row.isShared && isAdminRole(ctx.actor.role));

async function findSegment(ctx: Ctx, id: string): Promise<SegmentRow> {
  const row = await ctx.db.select().from(segments).where(and(eq(segments.id, id), segmentVisibleTo(ctx))).get();
  if (!row) throw notFound('Segment');
  return row;
}

/** The stored filters, parsed the way the customer list parses its query. */
function filtersOf(row: SegmentRow): ContactFilters {
  const parsed = contactFilters.safeParse(row.filters);
  if (!parsed.success) throw new AppError(422, 'segment_filters_invalid', 'This segment’s filters are no longer valid; edit the segment to fix them.');
  return parsed.data;
}

/**
 * Live counts, one per segment, all in one round trip. Each count goes through the customer
 * filter with the reader's own visibility: a shared segment shows each person only their share.
 */
async function countAll(ctx: Ctx, rows: SegmentRow[]): Promise<(number | null)[]> {
  const counted = rows.map((row) => ({ row, filters: contactFilters.safeParse(row.filters) }));
  const queries = counted
    .filter((c) => c.filters.success)
    .map((c) => ctx.db.select({ n: sql<number>`count(*)` }).from(contacts).where(and(...contactConditions(ctx, c.filters.data!, { exhaustive: true }))));
  const results = queries.length ? ((await ctx.db.batch(queries as [(typeof queries)[0], ...typeof queries])) as { n: number }[][]) : [];
  let next = 0;
  return counted.map((c) => (c.filters.success ? (results[next++][0]?.n ?? 0) : null));
}

function segmentView(ctx: Ctx, row: SegmentRow, count: number | null) {
  return {
    id: row.id,
    name: row.name,
    entity: row.entity,
    filters: row.filters,
    isShared: row.isShared,
    ownerId: row.ownerId,
    isMine: row.ownerId === ctx.actor.id,
    canEdit: mayEdit(ctx, row),
    count,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export async function listSegments(ctx: Ctx, query: ListSegmentsQuery) {
  const page = keyset(query, segments.name, segments.id, 'asc');
  const rows = await ctx.db
    .select()
    .from(segments)
    .where(
      and(
        segmentVisibleTo(ctx),
        query.scope === 'mine' ? eq(segments.ownerId, ctx.actor.id ?? '') : query.scope === 'shared' ? eq(segments.isShared, true) : undefined,
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(page.limit);
  const result = toPage(rows, query, (r) => ({ k: r.name, id: r.id }));
  const counts = await countAll(ctx, result.items);
  return { ...result, items: result.items.map((r, i) => segmentView(ctx, r, counts[i])) };
}

export async function getSegment(ctx: Ctx, id: string) {
  const row = await findSegment(ctx, id);
  const [count] = await countAll(ctx, [row]);
  return segmentView(ctx, row, count);
}

export async function createSegment(ctx: Ctx, input: CreateSegmentInput) {
  const now = ctx.now().toISOString();
  const row: SegmentRow = {
    id: newId('seg'),
    workspaceId: ctx.actor.workspaceId,
    entity: 'contact',
    name: input.name,
    filters: filtersAsQuery(input.filters),
    isShared: input.isShared,
    ownerId: ctx.actor.id ?? '',
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await audited(ctx, { action: 'segment.created', recordType: 'segment', recordId: row.id, changes: diff(null, row) }, ctx.db.insert(segments).values(row));
  return getSegment(ctx, row.id);
}

export async function updateSegment(ctx: Ctx, id: string, expectedVersion: number, input: UpdateSegmentInput) {
  const current = await findSegment(ctx, id);
  if (!mayEdit(ctx, current)) throw forbidden('Only its creator or an admin can change this segment.');
  if (current.version !== expectedVersion) throw preconditionFailed(current.version);
  const next: SegmentRow = {
    ...current,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.filters !== undefined ? { filters: filtersAsQuery(input.filters) } : {}),
    ...(input.isShared !== undefined ? { isShared: input.isShared } : {}),
    version: current.version + 1,
    updatedAt: ctx.now().toISOString(),
  };
  const { id: _id, workspaceId: _ws, createdAt: _c, ...set } = next;
  await audited(
    ctx,
    { action: 'segment.updated', recordType: 'segment', recordId: id, changes: diff(current, next) },
    ctx.db.update(segments).set(set).where(and(eq(segments.id, id), eq(segments.version, expectedVersion))),
  );
  return getSegment(ctx, id);
}

export async function deleteSegment(ctx: Ctx, id: string) {
  const current = await findSegment(ctx, id);
  if (!mayEdit(ctx, current)) throw forbidden('Only its creator or an admin can delete this segment.');
  await audited(ctx, { action: 'segment.deleted', recordType: 'segment', recordId: id, changes: diff(current, null) }, ctx.db.delete(segments).where(eq(segments.id, id)));
}

/** The segment's members, as the customer list shows them to this reader. */
export async function listSegmentMembers(ctx: Ctx, id: string, query: SegmentMembersQuery) {
  const row = await findSegment(ctx, id);
  return listContacts(ctx, { ...filtersOf(row), limit: query.limit, cursor: query.cursor, sort: query.sort });
}
