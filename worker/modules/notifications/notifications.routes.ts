import { Hono } from 'hono';
import { ctx, type AppEnv } from '../../middleware/context';
import { requireUser } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { listNotificationsQuery, notificationIdParam } from './notifications.schema';
import { listNotifications, markAllRead, markRead, unreadCount } from './notifications.service';

const tags = ['notifications'];

/** The signed-in user's bell: every route acts on the caller's own notifications only. */
export const notificationsRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'My notifications, newest first', tags }), requireUser, validate('query', listNotificationsQuery), async (c) =>
    c.json(await listNotifications(ctx(c), c.req.valid('query'))),
  )
  .get('/unread-count', doc({ summary: 'How many of my notifications are unread', tags }), requireUser, async (c) => c.json(await unreadCount(ctx(c))))
  .post('/read-all', doc({ summary: 'Mark all my notifications read', tags }), requireUser, async (c) => c.json(await markAllRead(ctx(c))))
  .post('/:id/read', doc({ summary: 'Mark one notification read', tags }), requireUser, validate('param', notificationIdParam), async (c) =>
    c.json(await markRead(ctx(c), c.req.valid('param').id)),
  );
