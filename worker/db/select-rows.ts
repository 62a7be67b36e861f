import * as orm from 'drizzle-orm';
import { Column, SQL, is } from 'drizzle-orm';
import type { Db } from './client';

// drizzle's own field ordering (exported at runtime, untyped): the SQL it builds lists the columns in it.
const { orderSelectedFields } = orm as unknown as { orderSelectedFields: (fields: Record<string, unknown>) => { path: string[]; field: unknown }[] };

type Decoder = { mapFromDriverValue(value: unknown): unknown };
type SelectInternals = {
  _: { selectedFields: Record<string, unknown> };
  config: { joins?: unknown[] };
  toSQL(): { sql: string; params: unknown[] };
};

/**
 * How drizzle maps a select of one table (no joins) from rows as arrays, with each column's decoder
 * found once per query instead of once per cell: on a 50-row page of a wide table drizzle's
 * per-cell type checks cost more Worker CPU than the D1 call itself. Null for other queries.
 */
export function rowMapperOf<T>(query: unknown): ((rows: unknown[][]) => T[]) | null {
  const internals = query as SelectInternals;
  if (!internals?._?.selectedFields || internals.config?.joins?.length) return null;
  const fields = orderSelectedFields(internals._.selectedFields);
  const decoders: (Decoder | undefined)[] = fields.map(({ field }) =>
    is(field, Column) ? (field as Decoder) : is(field, SQL) ? ((field as unknown as { decoder: Decoder }).decoder) : ((field as { sql?: { decoder?: Decoder } }).sql?.decoder),
  );
  const paths = fields.map((f) => f.path);
  return (rows) =>
    rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < paths.length; i++) {
        const path = paths[i];
        const raw = row[i];
        const value = raw === null || raw === undefined ? null : decoders[i] ? decoders[i]!.mapFromDriverValue(raw) : raw;
        if (path.length === 1) {
          out[path[0]] = value;
          continue;
        }
        let node = out;
        for (let p = 0; p < path.length - 1; p++) node = (node[path[p]] ??= {}) as Record<string, unknown>;
        node[path[path.length - 1]] = value;
      }
      return out as T;
    });
}

/** Runs a select of one table with {@link rowMapperOf}'s mapping; joins and libSQL go through drizzle unchanged. */
export async function selectRows<T>(db: Db, query: PromiseLike<T[]>): Promise<T[]> {
  const client = (db as unknown as { $client?: D1Database }).$client;
  const map = typeof client?.prepare === 'function' ? rowMapperOf<T>(query) : null;
  if (!map) return query;
  const { sql, params } = (query as unknown as SelectInternals).toSQL();
  return map(await client!.prepare(sql).bind(...params).raw());
}
