import { and, eq, or, sql } from 'drizzle-orm';
import { products, workspaces } from '../../db/schema';
import type { Ctx } from '../../lib/context';
import { audited, diff } from '../../lib/audit';
import { conflict, notFound, preconditionFailed } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { keyset, toPage } from '../../lib/pagination';
import type { CreateProductInput, ListProductsQuery, UpdateProductInput } from './products.schema';

export type ProductRow = typeof products.$inferSelect;

export function productView(row: ProductRow) {
  const { workspaceId: _ws, ...rest } = row;
  return rest;
}

const nameTaken = () => conflict('product_exists', 'A product with this name exists.', { errors: [{ field: 'name', message: 'Already used.', code: 'taken' }] });

/** The catalog is small and shared by the whole workspace: no visibility rule beyond the workspace. */
export async function findProduct(ctx: Ctx, id: string): Promise<ProductRow> {
  const row = await ctx.db.select().from(products).where(and(eq(products.id, id), eq(products.workspaceId, ctx.actor.workspaceId))).get();
  if (!row) throw notFound('Product');
  return row;
}

export const getProduct = async (ctx: Ctx, id: string) => productView(await findProduct(ctx, id));

export async function listProducts(ctx: Ctx, query: ListProductsQuery) {
  const page = keyset(query, products.name, products.id, 'asc');
  const needle = query.q?.toLowerCase();
  const rows = await ctx.db
    .select()
    .from(products)
    .where(
      and(
        eq(products.workspaceId, ctx.actor.workspaceId),
        needle ? or(sql`instr(lower(${products.name}), ${needle}) > 0`, sql`instr(lower(coalesce(${products.sku}, '')), ${needle}) > 0`) : undefined,
        query.series ? eq(products.series, query.series) : undefined,
        query.isActive ? eq(products.isActive, query.isActive === 'true') : undefined,
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(page.limit);
  const result = toPage(rows, query, (r) => ({ k: r.name, id: r.id }));
  return { ...result, items: result.items.map(productView) };
}

async function workspaceCurrency(ctx: Ctx): Promise<string> {
  const ws = await ctx.db.select({ currency: workspaces.currency }).from(workspaces).where(eq(workspaces.id, ctx.actor.workspaceId)).get();
  return ws?.currency ?? 'CNY';
}

const isUniqueViolation = (err: unknown) => String(err).includes('UNIQUE') || String((err as { cause?: unknown })?.cause).includes('UNIQUE');

export async function createProduct(ctx: Ctx, input: CreateProductInput) {
  const now = ctx.now().toISOString();
  const row: ProductRow = {
    id: newId('prd'),
    workspaceId: ctx.actor.workspaceId,
    name: input.name,
    sku: input.sku ?? null,
    series: input.series ?? null,
    unitPrice: input.unitPrice,
    currency: input.currency ?? (await workspaceCurrency(ctx)),
    isActive: input.isActive ?? true,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await audited(ctx, { action: 'product.created', recordType: 'product', recordId: row.id, changes: diff(null, row) }, ctx.db.insert(products).values(row));
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
  return productView(row);
}

/** Products are never deleted (orders point at them); `isActive: false` takes one off sale. */
export async function updateProduct(ctx: Ctx, id: string, expectedVersion: number, input: UpdateProductInput) {
  const current = await findProduct(ctx, id);
  if (current.version !== expectedVersion) throw preconditionFailed(current.version);
  const next: ProductRow = { ...current, ...input, version: current.version + 1, updatedAt: ctx.now().toISOString() };
  const { id: _id, workspaceId: _ws, createdAt: _c, ...changes } = next;
  try {
    await audited(
      ctx,
      { action: 'product.updated', recordType: 'product', recordId: id, changes: diff(current, next) },
      ctx.db.update(products).set(changes).where(and(eq(products.id, id), eq(products.version, expectedVersion))),
    );
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
  const saved = await findProduct(ctx, id);
  if (saved.version !== next.version) throw preconditionFailed(saved.version);
  return productView(saved);
}
