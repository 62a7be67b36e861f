import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Db, Statement } from '../../db/client';
import { cadenceEnrollments, orderItems } from '../../db/schema';
import { idsIn } from './contacts.statements';

export type RecordKind = 'contact' | 'company';

/**
 * Tables whose rows hang off a contact or a company through `contact_id` / `company_id`. Merge
 * moves their rows to the surviving record; purge deletes them (`delete`) or only cuts the link
 * (`detach`: a deal or a task outlives the person it was about).
 *
 * Which of these tables and columns exist is read from the database itself at run time (a libSQL
 * database may be a migration behind while it is being upgraded), never assumed.
 */
const DEPENDENT_TABLES = [
  { table: 'activities', onPurge: 'delete' },
  { table: 'orders', onPurge: 'delete' },
  { table: 'tickets', onPurge: 'delete' },
  { table: 'deals', onPurge: 'detach' },
  { table: 'tasks', onPurge: 'detach' },
  // What a person typed into a form is theirs: it goes with them.
  { table: 'form_submissions', onPurge: 'delete' },
  { table: 'leads', onPurge: 'delete' },
  { table: 'cadence_enrollments', onPurge: 'delete' },
] as const;

export type Dependent = { table: string; onPurge: 'delete' | 'detach'; contactColumn: boolean; companyColumn: boolean };

/** The link columns of a dependent table, enough for the query builders to write to it. */
const linkTable = (name: string) =>
  sqliteTable(name, { id: text('id'), workspaceId: text('workspace_id'), contactId: text('contact_id'), companyId: text('company_id') });

const has = (d: Dependent, kind: RecordKind) => (kind === 'contact' ? d.contactColumn : d.companyColumn);

/**
 * The dependent tables present in this database, with the link columns each one has. `PRAGMA
 * table_info` (one batch, one round trip) answers no rows for a table that does not exist.
 */
export async function presentDependents(db: Db): Promise<Dependent[]> {
  const infos = (await db.batch(
    DEPENDENT_TABLES.map((d) => db.all<{ name: string }>(sql.raw(`pragma table_info(${d.table})`))) as unknown as [Statement, ...Statement[]],
  )) as { name: string }[][];
  return DEPENDENT_TABLES.flatMap((d, i) => {
    const cols = new Set(infos[i].map((c) => c.name));
    if (!cols.has('workspace_id')) return [];
    return [{ table: d.table, onPurge: d.onPurge, contactColumn: cols.has('contact_id'), companyColumn: cols.has('company_id') }];
  });
}

/**
 * Statements that move every dependent row of `sourceId` onto `targetId`. A follow-up plan both
 * people are on keeps running once, for the target: the source's run of it stops first.
 */
export function moveDependents(db: Db, deps: Dependent[], kind: RecordKind, workspaceId: string, sourceId: string, targetId: string): Statement[] {
  const running = sql`${cadenceEnrollments.status} in ('active', 'paused')`;
  const stopTwins =
    kind === 'contact' && deps.some((d) => d.table === 'cadence_enrollments')
      ? [
          db
            .update(cadenceEnrollments)
            .set({ status: 'stopped', stoppedReason: 'merged', nextStepAt: null })
            .where(
              and(
                eq(cadenceEnrollments.workspaceId, workspaceId),
                eq(cadenceEnrollments.contactId, sourceId),
                running,
                sql`${cadenceEnrollments.cadenceId} in (select ${cadenceEnrollments.cadenceId} from ${cadenceEnrollments} where ${cadenceEnrollments.contactId} = ${targetId} and ${running})`,
              ),
            ),
        ]
      : [];
  return [
    ...stopTwins,
    ...deps
      .filter((d) => has(d, kind))
      .map((d) => {
        const t = linkTable(d.table);
        const col = kind === 'contact' ? t.contactId : t.companyId;
        return db
          .update(t)
          .set(kind === 'contact' ? { contactId: targetId } : { companyId: targetId })
          .where(and(eq(t.workspaceId, workspaceId), eq(col, sourceId)));
      }),
  ];
}

/**
 * Statements that remove what hangs off records being purged. For a company, only rows about the
 * company alone are deleted; rows that also name a contact belong to that person and are kept,
 * just no longer linked to the company.
 */
export function purgeDependents(db: Db, deps: Dependent[], kind: RecordKind, ids: string[]): Statement[] {
  const statements: Statement[] = [];
  for (const d of deps.filter((x) => has(x, kind))) {
    const t = linkTable(d.table);
    const col = kind === 'contact' ? t.contactId : t.companyId;
    const linked = sql`${col} in ${idsIn(ids)}`;
    const onlyThisRecord = kind === 'company' && d.contactColumn ? and(linked, isNull(t.contactId))! : linked;
    if (d.onPurge === 'delete') {
      if (d.table === 'orders') {
        statements.push(db.delete(orderItems).where(inArray(orderItems.orderId, db.select({ id: t.id }).from(t).where(onlyThisRecord))));
      }
      statements.push(db.delete(t).where(onlyThisRecord));
      if (kind === 'contact' || !d.contactColumn) continue;
    }
    statements.push(db.update(t).set(kind === 'contact' ? { contactId: null } : { companyId: null }).where(linked));
  }
  return statements;
}
