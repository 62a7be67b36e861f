import { Hono } from 'hono';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { pageQuery } from '../../lib/pagination';
import { doc, validate } from '../../lib/validate';
import { etag, requiredVersion } from '../../lib/versioning';
import { boardQuery, bulkReassignInput, createDealInput, idParam, listDealsQuery, moveDealInput, updateDealInput } from './deals.schema';
import { board } from './deals.board';
import { bulkReassign } from './deals.bulk';
import { dealHistory, dealTimeline } from './deals.history';
import { createDeal, deleteDeal, getDeal, listDeals, moveDeal, updateDeal } from './deals.service';

const tags = ['deals'];

export const dealRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'Deals you may see, newest change first; filters: pipeline, stage, status, owner, team, close month, source, rotting', tags }), requirePermission('deals:read'), validate('query', listDealsQuery), async (c) =>
    c.json(await listDeals(ctx(c), c.req.valid('query'))),
  )
  .get('/board', doc({ summary: 'Kanban of a pipeline: per stage count, amount, weighted amount and the first cards', tags }), requirePermission('deals:read'), validate('query', boardQuery), async (c) =>
    c.json(await board(ctx(c), c.req.valid('query'))),
  )
  .post('/bulk/reassign', doc({ summary: 'Give many deals a new owner (only those you may see)', tags }), requirePermission('deals:write'), validate('json', bulkReassignInput), async (c) =>
    c.json(await bulkReassign(ctx(c), c.req.valid('json'))),
  )
  .post('/', doc({ summary: 'Create a deal', tags, status: 201 }), requirePermission('deals:write'), validate('json', createDealInput), async (c) => {
    const deal = await createDeal(ctx(c), c.req.valid('json'));
    return c.json(deal, 201, { ETag: etag(deal.version) });
  })
  .get('/:id', doc({ summary: 'One deal with its line items', tags }), requirePermission('deals:read'), validate('param', idParam), async (c) => {
    const deal = await getDeal(ctx(c), c.req.valid('param').id);
    return c.json(deal, 200, { ETag: etag(deal.version) });
  })
  .patch('/:id', doc({ summary: 'Edit a deal (If-Match required); stage changes go through /move', tags }), requirePermission('deals:write'), validate('param', idParam), validate('json', updateDealInput), async (c) => {
    const deal = await updateDeal(ctx(c), c.req.valid('param').id, requiredVersion(c), c.req.valid('json'));
    return c.json(deal, 200, { ETag: etag(deal.version) });
  })
  .post('/:id/move', doc({ summary: 'Move a deal to a stage (If-Match required; lostReason for a lost stage)', tags }), requirePermission('deals:write'), validate('param', idParam), validate('json', moveDealInput), async (c) => {
    const deal = await moveDeal(ctx(c), c.req.valid('param').id, requiredVersion(c), c.req.valid('json'));
    return c.json(deal, 200, { ETag: etag(deal.version) });
  })
  .delete('/:id', doc({ summary: 'Delete a deal (If-Match required)', tags, status: 204 }), requirePermission('deals:write'), validate('param', idParam), async (c) => {
    await deleteDeal(ctx(c), c.req.valid('param').id, requiredVersion(c));
    return c.body(null, 204);
  })
  .get('/:id/history', doc({ summary: 'Stage history of a deal and the time spent in each stage', tags }), requirePermission('deals:read'), validate('param', idParam), async (c) =>
    c.json(await dealHistory(ctx(c), c.req.valid('param').id)),
  )
  .get('/:id/timeline', doc({ summary: "A deal's timeline: its own entries and its customer's, newest first", tags }), requirePermission('deals:read'), validate('param', idParam), validate('query', pageQuery), async (c) =>
    c.json(await dealTimeline(ctx(c), c.req.valid('param').id, c.req.valid('query'))),
  );
