import { sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

/**
 * `column IN (…values)` with the whole list bound as ONE JSON parameter. D1 allows 100 bound
 * parameters per statement, so a plain `inArray` over a page of 200 ids would be refused.
 */
export function inList(column: SQLiteColumn | SQL, values: readonly (string | number)[]): SQL {
  return sql`${column} in (select value from json_each(${JSON.stringify(values)}))`;
}
