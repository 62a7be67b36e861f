import { z } from 'zod';
import { CUSTOM_FIELD_TYPES } from '../../db/schema';

export const customFieldEntity = z.enum(['contact', 'company', 'deal']);

export const createCustomFieldInput = z
  .object({
    entity: customFieldEntity,
    key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, { message: 'Use lower-case letters, digits and _ (e.g. vip_level).' }),
    label: z.string().trim().min(1, { message: 'Enter a label.' }).max(80),
    type: z.enum(CUSTOM_FIELD_TYPES),
    options: z.array(z.string().trim().min(1).max(100)).max(100).default([]),
    isRequired: z.boolean().default(false),
    position: z.number().int().min(0).max(1000).default(0),
  })
  .refine((v) => !['select', 'multiselect'].includes(v.type) || v.options.length > 0, { message: 'A select field needs options.', path: ['options'] });
export type CreateCustomFieldInput = z.infer<typeof createCustomFieldInput>;

export const updateCustomFieldInput = z
  .object({
    label: z.string().trim().min(1).max(80),
    options: z.array(z.string().trim().min(1).max(100)).max(100),
    isRequired: z.boolean(),
    position: z.number().int().min(0).max(1000),
  })
  .partial();
export type UpdateCustomFieldInput = z.infer<typeof updateCustomFieldInput>;
