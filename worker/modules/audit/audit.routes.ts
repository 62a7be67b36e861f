import { Hono } from 'hono';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { listAuditQuery } from './audit.schema';
import { listAudit } from './audit.service';

export const auditRoutes = new Hono<AppEnv>().get(
  '/',
  doc({ summary: 'The audit log, newest first, filterable', tags: ['audit'] }),
  requirePermission('audit:read'),
  validate('query', listAuditQuery),
  async (c) => c.json(await listAudit(ctx(c), c.req.valid('query'))),
);
