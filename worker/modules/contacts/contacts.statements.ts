import { and, eq, isNotNull, sql, type SQL } from 'drizzle-orm';
import { activities, auditLog, companies, contacts, orders, recordTags, tickets } from '../../db/schema';
import type { Statement } from '../../db/client';
import type { Ctx } from '../../lib/context';
import { newId } from '../../lib/ids';

// drizzle's D1 driver cannot batch raw `db.run(sql)` statements that carry parameters, so every
// statement meant for a batch here is built with the query builders, raw SQL only inside them.

/** An id like newId()'s, with its random part drawn by SQLite, so that one statement can mint many. */
export const sqlId = (prefix: string, now: Date) => sql`${newId(prefix, now.getTime()).slice(0, prefix.length + 11)} || upper(hex(randomblob(8)))`;

/** A set of ids as one bound parameter: any number of ids stays within D1's 100 parameters. */
export const idsIn = (ids: string[]) => sql`(select value from json_each(${JSON.stringify(ids)}))`;

type AuditCtx = Pick<Ctx, 'db' | 'actor' | 'now' | 'meta'>;

/**
 * One audit row for every contact (or company) matching `where`, written by a single
 * INSERT … SELECT that returns the ids it audited. Placed before the UPDATE it describes in the
 * same batch, it reads the values as they were and matches exactly the rows the update changes.
 */
export function auditEachStatement(ctx: AuditCtx, e: { action: string; recordType: 'contact' | 'company'; where: SQL; changes: SQL }) {
  const table = e.recordType === 'contact' ? contacts : companies;
  const at = ctx.now();
  // Columns in audit_log's declared order: the builder inserts into all of them.
  return ctx.db
    .insert(auditLog)
    .select(
      sql`select ${sqlId('aud', at)}, ${table.workspaceId}, ${ctx.actor.type}, ${ctx.actor.id}, ${e.action}, ${e.recordType}, ${table.id}, ${e.changes},
        ${ctx.meta.ip}, ${ctx.meta.userAgent}, ${ctx.meta.requestId}, ${at.toISOString()} from ${table} where ${e.where}`,
    )
    .returning({ recordId: auditLog.recordId });
}

/** Statements that give the target every tag of the source, and take them off the source. */
export function moveTags(ctx: Pick<Ctx, 'db'>, recordType: 'contact' | 'company', sourceId: string, targetId: string): Statement[] {
  const ofSource = and(eq(recordTags.recordType, recordType), eq(recordTags.recordId, sourceId));
  return [
    ctx.db
      .insert(recordTags)
      .select(sql`select ${recordTags.workspaceId}, ${recordTags.tagId}, ${recordType}, ${targetId} from ${recordTags} where ${ofSource}`)
      .onConflictDoNothing(),
    ctx.db.delete(recordTags).where(ofSource),
  ];
}

/** Every value of an audit row's changes, replaced by a marker; the field names stay. */
const erasedValues = sql`(select json_group_object(key, json('{"erased":true}')) from json_each(${auditLog.changes}))`;

/**
 * Blanks the values in the audit rows about records whose personal data is gone (erased or
 * purged): what was done, when and by whom stays; what the values were does not.
 */
export function redactAuditStatement(ctx: Pick<Ctx, 'db'>, workspaceId: string, recordType: 'contact' | 'company', ids: string[]): Statement {
  return ctx.db
    .update(auditLog)
    .set({ changes: erasedValues })
    .where(and(eq(auditLog.workspaceId, workspaceId), eq(auditLog.recordType, recordType), sql`${auditLog.recordId} in ${idsIn(ids)}`, isNotNull(auditLog.changes)));
}

/**
 * The same for what was written about these contacts: the audit rows of their activities and
 * tickets lose their values (notes, descriptions), those of their orders only the free-text note,
 * so that amounts and statuses stay traceable. To run before those rows are deleted or moved.
 */
export function redactHistoryAuditStatements(ctx: Pick<Ctx, 'db'>, workspaceId: string, contactIds: string[]): Statement[] {
  const about = (recordType: string, ofContacts: SQL) =>
    and(eq(auditLog.workspaceId, workspaceId), eq(auditLog.recordType, recordType), sql`${auditLog.recordId} in (${ofContacts})`, isNotNull(auditLog.changes));
  const theirs = (table: typeof activities | typeof orders | typeof tickets) =>
    sql`select ${table.id} from ${table} where ${table.workspaceId} = ${workspaceId} and ${table.contactId} in ${idsIn(contactIds)}`;
  return [
    ctx.db.update(auditLog).set({ changes: erasedValues }).where(about('activity', theirs(activities))),
    ctx.db.update(auditLog).set({ changes: erasedValues }).where(about('ticket', theirs(tickets))),
    ctx.db
      .update(auditLog)
      .set({ changes: sql`json_set(${auditLog.changes}, '$.note', json('{"erased":true}'))` })
      .where(and(about('order', theirs(orders)), sql`json_type(${auditLog.changes}, '$.note') is not null`)),
  ];
}
