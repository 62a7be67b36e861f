import { and, count, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { activities, contactChannels, contacts, formSubmissions, forms, hookSources, leadPersonKeys, leads, workspaces, type FormFieldTarget, type OwnerRule, type ScoringRule } from '../../db/schema';
import { runBatch, type Db, type Statement } from '../../db/client';
import { cachedQuery, placeholders } from '../../db/cached-query';
import type { Env, JobMessage } from '../../env';
import { systemActor, systemMeta, type Ctx } from '../../lib/context';
import { AppError } from '../../lib/errors';
import { asLocale } from '../../lib/i18n';
import { Mailer, type MailMessage } from '../../lib/mailer';
import { toE164 } from '../../lib/phone';
import { assignOwner } from '../assignment/assignment.service';
import { createContact, updateContact, type ContactRow } from '../contacts/contacts.service';
import { createDeal } from '../deals/deals.service';
import { atPath } from '../webhooks/hook-sources.intake';
import { emitEvent, subscribersOf } from '../webhooks/webhooks.events';
import { notify } from '../notifications/notifications.service';
import { addTags } from '../tags/tags.service';
import { enqueueProcessing } from '../forms/forms.intake';
import { leadStrings } from './leads.messages';
import { scoreLead } from './leads.scoring';

export type JobDeps = { db: Db; env: Env; now: () => Date; isLastAttempt: boolean };
type SubmissionRow = typeof formSubmissions.$inferSelect;
type LeadRow = typeof leads.$inferSelect;

/** A processing claim older than this is taken to be from a crashed run and may be taken over. */
const CLAIM_TIMEOUT_MS = 5 * 60_000;

/** What a submission is processed with: its form's or hook source's settings. */
type SourceConfig = {
  kind: 'form' | 'hook';
  id: string;
  name: string;
  locale: 'zh-CN' | 'en';
  mapping: { path: string; target: FormFieldTarget }[];
  ownerRule: OwnerRule;
  pipelineId: string | null;
  createDeal: boolean;
  tagIds: string[];
  notifyUserIds: string[];
  scoringRules: ScoringRule[];
  ackEmail: boolean;
  thankYouMessage: string | null;
};

type FormRow = typeof forms.$inferSelect;
type HookSourceRow = typeof hookSources.$inferSelect;

function configOf(form: FormRow | undefined, hook: HookSourceRow | undefined, workspaceLocale: string | null | undefined): SourceConfig | null {
  if (form) {
    const f = form;
    return { kind: 'form', id: f.id, name: f.name, locale: f.locale, mapping: f.fields.map((x) => ({ path: x.name, target: x.mapTo })), ownerRule: f.ownerRule, pipelineId: f.pipelineId, createDeal: f.createDeal, tagIds: f.tagIds, notifyUserIds: f.notifyUserIds, scoringRules: f.scoringRules, ackEmail: f.ackEmail, thankYouMessage: f.thankYouMessage };
  }
  if (hook) {
    const h = hook;
    return { kind: 'hook', id: h.id, name: h.name, locale: asLocale(workspaceLocale), mapping: Object.entries(h.fieldMapping).map(([path, target]) => ({ path, target })), ownerRule: h.ownerRule, pipelineId: h.pipelineId, createDeal: h.createDeal, tagIds: h.tagIds, notifyUserIds: h.notifyUserIds, scoringRules: h.scoringRules, ackEmail: false, thankYouMessage: null };
  }
  return null;
}

/** Everything a submission is processed with, in one round trip: its source's settings, the workspace's defaults and the webhook subscribers. */
async function sourceOf(db: Db, sub: Pick<SubmissionRow, 'workspaceId' | 'formId' | 'hookSourceId'>) {
  // Every lead reads the same statements: their SQL is built once per isolate (see cachedQuery).
  const [formRows, hookRows, wsRows, subscribers] = await db.batch([
    cachedQuery(db, 'lead.form', { id: sub.formId ?? '' }, (v) => db.select().from(forms).where(eq(forms.id, v('id'))).limit(1)),
    cachedQuery(db, 'lead.hook', { id: sub.hookSourceId ?? '' }, (v) => db.select().from(hookSources).where(eq(hookSources.id, v('id'))).limit(1)),
    cachedQuery(db, 'lead.workspace', { id: sub.workspaceId }, (v) =>
      db
        .select({ country: workspaces.defaultCountry, locale: workspaces.locale, customFieldsVersion: workspaces.customFieldsVersion })
        .from(workspaces)
        .where(eq(workspaces.id, v('id')))
        .limit(1),
    ),
    cachedQuery(db, 'lead.subscribers', { id: sub.workspaceId }, (v) => subscribersOf(db, v('id'))),
  ]);
  const ws = wsRows[0];
  return { config: configOf(sub.formId ? formRows[0] : undefined, sub.hookSourceId ? hookRows[0] : undefined, ws?.locale), country: ws?.country ?? 'CN', customFieldsVersion: ws?.customFieldsVersion, subscribers };
}
type Source = Awaited<ReturnType<typeof sourceOf>>;

export type MappedValues = {
  name: string | null;
  givenName: string | null;
  familyName: string | null;
  email: string | null;
  phone: string | null;
  title: string | null;
  city: string | null;
  companyName: string | null;
  custom: Record<string, string>;
  notes: string[];
  /** Every submitted value by field name (scoring, field-match assignment). */
  byField: Record<string, string>;
};

const str = (v: unknown): string => (Array.isArray(v) ? v.map(str).join(', ') : v === null || v === undefined || typeof v === 'object' ? '' : String(v)).trim();

/** The submission's values at their mapped targets, normalized (email lower-case, phone E.164). */
export function mapValues(config: SourceConfig, payload: Record<string, unknown>, country: string): MappedValues {
  const out: MappedValues = { name: null, givenName: null, familyName: null, email: null, phone: null, title: null, city: null, companyName: null, custom: {}, notes: [], byField: {} };
  for (const [k, v] of Object.entries(payload)) if (str(v)) out.byField[k] = str(v).slice(0, 2000);
  for (const { path, target } of config.mapping) {
    const value = str(config.kind === 'hook' ? atPath(payload, path) : payload[path]).slice(0, 2000);
    if (!value) continue;
    if (config.kind === 'hook') out.byField[path] = value;
    switch (target) {
      case 'contact.name': out.name = value.slice(0, 120); break;
      case 'contact.givenName': out.givenName = value.slice(0, 60); break;
      case 'contact.familyName': out.familyName = value.slice(0, 60); break;
      case 'contact.email': out.email = value.toLowerCase(); break;
      case 'contact.phone': out.phone = toE164(value, country) ?? value; break;
      case 'contact.title': out.title = value.slice(0, 100); break;
      case 'contact.city': out.city = value.slice(0, 60); break;
      case 'company.name': out.companyName = value.slice(0, 200); break;
      case 'note': out.notes.push(value); break;
      case 'none': break;
      default: if (target.startsWith('custom.')) out.custom[target.slice(7)] = value;
    }
  }
  if (out.phone && !out.phone.startsWith('+')) throw new AppError(422, 'invalid_phone', `"${out.phone}" is not a phone number.`);
  return out;
}

const displayName = (m: MappedValues) => m.name ?? ([m.familyName, m.givenName].filter(Boolean).join('') || m.email || m.phone || '—');

/** Empty fields of a known contact to fill, and differing values to record (never overwritten). */
function reconcile(contact: ContactRow, m: MappedValues) {
  const fill: Record<string, unknown> = {};
  const conflicts: { field: string; existing: unknown; submitted: unknown }[] = [];
  const compare = (field: string, existing: string | null | undefined, submitted: string | null) => {
    if (!submitted) return;
    if (!existing) fill[field] = submitted;
    else if (existing.trim().toLowerCase() !== submitted.trim().toLowerCase()) conflicts.push({ field, existing, submitted });
  };
  compare('name', contact.name, m.name);
  compare('givenName', contact.givenName, m.givenName);
  compare('familyName', contact.familyName, m.familyName);
  compare('title', contact.title, m.title);
  if (m.city) {
    if (!contact.address.city) fill.address = { city: m.city };
    else if (contact.address.city !== m.city) conflicts.push({ field: 'city', existing: contact.address.city, submitted: m.city });
  }
  if (m.email && !contact.emails.includes(m.email)) {
    if (contact.emails.length === 0) fill.emails = [m.email];
    else conflicts.push({ field: 'email', existing: contact.emails[0], submitted: m.email });
  }
  if (m.phone && !contact.phones.includes(m.phone)) {
    if (contact.phones.length === 0) fill.phones = [m.phone];
    else conflicts.push({ field: 'phone', existing: contact.phones[0], submitted: m.phone });
  }
  const custom: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.custom)) {
    const existing = contact.customFields[k];
    if (existing === undefined || existing === null || existing === '') custom[k] = v;
    else if (String(existing) !== v) conflicts.push({ field: `custom.${k}`, existing, submitted: v });
  }
  if (Object.keys(custom).length) fill.customFields = custom;
  return { fill, conflicts };
}

/** What processing made of a submission, for the effects that follow without reading it back. */
type Processed = { sub: SubmissionRow; lead: LeadRow; contact: { name: string; emails: string[]; phones: string[] }; source: Source; ackEmail: MailMessage | null };

/** Everything after the raw row: runs from the queue, any number of times, with one effect. */
export async function processSubmission(deps: JobDeps, submissionId: string): Promise<void> {
  const { db } = deps;
  const now = deps.now();
  // Claim it: one run at a time per submission (a redelivered message waits for the first).
  const [claimed] = await cachedQuery(db, 'lead.claim', { id: submissionId, at: now.toISOString(), staleBefore: new Date(now.getTime() - CLAIM_TIMEOUT_MS).toISOString() }, (v) =>
    db
      .update(formSubmissions)
      .set({ status: 'processing', attempts: sql`${formSubmissions.attempts} + 1`, updatedAt: v('at') })
      .where(and(eq(formSubmissions.id, v('id')), or(inArray(formSubmissions.status, ['received', 'failed']), and(eq(formSubmissions.status, 'processing'), lt(formSubmissions.updatedAt, v('staleBefore'))))))
      .returning(),
  );
  if (!claimed) {
    const current = await db.select().from(formSubmissions).where(eq(formSubmissions.id, submissionId)).get();
    if (current?.status === 'processing') throw new Error(`submission ${submissionId} is being processed by another run`);
    // Processed before, and this is a redelivery (or a retry after a crash in the effects): finish them.
    if (current?.status === 'processed') await afterProcessing(deps, current);
    return;
  }
  // As it was before the claim: the effects' keys and the lead's attribution read it.
  const sub: SubmissionRow = { ...claimed, status: 'received' };
  let processed: Processed;
  try {
    processed = await processClaimed(deps, sub);
  } catch (err) {
    // Invalid data stays invalid: fail at once. A conflict (someone edited the contact meanwhile) is retried.
    const permanent = err instanceof AppError && (err.status === 400 || err.status === 422);
    const message = err instanceof Error ? err.message : String(err);
    const final = permanent || deps.isLastAttempt;
    // Never dropped: a submission that cannot be processed waits in "attention needed" with its raw payload.
    await db
      .update(formSubmissions)
      .set({ status: final ? 'failed' : 'received', lastError: message.slice(0, 1000), updatedAt: deps.now().toISOString() })
      .where(and(eq(formSubmissions.id, submissionId), eq(formSubmissions.status, 'processing')));
    if (!final) throw err;
    console.error(`submission ${submissionId} failed: ${message}`);
    return;
  }
  await afterProcessing(deps, processed.sub, processed);
}

function systemCtx(deps: JobDeps, workspaceId: string, source: Pick<Source, 'country' | 'customFieldsVersion'>): Ctx {
  return { db: deps.db, env: deps.env, now: deps.now, actor: { ...systemActor(workspaceId), defaultCountry: source.country, customFieldsVersion: source.customFieldsVersion }, meta: systemMeta() };
}

/**
 * Keys that stop a second creation of the same person while this one is under way: the person's
 * normalized email and phone, for this minute and the next (see `leadPersonKeys`).
 */
function personKeyStatements(db: Db, sub: SubmissionRow, m: MappedValues, now: Date): Statement[] {
  const minute = Math.floor(now.getTime() / 60_000);
  const keys = [m.email ? `email:${m.email}` : null, m.phone ? `phone:${m.phone}` : null].filter((k): k is string => Boolean(k));
  if (keys.length === 0) return [];
  return [db.insert(leadPersonKeys).values(keys.flatMap((key) => [minute, minute + 1].map((min) => ({ workspaceId: sub.workspaceId, key, minute: min, submissionId: sub.id }))))];
}

async function processClaimed(deps: JobDeps, sub: SubmissionRow): Promise<Processed> {
  const { db } = deps;
  const source = await sourceOf(db, sub);
  const { config, country } = source;
  if (!config) throw new AppError(422, 'source_missing', 'The form or lead source of this submission no longer exists.');
  const ctx = systemCtx(deps, sub.workspaceId, source);
  const m = mapValues(config, sub.payload, country);
  if (!m.email && !m.phone) throw new AppError(422, 'unreachable', 'The submission has neither an email nor a phone number.');
  const at = deps.now().toISOString();

  // Returning people: the same normalized email (first) or phone is the same person. Their live
  // contact, open lead and earlier submissions come back in one round trip. An erased person who
  // comes back is a new contact: nothing of the old one is reused.
  const person = { ws: sub.workspaceId, email: m.email ?? '', phone: m.phone ?? '' };
  const matchId = (v: (name: string) => never) => sql`(select ch.contact_id from ${contactChannels} ch join ${contacts} c on c.id = ch.contact_id
    where ch.workspace_id = ${v('ws')} and ((ch.kind = 'email' and ch.value = ${v('email')}) or (ch.kind = 'phone' and ch.value = ${v('phone')}))
      and c.deleted_at is null and c.merged_into_id is null
    order by ch.kind = 'email' desc limit 1)`;
  const [knownRows, openLeads, previousRows] = await db.batch([
    cachedQuery(db, 'lead.known', person, (v) => db.select().from(contacts).where(and(eq(contacts.id, matchId(v)), isNull(contacts.erasedAt))).limit(1)),
    cachedQuery(db, 'lead.open', person, (v) => db.select().from(leads).where(and(eq(leads.contactId, matchId(v)), inArray(leads.status, ['new', 'qualified']))).limit(1)),
    cachedQuery(db, 'lead.previous', person, (v) => db.select({ previous: count() }).from(formSubmissions).where(and(eq(formSubmissions.contactId, matchId(v)), eq(formSubmissions.status, 'processed')))),
  ]);
  const existing = knownRows[0];
  const openLead = existing ? openLeads[0] : undefined;
  const previous = existing ? Number(previousRows[0]?.previous ?? 0) : 0;
  const { score, reasons } = scoreLead(config.scoringRules, { fields: m.byField, source: config.kind, utm: sub, previousSubmissions: previous }, { email: Boolean(m.email), phone: Boolean(m.phone) });

  // The owner: the open lead's, the known person's, or the one the source's rule picks.
  const record = { ...m.byField, source: config.kind, utmSource: sub.utmSource, utmCampaign: sub.utmCampaign, city: m.city, email: m.email, phone: m.phone };
  const ownerId = openLead?.ownerId ?? existing?.ownerId ?? (config.ownerRule.kind === 'none' ? null : await assignOwner({ db }, sub.workspaceId, 'lead_source', config.id, record));

  const leadId = openLead?.id ?? `lead_${sub.id.slice(4)}`;
  const attribution = { utmSource: sub.utmSource, utmMedium: sub.utmMedium, utmCampaign: sub.utmCampaign, utmTerm: sub.utmTerm, utmContent: sub.utmContent, referrer: sub.referrer, landingPage: sub.landingPage };
  const newLead: LeadRow = { id: leadId, workspaceId: sub.workspaceId, contactId: '', submissionId: sub.id, lastSubmissionId: sub.id, submissionCount: 1, formId: sub.formId, hookSourceId: sub.hookSourceId, source: config.kind, status: 'new', ownerId, score, ...attribution, dealId: null, qualifiedAt: null, convertedAt: null, assignedAt: ownerId ? at : null, version: 1, createdAt: at, updatedAt: at };
  const outcome = existing ? 'attached' : 'created';
  const ack = ackEmail(deps, config, sub, m);
  const processedSub = (contactId: string): SubmissionRow => ({ ...sub, status: 'processed', contactId, leadId, outcome, conflicts: existing ? reconcile(existing, m).conflicts : [], score, scoreReasons: reasons, ownerId, lastError: null, processedAt: at, updatedAt: at });
  const leadStatements = (contactId: string): Statement[] => {
    const done = processedSub(contactId);
    return [
      openLead
        ? db
            .update(leads)
            .set({ lastSubmissionId: sub.id, submissionCount: sql`${leads.submissionCount} + 1`, score: sql`max(${leads.score}, ${score})`, updatedAt: at, version: sql`${leads.version} + 1` })
            .where(and(eq(leads.id, openLead.id), sql`${leads.lastSubmissionId} <> ${sub.id}`))
        : insertOnce(db, 'lead.insert', leads, { ...newLead, contactId }),
      // The "form submitted" entry on the person's timeline (id derived from the submission: written once).
      insertOnce(db, 'lead.activity', activities, {
        id: `act_${sub.id.slice(4)}`,
        workspaceId: sub.workspaceId,
        type: 'system' as const,
        contactId,
        subject: leadStrings(config.locale, 'timeline.subject', { form: config.name }),
        body: m.notes.join('\n\n') || null,
        occurredAt: sub.receivedAt,
        meta: { event: 'form.submitted', submissionId: sub.id, formId: sub.formId, hookSourceId: sub.hookSourceId, sourceName: config.name, leadId },
        createdAt: at,
        updatedAt: at,
      }),
      ...(config.tagIds.length ? addTags(ctx, 'contact', [contactId], config.tagIds) : []),
      ...(ack ? [ack.statement] : []),
      cachedQuery(db, 'lead.processed', { id: sub.id, contactId, leadId, outcome, conflicts: done.conflicts, score, scoreReasons: reasons, ownerId, at }, (v) =>
        db
          .update(formSubmissions)
          .set({ status: 'processed', contactId: v('contactId'), leadId: v('leadId'), outcome: v('outcome'), conflicts: v('conflicts'), score: v('score'), scoreReasons: v('scoreReasons'), ownerId: v('ownerId'), lastError: null, processedAt: v('at'), updatedAt: v('at') })
          .where(and(eq(formSubmissions.id, v('id')), eq(formSubmissions.status, 'processing'))),
      ),
    ];
  };
  const result = (contactId: string, contact: Processed['contact']): Processed => ({
    sub: processedSub(contactId),
    lead: openLead ? { ...openLead, lastSubmissionId: sub.id, submissionCount: openLead.submissionCount + 1, score: Math.max(openLead.score, score) } : { ...newLead, contactId },
    contact,
    source,
    ackEmail: ack?.message ?? null,
  });

  if (existing) {
    const { fill } = reconcile(existing, m);
    if (Object.keys(fill).length) await updateContact(ctx, existing.id, existing.version, { ...fill, force: true });
    await runBatch(db, leadStatements(existing.id));
    return result(existing.id, { name: existing.name, emails: (fill.emails as string[] | undefined) ?? existing.emails, phones: (fill.phones as string[] | undefined) ?? existing.phones });
  }
  const created = await createContact(
    ctx,
    {
      name: displayName(m),
      givenName: m.givenName,
      familyName: m.familyName,
      title: m.title,
      emails: m.email ? [m.email] : [],
      phones: m.phone ? [m.phone] : [],
      address: m.city ? { city: m.city } : undefined,
      source: 'form',
      lifecycle: 'lead',
      ownerId,
      customFields: Object.keys(m.custom).length ? m.custom : undefined,
      ...(sub.consentGranted !== null ? { emailConsent: sub.consentGranted, consentSource: `form:${config.name}`.slice(0, 100) } : {}),
      force: true,
    },
    (contactId) => [...personKeyStatements(db, sub, m, deps.now()), ...leadStatements(contactId)],
  );
  return result(created.id, { name: created.name, emails: created.emails, phones: created.phones });
}

/** A row written once (a retry finds it there), with its SQL built once per isolate. */
function insertOnce<T extends typeof leads | typeof activities>(db: Db, key: string, table: T, row: T['$inferInsert']): Statement {
  return cachedQuery(db, key, row, (v) => db.insert(table).values(placeholders(row, v)).onConflictDoNothing()) as unknown as Statement;
}

/** The acknowledgement email to the person, in the form's language, written in the processing batch (once). */
function ackEmail(deps: JobDeps, config: SourceConfig, sub: SubmissionRow, m: MappedValues): { statement: Statement; message: MailMessage } | null {
  if (!config.ackEmail || !m.email) return null;
  const mailer = new Mailer(deps.db, deps.env, deps.now);
  const message: MailMessage = {
    workspaceId: sub.workspaceId,
    kind: 'lead.ack',
    to: m.email,
    subject: leadStrings(config.locale, 'ack.subject'),
    text: leadStrings(config.locale, 'ack.body', { name: displayName(m), form: config.name, message: config.thankYouMessage ?? '' }).trim(),
  };
  const { statement } = mailer.composeIf(message, () => sql`exists (select 1 from ${formSubmissions} where ${formSubmissions.id} = ${sub.id} and ${formSubmissions.status} = 'processing')`, ackEmailId(sub));
  return { statement, message };
}

/** Derived from the submission, so that a redelivered message can hand it to the mail queue again (delivery sends it once). */
const ackEmailId = (sub: Pick<SubmissionRow, 'id'>) => `msg_ack_${sub.id.slice(4)}`;

/**
 * The effects that follow a processed submission, each keyed so that a redelivered message or a
 * retry after a crash repeats none of them: the owner's notification (bell + email), the extra
 * recipients', the `lead.created` webhook, and the deal in the target pipeline.
 */
async function afterProcessing(deps: JobDeps, sub: SubmissionRow, known?: Processed): Promise<void> {
  if (!sub.leadId || !sub.contactId) return;
  // Right after processing everything is known; a redelivery reads it back.
  const [lead, contact, source] = known
    ? [known.lead, known.contact, known.source]
    : await Promise.all([
        deps.db.select().from(leads).where(eq(leads.id, sub.leadId)).get(),
        deps.db.select({ name: contacts.name, emails: contacts.emails, phones: contacts.phones }).from(contacts).where(eq(contacts.id, sub.contactId)).get(),
        sourceOf(deps.db, sub),
      ]);
  if (!lead) return;
  const config = source.config;
  // The acknowledgement was written in the processing batch; it leaves now (again after a crash:
  // delivery skips a message already sent).
  if (known ? known.ackEmail : config?.ackEmail) await new Mailer(deps.db, deps.env, deps.now).dispatch([ackEmailId(sub)], known?.ackEmail ? { [ackEmailId(sub)]: known.ackEmail } : {});
  const name = contact?.name ?? '—';
  const sourceName = config?.name ?? sub.channel;
  const isNewLead = lead.submissionId === sub.id;
  const link = `/leads/${lead.id}`;
  if (lead.ownerId) {
    await notify(deps, {
      workspaceId: sub.workspaceId,
      userId: lead.ownerId,
      kind: 'lead.assigned',
      key: `lead.assigned:${lead.id}:${lead.ownerId}:${sub.id}`,
      link,
      recordType: 'lead',
      recordId: lead.id,
      message: (locale) => ({ title: leadStrings(locale, 'assigned.title', { name }), body: leadStrings(locale, 'assigned.body', { source: sourceName, score: String(sub.score ?? lead.score) }) }),
      email: true,
    });
  }
  for (const userId of config?.notifyUserIds ?? []) {
    if (userId === lead.ownerId) continue;
    await notify(deps, { workspaceId: sub.workspaceId, userId, kind: 'lead.created', key: `lead.created:${lead.id}:${userId}:${sub.id}`, link, recordType: 'lead', recordId: lead.id, message: (locale) => ({ title: leadStrings(locale, 'created.title', { name }) }) });
  }
  if (isNewLead) {
    await emitEvent(deps, sub.workspaceId, 'lead.created', { lead: leadPayload(lead), contact: { id: sub.contactId, ...contact }, submission: { id: sub.id, payload: sub.payload } }, `lead.created:${lead.id}`, source.subscribers);
    if (config?.createDeal && !lead.dealId) await createDealFor(deps, lead, config.pipelineId, name, sourceName, source);
  }
}

const leadPayload = (l: LeadRow) => ({ id: l.id, status: l.status, source: l.source, formId: l.formId, hookSourceId: l.hookSourceId, ownerId: l.ownerId, score: l.score, utmSource: l.utmSource, utmMedium: l.utmMedium, utmCampaign: l.utmCampaign, referrer: l.referrer, landingPage: l.landingPage, createdAt: l.createdAt });

async function createDealFor(deps: JobDeps, lead: LeadRow, pipelineId: string | null, name: string, sourceName: string, source: Source): Promise<void> {
  const ctx = systemCtx(deps, lead.workspaceId, source);
  // Claim the lead's deal slot first: a retry finds it taken and makes no second deal.
  const claim = await deps.db.update(leads).set({ dealId: 'pending' }).where(and(eq(leads.id, lead.id), sql`${leads.dealId} is null`)).returning({ id: leads.id });
  if (claim.length === 0) return;
  try {
    const deal = await createDeal(ctx, { name, pipelineId: pipelineId ?? undefined, contactId: lead.contactId, ownerId: lead.ownerId, source: sourceName });
    await deps.db.update(leads).set({ dealId: deal.id, updatedAt: deps.now().toISOString() }).where(eq(leads.id, lead.id));
  } catch (err) {
    await deps.db.update(leads).set({ dealId: null }).where(and(eq(leads.id, lead.id), eq(leads.dealId, 'pending')));
    throw err;
  }
}

export const processJob = async (job: JobMessage, deps: JobDeps) => processSubmission(deps, String(job.payload.submissionId));

/** Cron: person keys older than a day have done their job (they only guard creations a minute apart). */
export async function purgePersonKeys(db: Db, now: Date): Promise<void> {
  await db.delete(leadPersonKeys).where(lt(leadPersonKeys.minute, Math.floor(now.getTime() / 60_000) - 1440));
}

/** Cron: re-queues submissions whose queue message never arrived or whose run died. Never dropped. */
export async function sweepStuckSubmissions(deps: { db: Db; env: Env; now: Date }): Promise<number> {
  const received = new Date(deps.now.getTime() - 2 * 60_000).toISOString();
  const processing = new Date(deps.now.getTime() - CLAIM_TIMEOUT_MS).toISOString();
  const stuck = await deps.db
    .select({ id: formSubmissions.id, workspaceId: formSubmissions.workspaceId })
    .from(formSubmissions)
    .where(or(and(eq(formSubmissions.status, 'received'), lt(formSubmissions.updatedAt, received)), and(eq(formSubmissions.status, 'processing'), lt(formSubmissions.updatedAt, processing))))
    .limit(200);
  for (const s of stuck) await enqueueProcessing(deps.env, s.workspaceId, s.id);
  return stuck.length;
}
