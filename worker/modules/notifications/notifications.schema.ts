import { z } from 'zod';
import { pageQuery } from '../../lib/pagination';

export const listNotificationsQuery = pageQuery.extend({
  unread: z
    .enum(['1', '0', 'true', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true'),
});
export type ListNotificationsQuery = z.infer<typeof listNotificationsQuery>;

export const notificationIdParam = z.object({ id: z.string().min(1).max(40) });
