import { z } from 'zod';
import type { CustomerRules } from '../../db/schema';

/**
 * Defaults for a workspace that never tuned its rules. Scores run 1–5; each list holds the four
 * cut-offs between them (see docs/decisions.md, "Customers"):
 * - recency, days since the last purchase: ≤30 → 5, ≤90 → 4, ≤180 → 3, ≤365 → 2, older → 1;
 * - frequency, paid orders: ≥10 → 5, ≥5 → 4, ≥3 → 3, ≥2 → 2, one → 1;
 * - monetary, spend in minor units of the workspace currency: ≥20,000.00 → 5, ≥5,000.00 → 4,
 *   ≥2,000.00 → 3, ≥500.00 → 2, less → 1.
 */
export const DEFAULT_CUSTOMER_RULES: CustomerRules = {
  churnAfterDays: 180,
  rfm: {
    recencyDays: [30, 90, 180, 365],
    frequency: [2, 3, 5, 10],
    monetary: [50_000, 200_000, 500_000, 2_000_000],
  },
};

const increasing = (min: number, max: number, what: string) =>
  z
    .tuple([z.number().int().min(min).max(max), z.number().int().min(min).max(max), z.number().int().min(min).max(max), z.number().int().min(min).max(max)])
    .refine(([a, b, c, d]) => a < b && b < c && c < d, { message: `Give four ${what}, each larger than the one before.` });

export const customerRulesInput = z
  .object({
    churnAfterDays: z.number().int().min(1, { message: 'Use at least one day.' }).max(3650, { message: 'Use at most 3650 days.' }),
    rfm: z
      .object({
        recencyDays: increasing(1, 3650, 'numbers of days'),
        frequency: increasing(1, 1_000_000, 'order counts'),
        monetary: increasing(0, 1e15, 'amounts in minor units'),
      })
      .strict(),
  })
  .strict();
export type CustomerRulesInput = z.infer<typeof customerRulesInput>;
