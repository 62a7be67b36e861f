import { app } from './app';
import type { Env, JobMessage } from './env';
import { handleQueue } from './jobs/queue';
import { handleScheduled } from './jobs/cron';

export default {
  fetch: app.fetch,
  queue: (batch, env) => handleQueue(batch, env),
  scheduled: (controller, env, ctx) => ctx.waitUntil(handleScheduled(controller, env)),
} satisfies ExportedHandler<Env, JobMessage>;
