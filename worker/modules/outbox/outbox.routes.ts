import { Hono } from 'hono';
import { z } from 'zod';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { pageQuery } from '../../lib/pagination';
import { doc, validate } from '../../lib/validate';
import { getOutboxMessage, listOutbox } from './outbox.service';

export const outboxRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'Every email the workspace sent or would have sent', tags: ['outbox'] }), requirePermission('outbox:read'), validate('query', pageQuery), async (c) =>
    c.json(await listOutbox(ctx(c), c.req.valid('query'))),
  )
  .get('/:id', doc({ summary: 'One email from the outbox', tags: ['outbox'] }), requirePermission('outbox:read'), validate('param', z.object({ id: z.string().max(40) })), async (c) =>
    c.json(await getOutboxMessage(ctx(c), c.req.valid('param').id)),
  );
