import { Hono } from 'hono';
import { z } from 'zod';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { createApiKeyInput } from './api-keys.schema';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.service';

const idParam = z.object({ id: z.string().min(1).max(40) });

export const apiKeyRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'List API keys (never their secrets)', tags: ['api-keys'] }), requirePermission('api_keys:read'), async (c) => c.json(await listApiKeys(ctx(c))))
  .post('/', doc({ summary: 'Create an API key; the secret is shown once', tags: ['api-keys'], status: 201 }), requirePermission('api_keys:write'), validate('json', createApiKeyInput), async (c) =>
    c.json(await createApiKey(ctx(c), c.req.valid('json')), 201),
  )
  .delete('/:id', doc({ summary: 'Revoke an API key', tags: ['api-keys'], status: 204 }), requirePermission('api_keys:write'), validate('param', idParam), async (c) => {
    await revokeApiKey(ctx(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
