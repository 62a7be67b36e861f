import { z } from 'zod';
import { ORDER_STATUSES } from '../../db/schema';
import { pageQuery } from '../../lib/pagination';
import { isoDateTime } from '../activities/activities.schema';
import { currencyCode, minorUnits } from '../products/products.schema';

const id = z.string().min(1).max(40);
/** Items are written 15 to a statement (D1's 100 bound parameters): 200 keeps an order's batch small. */
export const MAX_ITEMS = 200;

const itemInput = z
  .object({
    /** A catalog product; its name and price are used unless given here. */
    productId: id.optional(),
    name: z.string().trim().min(1, { message: 'Name the item.' }).max(200).optional(),
    quantity: z.number().int({ message: 'Use a whole number.' }).min(1, { message: 'Use at least 1.' }).max(1_000_000),
    unitPrice: minorUnits.optional(),
  })
  .refine((v) => Boolean(v.productId || v.name), { path: ['name'], message: 'Choose a product or name the item.' });
export type OrderItemInput = z.infer<typeof itemInput>;

const orderFields = z.object({
  number: z.string().trim().min(1).max(40).nullable().optional(),
  status: z.enum(ORDER_STATUSES).optional(),
  orderedAt: isoDateTime.optional(),
  /** Defaults to the workspace currency. */
  currency: currencyCode.optional(),
  note: z.string().trim().max(2000).nullable().optional(),
  items: z.array(itemInput).min(1, { message: 'Add at least one item.' }).max(MAX_ITEMS, { message: `Use at most ${MAX_ITEMS} items.` }),
});

export const createOrderInput = orderFields.extend({ contactId: id.optional(), companyId: id.optional() });
export type CreateOrderInput = z.infer<typeof createOrderInput>;

export const updateOrderInput = orderFields
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change.' });
export type UpdateOrderInput = z.infer<typeof updateOrderInput>;

export const listOrdersQuery = pageQuery.extend({
  contactId: id.optional(),
  companyId: id.optional(),
  status: z
    .string()
    .max(200)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(ORDER_STATUSES)))
    .optional(),
});
export type ListOrdersQuery = z.infer<typeof listOrdersQuery>;

export const idParam = z.object({ id });
