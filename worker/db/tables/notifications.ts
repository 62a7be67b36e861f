import { sql } from 'drizzle-orm';
import { index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Tables of an area live in their own file. Import column helpers from '../columns', never from
// '../schema' (schema.ts re-exports this file; importing it back would be a cycle).

/**
 * In-app notifications (the bell). `dedupeKey` is unique: whatever delivers a notification (a
 * queue message delivered twice, two overlapping cron ticks) can only create it once.
 * `emailMessageId` is claimed in the same batch that writes the email, so the email is sent once too.
 */
export const notifications = sqliteTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    userId: text('user_id').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body'),
    link: text('link'),
    recordType: text('record_type'),
    recordId: text('record_id'),
    dedupeKey: text('dedupe_key').notNull(),
    emailMessageId: text('email_message_id'),
    readAt: text('read_at'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('notifications_dedupe_unique').on(t.dedupeKey),
    index('notifications_user_time_idx').on(t.userId, t.createdAt),
    index('notifications_user_unread_idx').on(t.userId).where(sql`${t.readAt} is null`),
  ],
);
