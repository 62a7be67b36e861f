import { beforeAll, describe, expect, it } from 'vitest';
import { api, apiKey, failingFields, json, problem, signup, userWithRole, type Session } from './helpers';
import { createProduct, ifMatch, type Page, type Product } from './customer-helpers';

let owner: Session;
let admin: Session;
let rep: Session;
let viewer: Session;
let outsider: Session;

beforeAll(async () => {
  owner = await signup({ workspaceName: 'Catalog Co' });
  [admin, rep, viewer, outsider] = await Promise.all([userWithRole(owner, 'admin'), userWithRole(owner, 'rep'), userWithRole(owner, 'viewer'), signup({ workspaceName: 'Other Catalog' })]);
});

const list = async (as: Session, qs = '') => json<Page<Product>>(await api(`/products${qs}`, { as }), 200);

describe('the product catalog', () => {
  it('is written by admins in minor units and the workspace currency, and read by everyone', async () => {
    const res = await api('/products', { as: admin, body: { name: '龙井 250g', sku: 'LJ-250', series: 'Green', unitPrice: 16_800 } });
    const p = await json<Product>(res, 201);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(p).toMatchObject({ name: '龙井 250g', sku: 'LJ-250', series: 'Green', unitPrice: 16_800, currency: 'CNY', isActive: true, version: 1 });
    for (const who of [rep, viewer]) expect(await json<Product>(await api(`/products/${p.id}`, { as: who }), 200)).toEqual(p);
    expect((await list(rep)).items.map((i) => i.id)).toContain(p.id);
  });

  it('searches by name or SKU, filters, and pages by name', async () => {
    await createProduct(owner, { name: 'Alpha cup', sku: 'CUP-A', series: 'Cups', unitPrice: 100 });
    await createProduct(owner, { name: 'Beta cup', sku: 'CUP-B', series: 'Cups', unitPrice: 200, isActive: false });
    await createProduct(owner, { name: 'Gamma tray', sku: 'TRAY-G', series: 'Trays', unitPrice: 300, currency: 'USD' });
    expect((await list(rep, '?q=cup')).items.map((i) => i.name)).toEqual(['Alpha cup', 'Beta cup']);
    expect((await list(rep, '?q=tray-g')).items.map((i) => i.name)).toEqual(['Gamma tray']);
    expect((await list(rep, '?series=Cups&isActive=true')).items.map((i) => i.name)).toEqual(['Alpha cup']);
    const first = await list(rep, '?series=Cups&limit=1');
    const second = await list(rep, `?series=Cups&limit=1&cursor=${first.nextCursor}`);
    expect([...first.items, ...second.items].map((i) => i.name)).toEqual(['Alpha cup', 'Beta cup']);
    expect(second.nextCursor).toBeNull();
  });

  it('names each failing field and refuses a second product with the same name', async () => {
    const fields = await failingFields(await api('/products', { as: owner, body: { name: ' ', unitPrice: 9.99, currency: 'rmb' } }));
    expect(fields).toEqual(expect.arrayContaining(['name', 'unitPrice', 'currency']));
    expect(await failingFields(await api('/products', { as: owner, body: { name: 'Negative', unitPrice: -1 } }))).toEqual(['unitPrice']);
    await createProduct(owner, { name: 'Unique pot', unitPrice: 1 });
    const dup = await problem(await api('/products', { as: owner, body: { name: 'Unique pot', unitPrice: 2 } }), 409, 'product_exists');
    expect(dup.errors?.map((e) => e.field)).toEqual(['name']);
  });

  it('edits with If-Match: 428 without it, 412 when stale', async () => {
    const p = await createProduct(owner, { name: 'Clay pot', unitPrice: 5_000 });
    await problem(await api(`/products/${p.id}`, { method: 'PATCH', as: owner, body: { unitPrice: 5_500 } }), 428);
    const res = await api(`/products/${p.id}`, { method: 'PATCH', as: owner, body: { unitPrice: 5_500, isActive: false }, headers: ifMatch(1) });
    expect(await json<Product>(res, 200)).toMatchObject({ unitPrice: 5_500, isActive: false, version: 2 });
    expect(res.headers.get('etag')).toBe('"2"');
    await problem(await api(`/products/${p.id}`, { method: 'PATCH', as: owner, body: { unitPrice: 1 }, headers: ifMatch(1) }), 412, 'version_mismatch');
    expect((await json<Product>(await api(`/products/${p.id}`, { as: rep }), 200)).unitPrice).toBe(5_500);
  });

  it('is 401 signed out, 403 to non-admins and read-only keys writing, 404 in another workspace', async () => {
    const p = await createProduct(owner, { name: 'Guarded', unitPrice: 1 });
    await problem(await api('/products'), 401);
    await problem(await api('/products', { as: rep, body: { name: 'Rep product', unitPrice: 1 } }), 403);
    await problem(await api('/products', { as: viewer, body: { name: 'Viewer product', unitPrice: 1 } }), 403);
    await problem(await api(`/products/${p.id}`, { method: 'PATCH', as: rep, body: { unitPrice: 2 }, headers: ifMatch(1) }), 403);
    const key = await apiKey(owner, ['products:read']);
    expect((await api(`/products/${p.id}`, { apiKey: key.key })).status).toBe(200);
    await problem(await api('/products', { apiKey: key.key, body: { name: 'Key product', unitPrice: 1 } }), 403);
    await problem(await api(`/products/${p.id}`, { as: outsider }), 404);
    expect((await list(outsider)).items).toEqual([]);
  });
});
