import { locale, timeZone } from './i18n';

/** Dates render in the user's language and time zone (the API speaks UTC ISO-8601). */
export function formatDateTime(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(locale.value, {
    timeZone: timeZone.value,
    dateStyle: 'medium',
    timeStyle: withSeconds ? 'medium' : 'short',
  }).format(new Date(iso));
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(locale.value, { timeZone: timeZone.value, dateStyle: 'medium' }).format(new Date(iso));
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['week', 7 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
];

export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const seconds = (new Date(iso).getTime() - now) / 1000;
  const rtf = new Intl.RelativeTimeFormat(locale.value, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(Math.round(seconds), 'second');
}

function offsetMinutes(date: Date, tz: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return Math.round((asUtc - date.getTime()) / 60000);
}

/** Midnight of a calendar day (`2026-11-23`) in a time zone, as a UTC ISO string. */
export function startOfDayIso(day: string, tz = timeZone.value): string {
  const [y, m, d] = day.split('-').map(Number);
  const guess = new Date(Date.UTC(y, m - 1, d));
  const shifted = new Date(guess.getTime() - offsetMinutes(guess, tz) * 60000);
  // A second pass settles days where the offset changes (daylight saving).
  return new Date(guess.getTime() - offsetMinutes(shifted, tz) * 60000).toISOString();
}

export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** All IANA zones the browser knows (falls back to a short list on old engines). */
export function timeZones(): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone');
  const zones = supported?.length ? [...supported] : ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Singapore', 'Asia/Tokyo', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles'];
  if (!zones.includes('UTC')) zones.unshift('UTC');
  return zones;
}

export function formatTime(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(locale.value, { timeZone: timeZone.value, timeStyle: withSeconds ? 'medium' : 'short' }).format(new Date(iso));
}

/** Digits after the decimal point of a currency (CNY 2, JPY 0): money travels in minor units. */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** An amount in minor units (fen, cents) in the user's language: 129900 CNY → ¥1,299.00. */
export function formatMoney(minor: number | null | undefined, currency: string): string {
  if (minor === null || minor === undefined) return '';
  const digits = currencyDigits(currency);
  try {
    return new Intl.NumberFormat(locale.value, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(minor / 10 ** digits);
  } catch {
    return `${(minor / 10 ** digits).toFixed(digits)} ${currency}`;
  }
}

/** Minor units as the number a person types (129900 → "1299.00"). */
export const minorToInput = (minor: number | null | undefined, currency: string): string =>
  minor === null || minor === undefined ? '' : (minor / 10 ** currencyDigits(currency)).toFixed(currencyDigits(currency));

/** What a person typed ("1,299.5") as minor units, or null when it is not an amount. */
export function inputToMinor(text: string, currency: string): number | null {
  const cleaned = text.replace(/[\s,，_]/g, '');
  if (!/^\d+(\.\d*)?$/.test(cleaned)) return null;
  return Math.round(Number(cleaned) * 10 ** currencyDigits(currency));
}
