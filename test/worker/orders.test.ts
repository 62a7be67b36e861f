import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, auditRows, failingFields, json, problem, type Session } from './helpers';
import {
  createContact,
  createOrder,
  createProduct,
  daysAgo,
  getContact,
  ifMatch,
  paidOrder,
  patchOrder,
  timeline,
  type Contact,
  type Order,
  type Page,
  type Product,
} from './customer-helpers';
import { buildWorld } from './customers-world';

let owner: Session;
let manager: Session;
let repA: Session;
let repB: Session;
let viewer: Session;
let outsider: Session;
let teapot: Product;
let kettle: Product;

beforeAll(async () => {
  ({ owner, manager, repA, repB, viewer, outsider } = await buildWorld('茶具商行'));
  teapot = await createProduct(owner, { name: 'Yixing teapot', sku: 'YX-01', unitPrice: 12_800 });
  kettle = await createProduct(owner, { name: 'Iron kettle', unitPrice: 45_000 });
});

describe('recording an order', () => {
  it('prices catalog items, keeps free-text ones and computes the total on the server', async () => {
    const c = await createContact(repA);
    const order = await createOrder(repA, {
      contactId: c.id,
      number: '1001',
      total: 1,
      items: [
        { productId: teapot.id, quantity: 2 },
        { productId: kettle.id, quantity: 1, unitPrice: 40_000 },
        { name: 'Gift wrapping', quantity: 3, unitPrice: 500 },
      ],
    });
    expect(order).toMatchObject({ contactId: c.id, number: '1001', status: 'pending', currency: 'CNY', total: 2 * 12_800 + 40_000 + 1_500, version: 1 });
    expect(order.items.map((i) => [i.name, i.quantity, i.unitPrice, i.amount])).toEqual([
      ['Yixing teapot', 2, 12_800, 25_600],
      ['Iron kettle', 1, 40_000, 40_000],
      ['Gift wrapping', 3, 500, 1_500],
    ]);
    const res = await api(`/orders/${order.id}`, { as: repA });
    expect(res.headers.get('etag')).toBe('"1"');
    expect(await json<Order>(res, 200)).toEqual(order);
  });

  it('stores an order with more items than one statement may bind', async () => {
    const c = await createContact(repA);
    const items = Array.from({ length: 40 }, (_, i) => ({ name: `Cup ${i + 1}`, quantity: i + 1, unitPrice: 100 }));
    const order = await createOrder(repA, { contactId: c.id, items });
    expect(order.items.map((i) => i.name)).toEqual(items.map((i) => i.name));
    expect((await json<Order>(await api(`/orders/${order.id}`, { as: repA }), 200)).items.map((i) => i.name)).toEqual(items.map((i) => i.name));
    expect(order.total).toBe(100 * ((40 * 41) / 2));
    const stored = await env.DB.prepare('select count(*) as n from order_items where order_id = ?').bind(order.id).first<{ n: number }>();
    expect(stored?.n).toBe(40);
    const edited = await patchOrder(repA, order, { items: items.slice(0, 33) });
    expect(edited.items.map((i) => i.name)).toEqual(items.slice(0, 33).map((i) => i.name));
    expect(edited.total).toBe(100 * ((33 * 34) / 2));
  });

  it('names each failing field', async () => {
    const c = await createContact(repA);
    expect(await failingFields(await api('/orders', { as: repA, body: { contactId: c.id, items: [] } }))).toEqual(['items']);
    const fields = await failingFields(
      await api('/orders', {
        as: repA,
        body: { contactId: c.id, currency: 'rmb', status: 'shipped', items: [{ quantity: 0 }, { name: 'X', quantity: 1, unitPrice: 9.5 }] },
      }),
    );
    expect(fields).toEqual(expect.arrayContaining(['currency', 'status', 'items.0.quantity', 'items.1.unitPrice']));
    const unknown = await failingFields(
      await api('/orders', { as: repA, body: { contactId: c.id, items: [{ productId: 'prd_nope', quantity: 1 }, { name: 'No price', quantity: 1 }] } }),
    );
    expect(unknown).toEqual(['items.0.productId', 'items.1.unitPrice']);
    expect(await failingFields(await api('/orders', { as: repA, body: { items: [{ name: 'Tea', quantity: 1, unitPrice: 1 }] } }))).toEqual(['contactId']);
  });

  it('asks for a price when the catalog price is in another currency', async () => {
    const c = await createContact(repA);
    const res = await api('/orders', { as: repA, body: { contactId: c.id, currency: 'USD', items: [{ productId: teapot.id, quantity: 1 }] } });
    expect(await failingFields(res)).toEqual(['items.0.unitPrice']);
  });
});

describe('derived figures', () => {
  it('counts only paid and fulfilled orders, and cancelling takes an order back out', async () => {
    const c = await createContact(repA);
    const first = await createOrder(repA, paidOrder(c.id, 10_000, { orderedAt: daysAgo(10) }));
    const pending = await createOrder(repA, { ...paidOrder(c.id, 5_000, { orderedAt: daysAgo(2) }), status: 'pending' });
    let now = await getContact(repA, c.id);
    expect(now).toMatchObject({ totalSpent: 10_000, orderCount: 1, firstPurchaseAt: first.orderedAt, lastPurchaseAt: first.orderedAt, averageOrderValue: 10_000 });

    await patchOrder(repA, pending, { status: 'fulfilled' });
    now = await getContact(repA, c.id);
    expect(now).toMatchObject({ totalSpent: 15_000, orderCount: 2, firstPurchaseAt: first.orderedAt, lastPurchaseAt: pending.orderedAt, averageOrderValue: 7_500 });

    const cancelled = await json<Order>(await api(`/orders/${first.id}/cancel`, { method: 'POST', as: repA, headers: ifMatch(first.version) }), 200);
    expect(cancelled).toMatchObject({ status: 'cancelled', version: 2 });
    now = await getContact(repA, c.id);
    expect(now).toMatchObject({ totalSpent: 5_000, orderCount: 1, firstPurchaseAt: pending.orderedAt, lastPurchaseAt: pending.orderedAt });

    const refunded = await createOrder(repA, paidOrder(c.id, 2_000));
    await patchOrder(repA, refunded, { status: 'refunded' });
    expect((await getContact(repA, c.id)).totalSpent).toBe(5_000);
  });

  it('recomputes when items change and when an order is deleted', async () => {
    const c = await createContact(repA);
    const order = await createOrder(repA, paidOrder(c.id, 1_000));
    const bigger = await patchOrder(repA, order, { items: [{ name: 'Goods', quantity: 3, unitPrice: 1_000 }] });
    expect(bigger.total).toBe(3_000);
    expect((await getContact(repA, c.id)).totalSpent).toBe(3_000);
    const del = await api(`/orders/${order.id}`, { method: 'DELETE', as: repA, headers: ifMatch(bigger.version) });
    expect(del.status).toBe(204);
    expect(await getContact(repA, c.id)).toMatchObject({ totalSpent: 0, orderCount: 0, lastPurchaseAt: null, rfmSegment: 'none' });
    expect((await api(`/orders/${order.id}`, { as: repA })).status).toBe(404);
  });

  it('adds spend only in the workspace currency but counts every purchase', async () => {
    const c = await createContact(repA);
    await createOrder(repA, paidOrder(c.id, 9_900, { currency: 'USD' }));
    await createOrder(repA, paidOrder(c.id, 1_000));
    expect(await getContact(repA, c.id)).toMatchObject({ totalSpent: 1_000, orderCount: 2 });
  });

  it('refuses a stale edit with 412 and changes nothing', async () => {
    const c = await createContact(repA);
    const order = await createOrder(repA, paidOrder(c.id, 1_000));
    await patchOrder(repA, order, { note: 'Deliver on Monday' });
    const stale = await api(`/orders/${order.id}`, { method: 'PATCH', as: repA, body: { status: 'cancelled', items: [{ name: 'Other', quantity: 1, unitPrice: 1 }] }, headers: ifMatch(1) });
    await problem(stale, 412, 'version_mismatch');
    const missing = await api(`/orders/${order.id}`, { method: 'PATCH', as: repA, body: { note: 'x' } });
    await problem(missing, 428, 'precondition_required');
    await problem(await api(`/orders/${order.id}/cancel`, { method: 'POST', as: repA, headers: ifMatch(1) }), 412);
    const stored = await json<Order>(await api(`/orders/${order.id}`, { as: repA }), 200);
    expect(stored).toMatchObject({ status: 'paid', note: 'Deliver on Monday', total: 1_000, version: 2 });
    expect(stored.items.map((i) => i.name)).toEqual(['Goods']);
    expect((await getContact(repA, c.id)).totalSpent).toBe(1_000);
  });

  it('will not put a product taken off sale on a new order', async () => {
    const old = await createProduct(owner, { name: 'Discontinued cup', unitPrice: 300 });
    const c = await createContact(repA);
    const order = await createOrder(repA, { contactId: c.id, items: [{ productId: old.id, quantity: 1 }] });
    await json(await api(`/products/${old.id}`, { method: 'PATCH', as: owner, body: { isActive: false }, headers: ifMatch(old.version) }), 200);
    const res = await api('/orders', { as: repA, body: { contactId: c.id, items: [{ productId: old.id, quantity: 1 }] } });
    expect(await failingFields(res)).toEqual(['items.0.productId']);
    const kept = await patchOrder(repA, order, { items: [{ productId: old.id, quantity: 2 }] });
    expect(kept.total).toBe(600);
  });
});

describe('lifecycle on purchase', () => {
  it('makes a lead a customer on the first paid order, once, with a timeline entry and an audit row', async () => {
    const c = await createContact(repA, { lifecycle: 'lead' });
    const pending = await createOrder(repA, { ...paidOrder(c.id, 8_800), status: 'pending', number: 'A-17' });
    expect((await getContact(repA, c.id)).lifecycle).toBe('lead');

    await patchOrder(repA, pending, { status: 'paid' });
    const after = await getContact(repA, c.id);
    expect(after).toMatchObject({ lifecycle: 'customer', version: c.version + 1 });

    await createOrder(repA, paidOrder(c.id, 1_000));
    const page = await timeline(repA, c.id, '?kinds=activity');
    const system = page.items.filter((e) => e.activity?.type === 'system');
    expect(system).toHaveLength(1);
    expect(system[0].activity).toMatchObject({
      contactId: c.id,
      userId: null,
      meta: { event: 'lifecycle.customer', from: 'lead', to: 'customer', orderId: pending.id, orderNumber: 'A-17' },
    });
    expect(system[0].activity!.summary).toContain('#A-17');
    const audits = await auditRows(owner, { recordType: 'contact', recordId: c.id, action: 'contact.lifecycle_changed' });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: repA.me.user.id, changes: { lifecycle: { before: 'lead', after: 'customer' } } });
  });

  it('leaves a contact marked "other" alone and does not promote on a cancelled order', async () => {
    const other = await createContact(repA, { lifecycle: 'other' });
    await createOrder(repA, paidOrder(other.id, 1_000));
    expect((await getContact(repA, other.id)).lifecycle).toBe('other');
    const prospect = await createContact(repA, { lifecycle: 'prospect' });
    await createOrder(repA, { ...paidOrder(prospect.id, 1_000), status: 'cancelled' });
    expect((await getContact(repA, prospect.id)).lifecycle).toBe('prospect');
  });
});

describe('who may see and change orders', () => {
  let secret: Contact;
  let order: Order;

  beforeAll(async () => {
    secret = await createContact(repA, { name: 'Private buyer' });
    order = await createOrder(repA, paidOrder(secret.id, 3_000));
  });

  it('is 401 signed out and 403 to a viewer writing', async () => {
    await problem(await api('/orders'), 401);
    await problem(await api(`/orders/${order.id}`), 401);
    await problem(await api('/orders', { as: viewer, body: paidOrder(secret.id, 1) }), 403);
    expect((await api(`/orders/${order.id}`, { as: viewer })).status).toBe(200);
  });

  it("hides a rep's customer's orders from another rep and another workspace, not from their manager", async () => {
    await problem(await api(`/orders/${order.id}`, { as: repB }), 404, 'not_found');
    await problem(await api(`/orders/${order.id}`, { method: 'PATCH', as: repB, body: { note: 'x' }, headers: ifMatch(1) }), 404);
    await problem(await api(`/orders/${order.id}/cancel`, { method: 'POST', as: repB, headers: ifMatch(1) }), 404);
    const repBList = await json<Page<Order>>(await api(`/orders?contactId=${secret.id}`, { as: repB }), 200);
    expect(repBList.items).toEqual([]);
    expect(await failingFields(await api('/orders', { as: repB, body: paidOrder(secret.id, 1) }))).toEqual(['contactId']);
    await problem(await api(`/orders/${order.id}`, { as: outsider }), 404);
    expect((await json<Page<Order>>(await api('/orders', { as: outsider }), 200)).items).toEqual([]);
    expect((await api(`/orders/${order.id}`, { as: manager })).status).toBe(200);
    const managerList = await json<Page<Order>>(await api(`/orders?contactId=${secret.id}`, { as: manager }), 200);
    expect(managerList.items.map((o) => o.id)).toEqual([order.id]);
  });

  it('lists newest first with a cursor and filters by status', async () => {
    const c = await createContact(repA);
    const made: Order[] = [];
    for (let i = 0; i < 5; i++) made.push(await createOrder(repA, paidOrder(c.id, 100 * (i + 1), { orderedAt: daysAgo(10 - i), status: i % 2 ? 'pending' : 'paid' })));
    const first = await json<Page<Order>>(await api(`/orders?contactId=${c.id}&limit=2`, { as: repA }), 200);
    const second = await json<Page<Order>>(await api(`/orders?contactId=${c.id}&limit=2&cursor=${first.nextCursor}`, { as: repA }), 200);
    const third = await json<Page<Order>>(await api(`/orders?contactId=${c.id}&limit=2&cursor=${second.nextCursor}`, { as: repA }), 200);
    expect([...first.items, ...second.items, ...third.items].map((o) => o.id)).toEqual(made.map((o) => o.id).reverse());
    expect(third.nextCursor).toBeNull();
    expect(first.items[0].items).toHaveLength(1);
    const pending = await json<Page<Order>>(await api(`/orders?contactId=${c.id}&status=pending`, { as: repA }), 200);
    expect(pending.items.map((o) => o.id)).toEqual([made[3].id, made[1].id]);
    expect(await failingFields(await api('/orders?status=lost', { as: repA }))).toEqual(['status.0']);
  });
});
