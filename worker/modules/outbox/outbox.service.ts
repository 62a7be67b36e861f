import { and, eq } from 'drizzle-orm';
import { outbox } from '../../db/schema';
import type { Ctx } from '../../lib/context';
import { notFound } from '../../lib/errors';
import { keyset, toPage, type PageQuery } from '../../lib/pagination';

export async function listOutbox(ctx: Ctx, query: PageQuery) {
  const page = keyset(query, outbox.createdAt, outbox.id, 'desc');
  const rows = await ctx.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.workspaceId, ctx.actor.workspaceId), page.where))
    .orderBy(...page.orderBy)
    .limit(page.limit);
  return toPage(rows, query, (r) => ({ k: r.createdAt, id: r.id }));
}

export async function getOutboxMessage(ctx: Ctx, id: string) {
  const row = await ctx.db.select().from(outbox).where(and(eq(outbox.id, id), eq(outbox.workspaceId, ctx.actor.workspaceId))).get();
  if (!row) throw notFound('Message');
  return row;
}
