import { and, eq, sql } from 'drizzle-orm';
import type { Statement } from '../../db/client';
import { deals, pipelineStages, workspaces } from '../../db/schema';
import type { Ctx } from '../../lib/context';
import { keyset, toPage } from '../../lib/pagination';
import { defaultPipeline, findPipeline, pipelineView } from '../pipelines/pipelines.service';
import type { BoardQuery } from './deals.schema';
import { dealConditions, dealView, selectDeals, type JoinedDeal } from './deals.service';

/**
 * The kanban of a pipeline: per stage, the number of deals, their amount and weighted amount
 * (deals in the workspace currency; the count takes all), and the first cards, newest change
 * first. One batch: the figures are one grouped query, the cards one query per stage. The next
 * cards of a column come from the list (`/deals?pipelineId&stageId&cursor`), in the same order.
 */
export async function board(ctx: Ctx, query: BoardQuery) {
  const { pipeline, stages } = query.pipelineId ? await findPipeline(ctx, query.pipelineId) : await defaultPipeline(ctx);
  const where = and(...dealConditions(ctx, { ...query, pipelineId: pipeline.id }));
  const currency = sql`(select ${workspaces.currency} from ${workspaces} where ${workspaces.id} = ${ctx.actor.workspaceId})`;
  const page = { limit: query.cardsPerStage };
  const cards = stages.map((s) => {
    const k = keyset(page, deals.updatedAt, deals.id, 'desc');
    return selectDeals(ctx).where(and(where, eq(deals.stageId, s.id))).orderBy(...k.orderBy).limit(k.limit);
  });
  const [ws, totals, ...columns] = (await ctx.db.batch([
    ctx.db.select({ currency: workspaces.currency }).from(workspaces).where(eq(workspaces.id, ctx.actor.workspaceId)),
    ctx.db
      .select({
        stageId: deals.stageId,
        count: sql<number>`count(*)`,
        amount: sql<number>`coalesce(sum(case when ${deals.currency} = ${currency} then ${deals.amount} else 0 end), 0)`,
        weightedAmount: sql<number>`coalesce(sum(case when ${deals.currency} = ${currency} then cast(round(${deals.amount} * ${pipelineStages.probability} / 100.0) as integer) else 0 end), 0)`,
      })
      .from(deals)
      .innerJoin(pipelineStages, eq(pipelineStages.id, deals.stageId))
      .where(where)
      .groupBy(deals.stageId),
    ...cards,
  ] as unknown as [Statement, ...Statement[]])) as [{ currency: string }[], { stageId: string; count: number; amount: number; weightedAmount: number }[], ...JoinedDeal[][]];
  const byStage = new Map(totals.map((t) => [t.stageId, t]));
  const view = pipelineView(pipeline, stages);
  return {
    pipeline: view,
    currency: ws[0]?.currency ?? 'CNY',
    columns: view.stages.map((stage, i) => {
      const t = byStage.get(stage.id);
      const result = toPage(columns[i], page, (r) => ({ k: r.deal.updatedAt, id: r.deal.id }));
      return {
        stage,
        count: Number(t?.count ?? 0),
        amount: Number(t?.amount ?? 0),
        weightedAmount: Number(t?.weightedAmount ?? 0),
        deals: result.items.map((r) => dealView(ctx, r)),
        nextCursor: result.nextCursor,
      };
    }),
  };
}

