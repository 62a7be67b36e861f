import type { Env } from '../env';
import { getDb, type Db } from '../db/client';
import { purgeExpiredSessions } from '../modules/auth/session.service';
import { purgeExpired as purgeRateLimits } from '../lib/rate-limit';
import { lt } from 'drizzle-orm';
import { idempotencyKeys, usedTokens } from '../db/schema';
import { refreshAllCustomers } from '../modules/customer-figures/figures.service';
import { purgeExpiredDeletions } from '../modules/contacts/contacts.purge';
import { purgePersonKeys, sweepStuckSubmissions } from '../modules/leads/leads.process';
import { sweepPendingDeliveries } from '../modules/webhooks/webhooks.events';
import { sweepDueReminders } from '../modules/reminders/delivery';
import { sweepCadences } from '../modules/cadences/cadences.service';

type CronTask = (deps: { db: Db; env: Env; now: Date }) => Promise<void>;

const DAY = 86400_000;

/** What each Cron Trigger in wrangler.toml runs. Later modules add their sweeps here. */
export const cronTasks: Record<string, CronTask[]> = {
  '* * * * *': [
    // Form submissions whose queue message never arrived (or whose run died): queued again, never lost.
    async ({ db, env, now }) => {
      await sweepStuckSubmissions({ db, env, now });
    },
    // Outgoing webhook deliveries whose queue message was lost.
    async ({ db, env, now }) => {
      await sweepPendingDeliveries({ db, env, now });
    },
    // Due reminders (and any missed since the last tick) → the queue.
    async ({ db, env, now }) => {
      await sweepDueReminders({ db, env, now });
    },
    // Follow-up plans: the tasks of steps whose local day has begun.
    async ({ db, env, now }) => {
      await sweepCadences({ db, env, now });
    },
  ],
  '0 * * * *': [
    async ({ db, now }) => purgeRateLimits(db, now),
    async ({ db, now }) => purgePersonKeys(db, now),
  ],
  '0 3 * * *': [
    async ({ db, now }) => purgeExpiredSessions(db, now),
    async ({ db, now }) => {
      await db.delete(usedTokens).where(lt(usedTokens.expiresAt, now.toISOString()));
      await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, new Date(now.getTime() - DAY).toISOString()));
    },
    // Recency decays with time: re-score every customer and churn those gone quiet.
    async ({ db, env, now }) => {
      await refreshAllCustomers({ db, env }, now);
    },
    // Deleted customers and companies are restorable for 30 days, then purged with their history.
    async ({ db, env, now }) => {
      await purgeExpiredDeletions({ db, env }, now);
    },
  ],
};

export async function handleScheduled(controller: ScheduledController, env: Env): Promise<void> {
  const tasks = cronTasks[controller.cron] ?? [];
  const db = await getDb(env);
  const now = new Date(controller.scheduledTime);
  // One failing task must not stop the others; the failure is logged and the next tick retries.
  const results = await Promise.allSettled(tasks.map((task) => task({ db, env, now })));
  for (const r of results) if (r.status === 'rejected') console.error(`cron ${controller.cron} task failed`, r.reason);
}
