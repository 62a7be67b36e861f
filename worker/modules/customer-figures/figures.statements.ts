import { eq, sql, type SQL } from 'drizzle-orm';
import type { Db, Statement } from '../../db/client';
import { activities, auditLog, contacts, workspaceSettings, workspaces, type CustomerRules, type LifecycleStage } from '../../db/schema';
import type { Actor, RequestMeta } from '../../env';
import { newId } from '../../lib/ids';
import { DEFAULT_CUSTOMER_RULES, customerRulesInput } from './customer-rules.schema';

/** What the derived figures of a workspace's customers are computed against. */
export type CustomerSettings = { workspaceId: string; currency: string; rules: CustomerRules };

/** Rules as stored, or the defaults when none are stored (or what is stored no longer parses). */
export function rulesOrDefault(stored: unknown): CustomerRules {
  const parsed = customerRulesInput.safeParse(stored);
  return parsed.success ? (parsed.data as CustomerRules) : DEFAULT_CUSTOMER_RULES;
}

export async function loadCustomerSettings(db: Db, workspaceId: string): Promise<CustomerSettings | null> {
  const row = await db
    .select({ currency: workspaces.currency, rules: workspaceSettings.customerRules })
    .from(workspaces)
    .leftJoin(workspaceSettings, eq(workspaceSettings.workspaceId, workspaces.id))
    .where(eq(workspaces.id, workspaceId))
    .get();
  return row ? { workspaceId, currency: row.currency, rules: rulesOrDefault(row.rules) } : null;
}

/** One contact, or a range of contact ids `(after, upTo]` of the workspace (open ends allowed). */
export type ContactScope = { contactId: string } | { after: string | null; upTo: string | null };

function inScope(scope: ContactScope, idColumn: string): SQL {
  const id = sql.raw(idColumn);
  if ('contactId' in scope) return sql`${id} = ${scope.contactId}`;
  return sql`${scope.after ? sql`${id} > ${scope.after}` : sql`1`} and ${scope.upTo ? sql`${id} <= ${scope.upTo}` : sql`1`}`;
}

// Purchases are paid or fulfilled orders: a pending one may never be paid, the rest were undone.
const counted = sql.raw(`('paid', 'fulfilled')`);

/**
 * One UPDATE that recomputes, from the orders as they are when it runs, every derived figure of
 * the contacts in scope: total spent, order count, first and last purchase, and the RFM score and
 * segment. Being one statement it is atomic and right under concurrency, whichever order change
 * commits last. Only paid and fulfilled orders count; spend adds up orders in the workspace
 * currency only (amounts in different currencies do not add), while every counted order adds to
 * the count and the dates. Rows whose figures did not change are not written.
 *
 * Segment mapping (first match wins; F+M is frequency plus monetary score):
 * no counted order → none; R≥4 and F+M≥8 → champions; R≥4 and F=1 → new; R≥3 and F+M≥6 → loyal;
 * R≥3 → potential; R=2 and F+M≥6 → at_risk; R=2 → hibernating; R=1 → lost.
 */
export function refreshFiguresStatement(db: Db, settings: CustomerSettings, asOf: Date, scope: ContactScope): Statement {
  const [r5, r4, r3, r2] = settings.rules.rfm.recencyDays;
  const [f2, f3, f4, f5] = settings.rules.rfm.frequency;
  const [m2, m3, m4, m5] = settings.rules.rfm.monetary;
  const figures = sql`(
    select s.id, s.spent, s.cnt, s.first_at, s.last_at,
      case when s.cnt = 0 then null else s.r_score || s.f_score || s.m_score end as score,
      case
        when s.cnt = 0 then 'none'
        when s.r_score >= 4 and s.f_score + s.m_score >= 8 then 'champions'
        when s.r_score >= 4 and s.f_score = 1 then 'new'
        when s.r_score >= 3 and s.f_score + s.m_score >= 6 then 'loyal'
        when s.r_score >= 3 then 'potential'
        when s.r_score = 2 and s.f_score + s.m_score >= 6 then 'at_risk'
        when s.r_score = 2 then 'hibernating'
        else 'lost'
      end as segment
    from (
      select a.*,
        case when a.days <= ${r5} then 5 when a.days <= ${r4} then 4 when a.days <= ${r3} then 3 when a.days <= ${r2} then 2 else 1 end as r_score,
        case when a.cnt >= ${f5} then 5 when a.cnt >= ${f4} then 4 when a.cnt >= ${f3} then 3 when a.cnt >= ${f2} then 2 else 1 end as f_score,
        case when a.spent >= ${m5} then 5 when a.spent >= ${m4} then 4 when a.spent >= ${m3} then 3 when a.spent >= ${m2} then 2 else 1 end as m_score
      from (
        select c.id,
          coalesce(sum(case when o.currency = ${settings.currency} then o.total else 0 end), 0) as spent,
          count(o.id) as cnt, min(o.ordered_at) as first_at, max(o.ordered_at) as last_at,
          julianday(${asOf.toISOString()}) - julianday(max(o.ordered_at)) as days
        from contacts c
        left join orders o on o.contact_id = c.id and o.workspace_id = c.workspace_id and o.deleted_at is null and o.status in ${counted}
        where c.workspace_id = ${settings.workspaceId} and ${inScope(scope, 'c.id')}
        group by c.id
      ) a
    ) s
  ) f`;
  return db
    .update(contacts)
    .set({
      totalSpent: sql`f.spent`,
      orderCount: sql`f.cnt`,
      firstPurchaseAt: sql`f.first_at`,
      lastPurchaseAt: sql`f.last_at`,
      rfmScore: sql`f.score`,
      rfmSegment: sql`f.segment`,
    })
    .from(figures)
    .where(
      sql`contacts.id = f.id and (
        contacts.total_spent is not f.spent or contacts.order_count is not f.cnt
        or contacts.first_purchase_at is not f.first_at or contacts.last_purchase_at is not f.last_at
        or contacts.rfm_score is not f.score or contacts.rfm_segment is not f.segment)`,
    );
}

/** Who an automatic move is recorded against: the request that caused it, or the system. */
export type MoveCtx = { db: Db; actor: Actor; now: () => Date; meta: RequestMeta };

/** An id like newId()'s, with its random part drawn by SQLite so one statement can mint many. */
const sqlId = (prefix: string, now: Date) => sql<string>`${newId(prefix, now.getTime()).slice(0, prefix.length + 11)} || upper(hex(randomblob(8)))`;

/**
 * A lifecycle move of every contact matching `where` (SQL on the `contacts` table): a `system`
 * activity on its timeline, an audit row and the change itself, as three set-based statements to
 * run in one batch. Each statement re-checks `where`, and the update runs last and makes `where`
 * false, so a move that already happened is never made, logged or audited again.
 */
function lifecycleMove(ctx: MoveCtx, where: SQL, to: LifecycleStage, event: SQL): Statement[] {
  const now = ctx.now();
  const at = now.toISOString();
  // INSERT … SELECT through the query builder, which checks that the fields match the table's columns.
  const value = (v: unknown, name: string) => sql`${v}`.as(name);
  const none = (name: string) => sql`null`.as(name);
  return [
    ctx.db.insert(activities).select(
      ctx.db
        .select({
          id: sqlId('act', now).as('id'),
          workspaceId: contacts.workspaceId,
          type: sql<'system'>`'system'`.as('type'),
          contactId: contacts.id,
          companyId: contacts.companyId,
          dealId: none('deal_id'),
          subject: none('subject'),
          body: none('body'),
          outcome: none('outcome'),
          occurredAt: value(at, 'occurred_at'),
          userId: none('user_id'),
          meta: event.as('meta'),
          createdAt: value(at, 'created_at'),
          updatedAt: value(at, 'updated_at'),
          deletedAt: none('deleted_at'),
        })
        .from(contacts)
        .where(where),
    ),
    ctx.db.insert(auditLog).select(
      ctx.db
        .select({
          id: sqlId('aud', now).as('id'),
          workspaceId: contacts.workspaceId,
          actorType: value(ctx.actor.type, 'actor_type'),
          actorId: value(ctx.actor.id, 'actor_id'),
          action: value('contact.lifecycle_changed', 'action'),
          recordType: value('contact', 'record_type'),
          recordId: contacts.id,
          changes: sql`json_object('lifecycle', json_object('before', contacts.lifecycle, 'after', ${to}))`.as('changes'),
          ip: value(ctx.meta.ip, 'ip'),
          userAgent: value(ctx.meta.userAgent, 'user_agent'),
          requestId: value(ctx.meta.requestId, 'request_id'),
          createdAt: value(at, 'created_at'),
        })
        .from(contacts)
        .where(where),
    ),
    // The stage is a field people edit, so the move takes a version: a form opened before it gets 412.
    ctx.db.update(contacts).set({ lifecycle: to, version: sql`version + 1`, updatedAt: at }).where(where),
  ];
}

const DAY_MS = 86_400_000;
export const churnCutoff = (settings: CustomerSettings, asOf: Date) => new Date(asOf.getTime() - settings.rules.churnAfterDays * DAY_MS).toISOString();

/**
 * After an order change: a lead or prospect with a counted purchase becomes a customer, and so
 * does a churned contact whose last purchase is again recent enough. `order` must itself count,
 * so that the timeline entry names an order that really was a purchase.
 */
export function becomeCustomerStatements(ctx: MoveCtx, settings: CustomerSettings, contactId: string, order: { id: string; number: string | null }): Statement[] {
  const where = sql`contacts.id = ${contactId} and contacts.workspace_id = ${settings.workspaceId} and contacts.merged_into_id is null
    and (contacts.lifecycle in ('lead', 'prospect') or (contacts.lifecycle = 'churned' and contacts.last_purchase_at >= ${churnCutoff(settings, ctx.now())}))
    and exists (select 1 from orders where orders.id = ${order.id} and orders.status in ${counted} and orders.deleted_at is null)`;
  const event = sql`json_object('event', 'lifecycle.customer', 'from', contacts.lifecycle, 'to', 'customer', 'orderId', ${order.id}, 'orderNumber', ${order.number})`;
  return lifecycleMove(ctx, where, 'customer', event);
}

/** Customers in scope whose last purchase is older than the workspace's churn period become churned. */
export function churnStatements(ctx: MoveCtx, settings: CustomerSettings, scope: ContactScope): Statement[] {
  const where = sql`contacts.workspace_id = ${settings.workspaceId} and ${inScope(scope, 'contacts.id')}
    and contacts.lifecycle = 'customer' and contacts.last_purchase_at < ${churnCutoff(settings, ctx.now())}
    and contacts.deleted_at is null and contacts.merged_into_id is null`;
  const event = sql`json_object('event', 'lifecycle.churned', 'from', 'customer', 'to', 'churned', 'days', ${settings.rules.churnAfterDays}, 'lastPurchaseAt', contacts.last_purchase_at)`;
  return lifecycleMove(ctx, where, 'churned', event);
}

/** Everything the nightly pass does to one chunk of contacts: figures first, then churn on fresh dates. */
export function chunkStatements(ctx: MoveCtx, settings: CustomerSettings, scope: ContactScope): Statement[] {
  return [refreshFiguresStatement(ctx.db, settings, ctx.now(), scope), ...churnStatements(ctx, settings, scope)];
}
