import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db, Statement } from '../../db/client';

type Column = { name: string; default?: unknown; hasDefault?: boolean; mapToDriverValue: (v: unknown) => unknown };

/**
 * `insert … select … where <guard>`: an insert that only happens when the guard holds at that
 * moment of the batch. D1 has no interactive transactions, so a versioned change writes its
 * dependent rows (stage history, timeline entries) guarded by "the version bump of this very
 * batch happened": a stale request then writes nothing at all. Values follow the table's column
 * order (drizzle lists every column for an insert … select); missing ones take their default.
 */
export function insertIf<T extends SQLiteTable>(db: Db, table: T, row: Partial<T['$inferInsert']>, guard: SQL): Statement {
  const columns = Object.entries(getTableColumns(table) as Record<string, Column>);
  const values = sql.join(
    columns.map(([key, column]) => {
      const given = (row as Record<string, unknown>)[key];
      const value = given !== undefined ? given : column.hasDefault && typeof column.default !== 'function' ? column.default : null;
      return value === null || value === undefined ? sql`null` : sql`${column.mapToDriverValue(value)}`;
    }),
    sql`, `,
  );
  return db.insert(table).select(sql`select ${values} where ${guard}`) as unknown as Statement;
}

/** Guard: the row `id` of `table` now carries exactly this version and update stamp. */
export function bumped(table: SQLiteTable & { id: unknown; version: unknown; updatedAt: unknown }, id: string, version: number, updatedAt: string): SQL {
  const t = table as unknown as { id: SQL; version: SQL; updatedAt: SQL };
  return sql`exists (select 1 from ${table} where ${t.id} = ${id} and ${t.version} = ${version} and ${t.updatedAt} = ${updatedAt})`;
}
