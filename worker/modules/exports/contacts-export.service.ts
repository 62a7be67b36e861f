import { and, eq } from 'drizzle-orm';
import { companies, users } from '../../db/schema';
import { inList } from '../../db/in-list';
import type { Ctx } from '../../lib/context';
import { auditStatement } from '../../lib/audit';
import { runBatch } from '../../db/client';
import { CSV_BOM, csvRow } from '../../lib/csv';
import { listContacts } from '../contacts/contacts.service';
import type { ListContactsQuery } from '../contacts/contacts.schema';

// A synchronous export stays well inside one invocation's 1,000 queries: 4 per page of 500.
const PAGE = 500;
export const MAX_EXPORT_ROWS = 50_000;

const HEADER = ['id', 'name', 'company', 'emails', 'phones', 'owner', 'lifecycle', 'source', 'rfm_segment', 'total_spent', 'order_count', 'last_purchase_at', 'last_contacted_at', 'tags', 'created_at'];

/**
 * The customer list as CSV, through the same filter (and so the same visibility) as the list:
 * a record the actor may not see is never in it. Streamed page by page.
 */
export async function exportContactsCsv(ctx: Ctx, filters: Omit<ListContactsQuery, 'limit' | 'cursor'>): Promise<ReadableStream<Uint8Array>> {
  await runBatch(ctx.db, [auditStatement(ctx, { action: 'contact.exported', recordType: 'contact', changes: { filters: { after: filters } } })]);
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let written = 0;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(CSV_BOM + csvRow(HEADER)));
      }
      const page = await listContacts(ctx, { ...filters, limit: PAGE, cursor }, { exhaustive: true });
      const companyIds = [...new Set(page.items.map((c) => c.companyId).filter((id): id is string => Boolean(id)))];
      const ownerIds = [...new Set(page.items.map((c) => c.ownerId).filter((id): id is string => Boolean(id)))];
      const [companyRows, ownerRows] = await Promise.all([
        companyIds.length ? ctx.db.select({ id: companies.id, name: companies.name }).from(companies).where(and(eq(companies.workspaceId, ctx.actor.workspaceId), inList(companies.id, companyIds))) : [],
        ownerIds.length ? ctx.db.select({ id: users.id, name: users.name }).from(users).where(and(eq(users.workspaceId, ctx.actor.workspaceId), inList(users.id, ownerIds))) : [],
      ]);
      const companyName = new Map(companyRows.map((c) => [c.id, c.name]));
      const ownerName = new Map(ownerRows.map((u) => [u.id, u.name]));
      let chunk = '';
      for (const c of page.items) {
        chunk += csvRow([
          c.id,
          c.name,
          c.companyId ? companyName.get(c.companyId) : '',
          c.emails,
          c.phones,
          c.ownerId ? ownerName.get(c.ownerId) : '',
          c.lifecycle,
          c.source,
          c.rfmSegment,
          (c.totalSpent / 100).toFixed(2),
          c.orderCount,
          c.lastPurchaseAt,
          c.lastContactedAt,
          c.tags.map((t) => t.name),
          c.createdAt,
        ]);
      }
      written += page.items.length;
      if (chunk) controller.enqueue(encoder.encode(chunk));
      cursor = page.nextCursor ?? undefined;
      if (!cursor || written >= MAX_EXPORT_ROWS) controller.close();
    },
  });
}
