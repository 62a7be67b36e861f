import { aliasedTable, and, count, desc, eq, gte, inArray, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import { contacts, formSubmissions, forms, hookSources, leads, users } from '../../db/schema';
import type { Statement } from '../../db/client';
import type { Ctx } from '../../lib/context';
import { audited, diff } from '../../lib/audit';
import { conflict, notFound } from '../../lib/errors';
import { keyset, toPage } from '../../lib/pagination';
import { visibleTo } from '../../lib/visibility';
import { assertAssignable, contactDetailsOf } from '../contacts/contacts.service';
import { auditEachStatement } from '../contacts/contacts.statements';
import { afterContactChange } from '../cadences/cadences.service';
import { emitEvent } from '../webhooks/webhooks.events';
import { createDeal } from '../deals/deals.service';
import { notify } from '../notifications/notifications.service';
import { enqueueProcessing } from '../forms/forms.intake';
import { leadStrings } from './leads.messages';
import type { ConvertInput, ListLeadsQuery, ListSubmissionsQuery, ReportQuery } from './leads.schema';

type LeadRow = typeof leads.$inferSelect;
type SubmissionRow = typeof formSubmissions.$inferSelect;

const OPEN = ['new', 'qualified'] as const;

/** Leads the actor may see: their own (or their teams'), plus unowned new leads a rep may claim. */
export const leadVisibleTo = (ctx: Pick<Ctx, 'actor'>): SQL => visibleTo(ctx.actor, leads, { claimable: eq(leads.status, 'new') });
/** Submissions not yet routed (failed, spam, waiting) have no owner: everyone who works leads sees them. */
export const submissionVisibleTo = (ctx: Pick<Ctx, 'actor'>): SQL =>
  visibleTo(ctx.actor, formSubmissions, { claimable: inArray(formSubmissions.status, ['received', 'processing', 'failed', 'spam']) });

const owners = aliasedTable(users, 'owner');

function selectLeads(ctx: Ctx) {
  return ctx.db
    .select({
      lead: leads,
      contact: { id: contacts.id, name: contacts.name, emails: contacts.emails, phones: contacts.phones, lifecycle: contacts.lifecycle },
      ownerName: owners.name,
      formName: forms.name,
      hookName: hookSources.name,
    })
    .from(leads)
    .innerJoin(contacts, eq(contacts.id, leads.contactId))
    .leftJoin(owners, eq(owners.id, leads.ownerId))
    .leftJoin(forms, eq(forms.id, leads.formId))
    .leftJoin(hookSources, eq(hookSources.id, leads.hookSourceId));
}
type Joined = Awaited<ReturnType<ReturnType<typeof selectLeads>['all']>>[number];

function leadView(j: Joined) {
  const { workspaceId: _ws, ...lead } = j.lead;
  return { ...lead, dealId: lead.dealId === 'pending' ? null : lead.dealId, contact: j.contact, ownerName: j.ownerName, formName: j.formName ?? j.hookName ?? null };
}

export function submissionView(row: SubmissionRow) {
  const { workspaceId: _ws, dedupeKey: _k, ipHash: _ip, ...rest } = row;
  return rest;
}

async function findLead(ctx: Ctx, id: string): Promise<Joined> {
  const row = await selectLeads(ctx).where(and(eq(leads.id, id), leadVisibleTo(ctx))).get();
  if (!row) throw notFound('Lead');
  return row;
}

function viewCondition(ctx: Ctx, view: ListLeadsQuery['view']): SQL | undefined {
  const me = ctx.actor.type === 'user' ? ctx.actor.id : '';
  if (view === 'new') return and(eq(leads.status, 'new'), isNull(leads.ownerId));
  if (view === 'mine') return and(eq(leads.ownerId, me), inArray(leads.status, [...OPEN]));
  return undefined;
}

export async function listLeads(ctx: Ctx, query: ListLeadsQuery) {
  const page = keyset(query, leads.createdAt, leads.id, 'desc');
  const rows = await selectLeads(ctx)
    .where(
      and(
        leadVisibleTo(ctx),
        viewCondition(ctx, query.view),
        query.status ? eq(leads.status, query.status) : undefined,
        query.formId ? eq(leads.formId, query.formId) : undefined,
        query.ownerId ? eq(leads.ownerId, query.ownerId) : undefined,
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(page.limit);
  const result = toPage(rows, query, (r) => ({ k: r.lead.createdAt, id: r.lead.id }));
  return { ...result, items: result.items.map(leadView) };
}

/** Badge counts of the inbox views, over what the caller may see. `spam` counts spam submissions. */
export async function leadCounts(ctx: Ctx) {
  const [[n], [m], [a], [s]] = await Promise.all([
    ctx.db.select({ n: count() }).from(leads).where(and(leadVisibleTo(ctx), viewCondition(ctx, 'new'))),
    ctx.db.select({ n: count() }).from(leads).where(and(leadVisibleTo(ctx), viewCondition(ctx, 'mine'))),
    ctx.db.select({ n: count() }).from(formSubmissions).where(and(submissionVisibleTo(ctx), eq(formSubmissions.status, 'failed'))),
    ctx.db.select({ n: count() }).from(formSubmissions).where(and(submissionVisibleTo(ctx), eq(formSubmissions.status, 'spam'))),
  ]);
  return { new: n.n, mine: m.n, assigned: m.n, attention: a.n, spam: s.n };
}

export async function getLead(ctx: Ctx, id: string) {
  const j = await findLead(ctx, id);
  const subs = await ctx.db.select().from(formSubmissions).where(eq(formSubmissions.leadId, id)).orderBy(desc(formSubmissions.receivedAt)).limit(50);
  return { ...leadView(j), submissions: subs.map(submissionView) };
}

async function writeLead(ctx: Ctx, action: string, current: LeadRow, change: Partial<LeadRow>, person: ContactChange[] = [], extra: Statement[] = []) {
  const at = ctx.now().toISOString();
  const next = { ...current, ...change, version: current.version + 1, updatedAt: at };
  const { id, workspaceId: _ws, createdAt: _c, ...columns } = next;
  const results = await audited(
    ctx,
    { action, recordType: 'lead', recordId: id, changes: diff(current, next) },
    ctx.db.update(leads).set(columns).where(and(eq(leads.id, id), eq(leads.version, current.version))),
    ...person.flatMap((p) => p.statements),
    ...extra,
  );
  const saved = await ctx.db.select({ version: leads.version }).from(leads).where(eq(leads.id, id)).get();
  if (saved?.version !== next.version) throw conflict('lead_changed', 'Someone else changed this lead at the same moment. Reload and try again.');
  // The person's changes (those whose condition held) are contact edits like any other: they
  // start follow-up plans on the stage entered and tell the webhook subscribers.
  let offset = 1;
  for (const p of person) {
    const changed = results[offset + p.statements.length - 1] as { version: number; lifecycle: string }[];
    offset += p.statements.length;
    if (!changed.length) continue;
    if (p.lifecycleFrom) await afterContactChange(ctx, current.contactId, { lifecycle: p.lifecycleFrom }, { lifecycle: changed[0].lifecycle });
    const [contact] = await contactDetailsOf(ctx, [current.contactId]);
    if (contact) await emitEvent(ctx, ctx.actor.workspaceId, 'contact.updated', { contact }, `contact.updated:${contact.id}:${changed[0].version}`);
  }
  return getLead(ctx, id);
}

/**
 * A change an inbox action makes to the lead's person, where `condition` holds when the batch
 * runs: its audit row first (reading the values as they were), then the edit with a version bump.
 */
type ContactChange = { statements: Statement[]; lifecycleFrom?: string };
function contactChange(ctx: Ctx, lead: LeadRow, condition: SQL, set: { ownerId: string } | { lifecycle: 'prospect' | 'customer' }, lifecycleFrom?: string): ContactChange {
  // Only with the lead's own change, which comes first in the batch (a concurrent edit of the lead leaves both undone).
  const leadWritten = sql`exists (select 1 from ${leads} where ${leads.id} = ${lead.id} and ${leads.version} = ${lead.version + 1})`;
  const where = and(eq(contacts.id, lead.contactId), condition, leadWritten)!;
  const [name, before, after] = 'ownerId' in set ? ['ownerId', sql`${contacts.ownerId}`, set.ownerId] : ['lifecycle', sql`${contacts.lifecycle}`, set.lifecycle];
  return {
    lifecycleFrom,
    statements: [
      auditEachStatement(ctx, { action: 'contact.updated', recordType: 'contact', where, changes: sql`json_object(${name}, json_object('before', ${before}, 'after', ${after}))` }),
      ctx.db
        .update(contacts)
        .set({ ...set, version: sql`${contacts.version} + 1`, updatedAt: ctx.now().toISOString() })
        .where(where)
        .returning({ version: contacts.version, lifecycle: contacts.lifecycle }),
    ],
  };
}

/** The lead's person follows it to its new owner if they had none or the lead's previous owner. */
const contactFollows = (ctx: Ctx, lead: LeadRow, ownerId: string) =>
  contactChange(ctx, lead, lead.ownerId ? or(isNull(contacts.ownerId), eq(contacts.ownerId, lead.ownerId))! : isNull(contacts.ownerId), { ownerId });

export async function claimLead(ctx: Ctx, id: string) {
  const { lead } = await findLead(ctx, id);
  if (ctx.actor.type !== 'user') throw conflict('not_a_person', 'Only a signed-in person can claim a lead.');
  if (lead.ownerId) throw conflict('already_owned', lead.ownerId === ctx.actor.id ? 'You already own this lead.' : 'Someone else has already claimed this lead.');
  return writeLead(ctx, 'lead.claimed', lead, { ownerId: ctx.actor.id, assignedAt: ctx.now().toISOString() }, [contactFollows(ctx, lead, ctx.actor.id)]);
}

export async function assignLead(ctx: Ctx, id: string, ownerId: string) {
  const { lead } = await findLead(ctx, id);
  await assertAssignable(ctx, ownerId);
  const saved = await writeLead(ctx, 'lead.assigned', lead, { ownerId, assignedAt: ctx.now().toISOString() }, [contactFollows(ctx, lead, ownerId)]);
  if (ownerId !== (ctx.actor.type === 'user' ? ctx.actor.id : null)) {
    await notify(ctx, {
      workspaceId: ctx.actor.workspaceId,
      userId: ownerId,
      kind: 'lead.assigned',
      key: `lead.assigned:${id}:${ownerId}:v${saved.version}`,
      link: `/leads/${id}`,
      recordType: 'lead',
      recordId: id,
      message: (locale) => ({ title: leadStrings(locale, 'assigned.title', { name: saved.contact.name }), body: leadStrings(locale, 'assigned.body', { source: saved.formName ?? saved.source, score: String(saved.score) }) }),
      email: true,
    });
  }
  return saved;
}

/** The person moves along the lifecycle, never back: only from the stages in `from`. */
const lifecycleTo = (ctx: Ctx, lead: LeadRow, contact: { lifecycle: string }, to: 'prospect' | 'customer', from: ('lead' | 'prospect')[]) =>
  contactChange(ctx, lead, inArray(contacts.lifecycle, from), { lifecycle: to }, contact.lifecycle);

export async function qualifyLead(ctx: Ctx, id: string) {
  const { lead, contact } = await findLead(ctx, id);
  if (lead.status !== 'new') throw conflict('not_new', 'Only a new lead can be qualified.');
  return writeLead(ctx, 'lead.qualified', lead, { status: 'qualified', qualifiedAt: ctx.now().toISOString() }, [lifecycleTo(ctx, lead, contact, 'prospect', ['lead'])]);
}

export async function convertLead(ctx: Ctx, id: string, input: ConvertInput) {
  const { lead, contact } = await findLead(ctx, id);
  if (lead.status === 'spam' || lead.status === 'converted') throw conflict('not_open', 'Only an open lead can be converted.');
  let dealId = lead.dealId && lead.dealId !== 'pending' ? lead.dealId : null;
  if (input.deal && !dealId) {
    const deal = await createDeal(ctx, {
      name: input.deal.name ?? contact.name,
      pipelineId: input.deal.pipelineId,
      stageId: input.deal.stageId,
      amount: input.deal.amount,
      currency: input.deal.currency,
      contactId: lead.contactId,
      ownerId: lead.ownerId ?? (ctx.actor.type === 'user' ? ctx.actor.id : null),
      source: 'form',
    });
    dealId = deal.id;
  }
  const at = ctx.now().toISOString();
  return writeLead(ctx, 'lead.converted', lead, { status: 'converted', convertedAt: at, dealId, qualifiedAt: lead.qualifiedAt ?? at }, input.customer ? [lifecycleTo(ctx, lead, contact, 'customer', ['lead', 'prospect'])] : [lifecycleTo(ctx, lead, contact, 'prospect', ['lead'])]);
}

export async function markLeadSpam(ctx: Ctx, id: string, isSpam: boolean) {
  const { lead } = await findLead(ctx, id);
  if (isSpam && lead.status === 'converted') throw conflict('converted', 'A converted lead cannot be marked as spam.');
  if (!isSpam && lead.status !== 'spam') return getLead(ctx, id);
  const at = ctx.now().toISOString();
  return writeLead(ctx, isSpam ? 'lead.spam' : 'lead.not_spam', lead, { status: isSpam ? 'spam' : 'new' }, [], [
    ctx.db
      .update(formSubmissions)
      .set(isSpam ? { status: 'spam', spamReason: 'marked', updatedAt: at } : { status: 'processed', spamReason: null, updatedAt: at })
      .where(and(eq(formSubmissions.leadId, id), eq(formSubmissions.status, isSpam ? 'processed' : 'spam'))),
  ]);
}

// ── submissions: attention needed, spam ─────────────────────────────────────────────────────

export async function listSubmissions(ctx: Ctx, query: ListSubmissionsQuery) {
  const page = keyset(query, formSubmissions.receivedAt, formSubmissions.id, 'desc');
  const rows = await ctx.db
    .select()
    .from(formSubmissions)
    .where(
      and(
        submissionVisibleTo(ctx),
        query.status ? eq(formSubmissions.status, query.status) : undefined,
        query.formId ? eq(formSubmissions.formId, query.formId) : undefined,
        query.hookSourceId ? eq(formSubmissions.hookSourceId, query.hookSourceId) : undefined,
        query.contactId ? eq(formSubmissions.contactId, query.contactId) : undefined,
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(page.limit);
  const result = toPage(rows, query, (r) => ({ k: r.receivedAt, id: r.id }));
  return { ...result, items: result.items.map(submissionView) };
}

async function findSubmission(ctx: Ctx, id: string): Promise<SubmissionRow> {
  const row = await ctx.db.select().from(formSubmissions).where(and(eq(formSubmissions.id, id), submissionVisibleTo(ctx))).get();
  if (!row) throw notFound('Submission');
  return row;
}

export const getSubmission = async (ctx: Ctx, id: string) => submissionView(await findSubmission(ctx, id));

/** Sends a failed (or waiting) submission through processing again; a spam one when restored. */
export async function requeueSubmission(ctx: Ctx, id: string, from: 'failed' | 'spam') {
  const sub = await findSubmission(ctx, id);
  const allowed = from === 'failed' ? ['failed', 'received'] : ['spam'];
  if (!allowed.includes(sub.status)) throw conflict('wrong_status', from === 'failed' ? 'Only a failed or waiting submission can be retried.' : 'This submission is not in the spam folder.');
  const at = ctx.now().toISOString();
  // A lead marked as spam by hand comes back as it was; an unprocessed one is processed now.
  const restoresLead = from === 'spam' && sub.leadId;
  const status = restoresLead ? 'processed' : 'received';
  await audited(
    ctx,
    { action: from === 'failed' ? 'submission.retried' : 'submission.not_spam', recordType: 'submission', recordId: id, changes: { status: { before: sub.status, after: status } } },
    ctx.db.update(formSubmissions).set({ status, spamReason: null, updatedAt: at, ...(from === 'failed' ? { attempts: 0 } : {}) }).where(and(eq(formSubmissions.id, id), eq(formSubmissions.status, sub.status))),
    ...(restoresLead ? [ctx.db.update(leads).set({ status: 'new', updatedAt: at, version: sql`${leads.version} + 1` }).where(and(eq(leads.id, sub.leadId!), eq(leads.status, 'spam')))] : []),
  );
  if (!restoresLead) await enqueueProcessing(ctx.env, sub.workspaceId, id);
  return getSubmission(ctx, id);
}

export async function markSubmissionSpam(ctx: Ctx, id: string) {
  const sub = await findSubmission(ctx, id);
  if (sub.leadId) {
    await markLeadSpam(ctx, sub.leadId, true);
    return getSubmission(ctx, id);
  }
  if (sub.status === 'spam') return submissionView(sub);
  await audited(
    ctx,
    { action: 'submission.spam', recordType: 'submission', recordId: id, changes: { status: { before: sub.status, after: 'spam' } } },
    ctx.db.update(formSubmissions).set({ status: 'spam', spamReason: 'marked', updatedAt: ctx.now().toISOString() }).where(and(eq(formSubmissions.id, id), ne(formSubmissions.status, 'processing'))),
  );
  return getSubmission(ctx, id);
}

// ── lead-source report ──────────────────────────────────────────────────────────────────────

/** Leads by source, campaign or form, and how many became customers and deals (visible leads only). */
export async function leadSourceReport(ctx: Ctx, query: ReportQuery) {
  const key =
    query.by === 'form'
      ? sql<string>`coalesce(${forms.name}, ${hookSources.name}, '')`
      : query.by === 'campaign'
        ? sql<string>`coalesce(${leads.utmCampaign}, '')`
        : sql<string>`coalesce(${leads.utmSource}, case when ${leads.source} = 'hook' then 'hook:' || coalesce(${hookSources.name}, '') else 'direct' end)`;
  const rows = await ctx.db
    .select({
      key,
      leads: count(),
      customers: sql<number>`sum(case when ${contacts.lifecycle} = 'customer' then 1 else 0 end)`,
      deals: sql<number>`sum(case when ${leads.dealId} is not null and ${leads.dealId} <> 'pending' then 1 else 0 end)`,
    })
    .from(leads)
    .innerJoin(contacts, eq(contacts.id, leads.contactId))
    .leftJoin(forms, eq(forms.id, leads.formId))
    .leftJoin(hookSources, eq(hookSources.id, leads.hookSourceId))
    .where(
      and(
        leadVisibleTo(ctx),
        ne(leads.status, 'spam'),
        query.from ? gte(leads.createdAt, `${query.from}T00:00:00.000Z`) : undefined,
        query.to ? lt(leads.createdAt, new Date(Date.parse(`${query.to}T00:00:00.000Z`) + 86_400_000).toISOString()) : undefined,
      ),
    )
    .groupBy(key)
    .orderBy(desc(count()));
  const rate = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 1000 : null);
  return {
    by: query.by,
    rows: rows.map((r) => ({ key: r.key, label: r.key || null, leads: r.leads, customers: Number(r.customers), deals: Number(r.deals), customerRate: rate(Number(r.customers), r.leads), dealRate: rate(Number(r.deals), r.leads) })),
  };
}
