import { Hono } from 'hono';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { etag, requiredVersion } from '../../lib/versioning';
import { createOrderInput, idParam, listOrdersQuery, updateOrderInput } from './orders.schema';
import { cancelOrder, createOrder, deleteOrder, getOrder, listOrders, updateOrder } from './orders.service';

export const orderRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'Orders you may see, newest first (filter by contact, company, status)', tags: ['orders'] }), requirePermission('orders:read'), validate('query', listOrdersQuery), async (c) =>
    c.json(await listOrders(ctx(c), c.req.valid('query'))),
  )
  .post('/', doc({ summary: 'Record an order; the total and the customer figures are computed', tags: ['orders'], status: 201 }), requirePermission('orders:write'), validate('json', createOrderInput), async (c) => {
    const order = await createOrder(ctx(c), c.req.valid('json'));
    return c.json(order, 201, { ETag: etag(order.version) });
  })
  .get('/:id', doc({ summary: 'One order with its items', tags: ['orders'] }), requirePermission('orders:read'), validate('param', idParam), async (c) => {
    const order = await getOrder(ctx(c), c.req.valid('param').id);
    return c.json(order, 200, { ETag: etag(order.version) });
  })
  .patch('/:id', doc({ summary: 'Edit an order: status, items, date… (If-Match required)', tags: ['orders'] }), requirePermission('orders:write'), validate('param', idParam), validate('json', updateOrderInput), async (c) => {
    const order = await updateOrder(ctx(c), c.req.valid('param').id, requiredVersion(c), c.req.valid('json'));
    return c.json(order, 200, { ETag: etag(order.version) });
  })
  .post('/:id/cancel', doc({ summary: 'Cancel an order (If-Match required); it stops counting towards spend', tags: ['orders'] }), requirePermission('orders:write'), validate('param', idParam), async (c) => {
    const order = await cancelOrder(ctx(c), c.req.valid('param').id, requiredVersion(c));
    return c.json(order, 200, { ETag: etag(order.version) });
  })
  .delete('/:id', doc({ summary: 'Delete an order entered by mistake (If-Match required)', tags: ['orders'], status: 204 }), requirePermission('orders:write'), validate('param', idParam), async (c) => {
    await deleteOrder(ctx(c), c.req.valid('param').id, requiredVersion(c));
    return c.body(null, 204);
  });
