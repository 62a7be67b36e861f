import { Hono, type Context } from 'hono';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { etag, requiredVersion } from '../../lib/versioning';
import { calendarQuery, completeTaskInput, createTaskInput, idParam, listTasksQuery, rescheduleTaskInput, snoozeTaskInput, updateTaskInput } from './tasks.schema';
import { calendar, completeTask, createTask, deleteTask, getTask, listTasks, myDay, rescheduleTask, snoozeTask, uncompleteTask, updateTask } from './tasks.service';

/** Quick actions (complete, reschedule…) check If-Match when it is sent: 412 if stale. */
const optionalVersion = (c: Context) => (c.req.header('if-match') ? requiredVersion(c) : null);

export const taskRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'Tasks you may see, by due date (filters: status, owner, type, priority, record, dates, overdue, q)', tags: ['tasks'] }), requirePermission('tasks:read'), validate('query', listTasksQuery), async (c) =>
    c.json(await listTasks(ctx(c), c.req.valid('query'))),
  )
  .get('/my-day', doc({ summary: 'Your open tasks: overdue, due today, and the next 7 days, in your time zone', tags: ['tasks'] }), requirePermission('tasks:read'), async (c) => c.json(await myDay(ctx(c))))
  .get('/calendar', doc({ summary: 'Tasks due between two local dates (at most 62 days), done ones included', tags: ['tasks'] }), requirePermission('tasks:read'), validate('query', calendarQuery), async (c) =>
    c.json(await calendar(ctx(c), c.req.valid('query'))),
  )
  .post('/', doc({ summary: 'Create a task (timed or all-day, with reminders and recurrence)', tags: ['tasks'], status: 201 }), requirePermission('tasks:write'), validate('json', createTaskInput), async (c) => {
    const task = await createTask(ctx(c), c.req.valid('json'));
    return c.json(task, 201, { ETag: etag(task.version) });
  })
  .get('/:id', doc({ summary: 'One task', tags: ['tasks'] }), requirePermission('tasks:read'), validate('param', idParam), async (c) => {
    const task = await getTask(ctx(c), c.req.valid('param').id);
    return c.json(task, 200, { ETag: etag(task.version) });
  })
  .patch('/:id', doc({ summary: 'Edit a task (If-Match required)', tags: ['tasks'] }), requirePermission('tasks:write'), validate('param', idParam), validate('json', updateTaskInput), async (c) => {
    const task = await updateTask(ctx(c), c.req.valid('param').id, requiredVersion(c), c.req.valid('json'));
    return c.json(task, 200, { ETag: etag(task.version) });
  })
  .delete('/:id', doc({ summary: 'Delete a task (If-Match required)', tags: ['tasks'], status: 204 }), requirePermission('tasks:write'), validate('param', idParam), async (c) => {
    await deleteTask(ctx(c), c.req.valid('param').id, requiredVersion(c));
    return c.body(null, 204);
  })
  .post('/:id/complete', doc({ summary: 'Mark done with an outcome (logged on the customer timeline); returns the next occurrence of a series', tags: ['tasks'] }), requirePermission('tasks:write'), validate('param', idParam), validate('json', completeTaskInput), async (c) => {
    const result = await completeTask(ctx(c), c.req.valid('param').id, optionalVersion(c), c.req.valid('json').outcome);
    return c.json(result, 200, { ETag: etag(result.task.version) });
  })
  .post('/:id/uncomplete', doc({ summary: 'Open a done task again', tags: ['tasks'] }), requirePermission('tasks:write'), validate('param', idParam), async (c) => {
    const task = await uncompleteTask(ctx(c), c.req.valid('param').id, optionalVersion(c));
    return c.json(task, 200, { ETag: etag(task.version) });
  })
  .post('/:id/snooze', doc({ summary: 'Remind again after some minutes or at a time', tags: ['tasks'] }), requirePermission('tasks:write'), validate('param', idParam), validate('json', snoozeTaskInput), async (c) => {
    const task = await snoozeTask(ctx(c), c.req.valid('param').id, c.req.valid('json'));
    return c.json(task, 200, { ETag: etag(task.version) });
  })
  .post('/:id/reschedule', doc({ summary: 'Move a task to another time or day (calendar drag)', tags: ['tasks'] }), requirePermission('tasks:write'), validate('param', idParam), validate('json', rescheduleTaskInput), async (c) => {
    const task = await rescheduleTask(ctx(c), c.req.valid('param').id, optionalVersion(c), c.req.valid('json'));
    return c.json(task, 200, { ETag: etag(task.version) });
  });
