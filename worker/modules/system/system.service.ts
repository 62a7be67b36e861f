import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';

/** Healthy when the database answers a query. */
export async function checkHealth(db: Db): Promise<{ ok: boolean }> {
  try {
    await db.run(sql`select 1`);
    return { ok: true };
  } catch {
    return { ok: false };
  }
}
