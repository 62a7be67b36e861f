import { integer, text } from 'drizzle-orm/sqlite-core';

export type CustomValues = Record<string, string | number | boolean | string[] | null>;

/**
 * Columns shared by records owned by someone on the customer side (contacts, companies, deals,
 * tasks): ownership, custom fields, archive/soft delete, merge, optimistic version.
 */
export const recordColumns = () => ({
  ownerId: text('owner_id'),
  customFields: text('custom_fields', { mode: 'json' }).$type<CustomValues>().notNull().default({}),
  archivedAt: text('archived_at'),
  deletedAt: text('deleted_at'),
  mergedIntoId: text('merged_into_id'),
  createdBy: text('created_by'),
  version: integer('version').notNull().default(1),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});
