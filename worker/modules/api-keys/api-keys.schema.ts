import { z } from 'zod';
import { ALL_SCOPES, type Permission } from '../../lib/permissions';

export const createApiKeyInput = z.object({
  name: z.string().trim().min(1, { message: 'Name the key after what uses it.' }).max(80),
  scopes: z
    .array(z.enum(ALL_SCOPES as [Permission, ...Permission[]]))
    .min(1, { message: 'Choose at least one scope.' })
    .max(ALL_SCOPES.length),
  expiresAt: z.iso.datetime().nullable().optional(),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeyInput>;
