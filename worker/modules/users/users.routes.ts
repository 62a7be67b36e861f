import { Hono } from 'hono';
import { z } from 'zod';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { etag, requiredVersion } from '../../lib/versioning';
import { createInvitationInput, listUsersQuery, updateUserInput } from './users.schema';
import { getUser, listUsers, setUserActive, updateUser } from './users.service';
import { createInvitation, listInvitations, revokeInvitation } from './invitations.service';

const idParam = z.object({ id: z.string().min(1).max(40) });

export const userRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'List users', tags: ['users'] }), requirePermission('users:read'), validate('query', listUsersQuery), async (c) =>
    c.json(await listUsers(ctx(c), c.req.valid('query'))),
  )
  .get('/:id', doc({ summary: 'Get a user', tags: ['users'] }), requirePermission('users:read'), validate('param', idParam), async (c) => {
    const user = await getUser(ctx(c), c.req.valid('param').id);
    return c.json(user, 200, { ETag: etag(user.version) });
  })
  .patch('/:id', doc({ summary: 'Change a user\'s name, role or team (If-Match required)', tags: ['users'] }), requirePermission('users:write'), validate('param', idParam), validate('json', updateUserInput), async (c) => {
    const user = await updateUser(ctx(c), c.req.valid('param').id, requiredVersion(c), c.req.valid('json'));
    return c.json(user, 200, { ETag: etag(user.version) });
  })
  .post('/:id/deactivate', doc({ summary: 'Deactivate a user (signs them out everywhere)', tags: ['users'] }), requirePermission('users:write'), validate('param', idParam), async (c) =>
    c.json(await setUserActive(ctx(c), c.req.valid('param').id, false)),
  )
  .post('/:id/reactivate', doc({ summary: 'Reactivate a user', tags: ['users'] }), requirePermission('users:write'), validate('param', idParam), async (c) =>
    c.json(await setUserActive(ctx(c), c.req.valid('param').id, true)),
  );

export const invitationRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'List invitations', tags: ['users'] }), requirePermission('users:write'), async (c) => c.json(await listInvitations(ctx(c))))
  .post('/', doc({ summary: 'Invite someone by email with a role and team', tags: ['users'], status: 201 }), requirePermission('users:write'), validate('json', createInvitationInput), async (c) =>
    c.json(await createInvitation(ctx(c), c.req.valid('json')), 201),
  )
  .delete('/:id', doc({ summary: 'Revoke an invitation', tags: ['users'], status: 204 }), requirePermission('users:write'), validate('param', idParam), async (c) => {
    await revokeInvitation(ctx(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
