import { Param, Placeholder, sql } from 'drizzle-orm';
import type { Db } from './client';
import { rowMapperOf } from './select-rows';

type PreparedQuery = {
  getQuery(): { sql: string; params: unknown[] };
  mapResult(result: unknown, isFromBatch?: boolean): unknown;
  executeMethod: 'run' | 'all' | 'get';
  fields?: unknown;
  customResultMapper?: unknown;
};
type Fill = (values: Record<string, unknown>) => unknown;
type Entry = { sql: string; fills: Fill[]; prepared: PreparedQuery; mapRows: ((rows: unknown[][]) => unknown[]) | null };

const entries = new Map<string, Entry>();
const ENTRY_LIMIT = 200;

/**
 * How each parameter of the built SQL gets its value: a placeholder's, encoded like its column as
 * the builder would (a null stays NULL, not the JSON text "null"), or a constant.
 */
function fillOf(param: unknown): Fill {
  if (param instanceof Placeholder) return (values) => valueOf(values, param.name);
  if (param instanceof Param && param.value instanceof Placeholder) {
    const { encoder } = param as unknown as { encoder?: { mapToDriverValue(v: unknown): unknown } };
    const name = param.value.name;
    return (values) => {
      const value = valueOf(values, name);
      return value === null || !encoder ? value : encoder.mapToDriverValue(value);
    };
  }
  return () => param;
}

/** A value by name; undefined binds as NULL (D1 refuses undefined). */
function valueOf(values: Record<string, unknown>, name: string): unknown {
  if (!(name in values)) throw new Error(`no value for "${name}"`);
  return values[name] ?? null;
}

/**
 * A statement of fixed shape whose SQL drizzle builds once per isolate (by `key`) instead of on
 * every call: `build` writes it with `v(name)` where a value goes, and it runs with `values`. The
 * result is awaited or put in a batch like the query `build` returns, and maps its rows the same
 * way. On the hot paths (the public form endpoint, lead processing) drizzle's SQL building cost
 * more Worker CPU than the D1 call itself. Without a D1 binding (libSQL) the query is built as usual.
 *
 * The same `key` must always build the same statement: values go through `v()`, never into the shape.
 */
export function cachedQuery<Q>(db: Db, key: string, values: Record<string, unknown>, build: (v: (name: string) => never) => Q): Q {
  const client = (db as unknown as { $client?: D1Database }).$client;
  if (typeof client?.prepare !== 'function') return build(((name: string) => valueOf(values, name)) as (name: string) => never);
  let entry = entries.get(key);
  if (!entry) {
    const built = build(((name: string) => sql.placeholder(name)) as unknown as (name: string) => never);
    const prepared = (built as unknown as { _prepare(): PreparedQuery })._prepare();
    const query = prepared.getQuery();
    entry = { sql: query.sql, fills: query.params.map(fillOf), prepared, mapRows: rowMapperOf(built) };
    if (entries.size >= ENTRY_LIMIT) entries.delete(entries.keys().next().value!);
    entries.set(key, entry);
  }
  const { sql: text, fills, prepared, mapRows } = entry;
  const params = fills.map((fill) => fill(values));
  const statement = () => client.prepare(text).bind(...params);
  // Alone, as drizzle's D1 query runs it: rows as arrays where it maps fields (joined tables may
  // share column names, which rows as objects would lose), a run's result as it is.
  const run = (): Promise<unknown> => {
    if (prepared.executeMethod === 'run') return statement().run();
    if (!prepared.fields && !prepared.customResultMapper) return statement().all().then((r) => prepared.mapResult(r.results, false));
    return statement()
      .raw()
      .then((rows) => (mapRows ? mapRows(rows) : prepared.mapResult(rows, false)));
  };
  // What drizzle's D1 batch and `await` ask of a query: `_prepare()` for the batch, `then` alone.
  return {
    _prepare: () => ({ getQuery: () => ({ sql: text, params }), stmt: client.prepare(text), mapResult: (result: unknown, isFromBatch?: boolean) => prepared.mapResult(result, isFromBatch) }),
    then: (resolve: (value: unknown) => unknown, reject: (reason: unknown) => unknown) => run().then(resolve, reject),
  } as unknown as Q;
}

/** `values` with every value replaced by its placeholder, for an insert through cachedQuery. */
export function placeholders<T extends Record<string, unknown>>(values: T, v: (name: string) => never): T {
  return Object.fromEntries(Object.keys(values).map((k) => [k, v(k)])) as unknown as T;
}
