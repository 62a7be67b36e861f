import { eq, sql } from 'drizzle-orm';
import { rateLimits } from '../db/schema';
import type { Db } from '../db/client';
import { cachedQuery } from '../db/cached-query';

export type RateLimitRule = { key: string; limit: number; windowSeconds: number };

/** Seconds until the key may be used again, or 0 when it is under its limit. */
export async function retryAfter(db: Db, rule: RateLimitRule, now: Date): Promise<number> {
  const row = await db.select().from(rateLimits).where(eq(rateLimits.key, rule.key)).get();
  const nowSec = Math.floor(now.getTime() / 1000);
  if (!row || row.resetAt <= nowSec || row.count < rule.limit) return 0;
  return Math.max(1, row.resetAt - nowSec);
}

/** The statements that count one use of each key (each returns `{ count }`), to run in a caller's batch. */
export function hitStatements(db: Db, rules: RateLimitRule[], now: Date) {
  const nowSec = Math.floor(now.getTime() / 1000);
  return rules.map((rule) =>
    cachedQuery(db, 'rate-limit.hit', { key: rule.key, resetAt: nowSec + rule.windowSeconds, nowSec }, (v) =>
      db
        .insert(rateLimits)
        .values({ key: v('key'), count: 1, resetAt: v('resetAt') })
        .onConflictDoUpdate({
          target: rateLimits.key,
          set: {
            count: sql`case when ${rateLimits.resetAt} <= ${v('nowSec')} then 1 else ${rateLimits.count} + 1 end`,
            resetAt: sql`case when ${rateLimits.resetAt} <= ${v('nowSec')} then excluded.reset_at else ${rateLimits.resetAt} end`,
          },
        })
        .returning({ count: rateLimits.count }),
    ),
  );
}

/** Counts one use of each key in a fixed window; returns the highest count reached. */
export async function hit(db: Db, rules: RateLimitRule[], now: Date): Promise<number[]> {
  const statements = hitStatements(db, rules, now);
  if (statements.length === 0) return [];
  const results = (await db.batch(statements as [(typeof statements)[0], ...typeof statements])) as { count: number }[][];
  return results.map((r) => r[0]?.count ?? 0);
}

export async function clear(db: Db, key: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, key));
}

/** Drops expired windows (nightly). */
export async function purgeExpired(db: Db, now: Date): Promise<void> {
  await db.delete(rateLimits).where(sql`${rateLimits.resetAt} <= ${Math.floor(now.getTime() / 1000)}`);
}
