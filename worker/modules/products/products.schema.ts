import { z } from 'zod';
import { pageQuery } from '../../lib/pagination';

/** Money is an integer count of the currency's minor unit (分, cents). */
export const minorUnits = z
  .number({ message: 'Use an amount in minor units, e.g. 1999 for 19.99.' })
  .int({ message: 'Use a whole number of minor units, e.g. 1999 for 19.99.' })
  .min(0, { message: 'Use an amount of zero or more.' })
  .max(1e12, { message: 'This amount is too large.' });
export const currencyCode = z.string().regex(/^[A-Z]{3}$/, { message: 'Use a 3-letter ISO currency code, e.g. CNY.' });
const text = (max: number) => z.string().trim().max(max).nullable().optional();

const productFields = z.object({
  name: z.string().trim().min(1, { message: 'Enter a name.' }).max(120),
  sku: text(60),
  series: text(60),
  unitPrice: minorUnits,
  /** Defaults to the workspace currency. */
  currency: currencyCode.optional(),
  isActive: z.boolean().optional(),
});

export const createProductInput = productFields;
export type CreateProductInput = z.infer<typeof createProductInput>;
export const updateProductInput = productFields.partial().refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change.' });
export type UpdateProductInput = z.infer<typeof updateProductInput>;

export const listProductsQuery = pageQuery.extend({
  q: z.string().trim().min(1).max(100).optional(),
  series: z.string().trim().max(60).optional(),
  isActive: z.enum(['true', 'false']).optional(),
});
export type ListProductsQuery = z.infer<typeof listProductsQuery>;

export const idParam = z.object({ id: z.string().min(1).max(40) });
