import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Statement } from '../../db/client';
import { orderItems, orders, products } from '../../db/schema';
import type { Ctx } from '../../lib/context';
import { audited, diff } from '../../lib/audit';
import { conflict, invalid, notFound, preconditionFailed, type FieldError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { keyset, toPage } from '../../lib/pagination';
import { becomeCustomerStatements, loadCustomerSettings, refreshFiguresStatement, type CustomerSettings } from '../customer-figures/figures.statements';
import { linkedVisibleTo, resolveLink } from '../history/linked';
import type { CreateOrderInput, ListOrdersQuery, OrderItemInput, UpdateOrderInput } from './orders.schema';

export type OrderRow = typeof orders.$inferSelect;
export type OrderItemRow = typeof orderItems.$inferSelect;

/** D1 binds at most 100 parameters per statement: an item row takes 6, plus 2 for the version guard. */
const ITEMS_PER_STATEMENT = 15;
/**
 * Item ids sort in the order the items were given (there is no position column) and are unique
 * per version of the order, since an edit replaces all items.
 */
const itemId = (order: { id: string; version: number }, index: number) => `itm_${order.id.slice(4)}.${order.version}.${String(index).padStart(3, '0')}`;
/** `IN (…)` lists stay under the same limit. */
const IDS_PER_QUERY = 90;
const MAX_TOTAL = 1e15;

function chunk<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** An order without its items, as the timeline shows it. */
export function orderSummary(row: OrderRow) {
  const { workspaceId: _ws, deletedAt: _d, ...rest } = row;
  return rest;
}

export function orderView(row: OrderRow, items: OrderItemRow[]) {
  return { ...orderSummary(row), items: items.map(({ orderId: _o, ...item }) => ({ ...item, amount: item.quantity * item.unitPrice })) };
}

async function itemsOf(ctx: Ctx, orderIds: string[]): Promise<Map<string, OrderItemRow[]>> {
  const byOrder = new Map<string, OrderItemRow[]>();
  const parts = await Promise.all(
    chunk(orderIds, IDS_PER_QUERY).map((ids) => ctx.db.select().from(orderItems).where(inArray(orderItems.orderId, ids)).orderBy(asc(orderItems.id))),
  );
  for (const item of parts.flat()) byOrder.set(item.orderId, [...(byOrder.get(item.orderId) ?? []), item]);
  return byOrder;
}

export async function findVisibleOrder(ctx: Ctx, id: string): Promise<OrderRow> {
  const row = await ctx.db.select().from(orders).where(and(eq(orders.id, id), linkedVisibleTo(ctx, orders), isNull(orders.deletedAt))).get();
  if (!row) throw notFound('Order');
  return row;
}

const withItems = async (ctx: Ctx, row: OrderRow) => orderView(row, (await itemsOf(ctx, [row.id])).get(row.id) ?? []);

export const getOrder = async (ctx: Ctx, id: string) => withItems(ctx, await findVisibleOrder(ctx, id));

export async function listOrders(ctx: Ctx, query: ListOrdersQuery) {
  const page = keyset(query, orders.orderedAt, orders.id, 'desc');
  const rows = await ctx.db
    .select()
    .from(orders)
    .where(
      and(
        linkedVisibleTo(ctx, orders),
        isNull(orders.deletedAt),
        query.contactId ? eq(orders.contactId, query.contactId) : undefined,
        query.companyId ? eq(orders.companyId, query.companyId) : undefined,
        query.status?.length ? inArray(orders.status, query.status) : undefined,
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(page.limit);
  const result = toPage(rows, query, (r) => ({ k: r.orderedAt, id: r.id }));
  const items = await itemsOf(ctx, result.items.map((r) => r.id));
  return { ...result, items: result.items.map((r) => orderView(r, items.get(r.id) ?? [])) };
}

/**
 * Items with names and prices filled in from the catalog. A catalog price is used only in its own
 * currency; a product taken off sale stays on orders that already had it but cannot be added.
 */
async function resolveItems(
  ctx: Ctx,
  order: { id: string; version: number },
  input: OrderItemInput[],
  currency: string,
  keptProductIds: Set<string>,
): Promise<{ items: OrderItemRow[]; total: number }> {
  const productIds = [...new Set(input.flatMap((i) => (i.productId ? [i.productId] : [])))];
  const found = (
    await Promise.all(
      chunk(productIds, IDS_PER_QUERY).map((ids) => ctx.db.select().from(products).where(and(eq(products.workspaceId, ctx.actor.workspaceId), inArray(products.id, ids)))),
    )
  ).flat();
  const catalog = new Map(found.map((p) => [p.id, p]));
  const errors: FieldError[] = [];
  const items = input.map((item, i): OrderItemRow => {
    const product = item.productId ? catalog.get(item.productId) : undefined;
    if (item.productId && !product) errors.push({ field: `items.${i}.productId`, message: 'No such product.', code: 'not_found' });
    if (product && !product.isActive && !keptProductIds.has(product.id)) {
      errors.push({ field: `items.${i}.productId`, message: `"${product.name}" is no longer sold.`, code: 'inactive' });
    }
    let unitPrice = item.unitPrice;
    if (unitPrice === undefined && product) {
      if (product.currency === currency) unitPrice = product.unitPrice;
      else errors.push({ field: `items.${i}.unitPrice`, message: `Give the price in ${currency}; the catalog price is in ${product.currency}.`, code: 'required' });
    }
    if (unitPrice === undefined && !product && !(item.productId && !product)) {
      errors.push({ field: `items.${i}.unitPrice`, message: 'Give a unit price for an item not in the catalog.', code: 'required' });
    }
    return { id: itemId(order, i), orderId: order.id, productId: item.productId ?? null, name: item.name ?? product?.name ?? '', quantity: item.quantity, unitPrice: unitPrice ?? 0 };
  });
  const total = items.reduce((sum, i) => sum + i.quantity * i.unitPrice, 0);
  if (total > MAX_TOTAL) errors.push({ field: 'items', message: 'The order total is too large.', code: 'too_big' });
  if (errors.length) throw invalid(errors);
  return { items, total };
}

/**
 * What every order change carries in its batch besides itself: the customer's derived figures
 * and RFM recomputed from the orders as they are then, and the move to `customer` when this is a
 * purchase that earns it. Statements run in order, so they see the change made before them.
 */
function customerStatements(ctx: Ctx, settings: CustomerSettings, order: OrderRow): Statement[] {
  if (!order.contactId) return [];
  return [refreshFiguresStatement(ctx.db, settings, ctx.now(), { contactId: order.contactId }), ...becomeCustomerStatements(ctx, settings, order.contactId, order)];
}

async function settingsFor(ctx: Ctx): Promise<CustomerSettings> {
  const settings = await loadCustomerSettings(ctx.db, ctx.actor.workspaceId);
  if (!settings) throw notFound('Workspace');
  return settings;
}

export async function createOrder(ctx: Ctx, input: CreateOrderInput) {
  const [link, settings] = await Promise.all([resolveLink(ctx, input), settingsFor(ctx)]);
  const id = newId('ord');
  const currency = input.currency ?? settings.currency;
  const { items, total } = await resolveItems(ctx, { id, version: 1 }, input.items, currency, new Set());
  const now = ctx.now().toISOString();
  const row: OrderRow = {
    id,
    workspaceId: ctx.actor.workspaceId,
    ...link,
    number: input.number ?? null,
    status: input.status ?? 'pending',
    orderedAt: input.orderedAt ? new Date(input.orderedAt).toISOString() : now,
    currency,
    total,
    note: input.note ?? null,
    createdBy: ctx.actor.id,
    version: 1,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  await audited(
    ctx,
    { action: 'order.created', recordType: 'order', recordId: id, changes: diff(null, { ...row, items }) },
    ctx.db.insert(orders).values(row),
    ...chunk(items, ITEMS_PER_STATEMENT).map((part) => ctx.db.insert(orderItems).values(part)),
    ...customerStatements(ctx, settings, row),
  );
  return orderView(row, items);
}

/** Statements that replace an order's items, each a no-op unless the order is still at `version`. */
function replaceItemsStatements(ctx: Ctx, orderId: string, version: number, items: OrderItemRow[]): Statement[] {
  const stillAt = sql`exists (select 1 from ${orders} where ${orders.id} = ${orderId} and ${orders.version} = ${version})`;
  return [
    ctx.db.delete(orderItems).where(and(eq(orderItems.orderId, orderId), stillAt)),
    ...chunk(items, ITEMS_PER_STATEMENT).map((part) => {
      // Values in the table's column order: INSERT … SELECT fills every column in that order.
      const rows = sql.join(part.map((i) => sql`(${i.id}, ${i.orderId}, ${i.productId}, ${i.name}, ${i.quantity}, ${i.unitPrice})`), sql`, `);
      return ctx.db.insert(orderItems).select(sql`select * from (values ${rows}) where ${stillAt}`);
    }),
  ];
}

type OrderChange = { action: string; set: Partial<OrderRow>; items?: OrderItemInput[] };
const itemAudit = (items: OrderItemRow[]) => items.map(({ id: _i, orderId: _o, ...rest }) => rest);

/**
 * The one write path for an existing order (edit, cancel, delete): checks If-Match, writes the
 * order, its items and the customer's recomputed figures in one batch, then confirms the version
 * it wrote, so a colleague's edit that landed first turns this one into a 412, never a blend.
 */
async function changeOrder(ctx: Ctx, id: string, expectedVersion: number, build: (row: OrderRow) => OrderChange | null): Promise<OrderRow> {
  const [current, settings] = await Promise.all([findVisibleOrder(ctx, id), settingsFor(ctx)]);
  if (current.version !== expectedVersion) throw preconditionFailed(current.version);
  const change = build(current);
  if (!change) return current;
  const before = (await itemsOf(ctx, [id])).get(id) ?? [];
  const currency = change.set.currency ?? current.currency;
  const keptProducts = new Set(before.flatMap((i) => (i.productId ? [i.productId] : [])));
  const replaced = change.items ? await resolveItems(ctx, { id, version: current.version + 1 }, change.items, currency, keptProducts) : null;
  const now = ctx.now().toISOString();
  const next: OrderRow = { ...current, ...change.set, ...(replaced ? { total: replaced.total } : {}), version: current.version + 1, updatedAt: now };
  const { id: _id, workspaceId: _ws, createdAt: _c, ...columns } = next;
  await audited(
    ctx,
    {
      action: change.action,
      recordType: 'order',
      recordId: id,
      changes: { ...diff(current, next), ...(replaced ? diff({ items: itemAudit(before) }, { items: itemAudit(replaced.items) }) : {}) },
    },
    ...(replaced ? replaceItemsStatements(ctx, id, expectedVersion, replaced.items) : []),
    ctx.db.update(orders).set(columns).where(and(eq(orders.id, id), eq(orders.version, expectedVersion))),
    ...customerStatements(ctx, settings, next),
  );
  const saved = await ctx.db.select().from(orders).where(eq(orders.id, id)).get();
  if (!saved || saved.version !== next.version || saved.updatedAt !== now) throw preconditionFailed(saved?.version ?? next.version);
  return saved;
}

export async function updateOrder(ctx: Ctx, id: string, expectedVersion: number, input: UpdateOrderInput) {
  const { items, orderedAt, ...fields } = input;
  const saved = await changeOrder(ctx, id, expectedVersion, () => ({
    action: 'order.updated',
    set: { ...fields, ...(orderedAt ? { orderedAt: new Date(orderedAt).toISOString() } : {}) },
    items,
  }));
  return withItems(ctx, saved);
}

/** A cancelled order stays on the timeline but no longer counts towards spend. */
export async function cancelOrder(ctx: Ctx, id: string, expectedVersion: number) {
  const saved = await changeOrder(ctx, id, expectedVersion, (row) => {
    if (row.status === 'cancelled') return null;
    if (row.status === 'refunded') throw conflict('order_refunded', 'A refunded order cannot be cancelled.');
    return { action: 'order.cancelled', set: { status: 'cancelled' } };
  });
  return withItems(ctx, saved);
}

/** Soft delete, for an order entered by mistake: it leaves lists, timelines and every figure. */
export async function deleteOrder(ctx: Ctx, id: string, expectedVersion: number): Promise<void> {
  await changeOrder(ctx, id, expectedVersion, () => ({ action: 'order.deleted', set: { deletedAt: ctx.now().toISOString() } }));
}
