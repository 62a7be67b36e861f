import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, Statement } from '../../db/client';
import { activities, contacts, users } from '../../db/schema';
import type { Ctx } from '../../lib/context';
import { audited, diff } from '../../lib/audit';
import { forbidden, invalidField, notFound } from '../../lib/errors';
import { asLocale } from '../../lib/i18n';
import { newId } from '../../lib/ids';
import { keyset, toPage } from '../../lib/pagination';
import { isAdminRole } from '../../lib/permissions';
import { linkedVisibleTo, resolveLink } from '../history/linked';
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

const movesLastContacted = (row: Pick<ActivityRow, 'type' | 'contactId'>) => Boolean(row.contactId) && (CONTACTING_TYPES as readonly string[]).includes(row.type);

export async function findVisibleActivity(ctx: Ctx, id: string): Promise<ActivityRow> {
  const row = await ctx.db
    .select()
    .from(activities)
    .where(and(eq(activities.id, id), linkedVisibleTo(ctx, activities), isNull(activities.deletedAt)))
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
        linkedVisibleTo(ctx, activities),
        isNull(activities.deletedAt),
        query.contactId ? eq(activities.contactId, query.contactId) : undefined,
        query.companyId ? eq(activities.companyId, query.companyId) : undefined,
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

export async function createActivity(ctx: Ctx, input: CreateActivityInput) {
  const [link, userId] = await Promise.all([resolveLink(ctx, input), resolveUser(ctx, input.userId)]);
  const now = ctx.now().toISOString();
  const row: ActivityRow = {
    id: newId('act'),
    workspaceId: ctx.actor.workspaceId,
    type: input.type,
    ...link,
    dealId: null,
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
