import { z } from 'zod';
import { DEAL_STATUSES } from '../../db/schema';
import { pageQuery } from '../../lib/pagination';

const id = z.string().min(1).max(40);
const text = (max: number) => z.string().trim().max(max).nullable().optional();
const date = z.iso.date({ message: 'Use a date like 2026-01-31.' });
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'Use a month like 2026-01.' });
const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .max(200)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)));

export const dealItemInput = z
  .object({
    productId: id.optional(),
    name: z.string().trim().min(1).max(200).optional(),
    quantity: z.number().int().min(1).max(1_000_000),
    unitPrice: z.number().int().min(0).max(1e12).optional(),
  })
  .refine((i) => i.productId || (i.name && i.unitPrice !== undefined), { message: 'Choose a product, or give a name and a unit price.', path: ['productId'] });
export type DealItemInput = z.infer<typeof dealItemInput>;

const dealFields = z.object({
  name: z.string().trim().min(1, { message: 'Enter a name for the deal.' }).max(200),
  contactId: id.nullable(),
  companyId: id.nullable(),
  amount: z.number().int({ message: 'Amounts are whole minor units (cents, fen).' }).min(0).max(1e13),
  currency: z.string().regex(/^[A-Z]{3}$/, { message: 'Use a three-letter currency code like CNY.' }),
  expectedCloseOn: date.nullable(),
  source: text(100),
  nextStep: text(500),
  lostReason: text(500),
  contractStartOn: date.nullable(),
  contractEndOn: date.nullable(),
  ownerId: id.nullable(),
  customFields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()])),
  tagIds: z.array(id).max(50),
  items: z.array(dealItemInput).max(100),
});

const contractOrder = (v: { contractStartOn?: string | null; contractEndOn?: string | null }) => !v.contractStartOn || !v.contractEndOn || v.contractStartOn <= v.contractEndOn;

export const createDealInput = dealFields
  .partial()
  .required({ name: true })
  .extend({ pipelineId: id.optional(), stageId: id.optional(), ownerId: z.union([id, z.null()]).optional() })
  .refine(contractOrder, { path: ['contractEndOn'], message: 'The contract ends after it starts.' });
export type CreateDealInput = z.infer<typeof createDealInput>;

export const updateDealInput = dealFields
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change.' })
  .refine(contractOrder, { path: ['contractEndOn'], message: 'The contract ends after it starts.' });
export type UpdateDealInput = z.infer<typeof updateDealInput>;

export const moveDealInput = z.object({ stageId: id, pipelineId: id.optional(), lostReason: text(500) });
export type MoveDealInput = z.infer<typeof moveDealInput>;

export const dealFilters = z.object({
  pipelineId: id.optional(),
  stageId: id.optional(),
  status: csv(DEAL_STATUSES).optional(),
  ownerId: id.optional(),
  teamId: id.optional(),
  closeMonth: month.optional(),
  source: z.string().trim().min(1).max(100).optional(),
  contactId: id.optional(),
  companyId: id.optional(),
  q: z.string().trim().min(1).max(100).optional(),
  rotting: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});
export type DealFilters = z.infer<typeof dealFilters>;

export const listDealsQuery = pageQuery.extend(dealFilters.shape);
export type ListDealsQuery = z.infer<typeof listDealsQuery>;

export const boardQuery = dealFilters.omit({ stageId: true, status: true, pipelineId: true }).extend({
  pipelineId: id.optional(),
  cardsPerStage: z.coerce.number().int().min(1).max(200).default(50),
});
export type BoardQuery = z.infer<typeof boardQuery>;

export const bulkReassignInput = z.object({ ids: z.array(id).min(1).max(500), ownerId: id });
export type BulkReassignInput = z.infer<typeof bulkReassignInput>;

export const idParam = z.object({ id });
