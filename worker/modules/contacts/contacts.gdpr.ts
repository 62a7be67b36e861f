import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import {
  activities,
  auditLog,
  consentEvents,
  contactChannels,
  contacts,
  formSubmissions,
  orderItems,
  orders,
  recordTags,
  searchDocs,
  tasks,
  tickets,
} from '../../db/schema';
import type { Ctx } from '../../lib/context';
import { audited } from '../../lib/audit';
import { forbidden } from '../../lib/errors';
import { keyset, toPage, type PageQuery } from '../../lib/pagination';
import { isAdminRole } from '../../lib/permissions';
import { mask } from '../../lib/field-crypto';
import { presentDependents } from './contacts.dependents';
import { idsIn, redactAuditStatement, redactHistoryAuditStatements } from './contacts.statements';
import { contactDetail, decryptSensitive, findVisibleContact, maySeeSensitive, type ContactRow } from './contacts.service';

/** What an erased customer is called from then on. */
export const ERASED_NAME = 'Erased customer';

/** History rows already covered by the export's own sections; other dependents are added as they are. */
const EXPORTED_TABLES = new Set(['activities', 'orders', 'tickets']);

/** The records that hold this person's data: the contact and every contact merged into it. */
async function personIds(ctx: Ctx, row: ContactRow): Promise<string[]> {
  const merged = await ctx.db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, ctx.actor.workspaceId), eq(contacts.mergedIntoId, row.id)));
  return [row.id, ...merged.map((m) => m.id)];
}

/**
 * Everything stored about one person, as JSON (a data subject access request): the record (with
 * sensitive fields in full for admins, masked for others), the records merged into it, lookup
 * channels, tags, consent history, activities, orders with their items, tickets, and the audit
 * rows about them. The export itself is audited, without its contents.
 */
export async function exportContact(ctx: Ctx, id: string) {
  const row = await findVisibleContact(ctx, id, { includeDeleted: true });
  const ids = await personIds(ctx, row);
  const ws = ctx.actor.workspaceId;
  const [detail, mergedRows, channels, consent, acts, orderRows, ticketRows, audit, deps] = await Promise.all([
    contactDetail(ctx, row),
    ctx.db.select().from(contacts).where(and(eq(contacts.workspaceId, ws), eq(contacts.mergedIntoId, row.id))),
    ctx.db.select({ kind: contactChannels.kind, value: contactChannels.value }).from(contactChannels).where(inArray(contactChannels.contactId, ids)),
    ctx.db.select().from(consentEvents).where(and(eq(consentEvents.workspaceId, ws), inArray(consentEvents.contactId, ids))).orderBy(asc(consentEvents.occurredAt)),
    ctx.db.select().from(activities).where(and(eq(activities.workspaceId, ws), inArray(activities.contactId, ids))).orderBy(asc(activities.occurredAt)),
    ctx.db.select().from(orders).where(and(eq(orders.workspaceId, ws), inArray(orders.contactId, ids))).orderBy(asc(orders.orderedAt)),
    ctx.db.select().from(tickets).where(and(eq(tickets.workspaceId, ws), inArray(tickets.contactId, ids))).orderBy(asc(tickets.openedAt)),
    ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, ws), eq(auditLog.recordType, 'contact'), inArray(auditLog.recordId, ids)))
      .orderBy(asc(auditLog.createdAt)),
    presentDependents(ctx.db),
  ]);
  const items = orderRows.length ? await ctx.db.select().from(orderItems).where(inArray(orderItems.orderId, orderRows.map((o) => o.id))) : [];
  const other: Record<string, unknown[]> = {};
  for (const d of deps.filter((x) => x.contactColumn && !EXPORTED_TABLES.has(x.table))) {
    other[d.table] = await ctx.db.all(sql`select * from ${sql.identifier(d.table)} where workspace_id = ${ws} and contact_id in ${idsIn(ids)}`);
  }
  const mergedRecords = await Promise.all(
    mergedRows.map(async (m) => {
      const secrets = await decryptSensitive(ctx, m);
      const shown = maySeeSensitive(ctx) ? secrets : { nationalId: secrets.nationalId && mask(secrets.nationalId), bankAccount: secrets.bankAccount && mask(secrets.bankAccount) };
      const { nationalIdEnc: _n, nationalIdHash: _nh, bankAccountEnc: _b, bankAccountHash: _bh, ...fields } = m;
      return { ...fields, ...shown };
    }),
  );
  await audited(ctx, { action: 'contact.exported', recordType: 'contact', recordId: row.id });
  return {
    exportedAt: ctx.now().toISOString(),
    contact: detail,
    mergedRecords,
    channels,
    consentHistory: consent,
    activities: acts,
    orders: orderRows.map((o) => ({ ...o, items: items.filter((i) => i.orderId === o.id) })),
    tickets: ticketRows,
    ...other,
    auditLog: audit,
  };
}

/**
 * Erases a person while keeping the business's figures (the right to erasure): the name becomes
 * "Erased customer"; emails, phones, address, birthday, sensitive and custom fields, consent,
 * tags, lookup channels, search documents, form submissions' contents and the text of notes, tasks,
 * tickets and orders are removed,
 * also from records merged into it; the values in earlier audit rows about it and its notes and
 * tickets are blanked (the field names stay). Orders and their totals remain, so sales figures do not change. The record
 * cannot be edited afterwards. Admins only; the audit row records the erasure, not the data.
 */
export async function eraseContact(ctx: Ctx, id: string) {
  if (!isAdminRole(ctx.actor.role)) throw forbidden('Only an admin can erase a customer.');
  const row = await findVisibleContact(ctx, id, { includeDeleted: true });
  if (row.erasedAt) return contactDetail(ctx, row);
  const ids = await personIds(ctx, row);
  const ws = ctx.actor.workspaceId;
  const at = ctx.now().toISOString();
  const theirs = (column: Parameters<typeof inArray>[0]) => inArray(column, ids);
  await audited(
    ctx,
    { action: 'contact.erased', recordType: 'contact', recordId: id, changes: { erasedAt: { before: null, after: at } } },
    ctx.db
      .update(contacts)
      .set({
        name: ERASED_NAME,
        givenName: null,
        familyName: null,
        gender: null,
        title: null,
        birthday: null,
        emails: [],
        phones: [],
        address: {},
        emailConsent: null,
        smsConsent: null,
        nationalIdEnc: null,
        nationalIdHash: null,
        bankAccountEnc: null,
        bankAccountHash: null,
        customFields: {},
        erasedAt: at,
        version: sql`${contacts.version} + 1`,
        updatedAt: at,
      })
      .where(and(eq(contacts.workspaceId, ws), theirs(contacts.id))),
    ctx.db.delete(contactChannels).where(theirs(contactChannels.contactId)),
    ctx.db.delete(recordTags).where(and(eq(recordTags.recordType, 'contact'), theirs(recordTags.recordId))),
    // Clearing the text also drops the notes' search documents (the activities triggers).
    ctx.db.update(activities).set({ subject: null, body: null, outcome: null, meta: null, updatedAt: at }).where(and(eq(activities.workspaceId, ws), theirs(activities.contactId))),
    ctx.db.update(tickets).set({ subject: 'Erased', description: null, resolution: null, updatedAt: at }).where(and(eq(tickets.workspaceId, ws), theirs(tickets.contactId))),
    ctx.db.update(orders).set({ note: null, updatedAt: at }).where(and(eq(orders.workspaceId, ws), theirs(orders.contactId))),
    ctx.db.delete(searchDocs).where(theirs(searchDocs.contactId)),
    // What they typed into forms, and what colleagues wrote about them in tasks; the submission's
    // consent text stays as the record of what was agreed to.
    ctx.db
      .update(formSubmissions)
      .set({ payload: {}, headers: {}, conflicts: [], ipHash: null, referrer: null, landingPage: null, lastError: null, updatedAt: at })
      .where(and(eq(formSubmissions.workspaceId, ws), theirs(formSubmissions.contactId))),
    ctx.db.update(tasks).set({ notes: null, outcome: null, updatedAt: at }).where(and(eq(tasks.workspaceId, ws), theirs(tasks.contactId))),
    redactAuditStatement(ctx, ws, 'contact', ids),
    ...redactHistoryAuditStatements(ctx, ws, ids),
  );
  return contactDetail(ctx, await findVisibleContact(ctx, id, { includeDeleted: true }));
}

/** Every consent decision on this person, newest first: what was decided, when, how and by whom. */
export async function consentHistory(ctx: Ctx, id: string, page: PageQuery) {
  const row = await findVisibleContact(ctx, id, { includeDeleted: true });
  const ks = keyset(page, consentEvents.occurredAt, consentEvents.id, 'desc');
  const rows = await ctx.db
    .select()
    .from(consentEvents)
    .where(and(eq(consentEvents.workspaceId, ctx.actor.workspaceId), eq(consentEvents.contactId, row.id), ks.where))
    .orderBy(...ks.orderBy)
    .limit(ks.limit);
  const result = toPage(rows, page, (r) => ({ k: r.occurredAt, id: r.id }));
  return { ...result, current: { email: row.emailConsent, sms: row.smsConsent } };
}
