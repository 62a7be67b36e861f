import { Hono } from 'hono';
import { z } from 'zod';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { etag, requiredVersion } from '../../lib/versioning';
import { createTeamInput, updateTeamInput } from './teams.schema';
import { createTeam, deleteTeam, listTeams, updateTeam } from './teams.service';

const idParam = z.object({ id: z.string().min(1).max(40) });

export const teamRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'List teams with their members', tags: ['teams'] }), requirePermission('teams:read'), async (c) => c.json(await listTeams(ctx(c))))
  .post('/', doc({ summary: 'Create a team', tags: ['teams'], status: 201 }), requirePermission('teams:write'), validate('json', createTeamInput), async (c) => {
    const team = await createTeam(ctx(c), c.req.valid('json'));
    return c.json(team, 201, { ETag: etag(team.version) });
  })
  .patch('/:id', doc({ summary: 'Rename a team, set its manager or members (If-Match required)', tags: ['teams'] }), requirePermission('teams:write'), validate('param', idParam), validate('json', updateTeamInput), async (c) => {
    const team = await updateTeam(ctx(c), c.req.valid('param').id, requiredVersion(c), c.req.valid('json'));
    return c.json(team, 200, { ETag: etag(team.version) });
  })
  .delete('/:id', doc({ summary: 'Delete a team (members stay)', tags: ['teams'], status: 204 }), requirePermission('teams:write'), validate('param', idParam), async (c) => {
    await deleteTeam(ctx(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
