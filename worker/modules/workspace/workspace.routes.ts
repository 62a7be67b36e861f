import { Hono } from 'hono';
import { ctx, type AppEnv } from '../../middleware/context';
import { requireAuth, requirePermission } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { etag, requiredVersion } from '../../lib/versioning';
import { updateWorkspaceInput } from './workspace.schema';
import { getWorkspace, updateWorkspace } from './workspace.service';

export const workspaceRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'Workspace settings', tags: ['settings'] }), requireAuth, async (c) => {
    const ws = await getWorkspace(ctx(c));
    return c.json(ws, 200, { ETag: etag(ws.version) });
  })
  .patch('/', doc({ summary: 'Change workspace settings (If-Match required)', tags: ['settings'] }), requirePermission('settings:write'), validate('json', updateWorkspaceInput), async (c) => {
    const ws = await updateWorkspace(ctx(c), requiredVersion(c), c.req.valid('json'));
    return c.json(ws, 200, { ETag: etag(ws.version) });
  });
