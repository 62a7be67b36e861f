import { Hono } from 'hono';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { customerRulesInput } from './customer-rules.schema';
import { getCustomerRules, putCustomerRules } from './customer-rules.service';

/** Mounted at /settings: the workspace's RFM thresholds and churn period. */
export const customerRulesRoutes = new Hono<AppEnv>()
  .get('/customer-rules', doc({ summary: 'RFM thresholds and churn period (defaults until changed)', tags: ['settings'], response: customerRulesInput }), requirePermission('settings:read'), async (c) =>
    c.json(await getCustomerRules(ctx(c))),
  )
  .put('/customer-rules', doc({ summary: 'Replace the RFM thresholds and churn period; every customer is re-scored', tags: ['settings'] }), requirePermission('settings:write'), validate('json', customerRulesInput), async (c) =>
    c.json(await putCustomerRules(ctx(c), c.req.valid('json'))),
  );
