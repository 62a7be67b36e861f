import { and, asc, eq, sql } from 'drizzle-orm';
import { cachedQuery } from '../../db/cached-query';
import { inList } from '../../db/in-list';
import { recordTags, tags } from '../../db/schema';
import type { Statement } from '../../db/client';
import type { Ctx } from '../../lib/context';
import { audited, diff } from '../../lib/audit';
import { conflict, invalidField, notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { CreateTagInput, UpdateTagInput } from './tags.schema';

export type TaggedType = 'contact' | 'company' | 'deal';
type TagRow = typeof tags.$inferSelect;

export async function listTags(ctx: Ctx) {
  const items = await ctx.db.select().from(tags).where(eq(tags.workspaceId, ctx.actor.workspaceId)).orderBy(asc(tags.name));
  return { items, nextCursor: null };
}

const nameTaken = () => conflict('tag_exists', 'A tag with this name exists.', { errors: [{ field: 'name', message: 'Already used.', code: 'taken' }] });

export async function createTag(ctx: Ctx, input: CreateTagInput) {
  const tag: TagRow = { id: newId('tag'), workspaceId: ctx.actor.workspaceId, name: input.name, color: input.color ?? '#64748b', createdAt: ctx.now().toISOString() };
  try {
    await audited(ctx, { action: 'tag.created', recordType: 'tag', recordId: tag.id, changes: diff(null, tag) }, ctx.db.insert(tags).values(tag));
  } catch (err) {
    if (String(err).includes('UNIQUE')) throw nameTaken();
    throw err;
  }
  return tag;
}

async function findTag(ctx: Ctx, id: string) {
  const tag = await ctx.db.select().from(tags).where(and(eq(tags.id, id), eq(tags.workspaceId, ctx.actor.workspaceId))).get();
  if (!tag) throw notFound('Tag');
  return tag;
}

export async function updateTag(ctx: Ctx, id: string, input: UpdateTagInput) {
  const tag = await findTag(ctx, id);
  const next = { ...tag, ...input };
  try {
    await audited(ctx, { action: 'tag.updated', recordType: 'tag', recordId: id, changes: diff(tag, next) }, ctx.db.update(tags).set(input).where(eq(tags.id, id)));
  } catch (err) {
    if (String(err).includes('UNIQUE')) throw nameTaken();
    throw err;
  }
  return next;
}

export async function deleteTag(ctx: Ctx, id: string) {
  const tag = await findTag(ctx, id);
  await audited(
    ctx,
    { action: 'tag.deleted', recordType: 'tag', recordId: id, changes: diff(tag, null) },
    ctx.db.delete(recordTags).where(eq(recordTags.tagId, id)),
    ctx.db.delete(tags).where(eq(tags.id, id)),
  );
}

/** Fails with a field error unless every id names a tag of this workspace. */
export async function assertTags(ctx: Ctx, tagIds: string[], field = 'tagIds') {
  const unique = [...new Set(tagIds)];
  if (unique.length === 0) return unique;
  const found = await ctx.db.select({ id: tags.id }).from(tags).where(and(eq(tags.workspaceId, ctx.actor.workspaceId), inList(tags.id, unique)));
  if (found.length !== unique.length) throw invalidField(field, 'Some of these tags do not exist.', 'not_found');
  return unique;
}

/** Statements that make a record's tags exactly `tagIds`. */
export function replaceTags(ctx: Ctx, recordType: TaggedType, recordId: string, tagIds: string[]): Statement[] {
  return [
    cachedQuery(ctx.db, 'tags.clear', { recordType, recordId }, (v) => ctx.db.delete(recordTags).where(and(eq(recordTags.recordType, v('recordType')), eq(recordTags.recordId, v('recordId'))))),
    ...(tagIds.length
      ? [ctx.db.insert(recordTags).values(tagIds.map((tagId) => ({ workspaceId: ctx.actor.workspaceId, tagId, recordType, recordId })))]
      : []),
  ];
}

/** Statements that add tags to many records, leaving existing ones. */
export function addTags(ctx: Ctx, recordType: TaggedType, recordIds: string[], tagIds: string[]): Statement[] {
  const rows = recordIds.flatMap((recordId) => tagIds.map((tagId) => ({ workspaceId: ctx.actor.workspaceId, tagId, recordType, recordId })));
  // D1 allows 100 bound parameters per statement: 4 per row.
  const chunks: Statement[] = [];
  for (let i = 0; i < rows.length; i += 24) chunks.push(ctx.db.insert(recordTags).values(rows.slice(i, i + 24)).onConflictDoNothing());
  return chunks;
}

/** Tags of many records at once, for lists and details. */
export async function tagsOf(ctx: Ctx, recordType: TaggedType, recordIds: string[]): Promise<Map<string, { id: string; name: string; color: string }[]>> {
  const result = new Map<string, { id: string; name: string; color: string }[]>();
  if (recordIds.length === 0) return result;
  const rows = await ctx.db
    .select({ recordId: recordTags.recordId, id: tags.id, name: tags.name, color: tags.color })
    .from(recordTags)
    .innerJoin(tags, eq(tags.id, recordTags.tagId))
    .where(and(eq(recordTags.recordType, recordType), inList(recordTags.recordId, recordIds), eq(recordTags.workspaceId, ctx.actor.workspaceId)))
    .orderBy(asc(tags.name));
  for (const r of rows) {
    const list = result.get(r.recordId) ?? [];
    list.push({ id: r.id, name: r.name, color: r.color });
    result.set(r.recordId, list);
  }
  return result;
}

/** SQL condition: the record (a row of `table`) carries every given tag. */
export function hasTags(recordType: TaggedType, table: 'contacts' | 'companies' | 'deals', tagIds: string[]) {
  const recordId = sql`${sql.identifier(table)}.${sql.identifier('id')}`;
  return and(
    ...tagIds.map(
      (tagId) => sql`exists (select 1 from ${recordTags} rt where rt.record_type = ${recordType} and rt.record_id = ${recordId} and rt.tag_id = ${tagId})`,
    ),
  );
}

export type TagRef = { id: string; name: string; color: string };

/**
 * The record's tags as a JSON array (id, name, colour), a copy the database keeps on the record
 * itself (migration 0019), so a list page reads its tags with its rows.
 */
export function tagsJsonColumn(table: 'contacts' | 'companies' | 'deals') {
  // Qualified: inside a query that joins other tables a bare column could be ambiguous.
  return sql<string>`${sql.identifier(table)}.${sql.identifier('tags_json')}`;
}

export function parseTagsJson(json: string | null): TagRef[] {
  if (!json || json === '[]') return [];
  const list = JSON.parse(json) as TagRef[];
  return list.length > 1 ? list.sort((a, b) => a.name.localeCompare(b.name)) : list;
}
