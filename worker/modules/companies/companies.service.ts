import { and, asc, eq, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import { companies, contacts, users } from '../../db/schema';
import type { Ctx } from '../../lib/context';
import { audited, diff } from '../../lib/audit';
import { softStateActions } from '../../lib/record-state';
import { conflict, notFound, preconditionFailed } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { keyset, toPage } from '../../lib/pagination';
import { visibleTo } from '../../lib/visibility';
import { validateCustomFields } from '../custom-fields/custom-fields.service';
import { assertTags, hasTags, parseTagsJson, replaceTags, tagsJsonColumn, tagsOf } from '../tags/tags.service';
import { assertAssignable, contactConditions, contactSummary, mergedError, normalizePhones, workspaceCountry } from '../contacts/contacts.service';
import { domainOf, type CompanyFilters, type CreateCompanyInput, type ListCompaniesQuery, type UpdateCompanyInput } from './companies.schema';

export type CompanyRow = typeof companies.$inferSelect;

/** How many of a company's people its detail page lists; the full list is `/contacts?companyId=`. */
const DETAIL_CONTACTS = 100;

/**
 * Who may see a company: the shared visibility rule (owner, team, admins), merged ones excluded.
 * A company nobody owns is a shared account that every member may see and link people to.
 */
export function companyVisibleTo(ctx: Pick<Ctx, 'actor'>): SQL {
  return and(companyAccess(ctx), isNull(companies.mergedIntoId))!;
}

/** The visibility rule alone, merged companies included (a merged id answers with its survivor). */
export function companyAccess(ctx: Pick<Ctx, 'actor'>): SQL {
  return visibleTo(ctx.actor, companies, { claimable: sql`1 = 1` });
}

/** The row of a company the actor may see (404 otherwise). */
export async function findVisibleCompany(ctx: Ctx, id: string, opts: { includeDeleted?: boolean } = {}): Promise<CompanyRow> {
  const row = await ctx.db
    .select()
    .from(companies)
    .where(and(eq(companies.id, id), companyVisibleTo(ctx), opts.includeDeleted ? undefined : isNull(companies.deletedAt)))
    .get();
  if (!row) throw notFound('Company');
  return row;
}

export function companySummary(row: CompanyRow, tagList: { id: string; name: string; color: string }[] = []) {
  return {
    id: row.id,
    name: row.name,
    industry: row.industry,
    size: row.size,
    website: row.website,
    domain: row.domain,
    phones: row.phones,
    address: row.address,
    ownerId: row.ownerId,
    contractEndsOn: row.contractEndsOn,
    tags: tagList,
    isArchived: Boolean(row.archivedAt),
    deletedAt: row.deletedAt,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * One company with its people and what they bought. Both go through the contact filter, so the
 * people a reader may not see are neither listed nor added into the totals.
 */
export async function companyDetail(ctx: Ctx, row: CompanyRow) {
  const people = contactConditions(ctx, { companyId: row.id });
  const [tagMap, owner, members, totals] = await Promise.all([
    tagsOf(ctx, 'company', [row.id]),
    row.ownerId ? ctx.db.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, row.ownerId)).get() : undefined,
    ctx.db.select({ row: contacts, tagsJson: tagsJsonColumn('contacts') }).from(contacts).where(and(...people)).orderBy(asc(contacts.name), asc(contacts.id)).limit(DETAIL_CONTACTS),
    ctx.db
      .select({
        contactCount: sql<number>`count(*)`,
        totalSpent: sql<number>`coalesce(sum(${contacts.totalSpent}), 0)`,
        orderCount: sql<number>`coalesce(sum(${contacts.orderCount}), 0)`,
        lastPurchaseAt: sql<string | null>`max(${contacts.lastPurchaseAt})`,
      })
      .from(contacts)
      .where(and(...people))
      .get(),
  ]);
  return {
    ...companySummary(row, tagMap.get(row.id) ?? []),
    owner: owner ?? null,
    customFields: row.customFields,
    archivedAt: row.archivedAt,
    contacts: members.map((m) => contactSummary(m.row, parseTagsJson(m.tagsJson))),
    totals: {
      contactCount: totals?.contactCount ?? 0,
      totalSpent: totals?.totalSpent ?? 0,
      orderCount: totals?.orderCount ?? 0,
      lastPurchaseAt: totals?.lastPurchaseAt ?? null,
    },
  };
}

export async function getCompany(ctx: Ctx, id: string) {
  const row = await ctx.db.select().from(companies).where(and(eq(companies.id, id), companyAccess(ctx))).get();
  if (!row) throw notFound('Company');
  if (row.mergedIntoId) throw mergedError('Company', row.mergedIntoId);
  return companyDetail(ctx, row);
}

/** Every filter of the company list as SQL, visibility first. */
export function companyConditions(ctx: Ctx, f: CompanyFilters): SQL[] {
  const q = f.q?.toLowerCase();
  const conditions: (SQL | undefined)[] = [
    companyVisibleTo(ctx),
    f.deleted === 'true' ? isNotNull(companies.deletedAt) : isNull(companies.deletedAt),
    f.deleted === 'true' || f.archived === 'any' ? undefined : f.archived === 'true' ? isNotNull(companies.archivedAt) : isNull(companies.archivedAt),
    // Contains-match: a workspace has at most thousands of companies, unlike its contacts.
    q ? or(sql`instr(lower(${companies.name}), ${q}) > 0`, sql`instr(coalesce(${companies.domain}, ''), ${q}) > 0`) : undefined,
    f.ownerId ? (f.ownerId === 'none' ? isNull(companies.ownerId) : eq(companies.ownerId, f.ownerId)) : undefined,
    f.teamId
      ? sql`${companies.ownerId} in (select ${users.id} from ${users} where ${users.workspaceId} = ${ctx.actor.workspaceId} and ${users.teamId} = ${f.teamId})`
      : undefined,
    f.tagId?.length ? hasTags('company', 'companies', f.tagId) : undefined,
    f.industry?.length ? inArray(companies.industry, f.industry) : undefined,
    f.size?.length ? inArray(companies.size, f.size) : undefined,
  ];
  return conditions.filter((c): c is SQL => Boolean(c));
}

const SORT_COLUMNS = {
  updatedAt: companies.updatedAt,
  createdAt: companies.createdAt,
  name: companies.name,
  contractEndsOn: companies.contractEndsOn,
} as const;

export async function listCompanies(ctx: Ctx, query: ListCompaniesQuery) {
  const descending = query.sort.startsWith('-');
  const key = query.sort.replace(/^-/, '') as keyof typeof SORT_COLUMNS;
  // A nullable sort key sorts as '' so that keyset pagination stays total.
  const sortExpr = key === 'contractEndsOn' ? sql`coalesce(${companies.contractEndsOn}, '')` : SORT_COLUMNS[key];
  const page = keyset(query, sortExpr as never, companies.id, descending ? 'desc' : 'asc');
  const rows = await ctx.db
    .select({ row: companies, tagsJson: tagsJsonColumn('companies') })
    .from(companies)
    .where(and(...companyConditions(ctx, query), page.where))
    .orderBy(...page.orderBy)
    .limit(page.limit);
  const result = toPage(rows, query, ({ row }) => ({ k: row[key] ?? '', id: row.id }));
  return { ...result, items: result.items.map(({ row, tagsJson }) => companySummary(row, parseTagsJson(tagsJson))) };
}

// ── duplicates ─────────────────────────────────────────────────────────────────────────────

export type CompanyDuplicate = { id: string | null; name: string | null; matchedOn: ('domain' | 'name')[]; visible: boolean };

/**
 * Likely duplicates: the same website domain, or the same name ignoring case. A match the actor
 * may not see is reported without its identity, so that nobody learns another rep's accounts.
 */
export async function findCompanyDuplicates(ctx: Ctx, probe: { name?: string | null; domain?: string | null }, excludeId?: string): Promise<CompanyDuplicate[]> {
  const byName = probe.name ? sql`lower(${companies.name}) = lower(${probe.name})` : undefined;
  const byDomain = probe.domain ? eq(companies.domain, probe.domain) : undefined;
  if (!byName && !byDomain) return [];
  const rows = await ctx.db
    .select({
      id: companies.id,
      name: companies.name,
      domain: companies.domain,
      visible: sql<number>`case when ${companyAccess(ctx)} then 1 else 0 end`,
    })
    .from(companies)
    .where(and(eq(companies.workspaceId, ctx.actor.workspaceId), isNull(companies.deletedAt), isNull(companies.mergedIntoId), or(byName, byDomain)))
    .limit(20);
  return rows
    .filter((r) => r.id !== excludeId)
    .map((r) => {
      const matchedOn: CompanyDuplicate['matchedOn'] = [];
      if (probe.domain && r.domain === probe.domain) matchedOn.push('domain');
      if (probe.name && r.name.toLowerCase() === probe.name.toLowerCase()) matchedOn.push('name');
      return { id: r.visible ? r.id : null, name: r.visible ? r.name : null, matchedOn, visible: Boolean(r.visible) };
    });
}

function duplicateError(matches: CompanyDuplicate[]) {
  return conflict('duplicate_company', 'A company with the same website or name already exists.', { duplicates: matches });
}

// ── writing ────────────────────────────────────────────────────────────────────────────────

/** `example.com` is stored as `https://example.com`, so that it is a link as well as a domain. */
function websiteColumns(website: string | null | undefined): { website: string | null; domain: string | null } {
  if (!website) return { website: null, domain: null };
  return { website: /^https?:\/\//i.test(website) ? website : `https://${website}`, domain: domainOf(website) };
}

export async function createCompany(ctx: Ctx, input: CreateCompanyInput) {
  const now = ctx.now().toISOString();
  const phones = normalizePhones(input.phones ?? [], await workspaceCountry(ctx));
  const ownerId = input.ownerId === undefined ? (ctx.actor.type === 'user' ? ctx.actor.id : null) : input.ownerId;
  await assertAssignable(ctx, ownerId);
  const tagIds = await assertTags(ctx, input.tagIds ?? []);
  const customFields = await validateCustomFields(ctx, 'company', input.customFields, {}, true);
  const site = websiteColumns(input.website);
  if (!input.force) {
    const dupes = await findCompanyDuplicates(ctx, { name: input.name, domain: site.domain });
    if (dupes.length) throw duplicateError(dupes);
  }
  const row: CompanyRow = {
    id: newId('com'),
    workspaceId: ctx.actor.workspaceId,
    name: input.name,
    industry: input.industry ?? null,
    size: input.size ?? null,
    ...site,
    phones,
    address: input.address ?? {},
    contractEndsOn: input.contractEndsOn ?? null,
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
  await audited(
    ctx,
    { action: 'company.created', recordType: 'company', recordId: row.id, changes: diff(null, { ...row, tagIds }) },
    ctx.db.insert(companies).values(row),
    ...replaceTags(ctx, 'company', row.id, tagIds),
  );
  return companyDetail(ctx, row);
}

export async function updateCompany(ctx: Ctx, id: string, expectedVersion: number, input: UpdateCompanyInput) {
  const current = await findVisibleCompany(ctx, id);
  if (current.version !== expectedVersion) throw preconditionFailed(current.version);
  const now = ctx.now().toISOString();
  const { force, tagIds: tagInput, customFields: customInput, website, phones: phoneInput, address, ...fields } = input;
  const phones = phoneInput ? normalizePhones(phoneInput, await workspaceCountry(ctx)) : current.phones;
  if (fields.ownerId !== undefined && fields.ownerId !== current.ownerId) await assertAssignable(ctx, fields.ownerId);
  const tagIds = tagInput ? await assertTags(ctx, tagInput) : undefined;
  const customFields = customInput ? await validateCustomFields(ctx, 'company', customInput, current.customFields) : current.customFields;
  const site = website === undefined ? { website: current.website, domain: current.domain } : websiteColumns(website);
  if (!force && (fields.name !== undefined || website !== undefined)) {
    const dupes = await findCompanyDuplicates(
      ctx,
      { name: fields.name ?? null, domain: website !== undefined && site.domain !== current.domain ? site.domain : null },
      id,
    );
    if (dupes.length) throw duplicateError(dupes);
  }
  const next: CompanyRow = {
    ...current,
    ...fields,
    ...site,
    phones,
    customFields,
    address: address ? { ...current.address, ...address } : current.address,
    version: current.version + 1,
    updatedAt: now,
  };
  const oldTags = tagIds ? ((await tagsOf(ctx, 'company', [id])).get(id)?.map((t) => t.id) ?? []) : undefined;
  const { id: _id, workspaceId: _ws, createdAt: _c, ...changes } = next;
  await audited(
    ctx,
    {
      action: 'company.updated',
      recordType: 'company',
      recordId: id,
      changes: { ...diff(current, next), ...(tagIds && oldTags?.join() !== tagIds.join() ? { tagIds: { before: oldTags, after: tagIds } } : {}) },
    },
    ctx.db.update(companies).set(changes).where(and(eq(companies.id, id), eq(companies.version, expectedVersion))),
    ...(tagIds ? replaceTags(ctx, 'company', id, tagIds) : []),
  );
  const saved = await findVisibleCompany(ctx, id, { includeDeleted: true });
  if (saved.version !== next.version) throw preconditionFailed(saved.version);
  return companyDetail(ctx, saved);
}

const companyState = softStateActions({
  recordType: 'company',
  find: findVisibleCompany,
  present: (ctx, row: CompanyRow) => companyDetail(ctx, row),
  update: (ctx, id, change) => ctx.db.update(companies).set(change).where(eq(companies.id, id)),
});

/** Archived companies leave the lists but keep everything; restorable. */
export const archiveCompany = companyState.archive;
export const unarchiveCompany = companyState.unarchive;
/**
 * Delete is soft and restorable for 30 days, then purged by the nightly cron. The company's
 * people stay: they are customers in their own right.
 */
export const deleteCompany = companyState.remove;
export const restoreCompany = companyState.restore;
