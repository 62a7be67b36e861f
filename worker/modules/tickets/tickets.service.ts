import { and, eq, inArray, isNull } from 'drizzle-orm';
import { tickets } from '../../db/schema';
import type { Ctx } from '../../lib/context';
import { audited, diff } from '../../lib/audit';
import { invalidField, notFound, preconditionFailed } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { keyset, toPage } from '../../lib/pagination';
import { assertAssignable } from '../contacts/contacts.service';
import { linkedVisibleTo, resolveLink } from '../history/linked';
import type { CreateTicketInput, ListTicketsQuery, UpdateTicketInput } from './tickets.schema';

export type TicketRow = typeof tickets.$inferSelect;

const isSettled = (status: TicketRow['status']) => status === 'resolved' || status === 'closed';

/** The API shape of a ticket, with the time it took to resolve (seconds) derived on read. */
export function ticketView(row: TicketRow) {
  const { workspaceId: _ws, deletedAt: _d, ...rest } = row;
  const timeToResolveSeconds = row.resolvedAt ? Math.max(0, Math.round((Date.parse(row.resolvedAt) - Date.parse(row.openedAt)) / 1000)) : null;
  return { ...rest, timeToResolveSeconds };
}

export async function findVisibleTicket(ctx: Ctx, id: string): Promise<TicketRow> {
  const row = await ctx.db.select().from(tickets).where(and(eq(tickets.id, id), linkedVisibleTo(ctx, tickets), isNull(tickets.deletedAt))).get();
  if (!row) throw notFound('Ticket');
  return row;
}

export const getTicket = async (ctx: Ctx, id: string) => ticketView(await findVisibleTicket(ctx, id));

export async function listTickets(ctx: Ctx, query: ListTicketsQuery) {
  const page = keyset(query, tickets.openedAt, tickets.id, 'desc');
  const rows = await ctx.db
    .select()
    .from(tickets)
    .where(
      and(
        linkedVisibleTo(ctx, tickets),
        isNull(tickets.deletedAt),
        query.contactId ? eq(tickets.contactId, query.contactId) : undefined,
        query.companyId ? eq(tickets.companyId, query.companyId) : undefined,
        query.ownerId ? eq(tickets.ownerId, query.ownerId) : undefined,
        query.kind?.length ? inArray(tickets.kind, query.kind) : undefined,
        query.status?.length ? inArray(tickets.status, query.status) : undefined,
        query.priority?.length ? inArray(tickets.priority, query.priority) : undefined,
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(page.limit);
  const result = toPage(rows, query, (r) => ({ k: r.openedAt, id: r.id }));
  return { ...result, items: result.items.map(ticketView) };
}

/**
 * Resolving (or closing) needs a resolution and stamps `resolvedAt` once; reopening clears it, so
 * the time to resolve always measures the latest resolution.
 */
function settle(row: TicketRow, previous: TicketRow | null, now: string): TicketRow {
  if (!isSettled(row.status)) return { ...row, resolvedAt: null };
  if (!row.resolution) throw invalidField('resolution', 'Say how it was resolved before resolving or closing the ticket.', 'required');
  const resolvedAt = previous && isSettled(previous.status) && previous.resolvedAt ? previous.resolvedAt : now;
  return { ...row, resolvedAt: resolvedAt < row.openedAt ? row.openedAt : resolvedAt };
}

function openedAtFrom(value: string | undefined, now: Date): string | undefined {
  if (!value) return undefined;
  const at = new Date(value);
  if (at.getTime() > now.getTime()) throw invalidField('openedAt', 'A ticket cannot be opened in the future.', 'too_big');
  return at.toISOString();
}

export async function createTicket(ctx: Ctx, input: CreateTicketInput) {
  const ownerId = input.ownerId === undefined ? (ctx.actor.type === 'user' ? ctx.actor.id : null) : input.ownerId;
  const [link] = await Promise.all([resolveLink(ctx, input), assertAssignable(ctx, ownerId)]);
  const now = ctx.now();
  const at = now.toISOString();
  const row = settle(
    {
      id: newId('tkt'),
      workspaceId: ctx.actor.workspaceId,
      ...link,
      kind: input.kind ?? 'request',
      subject: input.subject,
      description: input.description ?? null,
      status: input.status ?? 'open',
      priority: input.priority ?? 'normal',
      resolution: input.resolution ?? null,
      ownerId,
      openedAt: openedAtFrom(input.openedAt, now) ?? at,
      resolvedAt: null,
      version: 1,
      createdAt: at,
      updatedAt: at,
      deletedAt: null,
    },
    null,
    at,
  );
  await audited(ctx, { action: 'ticket.created', recordType: 'ticket', recordId: row.id, changes: diff(null, row) }, ctx.db.insert(tickets).values(row));
  return ticketView(row);
}

async function writeTicket(ctx: Ctx, action: string, current: TicketRow, expectedVersion: number, next: TicketRow) {
  const { id, workspaceId: _ws, createdAt: _c, ...columns } = next;
  await audited(
    ctx,
    { action, recordType: 'ticket', recordId: id, changes: diff(current, next) },
    ctx.db.update(tickets).set(columns).where(and(eq(tickets.id, id), eq(tickets.version, expectedVersion))),
  );
  const saved = await ctx.db.select().from(tickets).where(eq(tickets.id, id)).get();
  if (!saved || saved.version !== next.version || saved.updatedAt !== next.updatedAt) throw preconditionFailed(saved?.version ?? next.version);
  return saved;
}

export async function updateTicket(ctx: Ctx, id: string, expectedVersion: number, input: UpdateTicketInput) {
  const current = await findVisibleTicket(ctx, id);
  if (current.version !== expectedVersion) throw preconditionFailed(current.version);
  if (input.ownerId !== undefined && input.ownerId !== current.ownerId) await assertAssignable(ctx, input.ownerId);
  const now = ctx.now();
  const at = now.toISOString();
  const { openedAt, ...fields } = input;
  const next = settle({ ...current, ...fields, openedAt: openedAtFrom(openedAt, now) ?? current.openedAt, version: current.version + 1, updatedAt: at }, current, at);
  return ticketView(await writeTicket(ctx, 'ticket.updated', current, expectedVersion, next));
}

export async function deleteTicket(ctx: Ctx, id: string, expectedVersion: number): Promise<void> {
  const current = await findVisibleTicket(ctx, id);
  if (current.version !== expectedVersion) throw preconditionFailed(current.version);
  const at = ctx.now().toISOString();
  await writeTicket(ctx, 'ticket.deleted', current, expectedVersion, { ...current, deletedAt: at, version: current.version + 1, updatedAt: at });
}
