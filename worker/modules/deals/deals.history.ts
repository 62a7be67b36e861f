import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { activities, dealStageHistory, pipelineStages, users } from '../../db/schema';
import type { Ctx } from '../../lib/context';
import { keyset, toPage, type PageQuery } from '../../lib/pagination';
import { can } from '../../lib/permissions';
import { activityView } from '../activities/activities.service';
import { linkedVisibleTo } from '../history/linked';
import { findVisibleDeal } from './deals.service';

const fromStage = alias(pipelineStages, 'from_stage');
const toStage = alias(pipelineStages, 'to_stage');

/**
 * Every stage change of a deal, oldest first (who, when, from where to where, how long it sat in
 * the stage it left), and the total time spent in each stage, the current one up to now.
 */
export async function dealHistory(ctx: Ctx, id: string) {
  const deal = await findVisibleDeal(ctx, id);
  const rows = await ctx.db
    .select({
      id: dealStageHistory.id,
      fromStageId: dealStageHistory.fromStageId,
      fromStageName: sql<string | null>`${fromStage.name}`.as('from_stage_name'),
      toStageId: dealStageHistory.toStageId,
      toStageName: sql<string | null>`${toStage.name}`.as('to_stage_name'),
      movedBy: dealStageHistory.movedBy,
      movedByName: sql<string | null>`${users.name}`.as('moved_by_name'),
      movedAt: dealStageHistory.movedAt,
      secondsInPrevious: dealStageHistory.secondsInPrevious,
    })
    .from(dealStageHistory)
    .leftJoin(fromStage, eq(fromStage.id, dealStageHistory.fromStageId))
    .leftJoin(toStage, eq(toStage.id, dealStageHistory.toStageId))
    .leftJoin(users, eq(users.id, dealStageHistory.movedBy))
    .where(and(eq(dealStageHistory.dealId, id), eq(dealStageHistory.workspaceId, ctx.actor.workspaceId)))
    .orderBy(asc(dealStageHistory.movedAt), asc(dealStageHistory.id));
  const time = new Map<string, { stageId: string; stageName: string | null; seconds: number }>();
  const add = (stageId: string, stageName: string | null, seconds: number) => {
    const entry = time.get(stageId) ?? { stageId, stageName, seconds: 0 };
    entry.seconds += seconds;
    time.set(stageId, entry);
  };
  for (const r of rows) if (r.fromStageId) add(r.fromStageId, r.fromStageName, r.secondsInPrevious ?? 0);
  const current = rows.findLast((r) => r.toStageId === deal.stageId);
  add(deal.stageId, current?.toStageName ?? null, Math.max(0, Math.round((ctx.now().getTime() - Date.parse(deal.stageEnteredAt)) / 1000)));
  return { items: rows, timeInStage: [...time.values()] };
}

/**
 * A deal's timeline, shared with its customer: the deal's own entries plus everything on its
 * contact's and company's timelines that the reader may see, newest first (the entry shape of
 * the customer timeline).
 */
export async function dealTimeline(ctx: Ctx, id: string, query: PageQuery) {
  const deal = await findVisibleDeal(ctx, id);
  const page = keyset(query, activities.occurredAt, sql`'a:' || ${activities.id}` as never, 'desc');
  if (!can(ctx.actor, 'activities:read')) return { items: [], nextCursor: null };
  const visibleCustomer = linkedVisibleTo(ctx, activities);
  const rows = await ctx.db
    .select()
    .from(activities)
    .where(
      and(
        eq(activities.workspaceId, ctx.actor.workspaceId),
        isNull(activities.deletedAt),
        or(
          eq(activities.dealId, id),
          deal.contactId ? and(eq(activities.contactId, deal.contactId), visibleCustomer) : undefined,
          deal.companyId ? and(eq(activities.companyId, deal.companyId), visibleCustomer) : undefined,
        ),
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(page.limit);
  const entries = rows.map((row) => ({ key: `a:${row.id}`, kind: 'activity' as const, at: row.occurredAt, activity: activityView(ctx, row) }));
  return toPage(entries, query, (e) => ({ k: e.at, id: e.key }));
}
