import { and, eq, gte, like, lt } from 'drizzle-orm';
import { auditLog } from '../../db/schema';
import type { Ctx } from '../../lib/context';
import { keyset, toPage } from '../../lib/pagination';
import type { ListAuditQuery } from './audit.schema';

/** Newest first; `action` ending in `.` or `*` matches a family (`auth.*`). */
export async function listAudit(ctx: Ctx, query: ListAuditQuery) {
  const page = keyset(query, auditLog.createdAt, auditLog.id, 'desc');
  const action = query.action?.replace(/\*$/, '');
  const rows = await ctx.db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.workspaceId, ctx.actor.workspaceId),
        action ? (action.endsWith('.') ? like(auditLog.action, `${action}%`) : eq(auditLog.action, action)) : undefined,
        query.actorId ? eq(auditLog.actorId, query.actorId) : undefined,
        query.recordType ? eq(auditLog.recordType, query.recordType) : undefined,
        query.recordId ? eq(auditLog.recordId, query.recordId) : undefined,
        query.from ? gte(auditLog.createdAt, new Date(query.from).toISOString()) : undefined,
        query.to ? lt(auditLog.createdAt, new Date(query.to).toISOString()) : undefined,
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(page.limit);
  return toPage(rows, query, (r) => ({ k: r.createdAt, id: r.id }));
}
