import { and, eq, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db, Statement } from '../../db/client';
import { activities, contacts, deals, users } from '../../db/schema';
import type { Ctx } from '../../lib/context';
import { audited, diff } from '../../lib/audit';
import { forbidden, invalidField, notFound } from '../../lib/errors';
import { asLocale } from '../../lib/i18n';
import { newId } from '../../lib/ids';
import { keyset, toPage } from '../../lib/pagination';
import { isAdminRole } from '../../lib/permissions';
import { dealVisibleTo } from '../deals/deals.service';
import { linkedVisibleTo, resolveLink, type Link } from '../history/linked';
import { describeSystemEntry } from '../history/system-entries';
import { CONTACTING_TYPES, type CreateActivityInput, type ListActivitiesQuery, type UpdateActivityInput } from './activities.schema';

export type ActivityRow = typeof activities.$inferSelect;

const actorLocale = (ctx: Pick<Ctx, 'actor'>) => asLocale(ctx.actor.type === 'user' ? ctx.actor.locale : null);

/**
 * The API shape of an activity. Entries Hearth wrote itself carry a `summary` in the reader's
 * language, or their stored subject for an event the catalog does not know.
 */
export function activityView(ctx: Pick<Ctx, 'actor'>, row: ActivityRow) {
  const { workspaceId: _ws, deletedAt: _deleted, ...rest } = row;
  return { ...rest, summary: row.type === 'system' ? (describeSystemEntry(row.meta, actorLocale(ctx)) ?? row.subject) : null };
}

/**
 * `lastContactedAt` is derived: the latest call, email, meeting or visit that still exists.
 * Recomputed by one statement in the batch of every change, so an edit that moves a call back in
 * time, or a deletion, is reflected as surely as a new call. It is not a field people edit, so
 * the contact's version does not move.
 */
export function lastContactedStatement(db: Db, contactId: string): Statement {
  return db
    .update(contacts)
    .set({
      lastContactedAt: sql`(select max(${activities.occurredAt}) from ${activities} where ${activities.contactId} = ${contactId} and ${inArray(activities.type, [...CONTACTING_TYPES])} and ${activities.deletedAt} is null)`,
    })
    .where(eq(contacts.id, contactId));
}

/**
 * Something happened on a deal: its `lastActivityAt` moves up to when it happened (never back,
 * never into the future), so a deal that is being worked on stops rotting. Like
 * `lastContactedAt` it is not an edit of the deal: its version stays.
 */
export function dealTouchedStatement(db: Db, dealId: string, occurredAt: string, now: string): Statement {
  const at = occurredAt < now ? occurredAt : now;
  return db.update(deals).set({ lastActivityAt: sql`max(${deals.lastActivityAt}, ${at})` }).where(eq(deals.id, dealId));
}

/**
 * Who may see an activity: whoever may see its customer (history/linked.ts), or, for an activity
 * logged on a deal, whoever may see the deal (the deal's timeline shows it to them anyway).
 */
export function activityVisibleTo(ctx: Pick<Ctx, 'actor'>): SQL {
  return or(
    linkedVisibleTo(ctx, activities),
    and(
      isNotNull(activities.dealId),
      eq(activities.workspaceId, ctx.actor.workspaceId),
      sql`exists (select 1 from ${deals} where ${deals.id} = ${activities.dealId} and ${dealVisibleTo(ctx)})`,
    ),
  )!;
}

const movesLastContacted = (row: Pick<ActivityRow, 'type' | 'contactId'>) => Boolean(row.contactId) && (CONTACTING_TYPES as readonly string[]).includes(row.type);

export async function findVisibleActivity(ctx: Ctx, id: string): Promise<ActivityRow> {
  const row = await ctx.db
    .select()
    .from(activities)
    .where(and(eq(activities.id, id), activityVisibleTo(ctx), isNull(activities.deletedAt)))
    .get();
  if (!row) throw notFound('Activity');
  return row;
}

export const getActivity = async (ctx: Ctx, id: string) => activityView(ctx, await findVisibleActivity(ctx, id));

export async function listActivities(ctx: Ctx, query: ListActivitiesQuery) {
  const page = keyset(query, activities.occurredAt, activities.id, 'desc');
  const rows = await ctx.db
    .select()
    .from(activities)
    .where(
      and(
        activityVisibleTo(ctx),
        isNull(activities.deletedAt),
        query.contactId ? eq(activities.contactId, query.contactId) : undefined,
        query.companyId ? eq(activities.companyId, query.companyId) : undefined,
        query.dealId ? eq(activities.dealId, query.dealId) : undefined,
        query.type?.length ? inArray(activities.type, query.type) : undefined,
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(page.limit);
  const result = toPage(rows, query, (r) => ({ k: r.occurredAt, id: r.id }));
  return { ...result, items: result.items.map((r) => activityView(ctx, r)) };
}

/** Who did it: yourself, unless an admin (or an integration) logs it for a colleague. */
async function resolveUser(ctx: Ctx, userId: string | undefined): Promise<string | null> {
  const self = ctx.actor.type === 'user' ? ctx.actor.id : null;
  if (!userId || userId === self) return self;
  if (!isAdminRole(ctx.actor.role)) throw forbidden('You can only log activities as yourself.');
  const user = await ctx.db.select({ id: users.id }).from(users).where(and(eq(users.id, userId), eq(users.workspaceId, ctx.actor.workspaceId), eq(users.isActive, true))).get();
  if (!user) throw invalidField('userId', 'Choose an active member of this workspace.', 'not_found');
  return user.id;
}

/** The deal an activity is logged on: one the actor may see (else 422 on `dealId`). */
async function resolveDeal(ctx: Ctx, dealId: string | undefined) {
  if (!dealId) return null;
  const deal = await ctx.db.select({ id: deals.id, contactId: deals.contactId, companyId: deals.companyId }).from(deals).where(and(eq(deals.id, dealId), dealVisibleTo(ctx))).get();
  if (!deal) throw invalidField('dealId', 'No such deal.', 'not_found');
  return deal;
}

/**
 * The customer of a new activity: the one given (checked by resolveLink), else the deal's. The
 * deal's own link is taken as it stands, as for the entries Hearth writes on the deal's timeline:
 * the actor may see the deal, whoever owns its customer. A deal without a customer keeps the
 * activity on the deal alone.
 */
async function linkFor(ctx: Ctx, input: CreateActivityInput, deal: Awaited<ReturnType<typeof resolveDeal>>): Promise<Link> {
  if (deal && !input.contactId && !input.companyId) return { contactId: deal.contactId, companyId: deal.companyId };
  return resolveLink(ctx, input);
}

export async function createActivity(ctx: Ctx, input: CreateActivityInput) {
  const [deal, userId] = await Promise.all([resolveDeal(ctx, input.dealId), resolveUser(ctx, input.userId)]);
  const link = await linkFor(ctx, input, deal);
  const now = ctx.now().toISOString();
  const row: ActivityRow = {
    id: newId('act'),
    workspaceId: ctx.actor.workspaceId,
    type: input.type,
    ...link,
    dealId: deal?.id ?? null,
    subject: input.subject ?? null,
    body: input.body ?? null,
    outcome: input.outcome ?? null,
    occurredAt: input.occurredAt ? new Date(input.occurredAt).toISOString() : now,
    userId,
    meta: null,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  await audited(
    ctx,
    { action: 'activity.created', recordType: 'activity', recordId: row.id, changes: diff(null, row) },
    ctx.db.insert(activities).values(row),
    ...(movesLastContacted(row) ? [lastContactedStatement(ctx.db, row.contactId!)] : []),
    ...(row.dealId ? [dealTouchedStatement(ctx.db, row.dealId, row.occurredAt, now)] : []),
  );
  return activityView(ctx, row);
}

/** The author edits and deletes their own entries; admins any. Hearth's own entries stay as written. */
function assertMayChange(ctx: Ctx, row: ActivityRow) {
  if (row.type === 'system') throw forbidden('Entries written by Hearth itself cannot be changed.');
  if (isAdminRole(ctx.actor.role)) return;
  if (ctx.actor.type === 'user' && row.userId === ctx.actor.id) return;
  throw forbidden('Only the author or an admin can change this activity.');
}

export async function updateActivity(ctx: Ctx, id: string, input: UpdateActivityInput) {
  const current = await findVisibleActivity(ctx, id);
  assertMayChange(ctx, current);
  const next: ActivityRow = {
    ...current,
    ...input,
    occurredAt: input.occurredAt ? new Date(input.occurredAt).toISOString() : current.occurredAt,
    updatedAt: ctx.now().toISOString(),
  };
  const { id: _id, workspaceId: _ws, createdAt: _c, ...changes } = next;
  await audited(
    ctx,
    { action: 'activity.updated', recordType: 'activity', recordId: id, changes: diff(current, next) },
    ctx.db.update(activities).set(changes).where(eq(activities.id, id)),
    ...(movesLastContacted(current) || movesLastContacted(next) ? [lastContactedStatement(ctx.db, current.contactId!)] : []),
    ...(current.dealId && input.occurredAt ? [dealTouchedStatement(ctx.db, current.dealId, next.occurredAt, next.updatedAt)] : []),
  );
  return activityView(ctx, next);
}

/** Soft delete: the row stays for the audit trail but leaves lists, timelines and search. */
export async function deleteActivity(ctx: Ctx, id: string): Promise<void> {
  const current = await findVisibleActivity(ctx, id);
  assertMayChange(ctx, current);
  const now = ctx.now().toISOString();
  await audited(
    ctx,
    { action: 'activity.deleted', recordType: 'activity', recordId: id, changes: diff({ deletedAt: null }, { deletedAt: now }) },
    ctx.db.update(activities).set({ deletedAt: now, updatedAt: now }).where(eq(activities.id, id)),
    ...(movesLastContacted(current) ? [lastContactedStatement(ctx.db, current.contactId!)] : []),
  );
}
