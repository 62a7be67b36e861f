import { z } from 'zod';
import { CONTACT_SOURCES, LIFECYCLE_STAGES, RFM_SEGMENTS } from '../../db/schema';
import { pageQuery } from '../../lib/pagination';

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
const isoDate = z.iso.date({ message: 'Use a date like 1990-05-17.' });

export const addressInput = z
  .object({
    country: optionalText(60),
    province: optionalText(60),
    city: optionalText(60),
    district: optionalText(60),
    street: optionalText(200),
    postcode: optionalText(20),
  })
  .strict();

export const customFieldValues = z.record(
  z.string().max(60),
  z.union([z.string().max(2000), z.number(), z.boolean(), z.array(z.string().max(200)).max(50), z.null()]),
);

export const contactFields = z.object({
  name: z.string().trim().min(1, { message: 'Enter a name.' }).max(120),
  givenName: optionalText(60),
  familyName: optionalText(60),
  gender: z.enum(['female', 'male', 'other', 'unknown']).nullable().optional(),
  title: optionalText(100),
  birthday: isoDate.nullable().optional(),
  companyId: z.string().max(40).nullable().optional(),
  emails: z.array(z.string().trim().toLowerCase().max(254).pipe(z.email({ message: 'Enter a valid email address.' }))).max(10).optional(),
  phones: z.array(z.string().trim().min(3).max(40)).max(10).optional(),
  address: addressInput.optional(),
  source: z.enum(CONTACT_SOURCES).optional(),
  lifecycle: z.enum(LIFECYCLE_STAGES).optional(),
  ownerId: z.string().max(40).nullable().optional(),
  tagIds: z.array(z.string().max(40)).max(50).optional(),
  emailConsent: z.boolean().optional(),
  smsConsent: z.boolean().optional(),
  consentSource: z.string().trim().max(100).optional(),
  nationalId: z.string().trim().min(4).max(40).nullable().optional(),
  bankAccount: z.string().trim().min(4).max(40).nullable().optional(),
  customFields: customFieldValues.optional(),
});

export const createContactInput = contactFields.extend({
  /** Create even though a likely duplicate exists. */
  force: z.boolean().optional(),
});
export type CreateContactInput = z.infer<typeof createContactInput>;

export const updateContactInput = contactFields
  .partial()
  .extend({ force: z.boolean().optional() })
  .refine((v) => Object.keys(v).filter((k) => k !== 'force').length > 0, { message: 'Send at least one field to change.' });
export type UpdateContactInput = z.infer<typeof updateContactInput>;

const csv = z
  .string()
  .max(2000)
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));
const isoDateTime = z.iso.datetime({ offset: true }).or(isoDate);

/** Filters shared by the list, counts, segments, bulk actions and exports. */
export const contactFilters = z.object({
  q: z.string().trim().max(100).optional(),
  ownerId: z.string().max(40).optional(),
  teamId: z.string().max(40).optional(),
  tagId: csv.optional(),
  lifecycle: csv.pipe(z.array(z.enum(LIFECYCLE_STAGES))).optional(),
  rfmSegment: csv.pipe(z.array(z.enum(RFM_SEGMENTS))).optional(),
  source: csv.optional(),
  companyId: z.string().max(40).optional(),
  createdFrom: isoDateTime.optional(),
  createdTo: isoDateTime.optional(),
  lastContactedFrom: isoDateTime.optional(),
  lastContactedTo: isoDateTime.optional(),
  lastPurchaseFrom: isoDateTime.optional(),
  lastPurchaseTo: isoDateTime.optional(),
  spentMin: z.coerce.number().int().min(0).optional(),
  spentMax: z.coerce.number().int().min(0).optional(),
  /** `archived=true` lists archived records, `archived=any` both; `deleted=true` the recycle bin. */
  archived: z.enum(['true', 'false', 'any']).optional(),
  deleted: z.enum(['true', 'false']).optional(),
  /** Custom field equality, `cf.<key>=value`. */
  custom: z.record(z.string(), z.string()).optional(),
});
export type ContactFilters = z.infer<typeof contactFilters>;

const asCsv = (v: unknown) => (Array.isArray(v) ? v.join(',') : v);

/**
 * The same filters in a JSON body (segments, bulk actions): query-string values
 * (`lifecycle: "lead,customer"`) or, for convenience, arrays. Unknown keys are refused, so that a
 * typo does not silently widen a selection to everyone.
 */
export const contactFiltersBody = z.preprocess(
  (v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asCsv(x)])) : v),
  contactFilters.strict(),
);

/** Filters back in their query-string form: how a segment stores them and what the UI can put in a URL. */
export function filtersAsQuery(f: ContactFilters): Record<string, string | number | Record<string, string>> {
  const out: Record<string, string | number | Record<string, string>> = {};
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(',') : (v as string | number | Record<string, string>);
  }
  return out;
}

export const CONTACT_SORTS = ['updatedAt', 'createdAt', 'name', 'totalSpent', 'lastPurchaseAt', 'lastContactedAt'] as const;
export const listContactsQuery = pageQuery.extend(contactFilters.shape).extend({
  sort: z.enum([...CONTACT_SORTS, ...CONTACT_SORTS.map((s) => `-${s}` as const)]).default('-updatedAt'),
});
export type ListContactsQuery = z.infer<typeof listContactsQuery>;

/** `POST /:id/merge`: the record named in the path survives; `sourceId` is merged into it. */
export const mergeInput = z.object({ sourceId: z.string().min(1, { message: 'Choose the record to merge in.' }).max(40) });

export const BULK_ACTIONS = ['tag', 'untag', 'assign', 'lifecycle', 'archive', 'unarchive', 'delete', 'restore'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** The most ids one request may name; larger selections go by filter. */
export const MAX_BULK_IDS = 10_000;

/**
 * A bulk action on a selection (`ids`) or on everything a filter matches (`filter`, the customer
 * list's filters; `{}` is the whole list). Only records the actor may see and change are touched.
 */
export const bulkInput = z
  .object({
    action: z.enum(BULK_ACTIONS),
    ids: z.array(z.string().min(1).max(40)).min(1).max(MAX_BULK_IDS).optional(),
    filter: contactFiltersBody.optional(),
    tagIds: z.array(z.string().min(1).max(40)).min(1).max(20).optional(),
    ownerId: z.string().min(1).max(40).nullable().optional(),
    lifecycle: z.enum(LIFECYCLE_STAGES).optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.ids === undefined) === (v.filter === undefined)) ctx.addIssue({ code: 'custom', path: ['ids'], message: 'Send either ids or a filter.' });
    if ((v.action === 'tag' || v.action === 'untag') && !v.tagIds) ctx.addIssue({ code: 'custom', path: ['tagIds'], message: 'Choose the tags.' });
    if (v.action === 'assign' && v.ownerId === undefined) ctx.addIssue({ code: 'custom', path: ['ownerId'], message: 'Choose the new owner (or null for nobody).' });
    if (v.action === 'lifecycle' && !v.lifecycle) ctx.addIssue({ code: 'custom', path: ['lifecycle'], message: 'Choose the lifecycle stage.' });
  });
export type BulkInput = z.infer<typeof bulkInput>;
