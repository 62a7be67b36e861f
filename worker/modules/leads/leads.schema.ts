import { z } from 'zod';
import { LEAD_STATUSES, SUBMISSION_STATUSES } from '../../db/schema';
import { pageQuery } from '../../lib/pagination';

const id = z.string().min(1).max(40);
const day = z.iso.date({ message: 'Use a date like 2026-01-31.' });

export const listLeadsQuery = pageQuery.extend({
  /** new: unowned and new; mine: mine and still open; all: everything the caller may see. */
  view: z.enum(['new', 'mine', 'all']).default('all'),
  status: z.enum(LEAD_STATUSES).optional(),
  formId: id.optional(),
  ownerId: id.optional(),
});
export type ListLeadsQuery = z.infer<typeof listLeadsQuery>;

export const listSubmissionsQuery = pageQuery.extend({
  status: z.enum(SUBMISSION_STATUSES).optional(),
  formId: id.optional(),
  hookSourceId: id.optional(),
  contactId: id.optional(),
});
export type ListSubmissionsQuery = z.infer<typeof listSubmissionsQuery>;

export const assignInput = z.object({ ownerId: id });
export const convertInput = z
  .object({
    customer: z.boolean().optional(),
    deal: z
      .object({
        pipelineId: id.optional(),
        stageId: id.optional(),
        name: z.string().trim().min(1).max(200).optional(),
        amount: z.number().int().min(0).max(1e13).optional(),
        currency: z.string().regex(/^[A-Z]{3}$/, { message: 'Use a three-letter currency code like CNY.' }).optional(),
      })
      .optional(),
  })
  .refine((v) => v.customer || v.deal, { message: 'Convert to a customer, a deal, or both.', path: ['customer'] });
export type ConvertInput = z.infer<typeof convertInput>;

export const reportQuery = z.object({
  by: z.enum(['source', 'campaign', 'form']).default('source'),
  from: day.optional(),
  to: day.optional(),
});
export type ReportQuery = z.infer<typeof reportQuery>;

export const idParam = z.object({ id });
