import { and, desc, eq } from 'drizzle-orm';
import { apiKeys } from '../../db/schema';
import type { Ctx } from '../../lib/context';
import { audited, diff } from '../../lib/audit';
import { sha256Hex } from '../../lib/crypto';
import { forbidden, invalidField, notFound } from '../../lib/errors';
import { newId, randomToken } from '../../lib/ids';
import type { CreateApiKeyInput } from './api-keys.schema';

type ApiKeyRow = typeof apiKeys.$inferSelect;

function publicKey(k: ApiKeyRow) {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    createdBy: k.createdBy,
    lastUsedAt: k.lastUsedAt,
    expiresAt: k.expiresAt,
    revokedAt: k.revokedAt,
    createdAt: k.createdAt,
  };
}

export async function listApiKeys(ctx: Ctx) {
  const rows = await ctx.db.select().from(apiKeys).where(eq(apiKeys.workspaceId, ctx.actor.workspaceId)).orderBy(desc(apiKeys.createdAt)).limit(200);
  return { items: rows.map(publicKey), nextCursor: null };
}

/** Creates a key; its secret is returned this once and only its hash is kept. */
export async function createApiKey(ctx: Ctx, input: CreateApiKeyInput) {
  const now = ctx.now();
  if (input.expiresAt && input.expiresAt <= now.toISOString()) throw invalidField('expiresAt', 'Choose a time in the future.');
  // A key may mint narrower keys, never one with a scope it lacks itself.
  const actor = ctx.actor;
  if (actor.type === 'api_key' && input.scopes.some((s) => !actor.scopes.includes(s))) throw forbidden('An API key cannot grant scopes it does not have.');
  const secret = `hk_${randomToken(30)}`;
  const row: ApiKeyRow = {
    id: newId('key'),
    workspaceId: ctx.actor.workspaceId,
    name: input.name,
    prefix: secret.slice(0, 10),
    keyHash: await sha256Hex(secret),
    scopes: [...new Set(input.scopes)],
    createdBy: ctx.actor.id ?? 'system',
    lastUsedAt: null,
    expiresAt: input.expiresAt ?? null,
    revokedAt: null,
    createdAt: now.toISOString(),
  };
  await audited(ctx, { action: 'api_key.created', recordType: 'api_key', recordId: row.id, changes: diff(null, { name: row.name, scopes: row.scopes, expiresAt: row.expiresAt }) }, ctx.db.insert(apiKeys).values(row));
  return { ...publicKey(row), key: secret };
}

export async function revokeApiKey(ctx: Ctx, id: string) {
  const row = await ctx.db.select().from(apiKeys).where(and(eq(apiKeys.id, id), eq(apiKeys.workspaceId, ctx.actor.workspaceId))).get();
  if (!row) throw notFound('API key');
  if (row.revokedAt) return;
  await audited(ctx, { action: 'api_key.revoked', recordType: 'api_key', recordId: id }, ctx.db.update(apiKeys).set({ revokedAt: ctx.now().toISOString() }).where(eq(apiKeys.id, id)));
}
