import { Hono } from 'hono';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission, requireUser } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { deadLetterQuery, idParam, reminderPrefsInput, reminderRulesInput } from './reminders.schema';
import { getReminderPrefs, getReminderRules, listDeadLetters, putReminderPrefs, putReminderRules, retryDeadLetter } from './reminders.service';

/** Mounted at /me/reminder-preferences: how the signed-in person gets reminders by email. */
export const reminderPrefsRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'Your reminder preferences: email each, daily digest or off; digest hour; quiet hours', tags: ['reminders'] }), requireUser, async (c) => c.json(await getReminderPrefs(ctx(c))))
  .put('/', doc({ summary: 'Change your reminder preferences', tags: ['reminders'] }), requireUser, validate('json', reminderPrefsInput), async (c) => c.json(await putReminderPrefs(ctx(c), c.req.valid('json'))));

/** Mounted at /settings: the workspace's data reminders. */
export const reminderRulesRoutes = new Hono<AppEnv>()
  .get('/reminders', doc({ summary: 'Data reminders: contracts ending, no contact, birthdays, idle deals', tags: ['reminders'] }), requirePermission('settings:read'), async (c) => c.json(await getReminderRules(ctx(c))))
  .put('/reminders', doc({ summary: 'Turn data reminders on or off and set their days and segments', tags: ['reminders'] }), requirePermission('settings:write'), validate('json', reminderRulesInput), async (c) =>
    c.json(await putReminderRules(ctx(c), c.req.valid('json'))),
  );

/** Mounted at /dead-letters: background work that failed for good, for admins to see and retry. */
export const deadLetterRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'Jobs that failed after all their retries, newest first', tags: ['reminders'] }), requirePermission('settings:read'), validate('query', deadLetterQuery), async (c) =>
    c.json(await listDeadLetters(ctx(c), c.req.valid('query'))),
  )
  .post('/:id/retry', doc({ summary: 'Queue a failed job again', tags: ['reminders'], status: 202 }), requirePermission('settings:write'), validate('param', idParam), async (c) =>
    c.json(await retryDeadLetter(ctx(c), c.req.valid('param').id), 202),
  );
