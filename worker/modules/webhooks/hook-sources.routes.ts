import { Hono } from 'hono';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { etag, requiredVersion } from '../../lib/versioning';
import { createHookSourceInput, idParam, listQuery, updateHookSourceInput } from './webhooks.schema';
import { createHookSource, deleteHookSource, getHookSource, listHookSources, rotateHookSecret, updateHookSource } from './hook-sources.service';

const tags = ['webhooks'];

export const hookSourceRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'Signed server-to-server lead sources (POST /hooks/:key)', tags }), requirePermission('webhooks:read'), validate('query', listQuery), async (c) => c.json(await listHookSources(ctx(c), c.req.valid('query'))))
  .post('/', doc({ summary: 'Create a lead source; its signing secret is shown once', tags, status: 201 }), requirePermission('webhooks:write'), validate('json', createHookSourceInput), async (c) => {
    const source = await createHookSource(ctx(c), c.req.valid('json'));
    return c.json(source, 201, { ETag: etag(source.version) });
  })
  .get('/:id', doc({ summary: 'One lead source', tags }), requirePermission('webhooks:read'), validate('param', idParam), async (c) => {
    const source = await getHookSource(ctx(c), c.req.valid('param').id);
    return c.json(source, 200, { ETag: etag(source.version) });
  })
  .patch('/:id', doc({ summary: 'Edit a lead source (If-Match required)', tags }), requirePermission('webhooks:write'), validate('param', idParam), validate('json', updateHookSourceInput), async (c) => {
    const source = await updateHookSource(ctx(c), c.req.valid('param').id, requiredVersion(c), c.req.valid('json'));
    return c.json(source, 200, { ETag: etag(source.version) });
  })
  .post('/:id/rotate-secret', doc({ summary: 'A new signing secret (shown once); the old one stops working', tags }), requirePermission('webhooks:write'), validate('param', idParam), async (c) => {
    const source = await rotateHookSecret(ctx(c), c.req.valid('param').id);
    return c.json(source, 200, { ETag: etag(source.version) });
  })
  .delete('/:id', doc({ summary: 'Delete a lead source (If-Match required)', tags, status: 204 }), requirePermission('webhooks:write'), validate('param', idParam), async (c) => {
    await deleteHookSource(ctx(c), c.req.valid('param').id, requiredVersion(c));
    return c.body(null, 204);
  });
