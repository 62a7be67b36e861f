import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../../worker/index';
import { api, json, type Session } from './helpers';

/** Factories and readers for customer history (activities, orders, tickets, figures). */

export const DAY = 86_400_000;
export const daysAgo = (days: number, from = Date.now()) => new Date(from - days * DAY).toISOString();
export const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

export type Contact = {
  id: string;
  name: string;
  ownerId: string | null;
  companyId: string | null;
  lifecycle: string;
  totalSpent: number;
  orderCount: number;
  firstPurchaseAt: string | null;
  lastPurchaseAt: string | null;
  lastContactedAt: string | null;
  averageOrderValue: number;
  rfmScore: string | null;
  rfmSegment: string;
  version: number;
};

export type Activity = {
  id: string;
  type: string;
  contactId: string | null;
  companyId: string | null;
  subject: string | null;
  body: string | null;
  outcome: string | null;
  occurredAt: string;
  userId: string | null;
  meta: Record<string, unknown> | null;
  summary: string | null;
};

export type OrderItem = { id: string; productId: string | null; name: string; quantity: number; unitPrice: number; amount: number };
export type Order = {
  id: string;
  contactId: string | null;
  companyId: string | null;
  number: string | null;
  status: string;
  orderedAt: string;
  currency: string;
  total: number;
  note: string | null;
  items: OrderItem[];
  version: number;
};

export type Ticket = {
  id: string;
  kind: string;
  subject: string;
  status: string;
  priority: string;
  resolution: string | null;
  ownerId: string | null;
  contactId: string | null;
  companyId: string | null;
  openedAt: string;
  resolvedAt: string | null;
  timeToResolveSeconds: number | null;
  version: number;
};

export type Product = { id: string; name: string; sku: string | null; series: string | null; unitPrice: number; currency: string; isActive: boolean; version: number };

export type Page<T> = { items: T[]; nextCursor: string | null };

let seq = 0;
/** A customer owned by `as` (duplicate checks skipped: factories make many similar people). */
export async function createContact(as: Session, body: Record<string, unknown> = {}): Promise<Contact> {
  seq += 1;
  return json<Contact>(await api('/contacts', { as, body: { name: `Customer ${seq}`, force: true, ...body } }), 201);
}

export const getContact = async (as: Session, id: string) => json<Contact>(await api(`/contacts/${id}`, { as }), 200);

/**
 * A company row written straight to D1: the companies API belongs to another module, and these
 * tests only need a company to hang history on.
 */
export async function seedCompany(workspaceOf: Session, ownerId: string | null, name = `Company ${++seq}`): Promise<string> {
  const id = `cmp_TEST${crypto.randomUUID().replace(/-/g, '').slice(0, 20).toUpperCase()}`;
  const now = new Date().toISOString();
  await env.DB.prepare('insert into companies (id, workspace_id, name, owner_id, created_at, updated_at) values (?, ?, ?, ?, ?, ?)')
    .bind(id, workspaceOf.me.workspace.id, name, ownerId, now, now)
    .run();
  return id;
}

export async function createProduct(as: Session, body: Record<string, unknown>): Promise<Product> {
  return json<Product>(await api('/products', { as, body }), 201);
}

export async function createOrder(as: Session, body: Record<string, unknown>): Promise<Order> {
  return json<Order>(await api('/orders', { as, body }), 201);
}

/** An order of one free-text item worth `amount` minor units. */
export function paidOrder(contactId: string, amount: number, extra: Record<string, unknown> = {}) {
  return { contactId, status: 'paid', items: [{ name: 'Goods', quantity: 1, unitPrice: amount }], ...extra };
}

export async function patchOrder(as: Session, order: { id: string; version: number }, body: Record<string, unknown>): Promise<Order> {
  return json<Order>(await api(`/orders/${order.id}`, { method: 'PATCH', as, body, headers: ifMatch(order.version) }), 200);
}

export async function logActivity(as: Session, body: Record<string, unknown>): Promise<Activity> {
  return json<Activity>(await api('/activities', { as, body }), 201);
}

export async function createTicket(as: Session, body: Record<string, unknown>): Promise<Ticket> {
  return json<Ticket>(await api('/tickets', { as, body }), 201);
}

export type TimelineEntry = {
  key: string;
  kind: 'activity' | 'order' | 'ticket_opened' | 'ticket_resolved';
  at: string;
  activity?: Activity;
  order?: Omit<Order, 'items'>;
  ticket?: Ticket;
};

export async function timeline(as: Session, contactId: string, qs = ''): Promise<Page<TimelineEntry>> {
  return json<Page<TimelineEntry>>(await api(`/contacts/${contactId}/timeline${qs}`, { as }), 200);
}

/** Runs the Worker's nightly Cron Trigger as Cloudflare would at `scheduledTime`. */
export async function runNightly(scheduledTime: number): Promise<void> {
  const controller = createScheduledController({ cron: '0 3 * * *', scheduledTime });
  const ctx = createExecutionContext();
  await worker.scheduled(controller, env, ctx);
  await waitOnExecutionContext(ctx);
}

export type CustomerRules = {
  churnAfterDays: number;
  rfm: { recencyDays: number[]; frequency: number[]; monetary: number[] };
};

export async function putRules(as: Session, rules: CustomerRules): Promise<Response> {
  return api('/settings/customer-rules', { method: 'PUT', as, body: rules });
}
