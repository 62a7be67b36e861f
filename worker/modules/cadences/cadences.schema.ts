import { z } from 'zod';
import { CADENCE_STOP_RULES, CADENCE_TRIGGERS, ENROLLMENT_STATUSES, TASK_TYPES } from '../../db/schema';

const id = z.string().min(1).max(40);

export const cadenceStepInput = z.object({
  /** 1 = the day the plan starts for a customer. */
  day: z.number().int().min(1).max(365),
  taskType: z.enum(TASK_TYPES),
  title: z.string().trim().min(1, { message: 'Enter a title.' }).max(300),
  notes: z.string().trim().max(5000).nullable().optional(),
});

const cadenceFields = z.object({
  name: z.string().trim().min(1, { message: 'Enter a name.' }).max(200),
  trigger: z.enum(CADENCE_TRIGGERS),
  triggerValue: z.string().trim().max(40).nullable(),
  stopOn: z.array(z.enum(CADENCE_STOP_RULES)).max(CADENCE_STOP_RULES.length),
  isActive: z.boolean(),
  steps: z.array(cadenceStepInput).min(1, { message: 'Add at least one step.' }).max(20),
});

export const createCadenceInput = cadenceFields.partial({ triggerValue: true, stopOn: true, isActive: true });
export type CreateCadenceInput = z.infer<typeof createCadenceInput>;
export const updateCadenceInput = cadenceFields.partial().refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change.' });
export type UpdateCadenceInput = z.infer<typeof updateCadenceInput>;

export const enrollInput = z.object({ contactId: id });
export const enrollmentsQuery = z.object({ contactId: id.optional(), cadenceId: id.optional(), status: z.enum(ENROLLMENT_STATUSES).optional() });
export type EnrollmentsQuery = z.infer<typeof enrollmentsQuery>;
export const idParam = z.object({ id });
