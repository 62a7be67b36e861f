import { app } from './app';
import type { Env, JobMessage } from './env';
import { handleQueue } from './jobs/queue';
import { handleScheduled } from './jobs/cron';
import { RETRY_HEADER } from './middleware/auth';

export default {
  // A read served from a cached session that turned out stale is discarded and served once more,
  // now with a full session check (see middleware/auth.ts). Only GET/HEAD are ever served so.
  fetch: async (request, env, ctx) => {
    const response = await app.fetch(request, env, ctx);
    return response.headers.has(RETRY_HEADER) ? app.fetch(request, env, ctx) : response;
  },
  queue: (batch, env) => handleQueue(batch, env),
  scheduled: (controller, env, ctx) => ctx.waitUntil(handleScheduled(controller, env)),
} satisfies ExportedHandler<Env, JobMessage>;
