import { and, ne, or, isNull, sql } from 'drizzle-orm';
import type { Statement } from '../../db/client';
import { deals } from '../../db/schema';
import { inList } from '../../db/in-list';
import type { Ctx } from '../../lib/context';
import { auditStatement } from '../../lib/audit';
import { runBatch } from '../../db/client';
import { newId } from '../../lib/ids';
import { assertAssignable } from '../contacts/contacts.service';
import { notify } from '../notifications/notifications.service';
import { dealStrings } from './deals.messages';
import type { BulkReassignInput } from './deals.schema';
import { afterWrite, dealVisibleTo } from './deals.service';

const CHUNK = 100;

/**
 * Gives many deals a new owner. Only deals the actor may see change (the rest are reported as
 * skipped, as are those already with that owner); each changed deal gets an audit row, and the
 * new owner one notification for the lot.
 */
export async function bulkReassign(ctx: Ctx, input: BulkReassignInput) {
  await assertAssignable(ctx, input.ownerId);
  const ids = [...new Set(input.ids)];
  const targets = await ctx.db
    .select({ id: deals.id, ownerId: deals.ownerId })
    .from(deals)
    .where(and(dealVisibleTo(ctx), inList(deals.id, ids), or(isNull(deals.ownerId), ne(deals.ownerId, input.ownerId))));
  const changing = new Set(targets.map((t) => t.id));
  const at = ctx.now().toISOString();
  const statements: Statement[] = [];
  for (let i = 0; i < targets.length; i += CHUNK) {
    const chunk = targets.slice(i, i + CHUNK).map((t) => t.id);
    statements.push(
      ctx.db
        .update(deals)
        .set({ ownerId: input.ownerId, version: sql`${deals.version} + 1`, updatedAt: at, lastActivityAt: at })
        .where(and(inList(deals.id, chunk), dealVisibleTo(ctx))),
    );
  }
  for (const t of targets) {
    statements.push(auditStatement(ctx, { action: 'deal.reassigned', recordType: 'deal', recordId: t.id, changes: { ownerId: { before: t.ownerId, after: input.ownerId } } }));
  }
  // D1 limits a batch's size: write in slices (each slice is atomic; a retry finds those done skipped).
  for (let i = 0; i < statements.length; i += 200) await runBatch(ctx.db, statements.slice(i, i + 200));
  const updated = targets.length;
  const actorId = ctx.actor.type === 'user' ? ctx.actor.id : null;
  if (updated > 0 && input.ownerId !== actorId) {
    const actorName = ctx.actor.type === 'user' ? ctx.actor.name : null;
    const count = String(updated);
    const send = () =>
      notify(
        { db: ctx.db, env: ctx.env, now: ctx.now },
        {
          workspaceId: ctx.actor.workspaceId,
          userId: input.ownerId,
          kind: 'deal.assigned',
          key: `deals.bulk_assigned:${input.ownerId}:${newId('blk')}`,
          link: `/deals?ownerId=${input.ownerId}`,
          message: (locale) => ({
            title: dealStrings(locale, 'bulk.title', { count }),
            body: dealStrings(locale, 'bulk.body', { count, actor: actorName ?? dealStrings(locale, 'someone') }),
          }),
          email: true,
        },
      );
    await afterWrite(`notifying ${input.ownerId} of a bulk reassignment`, send);
  }
  return { updated, skipped: ids.filter((id) => !changing.has(id)) };
}

