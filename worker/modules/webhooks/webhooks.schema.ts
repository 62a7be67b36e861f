import { z } from 'zod';
import { WEBHOOK_EVENTS } from '../../db/schema';
import { pageQuery } from '../../lib/pagination';
import { fieldTarget, routingFields } from '../forms/forms.schema';

const id = z.string().min(1).max(40);

const hookSourceBody = z.object({
  name: z.string().trim().min(1, { message: 'Enter a name.' }).max(120),
  fieldMapping: z
    .record(z.string().trim().min(1).max(200), fieldTarget)
    .refine((m) => Object.values(m).some((t) => t === 'contact.email' || t === 'contact.phone'), { message: 'Map at least one field to contact.email or contact.phone.' }),
  ...routingFields,
  isActive: z.boolean().optional(),
});
export const createHookSourceInput = hookSourceBody;
export type CreateHookSourceInput = z.infer<typeof createHookSourceInput>;
export const updateHookSourceInput = hookSourceBody.partial().refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change.' });
export type UpdateHookSourceInput = z.infer<typeof updateHookSourceInput>;

const subscriptionBody = z.object({
  url: z.url({ protocol: /^https?$/, message: 'Enter a full http(s) URL.' }).max(2000),
  description: z.string().trim().max(500).nullable().optional(),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1, { message: 'Choose at least one event.' }).max(WEBHOOK_EVENTS.length),
  isActive: z.boolean().optional(),
});
export const createSubscriptionInput = subscriptionBody;
export type CreateSubscriptionInput = z.infer<typeof createSubscriptionInput>;
export const updateSubscriptionInput = subscriptionBody.partial().refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change.' });
export type UpdateSubscriptionInput = z.infer<typeof updateSubscriptionInput>;

export const listQuery = pageQuery;
export const idParam = z.object({ id });
