import { z } from 'zod';
import { pageQuery } from '../../lib/pagination';
import { CONTACT_SORTS, contactFiltersBody } from '../contacts/contacts.schema';

export const createSegmentInput = z.object({
  name: z.string().trim().min(1, { message: 'Enter a name.' }).max(80),
  filters: contactFiltersBody,
  /** Shared segments are visible to the whole workspace; private ones to their creator only. */
  isShared: z.boolean().default(false),
});
export type CreateSegmentInput = z.infer<typeof createSegmentInput>;

export const updateSegmentInput = z
  .object({ name: createSegmentInput.shape.name, filters: contactFiltersBody, isShared: z.boolean() })
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
