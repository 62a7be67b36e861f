import { Hono } from 'hono';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { etag, requiredVersion } from '../../lib/versioning';
import { createSubscriptionInput, idParam, listQuery, updateSubscriptionInput } from './webhooks.schema';
import { createSubscription, deleteSubscription, getSubscription, listDeliveries, listSubscriptions, replayDelivery, rotateSubscriptionSecret, updateSubscription } from './webhooks.service';

const tags = ['webhooks'];

export const webhookRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'Outgoing webhook subscriptions', tags }), requirePermission('webhooks:read'), validate('query', listQuery), async (c) => c.json(await listSubscriptions(ctx(c), c.req.valid('query'))))
  .post('/', doc({ summary: 'Subscribe a URL to events; the signing secret is shown once', tags, status: 201 }), requirePermission('webhooks:write'), validate('json', createSubscriptionInput), async (c) => {
    const sub = await createSubscription(ctx(c), c.req.valid('json'));
    return c.json(sub, 201, { ETag: etag(sub.version) });
  })
  .post('/deliveries/:id/replay', doc({ summary: 'Send a delivery again', tags, status: 202 }), requirePermission('webhooks:write'), validate('param', idParam), async (c) => c.json(await replayDelivery(ctx(c), c.req.valid('param').id), 202))
  .get('/:id', doc({ summary: 'One subscription', tags }), requirePermission('webhooks:read'), validate('param', idParam), async (c) => {
    const sub = await getSubscription(ctx(c), c.req.valid('param').id);
    return c.json(sub, 200, { ETag: etag(sub.version) });
  })
  .get('/:id/deliveries', doc({ summary: 'The delivery log of a subscription, newest first', tags }), requirePermission('webhooks:read'), validate('param', idParam), validate('query', listQuery), async (c) =>
    c.json(await listDeliveries(ctx(c), c.req.valid('param').id, c.req.valid('query'))),
  )
  .patch('/:id', doc({ summary: 'Edit a subscription (If-Match required)', tags }), requirePermission('webhooks:write'), validate('param', idParam), validate('json', updateSubscriptionInput), async (c) => {
    const sub = await updateSubscription(ctx(c), c.req.valid('param').id, requiredVersion(c), c.req.valid('json'));
    return c.json(sub, 200, { ETag: etag(sub.version) });
  })
  .post('/:id/rotate-secret', doc({ summary: 'A new signing secret (shown once)', tags }), requirePermission('webhooks:write'), validate('param', idParam), async (c) => {
    const sub = await rotateSubscriptionSecret(ctx(c), c.req.valid('param').id);
    return c.json(sub, 200, { ETag: etag(sub.version) });
  })
  .delete('/:id', doc({ summary: 'Delete a subscription (If-Match required)', tags, status: 204 }), requirePermission('webhooks:write'), validate('param', idParam), async (c) => {
    await deleteSubscription(ctx(c), c.req.valid('param').id, requiredVersion(c));
    return c.body(null, 204);
  });
