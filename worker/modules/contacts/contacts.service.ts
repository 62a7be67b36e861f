import { and, desc, eq, gte, inArray, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { companies, consentEvents, contactChannels, contacts, teams, users, workspaces, type Consent } from '../../db/schema';
import type { Statement } from '../../db/client';
import { selectRows } from '../../db/select-rows';
import { cachedQuery, placeholders } from '../../db/cached-query';
import { idsIn } from './contacts.statements';
import type { Ctx } from '../../lib/context';
import { audited, diff } from '../../lib/audit';
import { softStateActions } from '../../lib/record-state';
import { AppError, conflict, forbidden, invalid, invalidField, notFound, preconditionFailed, type FieldError } from '../../lib/errors';
import { decryptField, encryptField, mask, searchHash } from '../../lib/field-crypto';
import { newId } from '../../lib/ids';
import { cursorOf, keyset, toPage } from '../../lib/pagination';
import { phoneDigits, toE164 } from '../../lib/phone';
import { placeholderActor, visibilityShape, visibilityValues, visibleTo } from '../../lib/visibility';
import { validateCustomFields } from '../custom-fields/custom-fields.service';
import { afterContactChange, cadenceEvent, matchingCadences, stopForArchivedContacts } from '../cadences/cadences.service';
import { companyVisibleTo } from '../companies/companies.service';
import { assertTags, hasTags, parseTagsJson, replaceTags, tagsJsonColumn, tagsOf } from '../tags/tags.service';
import { emitEvent, subscribersOf, type Subscriber } from '../webhooks/webhooks.events';
import type { ContactFilters, CreateContactInput, ListContactsQuery, UpdateContactInput } from './contacts.schema';

export type ContactRow = typeof contacts.$inferSelect;

/** Who may see a contact: the shared visibility rule; unowned leads are claimable by reps. */
export function contactVisibleTo(ctx: Pick<Ctx, 'actor'>, opts: { drivenBySearch?: boolean } = {}): SQL {
  // With a full-text match the hits must drive the query. The unary plus keeps SQLite (which has
  // no statistics on D1) from walking a workspace index in list order and testing every row
  // against the hits: at 100k contacts that is 62k rows read instead of the few hundred hits.
  const table = opts.drivenBySearch ? { workspaceId: sql`+${contacts.workspaceId}`, ownerId: contacts.ownerId } : contacts;
  return visibleTo(ctx.actor, table, { claimable: eq(contacts.lifecycle, 'lead') });
}

/** Owners and admins read sensitive fields in full; everyone else sees them masked. */
export const maySeeSensitive = (ctx: Pick<Ctx, 'actor'>) => ctx.actor.role === 'owner' || ctx.actor.role === 'admin';

const SENSITIVE = [
  { field: 'nationalId', enc: 'nationalIdEnc', hash: 'nationalIdHash' },
  { field: 'bankAccount', enc: 'bankAccountEnc', hash: 'bankAccountHash' },
] as const;

const aadFor = (row: { workspaceId: string; id: string }, field: string) => `${row.workspaceId}:contact:${row.id}:${field}`;

export async function workspaceCountry(ctx: Ctx): Promise<string> {
  if (ctx.actor.defaultCountry) return ctx.actor.defaultCountry;
  const ws = await ctx.db.select({ c: workspaces.defaultCountry }).from(workspaces).where(eq(workspaces.id, ctx.actor.workspaceId)).get();
  return ws?.c ?? 'CN';
}

/** Normalizes phones to E.164, naming the first one that is not a phone number. */
export function normalizePhones(phones: string[], country: string, field = 'phones'): string[] {
  const errors: FieldError[] = [];
  const normalized = phones.map((p, i) => {
    const e164 = toE164(p, country);
    if (!e164) errors.push({ field: `${field}.${i}`, message: `"${p}" is not a phone number.`, code: 'invalid_phone' });
    return e164 ?? '';
  });
  if (errors.length) throw invalid(errors);
  return [...new Set(normalized)];
}

// ── reading ────────────────────────────────────────────────────────────────────────────────

/** The row of a contact the actor may see (404 otherwise). Archived and deleted rows on request. */
export async function findVisibleContact(ctx: Ctx, id: string, opts: { includeDeleted?: boolean } = {}): Promise<ContactRow> {
  const row = await ctx.db
    .select()
    .from(contacts)
    .where(and(eq(contacts.id, id), contactVisibleTo(ctx), opts.includeDeleted ? undefined : isNull(contacts.deletedAt), isNull(contacts.mergedIntoId)))
    .get();
  if (!row) throw notFound('Customer');
  return row;
}

export type SensitiveValues = { nationalId: string | null; bankAccount: string | null };

/** The plaintext of a contact's sensitive fields; callers decide who may see it. */
export async function decryptSensitive(ctx: Ctx, row: ContactRow): Promise<SensitiveValues> {
  const out: SensitiveValues = { nationalId: null, bankAccount: null };
  for (const s of SENSITIVE) {
    const stored = row[s.enc];
    if (stored) out[s.field] = await decryptField(ctx.env.FIELD_ENCRYPTION_KEY, stored, aadFor(row, s.field));
  }
  return out;
}

async function sensitiveView(ctx: Ctx, row: ContactRow): Promise<SensitiveValues> {
  const plain = await decryptSensitive(ctx, row);
  if (maySeeSensitive(ctx)) return plain;
  return { nationalId: plain.nationalId && mask(plain.nationalId), bankAccount: plain.bankAccount && mask(plain.bankAccount) };
}

/** The columns a list row shows (a list reads these only: about half of the row, none of its secrets). */
const summaryColumns = {
  id: contacts.id,
  name: contacts.name,
  title: contacts.title,
  companyId: contacts.companyId,
  emails: contacts.emails,
  phones: contacts.phones,
  ownerId: contacts.ownerId,
  lifecycle: contacts.lifecycle,
  source: contacts.source,
  rfmSegment: contacts.rfmSegment,
  totalSpent: contacts.totalSpent,
  orderCount: contacts.orderCount,
  lastPurchaseAt: contacts.lastPurchaseAt,
  lastContactedAt: contacts.lastContactedAt,
  address: contacts.address,
  archivedAt: contacts.archivedAt,
  deletedAt: contacts.deletedAt,
  version: contacts.version,
  createdAt: contacts.createdAt,
  updatedAt: contacts.updatedAt,
};
type SummaryRow = Pick<ContactRow, keyof typeof summaryColumns>;

/** The API shape of a contact list row. */
export function contactSummary(row: SummaryRow, tagList: { id: string; name: string; color: string }[] = [], companyName: string | null = null) {
  return {
    id: row.id,
    name: row.name,
    title: row.title,
    companyId: row.companyId,
    companyName: row.companyId ? companyName : null,
    emails: row.emails,
    phones: row.phones,
    ownerId: row.ownerId,
    lifecycle: row.lifecycle,
    source: row.source,
    rfmSegment: row.rfmSegment,
    totalSpent: row.totalSpent,
    orderCount: row.orderCount,
    lastPurchaseAt: row.lastPurchaseAt,
    lastContactedAt: row.lastContactedAt,
    address: row.address,
    tags: tagList,
    isArchived: Boolean(row.archivedAt),
    deletedAt: row.deletedAt,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Company name, owner name and tags of a contact, as columns of the query that reads it. */
const outer = (column: string) => sql`${sql.identifier('contacts')}.${sql.identifier(column)}`;
const detailColumns = {
  tagsJson: tagsJsonColumn('contacts'),
  companyName: sql<string | null>`(select c.name from ${companies} c where c.id = ${outer('company_id')} and c.workspace_id = ${outer('workspace_id')})`,
  ownerName: sql<string | null>`(select u.name from ${users} u where u.id = ${outer('owner_id')})`,
};
type DetailExtras = { tagsJson: string | null; companyName: string | null; ownerName: string | null };

/** The full API shape of one contact; pass the detail columns when the read already has them. */
export async function contactDetail(ctx: Ctx, row: ContactRow, extras?: DetailExtras) {
  const [more, sensitive] = await Promise.all([
    extras ?? ctx.db.select(detailColumns).from(contacts).where(eq(contacts.id, row.id)).get(),
    sensitiveView(ctx, row),
  ]);
  const company = row.companyId && more?.companyName != null ? { id: row.companyId, name: more.companyName } : null;
  const owner = row.ownerId && more?.ownerName != null ? { id: row.ownerId, name: more.ownerName } : null;
  const aov = row.orderCount > 0 ? Math.round(row.totalSpent / row.orderCount) : 0;
  return {
    ...contactSummary(row, parseTagsJson(more?.tagsJson ?? null), more?.companyName ?? null),
    givenName: row.givenName,
    familyName: row.familyName,
    gender: row.gender,
    birthday: row.birthday,
    company,
    owner,
    emailConsent: row.emailConsent,
    smsConsent: row.smsConsent,
    ...sensitive,
    customFields: row.customFields,
    firstPurchaseAt: row.firstPurchaseAt,
    averageOrderValue: aov,
    rfmScore: row.rfmScore,
    erasedAt: row.erasedAt,
    archivedAt: row.archivedAt,
  };
}

/** The API shape of several contacts, read in one query (no visibility check: the caller chose them). */
export async function contactDetailsOf(ctx: Ctx, ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await ctx.db
    .select({ row: contacts, ...detailColumns })
    .from(contacts)
    .where(sql`${contacts.id} in ${idsIn(ids)}`);
  return Promise.all(rows.map((r) => contactDetail(ctx, r.row, r)));
}

/**
 * A merged record answers 404 with the id of the record it lives on in, so that old links and
 * integrations can follow it. Merges re-point earlier merges, so this is always the survivor.
 */
export const mergedError = (what: string, mergedIntoId: string) =>
  new AppError(404, 'merged', `${what} was merged into another record.`, { mergedIntoId });

export async function getContact(ctx: Ctx, id: string) {
  // The most read statement of all: built once per visibility shape.
  const [found] = await cachedQuery(ctx.db, `contact.detail:${visibilityShape(ctx.actor)}`, { id, ...visibilityValues(ctx.actor) }, (v) =>
    ctx.db
      .select({ row: contacts, ...detailColumns })
      .from(contacts)
      .where(and(eq(contacts.id, v('id')), contactVisibleTo({ actor: placeholderActor(ctx.actor, v) })))
      .limit(1),
  );
  if (!found) throw notFound('Customer');
  if (found.row.mergedIntoId) throw mergedError('Customer', found.row.mergedIntoId);
  return contactDetail(ctx, found.row, found);
}

function escapeFts(term: string) {
  return `"${term.replace(/"/g, '""')}"`;
}

/**
 * Search hits (customers, newest first) an interactive list or count reads at most, so that a
 * broad term reads a few hundred rows, not every match. The count says when there are more.
 */
export const SEARCH_HIT_CAP = 100;

/** The FTS5 query for a search, or null when no term is long enough for the trigram index. */
function ftsMatch(q: string | undefined): string | null {
  const query = q?.trim();
  if (!query) return null;
  const digits = phoneDigits(query);
  const terms = (digits && digits.length >= 3 ? [digits] : query.split(/\s+/)).filter((t) => [...t].length >= 3);
  return terms.length ? terms.map(escapeFts).join(' AND ') : null;
}

/**
 * How a statement gets a value: as it is, or (for a statement built once, see cachedQuery) as the
 * placeholder of that name.
 */
type Param = <T>(name: string, value: T) => T;
const asValue: Param = (_name, value) => value;

/**
 * Full-text condition. Terms of 3+ characters go through the trigram index (names, emails,
 * phones, company, notes); shorter queries, such as most two-character Chinese names, use the
 * name index by prefix, so a search never scans the table. `cap` bounds the hits read (null: all).
 */
export function searchCondition(ctx: Ctx, q: string, cap: number | null = SEARCH_HIT_CAP, param: Param = asValue): SQL | undefined {
  const query = q.trim();
  if (!query) return undefined;
  const match = ftsMatch(query);
  if (!match) return and(gte(contacts.name, param('prefix', query)), lt(contacts.name, param('prefixEnd', `${query}\uffff`)));
  return sql`${contacts.id} in ${searchHits(ctx, param('match', match), cap)}`;
}

/**
 * The customers whose documents match, newest documents first (FTS5 walks rowids backwards without
 * a sort). Distinct, so that a customer with many matching notes counts once against the cap.
 */
const searchHits = (ctx: Ctx, match: string, cap: number | null) =>
  sql`(select distinct d.contact_id from contact_search s join search_docs d on d.id = s.rowid where contact_search match ${match} and d.workspace_id = ${ctx.actor.workspaceId} order by s.rowid desc${cap === null ? sql`` : sql` limit ${cap}`})`;

/**
 * Every filter of the customer list as SQL, visibility first. Lists, counts, segments, bulk
 * actions and exports all go through here, so none of them can show a hidden record. Bulk actions
 * and exports pass `exhaustive`, so that a search term selects every match rather than the
 * first SEARCH_HIT_CAP an interactive list reads.
 */
export function contactConditions(ctx: Ctx, f: ContactFilters, opts: { exhaustive?: boolean; param?: Param } = {}): SQL[] {
  const conditions: (SQL | undefined)[] = [
    contactVisibleTo(ctx, { drivenBySearch: Boolean(ftsMatch(f.q)) }),
    isNull(contacts.mergedIntoId),
    f.deleted === 'true' ? isNotNull(contacts.deletedAt) : isNull(contacts.deletedAt),
    f.deleted === 'true' || f.archived === 'any' ? undefined : f.archived === 'true' ? isNotNull(contacts.archivedAt) : isNull(contacts.archivedAt),
    f.q ? searchCondition(ctx, f.q, opts.exhaustive ? null : SEARCH_HIT_CAP, opts.param) : undefined,
    f.ownerId ? (f.ownerId === 'none' ? isNull(contacts.ownerId) : eq(contacts.ownerId, f.ownerId)) : undefined,
    f.teamId
      ? sql`${contacts.ownerId} in (select ${users.id} from ${users} where ${users.workspaceId} = ${ctx.actor.workspaceId} and ${users.teamId} = ${f.teamId})`
      : undefined,
    f.tagId?.length ? hasTags('contact', 'contacts', f.tagId) : undefined,
    f.lifecycle?.length ? inArray(contacts.lifecycle, f.lifecycle) : undefined,
    f.rfmSegment?.length ? inArray(contacts.rfmSegment, f.rfmSegment) : undefined,
    f.source?.length ? inArray(contacts.source, f.source) : undefined,
    f.companyId ? eq(contacts.companyId, f.companyId) : undefined,
    f.createdFrom ? gte(contacts.createdAt, new Date(f.createdFrom).toISOString()) : undefined,
    f.createdTo ? lt(contacts.createdAt, endOf(f.createdTo)) : undefined,
    f.lastContactedFrom ? gte(contacts.lastContactedAt, new Date(f.lastContactedFrom).toISOString()) : undefined,
    f.lastContactedTo ? lt(contacts.lastContactedAt, endOf(f.lastContactedTo)) : undefined,
    f.lastPurchaseFrom ? gte(contacts.lastPurchaseAt, new Date(f.lastPurchaseFrom).toISOString()) : undefined,
    f.lastPurchaseTo ? lt(contacts.lastPurchaseAt, endOf(f.lastPurchaseTo)) : undefined,
    f.spentMin !== undefined ? gte(contacts.totalSpent, f.spentMin) : undefined,
    f.spentMax !== undefined ? lte(contacts.totalSpent, f.spentMax) : undefined,
    ...Object.entries(f.custom ?? {}).map(([key, value]) => customFieldEquals(key, value)),
  ];
  return conditions.filter((c): c is SQL => Boolean(c));
}

/** A date-only upper bound includes that whole day. */
function endOf(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(Date.parse(value) + 86400_000).toISOString() : new Date(value).toISOString();
}

function customFieldEquals(key: string, value: string): SQL {
  if (!/^[a-z][a-z0-9_]{0,39}$/.test(key)) throw invalidField(`cf.${key}`, 'Unknown custom field.');
  const path = `$.${key}`;
  // Values arrive as query strings; compare as text, or as membership for multi-select arrays.
  // SQLite reads JSON true/false as 1/0, so a yes/no field matches "true"/"false" as well.
  const text = value === 'true' ? '1' : value === 'false' ? '0' : value;
  return sql`(cast(json_extract(${contacts.customFields}, ${path}) as text) = ${text} or exists (select 1 from json_each(${contacts.customFields}, ${path}) where json_each.value = ${value}))`;
}

const SORT_COLUMNS = {
  updatedAt: contacts.updatedAt,
  createdAt: contacts.createdAt,
  name: contacts.name,
  totalSpent: contacts.totalSpent,
  lastPurchaseAt: contacts.lastPurchaseAt,
  lastContactedAt: contacts.lastContactedAt,
} as const;

/** The list's most common queries: the whole list and a search, in any order, on any page. */
const SIMPLE_LIST_KEYS = new Set(['q', 'sort', 'limit', 'cursor', 'archived', 'deleted']);

/** A page of customers; `exhaustive` (exports) lets a search term select every match, not the first hits. */
export async function listContacts(ctx: Ctx, query: ListContactsQuery, opts: { exhaustive?: boolean } = {}) {
  const descending = query.sort.startsWith('-');
  const key = query.sort.replace(/^-/, '') as keyof typeof SORT_COLUMNS;
  const column = SORT_COLUMNS[key];
  // Nullable sort keys sort as '' so that keyset pagination stays total.
  const sortExpr = key === 'lastPurchaseAt' || key === 'lastContactedAt' ? sql`coalesce(${column}, '')` : column;
  const match = ftsMatch(query.q);
  const select = (c: Ctx, q: ListContactsQuery, param: Param, after?: { k: unknown; id: unknown }) => {
    const page = keyset(q, sortExpr as never, contacts.id, descending ? 'desc' : 'asc', after);
    // Tags are a column of the row; SQLite looks up the company name only for the rows it returns.
    return c.db
      .select({ row: summaryColumns, tagsJson: detailColumns.tagsJson, companyName: detailColumns.companyName })
      .from(contacts)
      .where(and(...contactConditions(c, q, { ...opts, param }), page.where))
      .orderBy(...page.orderBy)
      .limit(param('limit', page.limit));
  };
  const simple = !opts.exhaustive && Object.entries(query).every(([k, value]) => value === undefined || SIMPLE_LIST_KEYS.has(k));
  let rows: { row: SummaryRow; tagsJson: string | null; companyName: string | null }[];
  if (simple) {
    // Built once per shape (visibility, order, page, kind of search), filled with this request's values.
    const after = cursorOf(query);
    const shape = `contacts.list:${visibilityShape(ctx.actor)}:${query.sort}:${after ? 'after' : 'first'}:${match ? 'fts' : query.q ? 'prefix' : 'all'}:${query.archived ?? ''}:${query.deleted ?? ''}`;
    const values: Record<string, unknown> = { ...visibilityValues(ctx.actor), limit: query.limit + 1 };
    const capture: Param = (name, value) => ((values[name] = value), value);
    // The values this request fills in, named as the statement names them.
    contactConditions(ctx, query, { ...opts, param: capture });
    if (after) Object.assign(values, { afterK: after.k, afterId: after.id });
    rows = await cachedQuery(ctx.db, shape, values, (v) =>
      select({ ...ctx, actor: placeholderActor(ctx.actor, v) }, query, (name) => v(name), after ? { k: v('afterK'), id: v('afterId') } : undefined),
    );
  } else {
    rows = await selectRows(ctx.db, select(ctx, query, asValue));
  }
  const result = toPage(rows, query, ({ row }) => ({ k: (row[key] ?? '') as string | number, id: row.id }));
  return { ...result, items: result.items.map(({ row, tagsJson, companyName }) => contactSummary(row, parseTagsJson(tagsJson), companyName)) };
}

/**
 * How many customers a list shows. A search counts within its first SEARCH_HIT_CAP hits, like the
 * list, and `more` says the term matches further customers (narrow it to reach them); bulk
 * actions and exports still take every match.
 */
export async function countContacts(ctx: Ctx, filters: ContactFilters): Promise<{ count: number; more: boolean }> {
  const match = ftsMatch(filters.q);
  const row = await ctx.db
    .select({ n: sql<number>`count(*)`, hits: match ? sql<number>`(select count(*) from ${searchHits(ctx, match, SEARCH_HIT_CAP + 1)})` : sql<number>`0` })
    .from(contacts)
    .where(and(...contactConditions(ctx, filters)))
    .get();
  return { count: row?.n ?? 0, more: (row?.hits ?? 0) > SEARCH_HIT_CAP };
}

// ── duplicates ─────────────────────────────────────────────────────────────────────────────

export type DuplicateMatch = { id: string | null; name: string | null; matchedOn: ('email' | 'phone' | 'name_company')[]; visible: boolean };

/**
 * Likely duplicates: the same normalized email or phone, or the same name at the same company.
 * A match the actor may not see is reported without its identity.
 */
export async function findDuplicates(
  ctx: Ctx,
  probe: { emails: string[]; phones: string[]; name?: string; companyId?: string | null },
  excludeId?: string,
): Promise<DuplicateMatch[]> {
  const channelHits = probe.emails.length + probe.phones.length
    ? await ctx.db
        .select({ contactId: contactChannels.contactId, kind: contactChannels.kind })
        .from(contactChannels)
        .where(
          and(
            eq(contactChannels.workspaceId, ctx.actor.workspaceId),
            or(
              probe.emails.length ? and(eq(contactChannels.kind, 'email'), inArray(contactChannels.value, probe.emails)) : undefined,
              probe.phones.length ? and(eq(contactChannels.kind, 'phone'), inArray(contactChannels.value, probe.phones)) : undefined,
            ),
          ),
        )
    : [];
  const nameHits =
    probe.name && probe.companyId
      ? await ctx.db
          .select({ contactId: contacts.id })
          .from(contacts)
          .where(and(eq(contacts.workspaceId, ctx.actor.workspaceId), eq(contacts.companyId, probe.companyId), sql`lower(${contacts.name}) = lower(${probe.name})`))
      : [];
  const matched = new Map<string, Set<DuplicateMatch['matchedOn'][number]>>();
  for (const h of channelHits) matched.set(h.contactId, (matched.get(h.contactId) ?? new Set()).add(h.kind));
  for (const h of nameHits) matched.set(h.contactId, (matched.get(h.contactId) ?? new Set()).add('name_company'));
  if (excludeId) matched.delete(excludeId);
  if (matched.size === 0) return [];
  const ids = [...matched.keys()];
  const live = await ctx.db
    .select({ id: contacts.id, name: contacts.name, visible: sql<number>`case when ${contactVisibleTo(ctx)} then 1 else 0 end` })
    .from(contacts)
    .where(and(inArray(contacts.id, ids), isNull(contacts.deletedAt), isNull(contacts.mergedIntoId), eq(contacts.workspaceId, ctx.actor.workspaceId)));
  return live.map((c) => ({
    id: c.visible ? c.id : null,
    name: c.visible ? c.name : null,
    matchedOn: [...matched.get(c.id)!],
    visible: Boolean(c.visible),
  }));
}

/** Likely duplicates of one email and/or phone as typed in a form (normalized here first). */
export async function findDuplicatesOf(ctx: Ctx, q: { email?: string; phone?: string; name?: string; companyId?: string }, excludeId?: string) {
  const phones = q.phone ? normalizePhones([q.phone], await workspaceCountry(ctx), 'phone') : [];
  const emails = q.email ? [q.email.trim().toLowerCase()] : [];
  return findDuplicates(ctx, { emails, phones, name: q.name, companyId: q.companyId }, excludeId);
}

function duplicateError(matches: DuplicateMatch[]) {
  return conflict('duplicate_contact', 'A customer with the same email, phone or name at this company already exists.', { duplicates: matches });
}

// ── writing ────────────────────────────────────────────────────────────────────────────────

/**
 * Who may own a record the actor writes: admins assign anyone active; a manager, themselves or
 * members of their teams; a rep, themselves (or nobody, for a lead).
 */
export async function assertAssignable(ctx: Ctx, ownerId: string | null | undefined) {
  if (!ownerId) return;
  // A signed-in user taking a record for themselves: their live session already proves them active.
  if (ctx.actor.type === 'user' && ownerId === ctx.actor.id) return;
  const owner = await ctx.db.select().from(users).where(and(eq(users.id, ownerId), eq(users.workspaceId, ctx.actor.workspaceId))).get();
  if (!owner || !owner.isActive) throw invalidField('ownerId', 'Choose an active member of this workspace.', 'not_found');
  const role = ctx.actor.role;
  if (ctx.actor.type !== 'user' || role === 'owner' || role === 'admin' || ownerId === ctx.actor.id) return;
  if (role === 'manager') {
    const led = await ctx.db
      .select({ id: teams.id })
      .from(teams)
      .where(and(eq(teams.workspaceId, ctx.actor.workspaceId), or(eq(teams.managerId, ctx.actor.id), ctx.actor.teamId ? eq(teams.id, ctx.actor.teamId) : undefined)));
    if (owner.teamId && led.some((t) => t.id === owner.teamId)) return;
  }
  throw forbidden('You can only assign records to yourself or your team.');
}

export async function assertCompany(ctx: Ctx, companyId: string | null | undefined) {
  if (!companyId) return;
  // A person may be linked only to a company the actor can see.
  const found = await ctx.db
    .select({ id: companies.id })
    .from(companies)
    .where(and(eq(companies.id, companyId), companyVisibleTo(ctx), isNull(companies.deletedAt)))
    .get();
  if (!found) throw invalidField('companyId', 'No such company.', 'not_found');
}

function consentFrom(given: boolean | undefined, previous: Consent | null, source: string, now: string): Consent | null {
  if (given === undefined) return previous;
  if (previous && previous.granted === given) return previous;
  return { granted: given, at: now, source };
}

/** New consent decisions go to the history as well as onto the contact. */
export function consentEventStatements(ctx: Ctx, contactId: string, decisions: { email: Consent | null; sms: Consent | null }): Statement[] {
  const rows = (['email', 'sms'] as const).flatMap((channel) => {
    const d = decisions[channel];
    if (!d) return [];
    return [{ id: newId('cev'), workspaceId: ctx.actor.workspaceId, contactId, channel, granted: d.granted, source: d.source, actorType: ctx.actor.type, actorId: ctx.actor.id, occurredAt: d.at }];
  });
  return rows.length ? [ctx.db.insert(consentEvents).values(rows)] : [];
}

export async function sensitiveColumns(ctx: Ctx, row: { workspaceId: string; id: string }, input: { nationalId?: string | null; bankAccount?: string | null }) {
  const out: Partial<Record<(typeof SENSITIVE)[number]['enc' | 'hash'], string | null>> = {};
  for (const s of SENSITIVE) {
    const value = input[s.field];
    if (value === undefined) continue;
    out[s.enc] = value === null ? null : await encryptField(ctx.env.FIELD_ENCRYPTION_KEY, value, aadFor(row, s.field));
    out[s.hash] = value === null ? null : await searchHash(ctx.env.FIELD_ENCRYPTION_KEY, row.workspaceId, s.field, value);
  }
  return out;
}

/** Statements that make a contact's lookup channels match its emails and phones. */
export function channelStatements(ctx: Ctx, contactId: string, emails: string[], phones: string[]): Statement[] {
  const rows = [
    ...emails.map((value) => ({ workspaceId: ctx.actor.workspaceId, kind: 'email' as const, value, contactId })),
    ...phones.map((value) => ({ workspaceId: ctx.actor.workspaceId, kind: 'phone' as const, value, contactId })),
  ];
  const statements: Statement[] = [cachedQuery(ctx.db, 'channels.clear', { contactId }, (v) => ctx.db.delete(contactChannels).where(eq(contactChannels.contactId, v('contactId'))))];
  // D1 allows 100 bound parameters per statement: 4 per row. A merge can bring up to 40 rows.
  for (let i = 0; i < rows.length; i += 24) {
    const part = rows.slice(i, i + 24);
    const values: Record<string, unknown> = {};
    part.forEach((r, n) => Object.assign(values, { [`ws${n}`]: r.workspaceId, [`kind${n}`]: r.kind, [`value${n}`]: r.value, [`contact${n}`]: r.contactId }));
    statements.push(
      cachedQuery(ctx.db, `channels.insert:${part.length}`, values, (v) =>
        ctx.db.insert(contactChannels).values(part.map((_, n) => ({ workspaceId: v(`ws${n}`), kind: v(`kind${n}`), value: v(`value${n}`), contactId: v(`contact${n}`) }))),
      ),
    );
  }
  return statements;
}

/** Audit-friendly view: never the ciphertext. */
export function auditView(row: Partial<ContactRow>) {
  const { nationalIdEnc, nationalIdHash, bankAccountEnc, bankAccountHash, ...rest } = row;
  return { ...rest, ...(nationalIdEnc !== undefined ? { nationalId: nationalIdEnc ? '[encrypted]' : null } : {}), ...(bankAccountEnc !== undefined ? { bankAccount: bankAccountEnc ? '[encrypted]' : null } : {}) };
}

/** Awaits all at once, then fails with the first failure in list order (not in time order). */
async function inOrder<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** `extra` joins the contact's batch; as a function it gets the new contact's id (lead capture links its rows to it). */
export async function createContact(ctx: Ctx, input: CreateContactInput, extra: Statement[] | ((contactId: string) => Statement[]) = []) {
  const now = ctx.now().toISOString();
  const country = await workspaceCountry(ctx);
  const emails = [...new Set(input.emails ?? [])];
  const phones = normalizePhones(input.phones ?? [], country);
  const ownerId = input.ownerId === undefined ? (ctx.actor.type === 'user' ? ctx.actor.id : null) : input.ownerId;
  // Every check reads independently, so they share one wait; failures are reported in this order.
  const [, , tagIds, customFields, dupes] = await inOrder([
    assertAssignable(ctx, ownerId),
    assertCompany(ctx, input.companyId),
    assertTags(ctx, input.tagIds ?? []),
    validateCustomFields(ctx, 'contact', input.customFields, {}, true),
    input.force ? Promise.resolve([] as DuplicateMatch[]) : findDuplicates(ctx, { emails, phones, name: input.name, companyId: input.companyId }),
  ] as const);
  if (dupes.length) throw duplicateError(dupes);
  const id = newId('con');
  const consentSource = input.consentSource ?? 'manual';
  const row: ContactRow = {
    id,
    workspaceId: ctx.actor.workspaceId,
    name: input.name,
    givenName: input.givenName ?? null,
    familyName: input.familyName ?? null,
    gender: input.gender ?? null,
    title: input.title ?? null,
    birthday: input.birthday ?? null,
    companyId: input.companyId ?? null,
    emails,
    phones,
    address: input.address ?? {},
    source: input.source ?? (ctx.actor.type === 'api_key' ? 'api' : 'manual'),
    lifecycle: input.lifecycle ?? 'lead',
    emailConsent: consentFrom(input.emailConsent, null, consentSource, now),
    smsConsent: consentFrom(input.smsConsent, null, consentSource, now),
    nationalIdEnc: null,
    nationalIdHash: null,
    bankAccountEnc: null,
    bankAccountHash: null,
    totalSpent: 0,
    orderCount: 0,
    firstPurchaseAt: null,
    lastPurchaseAt: null,
    rfmScore: null,
    rfmSegment: 'none',
    lastContactedAt: null,
    erasedAt: null,
    ownerId,
    customFields,
    archivedAt: null,
    deletedAt: null,
    mergedIntoId: null,
    createdBy: ctx.actor.id,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  Object.assign(row, await sensitiveColumns(ctx, row, input));
  // What happens next is read in the write's round trip: the page's extras (tags, company, owner),
  // the follow-up plans that start on this stage or these tags, and the webhook subscribers.
  const plans = matchingCadences(ctx, cadenceEvent(null, { lifecycle: row.lifecycle, tagIds }));
  const writes = [
    cachedQuery(ctx.db, 'contact.insert', row, (v) => ctx.db.insert(contacts).values(placeholders(row, v))),
    ...channelStatements(ctx, id, emails, phones),
    ...replaceTags(ctx, 'contact', id, tagIds),
    ...consentEventStatements(ctx, id, { email: row.emailConsent, sms: row.smsConsent }),
    ...(typeof extra === 'function' ? extra(id) : extra),
  ];
  const results = await audited(
    ctx,
    { action: 'contact.created', recordType: 'contact', recordId: id, changes: diff(null, { ...auditView(row), tagIds }) },
    ...writes,
    cachedQuery(ctx.db, 'contact.extras', { id }, (v) => ctx.db.select(detailColumns).from(contacts).where(eq(contacts.id, v('id')))),
    cachedQuery(ctx.db, 'webhooks.subscribers', { ws: ctx.actor.workspaceId }, (v) => subscribersOf(ctx.db, v('ws'))),
    ...(plans ? [plans] : []),
  );
  const [extras, subscribers, planRows] = results.slice(writes.length) as [DetailExtras[], Subscriber[], { id: string }[] | undefined];
  await afterContactChange(ctx, id, null, { lifecycle: row.lifecycle, tagIds }, planRows ?? []);
  const detail = await contactDetail(ctx, row, extras[0]);
  await emitEvent(ctx, ctx.actor.workspaceId, 'contact.created', { contact: detail }, `contact.created:${id}`, subscribers);
  return detail;
}

export async function updateContact(ctx: Ctx, id: string, expectedVersion: number, input: UpdateContactInput) {
  const current = await findVisibleContact(ctx, id);
  if (current.version !== expectedVersion) throw preconditionFailed(current.version);
  if (current.erasedAt) throw conflict('contact_erased', 'This customer was erased and cannot be edited.');
  const now = ctx.now().toISOString();
  const { force, tagIds: tagInput, emailConsent, smsConsent, consentSource, nationalId, bankAccount, customFields: customInput, ...fields } = input;
  const emails = fields.emails ? [...new Set(fields.emails)] : current.emails;
  const phones = fields.phones ? normalizePhones(fields.phones, await workspaceCountry(ctx)) : current.phones;
  if (fields.ownerId !== undefined && fields.ownerId !== current.ownerId) await assertAssignable(ctx, fields.ownerId);
  if (fields.companyId !== undefined) await assertCompany(ctx, fields.companyId);
  const tagIds = tagInput ? await assertTags(ctx, tagInput) : undefined;
  const customFields = customInput ? await validateCustomFields(ctx, 'contact', customInput, current.customFields) : current.customFields;
  const identityChanged = Boolean(fields.emails || fields.phones || fields.name || fields.companyId !== undefined);
  if (!force && identityChanged) {
    const dupes = await findDuplicates(ctx, { emails, phones, name: fields.name ?? current.name, companyId: fields.companyId === undefined ? current.companyId : fields.companyId }, id);
    if (dupes.length) throw duplicateError(dupes);
  }
  const source = consentSource ?? 'manual';
  const next: ContactRow = {
    ...current,
    ...fields,
    emails,
    phones,
    customFields,
    emailConsent: consentFrom(emailConsent, current.emailConsent, source, now),
    smsConsent: consentFrom(smsConsent, current.smsConsent, source, now),
    address: fields.address ? { ...current.address, ...fields.address } : current.address,
    version: current.version + 1,
    updatedAt: now,
  } as ContactRow;
  Object.assign(next, await sensitiveColumns(ctx, current, { nationalId, bankAccount }));
  const { id: _id, workspaceId: _ws, createdAt: _c, ...changes } = next;
  const oldTags = tagIds ? (await tagsOf(ctx, 'contact', [id])).get(id)?.map((t) => t.id) ?? [] : undefined;
  await audited(
    ctx,
    {
      action: 'contact.updated',
      recordType: 'contact',
      recordId: id,
      changes: { ...diff(auditView(current), auditView(next)), ...(tagIds && oldTags?.join() !== tagIds.join() ? { tagIds: { before: oldTags, after: tagIds } } : {}) },
    },
    ctx.db.update(contacts).set(changes).where(and(eq(contacts.id, id), eq(contacts.version, expectedVersion))),
    ...(fields.emails || fields.phones ? channelStatements(ctx, id, emails, phones) : []),
    ...(tagIds ? replaceTags(ctx, 'contact', id, tagIds) : []),
    ...consentEventStatements(ctx, id, {
      email: next.emailConsent !== current.emailConsent ? next.emailConsent : null,
      sms: next.smsConsent !== current.smsConsent ? next.smsConsent : null,
    }),
  );
  const saved = await findVisibleContact(ctx, id, { includeDeleted: true }).catch(() => next);
  if (saved.version !== next.version) throw preconditionFailed(saved.version);
  await afterContactChange(ctx, id, { lifecycle: current.lifecycle, tagIds: oldTags }, { lifecycle: saved.lifecycle, tagIds });
  const detail = await contactDetail(ctx, saved);
  await emitEvent(ctx, ctx.actor.workspaceId, 'contact.updated', { contact: detail }, `contact.updated:${id}:${saved.version}`);
  return detail;
}

const contactState = softStateActions({
  recordType: 'contact',
  find: findVisibleContact,
  present: (ctx, row: ContactRow) => contactDetail(ctx, row),
  update: (ctx, id, change) => ctx.db.update(contacts).set(change).where(eq(contacts.id, id)),
  auditView,
  // Follow-up plans that stop on archiving stop with it, in the same batch.
  also: (ctx, id, verb) => (verb === 'archived' ? stopForArchivedContacts(ctx, [id]) : []),
});

/** Archived customers leave the lists and searches but keep everything; restorable. */
export const archiveContact = contactState.archive;
export const unarchiveContact = contactState.unarchive;
/** Delete is soft: restorable for 30 days, then purged by the nightly cron. */
export const deleteContact = contactState.remove;
export const restoreContact = contactState.restore;

/** Exact-match search on an encrypted field, through its keyed hash. */
export async function findBySensitive(ctx: Ctx, field: 'nationalId' | 'bankAccount', value: string) {
  const hash = await searchHash(ctx.env.FIELD_ENCRYPTION_KEY, ctx.actor.workspaceId, field, value);
  const column = field === 'nationalId' ? contacts.nationalIdHash : contacts.bankAccountHash;
  const rows = await ctx.db
    .select()
    .from(contacts)
    .where(and(eq(column, hash), contactVisibleTo(ctx), isNull(contacts.deletedAt), isNull(contacts.mergedIntoId)))
    .orderBy(desc(contacts.updatedAt))
    .limit(20);
  return { items: rows.map((r) => contactSummary(r)), nextCursor: null };
}
