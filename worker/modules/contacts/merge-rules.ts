import type { Consent } from '../../db/schema';

const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/** The target's values, with each of `keys` that it lacks taken from the source. */
export function fillEmpty<T extends object>(target: T, source: T, keys: (keyof T)[]): T {
  const out = { ...target };
  for (const key of keys) if (isEmpty(target[key]) && !isEmpty(source[key])) out[key] = source[key];
  return out;
}

/** Of two consent decisions on one channel, the one taken last stands. */
export function latestConsent(a: Consent | null, b: Consent | null): Consent | null {
  if (!a || !b) return a ?? b;
  return b.at > a.at ? b : a;
}
