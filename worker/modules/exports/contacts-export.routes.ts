import { Hono } from 'hono';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { doc, parseOrThrow, validate } from '../../lib/validate';
import { listContactsQuery } from '../contacts/contacts.schema';
import { queryWithCustom } from '../contacts/contacts.routes';
import { exportContactsCsv } from './contacts-export.service';

// Mounted before the contacts routes so that `/contacts/export` is not read as a customer id.
export const contactExportRoutes = new Hono<AppEnv>().get(
  '/export',
  doc({ summary: 'The filtered customer list as CSV (UTF-8 with BOM; formulas neutralised)', tags: ['contacts'] }),
  requirePermission('contacts:read'),
  requirePermission('exports:read'),
  validate('query', listContactsQuery),
  async (c) => {
    const { limit: _limit, cursor: _cursor, ...filters } = parseOrThrow(listContactsQuery, queryWithCustom(c));
    const stream = await exportContactsCsv(ctx(c), filters);
    const day = new Date().toISOString().slice(0, 10);
    return c.body(stream, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="customers-${day}.csv"`,
      'cache-control': 'no-store',
    });
  },
);
