import { Hono } from 'hono';
import { z } from 'zod';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { timelineOf, timelineQuery } from './timeline.service';

const idParam = z.object({ id: z.string().min(1).max(40) });

/** Mounted at /contacts beside the contact routes. */
export const contactTimelineRoutes = new Hono<AppEnv>().get(
  '/:id/timeline',
  doc({ summary: "A customer's history: activities, orders and tickets, newest first", tags: ['contacts'] }),
  requirePermission('contacts:read'),
  validate('param', idParam),
  validate('query', timelineQuery),
  async (c) => c.json(await timelineOf(ctx(c), { type: 'contact', id: c.req.valid('param').id }, c.req.valid('query'))),
);

/** Mounted at /companies beside the company routes. */
export const companyTimelineRoutes = new Hono<AppEnv>().get(
  '/:id/timeline',
  doc({ summary: "A company's history: activities, orders and tickets, newest first", tags: ['companies'] }),
  requirePermission('companies:read'),
  validate('param', idParam),
  validate('query', timelineQuery),
  async (c) => c.json(await timelineOf(ctx(c), { type: 'company', id: c.req.valid('param').id }, c.req.valid('query'))),
);
