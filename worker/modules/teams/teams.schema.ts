import { z } from 'zod';

export const createTeamInput = z.object({
  name: z.string().trim().min(1, { message: 'Enter a team name.' }).max(80),
  managerId: z.string().max(40).nullable().optional(),
  memberIds: z.array(z.string().max(40)).max(200).optional(),
});
export type CreateTeamInput = z.infer<typeof createTeamInput>;

export const updateTeamInput = createTeamInput.partial().refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change.' });
export type UpdateTeamInput = z.infer<typeof updateTeamInput>;
