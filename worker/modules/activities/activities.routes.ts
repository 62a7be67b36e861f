import { Hono } from 'hono';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { createActivityInput, idParam, listActivitiesQuery, updateActivityInput } from './activities.schema';
import { createActivity, deleteActivity, getActivity, listActivities, updateActivity } from './activities.service';

export const activityRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'Activities you may see, newest first (filter by contact, company, type)', tags: ['activities'] }), requirePermission('activities:read'), validate('query', listActivitiesQuery), async (c) =>
    c.json(await listActivities(ctx(c), c.req.valid('query'))),
  )
  .post('/', doc({ summary: 'Log a note, call, email, meeting, visit or complaint', tags: ['activities'], status: 201 }), requirePermission('activities:write'), validate('json', createActivityInput), async (c) =>
    c.json(await createActivity(ctx(c), c.req.valid('json')), 201),
  )
  .get('/:id', doc({ summary: 'One activity', tags: ['activities'] }), requirePermission('activities:read'), validate('param', idParam), async (c) =>
    c.json(await getActivity(ctx(c), c.req.valid('param').id)),
  )
  .patch('/:id', doc({ summary: 'Edit an activity (its author or an admin)', tags: ['activities'] }), requirePermission('activities:write'), validate('param', idParam), validate('json', updateActivityInput), async (c) =>
    c.json(await updateActivity(ctx(c), c.req.valid('param').id, c.req.valid('json'))),
  )
  .delete('/:id', doc({ summary: 'Delete an activity (its author or an admin)', tags: ['activities'], status: 204 }), requirePermission('activities:write'), validate('param', idParam), async (c) => {
    await deleteActivity(ctx(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
