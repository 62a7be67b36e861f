import { z } from 'zod';
import { STAGE_KINDS } from '../../db/schema';

const id = z.string().min(1).max(40);
const name = z.string().trim().min(1, { message: 'Enter a name.' }).max(100);

export const stageInput = z.object({
  name,
  probability: z.number().int().min(0).max(100).optional(),
  kind: z.enum(STAGE_KINDS).optional(),
  rottingDays: z.number().int().min(1).max(3650).nullable().optional(),
});
export type StageInput = z.infer<typeof stageInput>;

export const createPipelineInput = z.object({
  name,
  stages: z
    .array(stageInput)
    .min(1)
    .max(30)
    .refine((s) => s.some((x) => (x.kind ?? 'open') === 'open'), { message: 'A pipeline needs at least one open stage.' })
    .optional(),
});
export type CreatePipelineInput = z.infer<typeof createPipelineInput>;

export const updatePipelineInput = z
  .object({ name, position: z.number().int().min(0).max(1000), isDefault: z.literal(true) })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change.' });
export type UpdatePipelineInput = z.infer<typeof updatePipelineInput>;

export const createStageInput = stageInput.extend({ position: z.number().int().min(0).max(1000).optional() });
export type CreateStageInput = z.infer<typeof createStageInput>;

export const updateStageInput = stageInput
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change.' });
export type UpdateStageInput = z.infer<typeof updateStageInput>;

export const reorderStagesInput = z.object({ stageIds: z.array(id).min(1).max(30) });

export const removeStageQuery = z.object({ moveTo: id.optional() });

export const pipelineParam = z.object({ id });
export const stageParam = z.object({ id, stageId: id });
