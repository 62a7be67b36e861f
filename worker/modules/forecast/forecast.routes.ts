import { Hono } from 'hono';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { forecastQuery, periodQuery } from './forecast.schema';
import { forecast, funnel, winRates, wonLost } from './forecast.service';

const tags = ['reports'];

/** Sales reports, mounted at /reports. Every figure covers only the deals the caller may see. */
export const forecastRoutes = new Hono<AppEnv>()
  .get('/forecast', doc({ summary: 'Forecast by month: won, weighted pipeline, best case; by rep and by team', tags }), requirePermission('reports:read'), validate('query', forecastQuery), async (c) =>
    c.json(await forecast(ctx(c), c.req.valid('query'))),
  )
  .get('/win-rates', doc({ summary: 'Historical win rate per stage, from stage history', tags }), requirePermission('reports:read'), validate('query', periodQuery), async (c) =>
    c.json(await winRates(ctx(c), c.req.valid('query'))),
  )
  .get('/funnel', doc({ summary: 'Funnel of the deals created in a period: per stage count, conversion and average days', tags }), requirePermission('reports:read'), validate('query', periodQuery), async (c) =>
    c.json(await funnel(ctx(c), c.req.valid('query'))),
  )
  .get('/won-lost', doc({ summary: 'Won and lost deals of a period by lost reason and by source', tags }), requirePermission('reports:read'), validate('query', periodQuery), async (c) =>
    c.json(await wonLost(ctx(c), c.req.valid('query'))),
  );
