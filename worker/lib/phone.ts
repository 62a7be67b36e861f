import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

/** E.164 form of a phone number, using the workspace's default country for local numbers; null when it is not a phone number. */
export function toE164(raw: string, defaultCountry: string): string | null {
  const cleaned = raw.trim();
  if (!/\d/.test(cleaned)) return null;
  const parsed = parsePhoneNumberFromString(cleaned, defaultCountry as CountryCode);
  return parsed?.isPossible() ? parsed.number : null;
}

/** The digits of a query that looks like part of a phone number ("138 1234" → "1381234"), else null. */
export function phoneDigits(query: string): string | null {
  return /^[+\d\s().-]{3,}$/.test(query) ? query.replace(/\D/g, '') : null;
}
