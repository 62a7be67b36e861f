import { and, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import { assignmentRules, formSubmissions, forms, pipelines, teams, users, type AssignmentRuleBody } from '../../db/schema';
import type { Statement } from '../../db/client';
import type { Ctx } from '../../lib/context';
import { audited, diff } from '../../lib/audit';
import { invalid, notFound, preconditionFailed, type FieldError } from '../../lib/errors';
import { newId, randomToken } from '../../lib/ids';
import { keyset, toPage, type PageQuery } from '../../lib/pagination';
import { assertTags } from '../tags/tags.service';
import type { CreateFormInput, UpdateFormInput } from './forms.schema';
import type { OwnerRule } from '../../db/tables/leads';

export type FormRow = typeof forms.$inferSelect;

const publicBase = (ctx: Pick<Ctx, 'env' | 'meta'>) => ctx.env.APP_URL ?? ctx.meta.origin;

/** The API shape of a form, with its public URL and the one-line embed snippet. */
export function formView(ctx: Pick<Ctx, 'env' | 'meta'>, row: FormRow, extra: { submissionCount?: number } = {}) {
  const { workspaceId: _ws, deletedAt: _d, ...rest } = row;
  const url = `${publicBase(ctx)}/f/${row.key}`;
  return { ...rest, publicUrl: url, embedSnippet: `<script src="${url}/embed.js" async></script>`, ...extra };
}

/** Keeps a form's own settings consistent: unique field names, one email/phone field, someone to reach. */
function checkFields(fields: CreateFormInput['fields']): void {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    if (seen.has(f.name)) errors.push({ field: `fields.${i}.name`, message: 'Two fields have this name.', code: 'duplicate' });
    seen.add(f.name);
    if (f.type === 'select' && !f.options?.length) errors.push({ field: `fields.${i}.options`, message: 'A choice field needs options.', code: 'required' });
  });
  for (const target of ['contact.email', 'contact.phone', 'contact.name'] as const) {
    if (fields.filter((f) => f.mapTo === target).length > 1) errors.push({ field: 'fields', message: `Only one field can fill ${target}.`, code: 'duplicate' });
  }
  if (!fields.some((f) => f.mapTo === 'contact.email' || f.mapTo === 'contact.phone')) {
    errors.push({ field: 'fields', message: 'Map at least one field to the email or phone: it is how a returning person is recognised.', code: 'required' });
  }
  if (errors.length) throw invalid(errors);
}

/** The people and teams a routing setting names must exist in the workspace. */
export async function assertRouting(ctx: Ctx, input: { ownerRule?: OwnerRule; notifyUserIds?: string[]; tagIds?: string[]; pipelineId?: string | null }): Promise<void> {
  const userIds = new Set<string>(input.notifyUserIds ?? []);
  const teamIds = new Set<string>();
  const walk = (rule: OwnerRule | null | undefined) => {
    if (!rule) return;
    if (rule.kind === 'fixed') userIds.add(rule.userId);
    if (rule.kind === 'round_robin') teamIds.add(rule.teamId);
    if (rule.kind === 'field_match') {
      Object.values(rule.map).forEach((u) => userIds.add(u));
      walk(rule.fallback);
    }
  };
  walk(input.ownerRule);
  const errors: FieldError[] = [];
  if (userIds.size) {
    const found = await ctx.db.select({ id: users.id }).from(users).where(and(eq(users.workspaceId, ctx.actor.workspaceId), inArray(users.id, [...userIds]), eq(users.isActive, true)));
    const ok = new Set(found.map((u) => u.id));
    for (const u of userIds) if (!ok.has(u)) errors.push({ field: (input.notifyUserIds ?? []).includes(u) ? 'notifyUserIds' : 'ownerRule', message: 'Choose active members of this workspace.', code: 'not_found' });
  }
  if (teamIds.size) {
    const found = await ctx.db.select({ id: teams.id }).from(teams).where(and(eq(teams.workspaceId, ctx.actor.workspaceId), inArray(teams.id, [...teamIds])));
    if (found.length !== teamIds.size) errors.push({ field: 'ownerRule.teamId', message: 'No such team.', code: 'not_found' });
  }
  if (input.pipelineId) {
    const found = await ctx.db.select({ id: pipelines.id }).from(pipelines).where(and(eq(pipelines.id, input.pipelineId), eq(pipelines.workspaceId, ctx.actor.workspaceId))).get();
    if (!found) errors.push({ field: 'pipelineId', message: 'No such pipeline.', code: 'not_found' });
  }
  if (errors.length) throw invalid(errors);
  if (input.tagIds?.length) await assertTags(ctx, input.tagIds);
}

export async function findForm(ctx: Ctx, id: string): Promise<FormRow> {
  const row = await ctx.db.select().from(forms).where(and(eq(forms.id, id), eq(forms.workspaceId, ctx.actor.workspaceId), isNull(forms.deletedAt))).get();
  if (!row) throw notFound('Form');
  return row;
}

export async function listForms(ctx: Ctx, query: PageQuery) {
  const page = keyset(query, forms.name, forms.id, 'asc');
  const rows = await ctx.db
    .select()
    .from(forms)
    .where(and(eq(forms.workspaceId, ctx.actor.workspaceId), isNull(forms.deletedAt), page.where))
    .orderBy(...page.orderBy)
    .limit(page.limit);
  const result = toPage(rows, query, (r) => ({ k: r.name, id: r.id }));
  return { ...result, items: result.items.map((r) => formView(ctx, r)) };
}

export async function getForm(ctx: Ctx, id: string) {
  const row = await findForm(ctx, id);
  const [{ n }] = await ctx.db.select({ n: count() }).from(formSubmissions).where(eq(formSubmissions.formId, id));
  return formView(ctx, row, { submissionCount: n });
}

export async function createForm(ctx: Ctx, input: CreateFormInput) {
  checkFields(input.fields);
  await assertRouting(ctx, input);
  const at = ctx.now().toISOString();
  const row: FormRow = {
    id: newId('frm'),
    workspaceId: ctx.actor.workspaceId,
    key: randomToken(12),
    name: input.name,
    locale: input.locale ?? 'zh-CN',
    fields: input.fields.map((f) => ({ ...f, required: f.required ?? false })),
    consentText: input.consentText ?? null,
    consentRequired: input.consentRequired ?? false,
    thankYouUrl: input.thankYouUrl ?? null,
    thankYouMessage: input.thankYouMessage ?? null,
    allowedOrigins: input.allowedOrigins ?? [],
    ownerRule: input.ownerRule ?? { kind: 'none' },
    pipelineId: input.pipelineId ?? null,
    createDeal: input.createDeal ?? false,
    tagIds: input.tagIds ?? [],
    notifyUserIds: input.notifyUserIds ?? [],
    scoringRules: input.scoringRules ?? [],
    ackEmail: input.ackEmail ?? false,
    turnstile: input.turnstile ?? false,
    turnstileSiteKey: input.turnstileSiteKey ?? null,
    minFillSeconds: input.minFillSeconds ?? 3,
    ipLimitPerMinute: input.ipLimitPerMinute ?? 10,
    formLimitPerMinute: input.formLimitPerMinute ?? 600,
    isActive: input.isActive ?? true,
    createdBy: ctx.actor.id,
    version: 1,
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
  };
  await audited(ctx, { action: 'form.created', recordType: 'form', recordId: row.id, changes: diff(null, row) }, ctx.db.insert(forms).values(row), ownerRuleStatement(ctx, row.id, row.name, row.ownerRule));
  return formView(ctx, row);
}

async function writeForm(ctx: Ctx, action: string, current: FormRow, expectedVersion: number, next: FormRow) {
  const { id, workspaceId: _ws, createdAt: _c, ...columns } = next;
  const ruleChanged = JSON.stringify(current.ownerRule) !== JSON.stringify(next.ownerRule);
  await audited(
    ctx,
    { action, recordType: 'form', recordId: id, changes: diff(current, next) },
    ctx.db.update(forms).set(columns).where(and(eq(forms.id, id), eq(forms.version, expectedVersion))),
    ...(ruleChanged ? [ownerRuleStatement(ctx, id, next.name, next.ownerRule)] : []),
  );
  const saved = await ctx.db.select().from(forms).where(eq(forms.id, id)).get();
  if (!saved || saved.version !== next.version || saved.updatedAt !== next.updatedAt) throw preconditionFailed(saved?.version ?? next.version);
  return saved;
}

export async function updateForm(ctx: Ctx, id: string, expectedVersion: number, input: UpdateFormInput) {
  const current = await findForm(ctx, id);
  if (current.version !== expectedVersion) throw preconditionFailed(current.version);
  if (input.fields) checkFields(input.fields);
  await assertRouting(ctx, input);
  const next = { ...current, ...input, version: current.version + 1, updatedAt: ctx.now().toISOString() } as FormRow;
  return formView(ctx, await writeForm(ctx, 'form.updated', current, expectedVersion, next));
}

export async function rotateFormKey(ctx: Ctx, id: string) {
  const current = await findForm(ctx, id);
  const next = { ...current, key: randomToken(12), version: current.version + 1, updatedAt: ctx.now().toISOString() };
  return formView(ctx, await writeForm(ctx, 'form.key_rotated', current, current.version, next));
}

export async function deleteForm(ctx: Ctx, id: string, expectedVersion: number): Promise<void> {
  const current = await findForm(ctx, id);
  if (current.version !== expectedVersion) throw preconditionFailed(current.version);
  const at = ctx.now().toISOString();
  await writeForm(ctx, 'form.deleted', current, expectedVersion, { ...current, deletedAt: at, isActive: false, version: current.version + 1, updatedAt: at });
}

/**
 * A form's (or hook source's) owner rule lives in the assignment rules under the scope
 * `lead_source`/<its id>, where `pickOwner()` keeps the round-robin counter. Written in the same
 * batch as the form; "none" deactivates it.
 */
export function ownerRuleStatement(ctx: Ctx, scopeId: string, name: string, rule: OwnerRule): Statement {
  const at = ctx.now().toISOString();
  if (rule.kind === 'none') {
    return ctx.db.update(assignmentRules).set({ isActive: false, updatedAt: at }).where(and(eq(assignmentRules.workspaceId, ctx.actor.workspaceId), eq(assignmentRules.scopeType, 'lead_source'), eq(assignmentRules.scopeId, scopeId)));
  }
  return ctx.db
    .insert(assignmentRules)
    .values({ id: newId('asr'), workspaceId: ctx.actor.workspaceId, name: name.slice(0, 120), scopeType: 'lead_source', scopeId, kind: rule.kind, rule: rule as AssignmentRuleBody, position: 0, isActive: true, createdAt: at, updatedAt: at })
    .onConflictDoUpdate({
      target: [assignmentRules.workspaceId, assignmentRules.scopeType, assignmentRules.scopeId],
      set: { kind: rule.kind, rule: rule as AssignmentRuleBody, isActive: true, name: name.slice(0, 120), updatedAt: at, version: sql`${assignmentRules.version} + 1` },
    });
}
