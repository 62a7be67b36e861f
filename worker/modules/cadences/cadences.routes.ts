import { Hono } from 'hono';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { etag, requiredVersion } from '../../lib/versioning';
import { createCadenceInput, enrollInput, enrollmentsQuery, idParam, updateCadenceInput } from './cadences.schema';
import { changeEnrollment, createCadence, deleteCadence, enroll, getCadence, listCadences, listEnrollments, updateCadence } from './cadences.service';

/** Follow-up plans: admins design them (settings:write); members start, pause and stop them for customers (tasks:write). */
export const cadenceRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'Follow-up plans with their steps', tags: ['cadences'] }), requirePermission('tasks:read'), async (c) => c.json(await listCadences(ctx(c))))
  .post('/', doc({ summary: 'Create a follow-up plan (steps on day N make a task for the customer owner)', tags: ['cadences'], status: 201 }), requirePermission('settings:write'), validate('json', createCadenceInput), async (c) => {
    const cadence = await createCadence(ctx(c), c.req.valid('json'));
    return c.json(cadence, 201, { ETag: etag(cadence.version) });
  })
  .get('/enrollments', doc({ summary: 'Customers in plans (filter by customer, plan, status)', tags: ['cadences'] }), requirePermission('tasks:read'), validate('query', enrollmentsQuery), async (c) =>
    c.json(await listEnrollments(ctx(c), c.req.valid('query'))),
  )
  .post('/enrollments/:id/pause', doc({ summary: 'Pause a customer in a plan', tags: ['cadences'] }), requirePermission('tasks:write'), validate('param', idParam), async (c) => c.json(await changeEnrollment(ctx(c), c.req.valid('param').id, 'pause')))
  .post('/enrollments/:id/resume', doc({ summary: 'Resume a paused plan (remaining steps move by the days paused)', tags: ['cadences'] }), requirePermission('tasks:write'), validate('param', idParam), async (c) =>
    c.json(await changeEnrollment(ctx(c), c.req.valid('param').id, 'resume')),
  )
  .post('/enrollments/:id/stop', doc({ summary: 'Stop a customer in a plan', tags: ['cadences'] }), requirePermission('tasks:write'), validate('param', idParam), async (c) => c.json(await changeEnrollment(ctx(c), c.req.valid('param').id, 'stop')))
  .get('/:id', doc({ summary: 'One follow-up plan', tags: ['cadences'] }), requirePermission('tasks:read'), validate('param', idParam), async (c) => {
    const cadence = await getCadence(ctx(c), c.req.valid('param').id);
    return c.json(cadence, 200, { ETag: etag(cadence.version) });
  })
  .patch('/:id', doc({ summary: 'Edit a plan; steps, when sent, replace the list (If-Match required)', tags: ['cadences'] }), requirePermission('settings:write'), validate('param', idParam), validate('json', updateCadenceInput), async (c) => {
    const cadence = await updateCadence(ctx(c), c.req.valid('param').id, requiredVersion(c), c.req.valid('json'));
    return c.json(cadence, 200, { ETag: etag(cadence.version) });
  })
  .delete('/:id', doc({ summary: 'Delete a plan; running enrollments stop (If-Match required)', tags: ['cadences'], status: 204 }), requirePermission('settings:write'), validate('param', idParam), async (c) => {
    await deleteCadence(ctx(c), c.req.valid('param').id, requiredVersion(c));
    return c.body(null, 204);
  })
  .post('/:id/enroll', doc({ summary: 'Start the plan for a customer by hand', tags: ['cadences'], status: 201 }), requirePermission('tasks:write'), validate('param', idParam), validate('json', enrollInput), async (c) =>
    c.json(await enroll(ctx(c), c.req.valid('param').id, c.req.valid('json').contactId), 201),
  );
