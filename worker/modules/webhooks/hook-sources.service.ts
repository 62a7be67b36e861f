import { and, eq, isNull } from 'drizzle-orm';
import { hookSources } from '../../db/schema';
import type { Ctx } from '../../lib/context';
import { audited, diff } from '../../lib/audit';
import { notFound, preconditionFailed } from '../../lib/errors';
import { encryptField } from '../../lib/field-crypto';
import { newId, randomToken } from '../../lib/ids';
import { keyset, toPage, type PageQuery } from '../../lib/pagination';
import { assertRouting, ownerRuleStatement } from '../forms/forms.service';
import { hookSecretAad, type HookSourceRow } from './hook-sources.intake';
import { newSecret } from './webhooks.signing';
import type { CreateHookSourceInput, UpdateHookSourceInput } from './webhooks.schema';

export function hookSourceView(ctx: Pick<Ctx, 'env' | 'meta'>, row: HookSourceRow, secret?: string) {
  const { workspaceId: _ws, deletedAt: _d, secretEnc: _s, ...rest } = row;
  return { ...rest, url: `${ctx.env.APP_URL ?? ctx.meta.origin}/hooks/${row.key}`, ...(secret ? { secret } : {}) };
}

async function findSource(ctx: Ctx, id: string): Promise<HookSourceRow> {
  const row = await ctx.db.select().from(hookSources).where(and(eq(hookSources.id, id), eq(hookSources.workspaceId, ctx.actor.workspaceId), isNull(hookSources.deletedAt))).get();
  if (!row) throw notFound('Lead source');
  return row;
}

export async function listHookSources(ctx: Ctx, query: PageQuery) {
  const page = keyset(query, hookSources.createdAt, hookSources.id, 'desc');
  const rows = await ctx.db.select().from(hookSources).where(and(eq(hookSources.workspaceId, ctx.actor.workspaceId), isNull(hookSources.deletedAt), page.where)).orderBy(...page.orderBy).limit(page.limit);
  const result = toPage(rows, query, (r) => ({ k: r.createdAt, id: r.id }));
  return { ...result, items: result.items.map((r) => hookSourceView(ctx, r)) };
}

export const getHookSource = async (ctx: Ctx, id: string) => hookSourceView(ctx, await findSource(ctx, id));

export async function createHookSource(ctx: Ctx, input: CreateHookSourceInput) {
  await assertRouting(ctx, input);
  const at = ctx.now().toISOString();
  const id = newId('hks');
  const secret = newSecret();
  const row: HookSourceRow = {
    id,
    workspaceId: ctx.actor.workspaceId,
    key: randomToken(12),
    name: input.name,
    secretEnc: await encryptField(ctx.env.FIELD_ENCRYPTION_KEY, secret, hookSecretAad({ workspaceId: ctx.actor.workspaceId, id })),
    fieldMapping: input.fieldMapping,
    ownerRule: input.ownerRule ?? { kind: 'none' },
    pipelineId: input.pipelineId ?? null,
    createDeal: input.createDeal ?? false,
    tagIds: input.tagIds ?? [],
    notifyUserIds: input.notifyUserIds ?? [],
    scoringRules: input.scoringRules ?? [],
    isActive: input.isActive ?? true,
    createdBy: ctx.actor.id,
    version: 1,
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
  };
  const { secretEnc: _s, ...audit } = row;
  await audited(ctx, { action: 'hook_source.created', recordType: 'hook_source', recordId: id, changes: diff(null, audit) }, ctx.db.insert(hookSources).values(row), ownerRuleStatement(ctx, id, row.name, row.ownerRule));
  return hookSourceView(ctx, row, secret);
}

async function writeSource(ctx: Ctx, action: string, current: HookSourceRow, expectedVersion: number, next: HookSourceRow) {
  const { id, workspaceId: _ws, createdAt: _c, ...columns } = next;
  const { secretEnc: _a, ...before } = current;
  const { secretEnc: _b, ...after } = next;
  const ruleChanged = JSON.stringify(current.ownerRule) !== JSON.stringify(next.ownerRule);
  await audited(
    ctx,
    { action, recordType: 'hook_source', recordId: id, changes: { ...diff(before, after), ...(current.secretEnc !== next.secretEnc ? { secret: { before: '[redacted]', after: '[redacted]' } } : {}) } },
    ctx.db.update(hookSources).set(columns).where(and(eq(hookSources.id, id), eq(hookSources.version, expectedVersion))),
    ...(ruleChanged ? [ownerRuleStatement(ctx, id, next.name, next.ownerRule)] : []),
  );
  const saved = await ctx.db.select().from(hookSources).where(eq(hookSources.id, id)).get();
  if (!saved || saved.version !== next.version) throw preconditionFailed(saved?.version ?? next.version);
  return saved;
}

export async function updateHookSource(ctx: Ctx, id: string, expectedVersion: number, input: UpdateHookSourceInput) {
  const current = await findSource(ctx, id);
  if (current.version !== expectedVersion) throw preconditionFailed(current.version);
  await assertRouting(ctx, input);
  const next = { ...current, ...input, version: current.version + 1, updatedAt: ctx.now().toISOString() } as HookSourceRow;
  return hookSourceView(ctx, await writeSource(ctx, 'hook_source.updated', current, expectedVersion, next));
}

export async function rotateHookSecret(ctx: Ctx, id: string) {
  const current = await findSource(ctx, id);
  const secret = newSecret();
  const next = { ...current, secretEnc: await encryptField(ctx.env.FIELD_ENCRYPTION_KEY, secret, hookSecretAad(current)), version: current.version + 1, updatedAt: ctx.now().toISOString() };
  return hookSourceView(ctx, await writeSource(ctx, 'hook_source.secret_rotated', current, current.version, next), secret);
}

export async function deleteHookSource(ctx: Ctx, id: string, expectedVersion: number) {
  const current = await findSource(ctx, id);
  if (current.version !== expectedVersion) throw preconditionFailed(current.version);
  const at = ctx.now().toISOString();
  await writeSource(ctx, 'hook_source.deleted', current, expectedVersion, { ...current, isActive: false, deletedAt: at, version: current.version + 1, updatedAt: at });
}
