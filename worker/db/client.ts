import { drizzle as drizzleD1, type DrizzleD1Database } from 'drizzle-orm/d1';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Env } from '../env';

/**
 * The database handle every service receives. D1 and libSQL share drizzle's async SQLite API
 * (including `batch`), so one type serves both.
 */
// No schema is passed to drizzle: the relational query API is not used, and building its
// config for every request's handle cost more CPU than a list page's query.
export type Db = DrizzleD1Database;
export type Statement = BatchItem<'sqlite'>;

let libsqlDb: Promise<Db> | undefined;

type DbOptions = {
  /** Wraps the D1 binding for one request (see session-proof.ts); not applied to libSQL. */
  wrapD1?: (binding: D1Database) => D1Database;
  /** The request's earlier handle, whose bench counters (if any) the new one carries on. */
  replacing?: Db;
  /** Bench mode only: count this request's round trips and rows read (see bench/). */
  measure?: boolean;
};

/** D1 by default; libSQL (e.g. Turso) when `LIBSQL_URL` is set. */
export async function getDb(env: Env, { wrapD1 = (b) => b, replacing, measure = false }: DbOptions = {}): Promise<Db> {
  if (env.LIBSQL_URL) {
    libsqlDb ??= (async () => {
      const [{ createClient }, { drizzle }] = await Promise.all([
        import('@libsql/client/web'),
        import('drizzle-orm/libsql/web'),
      ]);
      const client = createClient({ url: env.LIBSQL_URL!, authToken: env.LIBSQL_AUTH_TOKEN });
      return drizzle(client) as unknown as Db;
    })();
    return libsqlDb;
  }
  const carried = replacing && benchStats.get(replacing);
  if ((env as BenchEnv).BENCH && (measure || carried)) {
    // A handle replacing the request's first one keeps counting into the same figures.
    const stats: D1Stats = carried ?? { roundTrips: 0, rowsRead: 0, rowsWritten: 0 };
    const db = drizzleD1(wrapD1(countingD1(env.DB, stats)));
    benchStats.set(db, stats);
    return db;
  }
  const binding = wrapD1(env.DB);
  if (binding !== env.DB) return drizzleD1(binding);
  // A plain handle holds no request state: one per binding serves every request of the isolate.
  let db = plainHandles.get(binding);
  if (!db) plainHandles.set(binding, (db = drizzleD1(binding)));
  return db;
}

const plainHandles = new WeakMap<D1Database, Db>();

/**
 * Runs statements atomically. D1 refuses interactive transactions, so a change and its audit row
 * always travel in one batch.
 */
export async function runBatch(db: Db, statements: Statement[]): Promise<unknown[]> {
  if (statements.length === 0) return [];
  return (await db.batch(statements as [Statement, ...Statement[]])) as unknown[];
}

// ── bench instrumentation ─────────────────────────────────────────────────────────────────────
// Only with the `BENCH` var (`wrangler dev --var BENCH:1`, see bench/) and only for the bench's
// probe requests (`x-bench-trace`): the handle counts its D1 round trips (a batch is one) and sums
// `meta.rows_read`. The timed requests run the production path: counting reads rows as objects,
// which costs CPU the endpoint would not otherwise spend.

type BenchEnv = { BENCH?: string };
type TracedStatement = { sql: string; params: unknown[]; rowsRead?: number };

/** What one request did to D1; `trace` (when set) receives every statement, batches as arrays. */
export type D1Stats = { roundTrips: number; rowsRead: number; rowsWritten: number; trace?: (TracedStatement | TracedStatement[])[] };

const benchStats = new WeakMap<Db, D1Stats>();

/** The counters of a request's handle in bench mode; undefined otherwise. */
export function d1Stats(db: Db | undefined): D1Stats | undefined {
  return db ? benchStats.get(db) : undefined;
}

type Counted = { real: D1PreparedStatement; sql: string; params: unknown[] };
const REAL = Symbol('real statement');

function countingD1(d1: D1Database, stats: D1Stats): D1Database {
  const record = (meta: Partial<D1Meta> | undefined, traced?: TracedStatement) => {
    stats.rowsRead += meta?.rows_read ?? 0;
    stats.rowsWritten += meta?.rows_written ?? 0;
    if (traced) traced.rowsRead = meta?.rows_read;
  };
  const trip = (s: Counted): TracedStatement | undefined => {
    stats.roundTrips++;
    if (!stats.trace) return undefined;
    const traced = { sql: s.sql, params: s.params };
    stats.trace.push(traced);
    return traced;
  };
  const wrap = (s: Counted): D1PreparedStatement =>
    ({
      [REAL]: s,
      bind: (...values: unknown[]) => wrap({ real: s.real.bind(...values), sql: s.sql, params: values }),
      async all() {
        const traced = trip(s);
        const result = await s.real.all();
        record(result.meta, traced);
        return result;
      },
      async run() {
        const traced = trip(s);
        const result = await s.real.run();
        record(result.meta, traced);
        return result;
      },
      async first(column?: string) {
        const traced = trip(s);
        const result = await s.real.all<Record<string, unknown>>();
        record(result.meta, traced);
        const row = result.results[0];
        return row === undefined ? null : column === undefined ? row : row[column];
      },
      // raw() drops the meta, and rows as objects lose duplicate column names (joins): read a
      // select through a subquery, where SQLite names duplicates apart, and rebuild the arrays.
      async raw(options?: { columnNames?: boolean }) {
        const traced = trip(s);
        const isRead = /^\s*(select|with)\b/i.test(s.sql);
        const result = await (isRead ? d1.prepare(`select * from (${s.sql})`).bind(...s.params) : s.real).all<Record<string, unknown>>();
        record(result.meta, traced);
        const columns = Object.keys(result.results[0] ?? {});
        // An object puts integer-like keys first: read such a select again, plainly.
        if (isRead && columns.some((c) => /^\d+$/.test(c))) return s.real.raw(options as { columnNames: true });
        const rows = result.results.map((r) => Object.values(r));
        return options?.columnNames ? [columns, ...rows] : rows;
      },
    }) as unknown as D1PreparedStatement;
  return {
    prepare: (query: string) => wrap({ real: d1.prepare(query), sql: query, params: [] }),
    async batch<T>(statements: D1PreparedStatement[]) {
      const counted = statements.map((s) => (s as unknown as { [REAL]?: Counted })[REAL] ?? { real: s, sql: '(unknown)', params: [] });
      stats.roundTrips++;
      const traced = stats.trace ? counted.map((c) => ({ sql: c.sql, params: c.params })) : undefined;
      if (traced) stats.trace!.push(traced);
      const results = await d1.batch<T>(counted.map((c) => c.real));
      results.forEach((r, i) => record(r.meta, traced?.[i]));
      return results;
    },
    async exec(query: string) {
      stats.roundTrips++;
      stats.trace?.push({ sql: query, params: [] });
      return d1.exec(query);
    },
    dump: () => d1.dump(),
    withSession: (constraint?: string) => d1.withSession(constraint as never),
  } as unknown as D1Database;
}
