import { z } from 'zod';
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../../db/schema';
import { pageQuery } from '../../lib/pagination';
import { isoDateTime } from '../activities/activities.schema';

const id = z.string().min(1).max(40);
const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .max(200)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)));

export const TICKET_KINDS = ['request', 'complaint'] as const;

const ticketFields = z.object({
  kind: z.enum(TICKET_KINDS),
  subject: z.string().trim().min(1, { message: 'Enter a subject.' }).max(200),
  description: z.string().trim().max(20_000).nullable(),
  status: z.enum(TICKET_STATUSES),
  priority: z.enum(TICKET_PRIORITIES),
  /** How it was resolved; required to resolve or close. */
  resolution: z.string().trim().max(5000).nullable(),
  ownerId: id.nullable(),
  openedAt: isoDateTime,
});

export const createTicketInput = ticketFields
  .partial({ kind: true, description: true, status: true, priority: true, resolution: true, ownerId: true, openedAt: true })
  .extend({ contactId: id.optional(), companyId: id.optional() });
export type CreateTicketInput = z.infer<typeof createTicketInput>;

export const updateTicketInput = ticketFields.partial().refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change.' });
export type UpdateTicketInput = z.infer<typeof updateTicketInput>;

export const listTicketsQuery = pageQuery.extend({
  contactId: id.optional(),
  companyId: id.optional(),
  ownerId: id.optional(),
  kind: csv(TICKET_KINDS).optional(),
  status: csv(TICKET_STATUSES).optional(),
  priority: csv(TICKET_PRIORITIES).optional(),
});
export type ListTicketsQuery = z.infer<typeof listTicketsQuery>;

export const idParam = z.object({ id });
