import { and, eq, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { activities, companies, contacts, orders, tickets } from '../../db/schema';
import type { Ctx } from '../../lib/context';
import { notFound } from '../../lib/errors';
import { keyset, pageQuery, toPage, type PageQuery } from '../../lib/pagination';
import { can, type Permission } from '../../lib/permissions';
import { companyVisibleTo } from '../companies/companies.service';
import { contactVisibleTo } from '../contacts/contacts.service';
import { activityView } from '../activities/activities.service';
import { orderSummary } from '../orders/orders.service';
import { ticketView } from '../tickets/tickets.service';
import { linkedVisibleTo, type LinkedTable } from './linked';

export const TIMELINE_KINDS = ['activity', 'order', 'ticket_opened', 'ticket_resolved'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const timelineQuery = pageQuery.extend({
  kinds: z
    .string()
    .max(200)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(TIMELINE_KINDS)))
    .optional(),
});
export type TimelineQuery = z.infer<typeof timelineQuery>;

export type TimelineEntry =
  | { key: string; kind: 'activity'; at: string; activity: ReturnType<typeof activityView> }
  | { key: string; kind: 'order'; at: string; order: ReturnType<typeof orderSummary> }
  | { key: string; kind: 'ticket_opened' | 'ticket_resolved'; at: string; ticket: ReturnType<typeof ticketView> };

export type TimelineSubject = { type: 'contact' | 'company'; id: string };

const NEEDS: Record<TimelineKind, Permission> = {
  activity: 'activities:read',
  order: 'orders:read',
  ticket_opened: 'tickets:read',
  ticket_resolved: 'tickets:read',
};

/**
 * Entries sort by (time, key) newest first. The key is the entry's id behind a per-source prefix
 * (`a:` activity, `o:` order, `t:` ticket opened, `r:` ticket resolved): one ticket gives two
 * entries, and ties between sources still have one total order, which keyset pagination needs.
 */
const entryKey = (prefix: string, id: SQL | unknown) => sql`${prefix} || ${id}`;

/**
 * One page of a contact's or company's history: activities (Hearth's own entries included),
 * orders, and tickets when opened and when resolved, merged newest first. Each source is read by
 * keyset over (time, key) from the cursor for one page plus one; the newest page-plus-one of the
 * merge is then exactly the page and whether another follows. Everything, the visibility check
 * included, is one batch: one round trip to the database.
 */
export async function timelineOf(ctx: Ctx, subject: TimelineSubject, query: TimelineQuery) {
  const wanted = new Set(query.kinds?.length ? query.kinds : TIMELINE_KINDS);
  const include = (kind: TimelineKind) => (wanted.has(kind) && can(ctx.actor, NEEDS[kind]) ? undefined : sql`0`);
  const page: PageQuery = { limit: query.limit, cursor: query.cursor };
  const belongs = (t: LinkedTable) =>
    subject.type === 'contact' ? and(eq(t.contactId, subject.id), eq(t.workspaceId, ctx.actor.workspaceId)) : and(eq(t.companyId, subject.id), linkedVisibleTo(ctx, t));

  const check =
    subject.type === 'contact'
      ? ctx.db.select({ id: contacts.id }).from(contacts).where(and(eq(contacts.id, subject.id), contactVisibleTo(ctx), isNull(contacts.mergedIntoId)))
      : ctx.db.select({ id: companies.id }).from(companies).where(and(eq(companies.id, subject.id), companyVisibleTo(ctx)));

  const a = keyset(page, activities.occurredAt, entryKey('a:', activities.id) as never, 'desc');
  const o = keyset(page, orders.orderedAt, entryKey('o:', orders.id) as never, 'desc');
  const t = keyset(page, tickets.openedAt, entryKey('t:', tickets.id) as never, 'desc');
  const r = keyset(page, tickets.resolvedAt, entryKey('r:', tickets.id) as never, 'desc');

  const [found, activityRows, orderRows, openedRows, resolvedRows] = await ctx.db.batch([
    check,
    ctx.db.select().from(activities).where(and(belongs(activities), isNull(activities.deletedAt), include('activity'), a.where)).orderBy(...a.orderBy).limit(a.limit),
    ctx.db.select().from(orders).where(and(belongs(orders), isNull(orders.deletedAt), include('order'), o.where)).orderBy(...o.orderBy).limit(o.limit),
    ctx.db.select().from(tickets).where(and(belongs(tickets), isNull(tickets.deletedAt), include('ticket_opened'), t.where)).orderBy(...t.orderBy).limit(t.limit),
    ctx.db
      .select()
      .from(tickets)
      .where(and(belongs(tickets), isNull(tickets.deletedAt), isNotNull(tickets.resolvedAt), include('ticket_resolved'), r.where))
      .orderBy(...r.orderBy)
      .limit(r.limit),
  ]);
  if (found.length === 0) throw notFound(subject.type === 'contact' ? 'Customer' : 'Company');

  const entries: TimelineEntry[] = [
    ...activityRows.map((row) => ({ key: `a:${row.id}`, kind: 'activity' as const, at: row.occurredAt, activity: activityView(ctx, row) })),
    ...orderRows.map((row) => ({ key: `o:${row.id}`, kind: 'order' as const, at: row.orderedAt, order: orderSummary(row) })),
    ...openedRows.map((row) => ({ key: `t:${row.id}`, kind: 'ticket_opened' as const, at: row.openedAt, ticket: ticketView(row) })),
    ...resolvedRows.map((row) => ({ key: `r:${row.id}`, kind: 'ticket_resolved' as const, at: row.resolvedAt!, ticket: ticketView(row) })),
  ];
  // The same order as the SQL: ISO times and ASCII keys compare alike in JavaScript and SQLite.
  entries.sort((x, y) => (x.at === y.at ? (x.key < y.key ? 1 : x.key > y.key ? -1 : 0) : x.at < y.at ? 1 : -1));
  return toPage(entries.slice(0, query.limit + 1), page, (e) => ({ k: e.at, id: e.key }));
}
