import { z } from 'zod';
import { pageQuery } from '../../lib/pagination';
import { CONTACT_SORTS, contactFilters, type ContactFilters } from '../contacts/contacts.schema';

const asCsv = (v: unknown) => (Array.isArray(v) ? v.join(',') : v);

/**
 * A segment's filters: exactly the customer list's filters, as query-string values
 * (`lifecycle: "lead,customer"`) or, for convenience in JSON, as arrays. Unknown keys are refused,
 * so a typo does not silently widen the segment to everyone.
 */
export const segmentFilters = z.preprocess(
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

export const createSegmentInput = z.object({
  name: z.string().trim().min(1, { message: 'Enter a name.' }).max(80),
  filters: segmentFilters,
  /** Shared segments are visible to the whole workspace; private ones to their creator only. */
  isShared: z.boolean().default(false),
});
export type CreateSegmentInput = z.infer<typeof createSegmentInput>;

export const updateSegmentInput = z
  .object({ name: createSegmentInput.shape.name, filters: segmentFilters, isShared: z.boolean() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change.' });
export type UpdateSegmentInput = z.infer<typeof updateSegmentInput>;

export const listSegmentsQuery = pageQuery.extend({
  /** `mine`: the ones I created; `shared`: the workspace's shared ones. */
  scope: z.enum(['all', 'mine', 'shared']).default('all'),
});
export type ListSegmentsQuery = z.infer<typeof listSegmentsQuery>;

export const segmentMembersQuery = pageQuery.extend({
  sort: z.enum([...CONTACT_SORTS, ...CONTACT_SORTS.map((s) => `-${s}` as const)]).default('-updatedAt'),
});
export type SegmentMembersQuery = z.infer<typeof segmentMembersQuery>;
