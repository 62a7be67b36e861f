import { z } from 'zod';

const id = z.string().min(1).max(40);
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'Use a month like 2026-01.' });
const date = z.iso.date({ message: 'Use a date like 2026-01-31.' });
const currency = z.string().regex(/^[A-Z]{3}$/, { message: 'Use a three-letter currency code like CNY.' });

const scope = z.object({ pipelineId: id.optional(), ownerId: id.optional(), teamId: id.optional(), currency: currency.optional() });

const ordered = (a: string | undefined, b: string | undefined) => !a || !b || a <= b;

export const forecastQuery = scope
  .extend({ from: month.optional(), to: month.optional() })
  .refine((q) => ordered(q.from, q.to), { path: ['to'], message: 'The end comes after the start.' });
export type ForecastQuery = z.infer<typeof forecastQuery>;

export const periodQuery = scope
  .extend({ from: date.optional(), to: date.optional(), source: z.string().trim().min(1).max(100).optional() })
  .refine((q) => ordered(q.from, q.to), { path: ['to'], message: 'The end comes after the start.' });
export type PeriodQuery = z.infer<typeof periodQuery>;
