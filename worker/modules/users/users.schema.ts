import { z } from 'zod';
import { ROLES } from '../../db/schema';
import { pageQuery } from '../../lib/pagination';
import { email, personName } from '../auth/auth.schema';

export const role = z.enum(ROLES);

export const listUsersQuery = pageQuery.extend({
  role: role.optional(),
  teamId: z.string().max(40).optional(),
  active: z.enum(['true', 'false']).optional(),
  q: z.string().trim().max(100).optional(),
});
export type ListUsersQuery = z.infer<typeof listUsersQuery>;

export const updateUserInput = z
  .object({ name: personName, role, teamId: z.string().max(40).nullable() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change.' });
export type UpdateUserInput = z.infer<typeof updateUserInput>;

export const createInvitationInput = z.object({
  email,
  role: role.default('rep'),
  teamId: z.string().max(40).nullable().optional(),
});
export type CreateInvitationInput = z.infer<typeof createInvitationInput>;
