import { and, eq } from 'drizzle-orm';
import { outbox } from '../../db/schema';
import type { Ctx } from '../../lib/context';
import { notFound } from '../../lib/errors';
import { keyset, toPage, type PageQuery } from '../../lib/pagination';

type OutboxRow = typeof outbox.$inferSelect;

// A password reset link is a key to its recipient's account: an admin (or an API key with
// outbox:read) reading someone else's would take that account over, the owner's included.
const PRIVATE_KINDS = new Set(['password_reset']);

function readableBy(ctx: Ctx, row: OutboxRow): OutboxRow {
  if (!PRIVATE_KINDS.has(row.kind)) return row;
  if (ctx.actor.type === 'user' && ctx.actor.email === row.toAddress) return row;
  return { ...row, textBody: '[Only the recipient can read this message.]', htmlBody: null };
}

export async function listOutbox(ctx: Ctx, query: PageQuery) {
  const page = keyset(query, outbox.createdAt, outbox.id, 'desc');
  const rows = await ctx.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.workspaceId, ctx.actor.workspaceId), page.where))
    .orderBy(...page.orderBy)
    .limit(page.limit);
  const result = toPage(rows, query, (r) => ({ k: r.createdAt, id: r.id }));
  return { ...result, items: result.items.map((r) => readableBy(ctx, r)) };
}

export async function getOutboxMessage(ctx: Ctx, id: string) {
  const row = await ctx.db.select().from(outbox).where(and(eq(outbox.id, id), eq(outbox.workspaceId, ctx.actor.workspaceId))).get();
  if (!row) throw notFound('Message');
  return readableBy(ctx, row);
}
