import { z } from 'zod';
import { ASSIGNMENT_SCOPES, type AssignmentRuleBody } from '../../db/schema';

const id = z.string().min(1).max(40);

export const ruleBody: z.ZodType<AssignmentRuleBody> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('fixed'), userId: id }),
    z.object({ kind: z.literal('round_robin'), teamId: id }),
    z.object({
      kind: z.literal('field_match'),
      field: z.string().trim().min(1).max(100),
      map: z.record(z.string().trim().min(1).max(200), id).refine((m) => Object.keys(m).length <= 500, { message: 'At most 500 values.' }),
      fallback: ruleBody.nullable().optional(),
    }),
  ]),
);

export const createRuleInput = z.object({
  name: z.string().trim().min(1, { message: 'Enter a name.' }).max(100),
  scopeType: z.enum(ASSIGNMENT_SCOPES),
  /** A pipeline id, or a lead source name. */
  scopeId: z.string().trim().min(1).max(100),
  rule: ruleBody,
  isActive: z.boolean().optional(),
});
export type CreateRuleInput = z.infer<typeof createRuleInput>;

export const updateRuleInput = z
  .object({ name: z.string().trim().min(1).max(100), rule: ruleBody, isActive: z.boolean() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change.' });
export type UpdateRuleInput = z.infer<typeof updateRuleInput>;

export const listRulesQuery = z.object({ scopeType: z.enum(ASSIGNMENT_SCOPES).optional(), scopeId: z.string().max(100).optional() });
export type ListRulesQuery = z.infer<typeof listRulesQuery>;

export const ruleParam = z.object({ id });
