import { z } from 'zod';
import { pageQuery } from '../../lib/pagination';

const id = z.string().min(1).max(40);

/** Names the public endpoint reads itself; a form field may not use them. */
export const RESERVED_NAMES = ['consent', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'referrer', 'landing_page', '_hearth_ts', '_hearth_hp', 'cf-turnstile-response'] as const;

const CONTACT_TARGETS = ['contact.name', 'contact.givenName', 'contact.familyName', 'contact.email', 'contact.phone', 'contact.title', 'contact.city', 'company.name', 'note', 'none'] as const;

export const fieldTarget = z.union([
  z.enum(CONTACT_TARGETS),
  z.string().regex(/^custom\.[A-Za-z0-9_]{1,60}$/, { message: 'Map to a contact field, company.name, custom.<key>, note or none.' }),
]) as z.ZodType<import('../../db/tables/leads').FormFieldTarget>;

export const formField = z.object({
  name: z
    .string()
    .trim()
    .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,59}$/, { message: 'Use letters, digits, _ . or -, starting with a letter.' })
    .refine((n) => !(RESERVED_NAMES as readonly string[]).includes(n), { message: 'This name is reserved.' }),
  label: z.string().trim().min(1, { message: 'Enter a label.' }).max(200),
  type: z.enum(['text', 'email', 'tel', 'textarea', 'select', 'checkbox', 'hidden']),
  mapTo: fieldTarget,
  required: z.boolean().default(false),
  options: z.array(z.string().trim().min(1).max(200)).max(100).optional(),
});

const userRef = id;
type OwnerRuleInput =
  | { kind: 'none' }
  | { kind: 'fixed'; userId: string }
  | { kind: 'round_robin'; teamId: string }
  | { kind: 'field_match'; field: string; map: Record<string, string>; fallback?: OwnerRuleInput | null };
export const ownerRule: z.ZodType<OwnerRuleInput> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('none') }),
    z.object({ kind: z.literal('fixed'), userId: userRef }),
    z.object({ kind: z.literal('round_robin'), teamId: id }),
    z.object({ kind: z.literal('field_match'), field: z.string().min(1).max(60), map: z.record(z.string().max(200), userRef), fallback: ownerRule.nullable().optional() }),
  ]),
);

export const scoringRule = z.discriminatedUnion('when', [
  z.object({ when: z.literal('field_equals'), field: z.string().min(1).max(60), value: z.string().max(200), points: z.number().int().min(-100).max(100) }),
  z.object({ when: z.literal('field_present'), field: z.string().min(1).max(60), points: z.number().int().min(-100).max(100) }),
  z.object({ when: z.enum(['utm_source', 'utm_medium', 'utm_campaign']), value: z.string().min(1).max(200), points: z.number().int().min(-100).max(100) }),
  z.object({ when: z.literal('source'), value: z.enum(['form', 'hook']), points: z.number().int().min(-100).max(100) }),
  z.object({ when: z.literal('repeat'), points: z.number().int().min(-100).max(100) }),
]);

const origin = z
  .string()
  .trim()
  .refine((o) => o === '*' || /^https?:\/\/[^/\s?#]+$/.test(o), { message: 'Use an origin like https://www.example.com (no path), or *.' });

/** Settings shared by forms and hook sources: what happens to a submission. */
export const routingFields = {
  ownerRule: ownerRule.optional(),
  pipelineId: id.nullable().optional(),
  createDeal: z.boolean().optional(),
  tagIds: z.array(id).max(20).optional(),
  notifyUserIds: z.array(id).max(20).optional(),
  scoringRules: z.array(scoringRule).max(50).optional(),
};

const formBody = z.object({
  name: z.string().trim().min(1, { message: 'Enter a name.' }).max(120),
  locale: z.enum(['zh-CN', 'en']).optional(),
  fields: z.array(formField).min(1, { message: 'Add at least one field.' }).max(50),
  consentText: z.string().trim().max(2000).nullable().optional(),
  consentRequired: z.boolean().optional(),
  thankYouUrl: z.url({ protocol: /^https?$/, message: 'Enter a full http(s) URL.' }).max(2000).nullable().optional(),
  thankYouMessage: z.string().trim().max(2000).nullable().optional(),
  allowedOrigins: z.array(origin).max(20).optional(),
  ...routingFields,
  ackEmail: z.boolean().optional(),
  turnstile: z.boolean().optional(),
  turnstileSiteKey: z.string().trim().max(200).nullable().optional(),
  minFillSeconds: z.number().int().min(0).max(600).optional(),
  ipLimitPerMinute: z.number().int().min(1).max(100_000).optional(),
  formLimitPerMinute: z.number().int().min(1).max(1_000_000).optional(),
  isActive: z.boolean().optional(),
});

export const createFormInput = formBody;
export type CreateFormInput = z.infer<typeof createFormInput>;
export const updateFormInput = formBody.partial().refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change.' });
export type UpdateFormInput = z.infer<typeof updateFormInput>;

export const listFormsQuery = pageQuery;
export const idParam = z.object({ id });
