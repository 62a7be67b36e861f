import { env } from 'cloudflare:test';
import { api, createTeam, json, signup, userWithRole, type Session } from './helpers';

/**
 * The people the customer tests act as: an owner, a manager leading team East with rep A in it,
 * rep B outside the team, a viewer, and the owner of another workspace.
 */
export type World = { owner: Session; manager: Session; repA: Session; repB: Session; viewer: Session; outsider: Session; teamId: string };

export async function buildWorld(workspaceName = '华茂贸易'): Promise<World> {
  const owner = await signup({ workspaceName });
  const manager = await userWithRole(owner, 'manager', { name: 'Mia Manager' });
  const team = await createTeam(owner, { name: 'East', managerId: manager.me.user.id });
  const repA = await userWithRole(owner, 'rep', { teamId: team.id, name: 'Rep A' });
  const repB = await userWithRole(owner, 'rep', { name: 'Rep B' });
  const viewer = await userWithRole(owner, 'viewer', { name: 'Vera Viewer' });
  const outsider = await signup({ workspaceName: 'Other Co' });
  return { owner, manager, repA, repB, viewer, outsider, teamId: team.id };
}

export type ContactBody = {
  id: string;
  name: string;
  emails: string[];
  phones: string[];
  ownerId: string | null;
  companyId: string | null;
  lifecycle: string;
  tags: { id: string; name: string }[];
  version: number;
  totalSpent: number;
  orderCount: number;
  isArchived: boolean;
  deletedAt: string | null;
  [k: string]: unknown;
};

export async function createContact(as: Session, body: Record<string, unknown>): Promise<ContactBody> {
  return json<ContactBody>(await api('/contacts', { as, body: { force: true, ...body } }), 201);
}

export async function createTag(as: Session, name: string): Promise<string> {
  return (await json<{ id: string }>(await api('/tags', { as, body: { name } }), 201)).id;
}

const iso = () => new Date().toISOString();
const rid = (prefix: string) => `${prefix}_${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;

/**
 * History rows written straight into D1, the way the activities, orders and tickets modules store
 * them: the customer tests need history to exist, not those modules' rules.
 */
export async function insertActivity(workspaceId: string, contactId: string | null, body: string, companyId: string | null = null): Promise<string> {
  const id = rid('act');
  await env.DB.prepare(
    `insert into activities (id, workspace_id, type, contact_id, company_id, subject, body, occurred_at, created_at, updated_at) values (?, ?, 'note', ?, ?, ?, ?, ?, ?, ?)`,
  )
    .bind(id, workspaceId, contactId, companyId, 'Note', body, iso(), iso(), iso())
    .run();
  return id;
}

export async function insertOrder(workspaceId: string, contactId: string, total: number, opts: { companyId?: string | null; note?: string; status?: string; currency?: string } = {}): Promise<string> {
  const id = rid('ord');
  await env.DB.batch([
    env.DB.prepare(
      `insert into orders (id, workspace_id, contact_id, company_id, number, status, ordered_at, currency, total, note, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).bind(id, workspaceId, contactId, opts.companyId ?? null, id.slice(-6), opts.status ?? 'paid', iso(), opts.currency ?? 'CNY', total, opts.note ?? null, iso(), iso()),
    env.DB.prepare(`insert into order_items (id, order_id, name, quantity, unit_price) values (?, ?, 'Tea set', 1, ?)`).bind(rid('itm'), id, total),
    // The orders module keeps these figures current; a raw insert does it by hand.
    env.DB.prepare(
      `update contacts set total_spent = total_spent + ?, order_count = order_count + 1, last_purchase_at = ?, first_purchase_at = coalesce(first_purchase_at, ?) where id = ?`,
    ).bind(total, iso(), iso(), contactId),
  ]);
  return id;
}

export async function insertTicket(workspaceId: string, contactId: string, subject: string, description = 'The kettle leaks'): Promise<string> {
  const id = rid('tkt');
  await env.DB.prepare(
    `insert into tickets (id, workspace_id, contact_id, kind, subject, description, status, priority, opened_at, created_at, updated_at) values (?, ?, ?, 'complaint', ?, ?, 'open', 'normal', ?, ?, ?)`,
  )
    .bind(id, workspaceId, contactId, subject, description, iso(), iso(), iso())
    .run();
  return id;
}

export async function rawRow<T = Record<string, unknown>>(table: string, id: string): Promise<T | null> {
  return env.DB.prepare(`select * from ${table} where id = ?`).bind(id).first<T>();
}

export async function countWhere(table: string, where: string, ...binds: unknown[]): Promise<number> {
  const row = await env.DB.prepare(`select count(*) as n from ${table} where ${where}`).bind(...binds).first<{ n: number }>();
  return row?.n ?? 0;
}
