import { Hono } from 'hono';
import { z } from 'zod';
import { ctx, type AppEnv } from '../../middleware/context';
import { requireAuth } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { getJob } from './jobs.service';

const idParam = z.object({ id: z.string().min(1).max(40) });

export const jobRoutes = new Hono<AppEnv>().get('/:id', doc({ summary: 'Progress of a background job you started', tags: ['jobs'] }), requireAuth, validate('param', idParam), async (c) =>
  c.json(await getJob(ctx(c), c.req.valid('param').id)),
);
