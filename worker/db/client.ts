import { drizzle as drizzleD1, type DrizzleD1Database } from 'drizzle-orm/d1';
import type { BatchItem } from 'drizzle-orm/batch';
import * as schema from './schema';
import type { Env } from '../env';

/**
 * The database handle every service receives. D1 and libSQL share drizzle's async SQLite API
 * (including `batch`), so one type serves both.
 */
export type Db = DrizzleD1Database<typeof schema>;
export type Statement = BatchItem<'sqlite'>;

let libsqlDb: Promise<Db> | undefined;

/** D1 by default; libSQL (e.g. Turso) when `LIBSQL_URL` is set. */
export async function getDb(env: Env): Promise<Db> {
  if (env.LIBSQL_URL) {
    libsqlDb ??= (async () => {
      const [{ createClient }, { drizzle }] = await Promise.all([
        import('@libsql/client/web'),
        import('drizzle-orm/libsql/web'),
      ]);
      const client = createClient({ url: env.LIBSQL_URL!, authToken: env.LIBSQL_AUTH_TOKEN });
      return drizzle(client, { schema }) as unknown as Db;
    })();
    return libsqlDb;
  }
  return drizzleD1(env.DB, { schema });
}

/**
 * Runs statements atomically. D1 refuses interactive transactions, so a change and its audit row
 * always travel in one batch.
 */
export async function runBatch(db: Db, statements: Statement[]): Promise<void> {
  if (statements.length === 0) return;
  await db.batch(statements as [Statement, ...Statement[]]);
}
