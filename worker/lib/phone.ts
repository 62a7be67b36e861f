import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

// Parsing is the costly part (a lead's phone is checked at the form, again when it is mapped and
// again when the contact is written): the last few hundred answers are kept per isolate.
const parsedPhones = new Map<string, string | null>();
const PARSED_LIMIT = 500;

/** E.164 form of a phone number, using the workspace's default country for local numbers; null when it is not a phone number. */
export function toE164(raw: string, defaultCountry: string): string | null {
  const cleaned = raw.trim();
  if (!/\d/.test(cleaned)) return null;
  const key = `${defaultCountry}:${cleaned}`;
  const known = parsedPhones.get(key);
  if (known !== undefined) return known;
  const parsed = parsePhoneNumberFromString(cleaned, defaultCountry as CountryCode);
  const e164 = parsed?.isPossible() ? parsed.number : null;
  if (parsedPhones.size >= PARSED_LIMIT) parsedPhones.delete(parsedPhones.keys().next().value!);
  parsedPhones.set(key, e164);
  return e164;
}

/** The digits of a query that looks like part of a phone number ("138 1234" → "1381234"), else null. */
export function phoneDigits(query: string): string | null {
  return /^[+\d\s().-]{3,}$/.test(query) ? query.replace(/\D/g, '') : null;
}
