import { and, asc, eq } from 'drizzle-orm';
import { customFieldDefs, type CustomValues } from '../../db/schema';
import type { Ctx } from '../../lib/context';
import { audited, diff } from '../../lib/audit';
import { conflict, invalid, notFound, type FieldError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { CreateCustomFieldInput, UpdateCustomFieldInput } from './custom-fields.schema';

type Entity = 'contact' | 'company' | 'deal';
type Def = typeof customFieldDefs.$inferSelect;

/**
 * Definitions by workspace and entity, kept per isolate with the workspace's `custom_fields_version`
 * they were read at. An actor read with its session (or proven with it) carries the current
 * version, so a hit is exact and saves the round trip that every create and edit would pay.
 * Without a version (an actor built by hand) they are read.
 */
const defsCache = new Map<string, { version: number; items: Def[] }>();
const DEFS_CACHE_LIMIT = 200;

export async function listCustomFields(ctx: Ctx, entity?: Entity) {
  const version = ctx.actor.customFieldsVersion;
  const key = `${ctx.actor.workspaceId}:${entity ?? '*'}`;
  const cached = version === undefined ? undefined : defsCache.get(key);
  if (cached && cached.version === version) return { items: cached.items, nextCursor: null };
  const items = await ctx.db
    .select()
    .from(customFieldDefs)
    .where(and(eq(customFieldDefs.workspaceId, ctx.actor.workspaceId), entity ? eq(customFieldDefs.entity, entity) : undefined))
    .orderBy(asc(customFieldDefs.entity), asc(customFieldDefs.position), asc(customFieldDefs.createdAt));
  if (version !== undefined) {
    defsCache.delete(key);
    if (defsCache.size >= DEFS_CACHE_LIMIT) defsCache.delete(defsCache.keys().next().value!);
    defsCache.set(key, { version, items });
  }
  return { items, nextCursor: null };
}

/** After a change, later reads in this request (whose actor still has the old version) read again. */
function forgetDefs(workspaceId: string) {
  for (const key of [...defsCache.keys()]) if (key.startsWith(`${workspaceId}:`)) defsCache.delete(key);
}

export async function createCustomField(ctx: Ctx, input: CreateCustomFieldInput) {
  const def: Def = { id: newId('cfd'), workspaceId: ctx.actor.workspaceId, ...input, createdAt: ctx.now().toISOString() };
  try {
    await audited(ctx, { action: 'custom_field.created', recordType: 'custom_field', recordId: def.id, changes: diff(null, def) }, ctx.db.insert(customFieldDefs).values(def));
    forgetDefs(ctx.actor.workspaceId);
  } catch (err) {
    if (String(err).includes('UNIQUE')) throw conflict('custom_field_exists', 'A field with this key exists.', { errors: [{ field: 'key', message: 'Already used.', code: 'taken' }] });
    throw err;
  }
  return def;
}

async function findDef(ctx: Ctx, id: string) {
  const def = await ctx.db.select().from(customFieldDefs).where(and(eq(customFieldDefs.id, id), eq(customFieldDefs.workspaceId, ctx.actor.workspaceId))).get();
  if (!def) throw notFound('Custom field');
  return def;
}

export async function updateCustomField(ctx: Ctx, id: string, input: UpdateCustomFieldInput) {
  const def = await findDef(ctx, id);
  const next = { ...def, ...input };
  await audited(ctx, { action: 'custom_field.updated', recordType: 'custom_field', recordId: id, changes: diff(def, next) }, ctx.db.update(customFieldDefs).set(input).where(eq(customFieldDefs.id, id)));
  forgetDefs(ctx.actor.workspaceId);
  return next;
}

/** Removes the definition; values already stored on records stay in their JSON until edited. */
export async function deleteCustomField(ctx: Ctx, id: string) {
  const def = await findDef(ctx, id);
  await audited(ctx, { action: 'custom_field.deleted', recordType: 'custom_field', recordId: id, changes: diff(def, null) }, ctx.db.delete(customFieldDefs).where(eq(customFieldDefs.id, id)));
  forgetDefs(ctx.actor.workspaceId);
}

function checkValue(def: Def, value: unknown): string | null {
  if (value === null || value === '') return null;
  switch (def.type) {
    case 'text':
      return typeof value === 'string' ? null : 'Enter text.';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'Enter a number.';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'Choose yes or no.';
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? null : 'Use a date like 2026-01-31.';
    case 'url':
      return typeof value === 'string' && /^https?:\/\/[^\s]+$/.test(value) ? null : 'Enter a web address starting with http:// or https://.';
    case 'select':
      return typeof value === 'string' && def.options.includes(value) ? null : `Choose one of: ${def.options.join(', ')}.`;
    case 'multiselect':
      return Array.isArray(value) && value.every((v) => typeof v === 'string' && def.options.includes(v)) ? null : `Choose from: ${def.options.join(', ')}.`;
  }
}

/**
 * Validates custom values against the workspace's definitions, like built-in fields: unknown
 * keys, wrong types and missing required values are named as `customFields.<key>`.
 */
export async function validateCustomFields(ctx: Ctx, entity: Entity, values: CustomValues | undefined, existing: CustomValues = {}, isCreate = false): Promise<CustomValues> {
  const defs = (await listCustomFields(ctx, entity)).items;
  const merged: CustomValues = { ...existing, ...(values ?? {}) };
  const errors: FieldError[] = [];
  for (const key of Object.keys(values ?? {})) {
    const def = defs.find((d) => d.key === key);
    if (!def) {
      errors.push({ field: `customFields.${key}`, message: 'No such custom field.', code: 'unknown_field' });
      continue;
    }
    const problem = checkValue(def, values![key]);
    if (problem) errors.push({ field: `customFields.${key}`, message: problem, code: 'invalid' });
  }
  if (isCreate || values) {
    for (const def of defs) {
      const v = merged[def.key];
      if (def.isRequired && (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0))) {
        errors.push({ field: `customFields.${def.key}`, message: `${def.label} is required.`, code: 'required' });
      }
    }
  }
  if (errors.length) throw invalid(errors);
  return merged;
}
