import { z } from 'zod';

export const createTagInput = z.object({
  name: z.string().trim().min(1, { message: 'Enter a tag name.' }).max(40),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, { message: 'Use a colour like #64748b.' }).optional(),
});
export type CreateTagInput = z.infer<typeof createTagInput>;
export const updateTagInput = createTagInput.partial();
export type UpdateTagInput = z.infer<typeof updateTagInput>;
