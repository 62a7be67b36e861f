import type { Env, JobMessage } from '../env';
import { getDb, type Db } from '../db/client';
import { Mailer } from '../lib/mailer';
import { BULK_JOB, runBulkChunk } from '../modules/contacts/contacts.bulk';
import { PURGE_JOB, runPurgeJob } from '../modules/contacts/contacts.purge';
import { RECOMPUTE_JOB, runRecomputeJob } from '../modules/customer-figures/figures.service';
import { PROCESS_JOB } from '../modules/forms/forms.intake';
import { processJob } from '../modules/leads/leads.process';
import { DELIVER_JOB } from '../modules/webhooks/webhooks.events';
import { deliverWebhook } from '../modules/webhooks/webhooks.service';
import { MAVEN_JOB, runMavenChunk } from '../modules/samples/maven.service';
import { outboxWorkspace, reminderJobHandlers, withDeadLetter } from '../modules/reminders/delivery';
import { CADENCE_TRIGGER_JOB, runCadenceTrigger } from '../modules/cadences/cadences.service';

type JobHandler = (job: JobMessage, deps: { db: Db; env: Env; now: () => Date; isLastAttempt: boolean; attempts?: number }) => Promise<void>;

const MAX_ATTEMPTS = 5;

/** Every kind of queued work, by `type`. Each handler is idempotent: queues deliver at least once. */
export const jobHandlers: Record<string, JobHandler> = {
  // A message that cannot be sent after its last attempt is marked failed and listed in the
  // dead letters, where an admin can send it again.
  'mail.deliver': withDeadLetter(async (job, { db, env, now, isLastAttempt }) => {
    const mailer = new Mailer(db, env, now);
    const id = String(job.payload.id);
    try {
      await mailer.deliver(id);
    } catch (err) {
      if (isLastAttempt) await mailer.markFailed(id);
      throw err;
    }
  }, outboxWorkspace, { rethrow: true }),
  [BULK_JOB]: runBulkChunk,
  [PURGE_JOB]: runPurgeJob,
  [RECOMPUTE_JOB]: async (job, { db, env }) => runRecomputeJob({ db, env }, job.payload),
  [PROCESS_JOB]: processJob,
  [DELIVER_JOB]: deliverWebhook,
  [MAVEN_JOB]: runMavenChunk,
  ...reminderJobHandlers,
  [CADENCE_TRIGGER_JOB]: async (job, deps) => runCadenceTrigger(job, deps),
};

/** Retries back off exponentially: 10 s, 20 s, 40 s… */
const backoffSeconds = (attempts: number) => Math.min(600, 10 * 2 ** (attempts - 1));

export async function handleQueue(batch: MessageBatch<JobMessage>, env: Env): Promise<void> {
  const db = await getDb(env);
  for (const message of batch.messages) {
    const handler = jobHandlers[message.body?.type];
    if (!handler) {
      console.error('unknown job type', message.body?.type);
      message.ack();
      continue;
    }
    try {
      await handler(message.body, { db, env, now: () => new Date(), isLastAttempt: message.attempts >= MAX_ATTEMPTS, attempts: message.attempts });
      message.ack();
    } catch (err) {
      console.error(`job ${message.body.type} ${message.body.key} failed (attempt ${message.attempts})`, err);
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    }
  }
}
