import { z } from 'zod';
import { locale, timezone } from '../auth/auth.schema';

export const updateWorkspaceInput = z
  .object({
    name: z.string().trim().min(1, { message: 'Enter a name.' }).max(100),
    currency: z.string().regex(/^[A-Z]{3}$/, { message: 'Use a 3-letter ISO currency code, e.g. CNY.' }),
    timezone,
    locale,
    defaultCountry: z.string().regex(/^[A-Z]{2}$/, { message: 'Use a 2-letter ISO country code, e.g. CN.' }),
    accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, { message: 'Use a colour like #4f46e5.' }),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change.' });
export type UpdateWorkspaceInput = z.infer<typeof updateWorkspaceInput>;
