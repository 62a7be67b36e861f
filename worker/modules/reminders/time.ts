import { TZDate } from '@date-fns/tz';

/**
 * Local time in IANA zones. Instants are stored in UTC; local dates (`YYYY-MM-DD`) and wall times
 * (`HH:mm`) are computed here, at the edge, so that a reminder at 09:00 stays at 09:00 across a
 * DST change and an all-day task stays on its calendar day.
 */

export const FALLBACK_ZONE = 'Asia/Shanghai';
/** The local time reminders of all-day tasks and data reminders are delivered at. */
export const ALL_DAY_REMINDER_TIME = '09:00';

export function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A user's zone, falling back to the workspace's. */
export const zoneOf = (userZone: string | null | undefined, workspaceZone: string | null | undefined) =>
  (userZone && isValidZone(userZone) ? userZone : null) ?? (workspaceZone && isValidZone(workspaceZone) ? workspaceZone : FALLBACK_ZONE);

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string) {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(zone, f);
  }
  return f;
}

/** The local calendar date and wall time of an instant in a zone. */
export function localParts(instant: Date | string, zone: string): { date: string; time: string; hour: number; minute: number } {
  const parts = Object.fromEntries(formatter(zone).formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  const hour = Number(parts.hour) % 24;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${String(hour).padStart(2, '0')}:${parts.minute}`, hour, minute: Number(parts.minute) };
}

export const localDate = (instant: Date | string, zone: string) => localParts(instant, zone).date;

/** The UTC instant of a local date and wall time (a time skipped by DST moves forward). */
export function instantOf(date: string, time: string, zone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const [h, min] = time.split(':').map(Number);
  return new Date(new TZDate(y, m - 1, d, h, min, zone).getTime());
}

const DAY_MS = 86400_000;
const toDay = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
const fromDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Calendar arithmetic on local dates (no zone involved: a day is a day). */
export const addDays = (date: string, days: number) => fromDay(toDay(date) + days * DAY_MS);
export const daysBetween = (from: string, to: string) => Math.round((toDay(to) - toDay(from)) / DAY_MS);
/** 1 = Monday … 7 = Sunday. */
export const isoWeekday = (date: string) => ((new Date(toDay(date)).getUTCDay() + 6) % 7) + 1;

export function addMonthsClamped(date: string, months: number, dayOfMonth: number): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + months;
  const year = y + Math.floor(m / 12);
  const month = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return fromDay(Date.UTC(year, month, Math.min(dayOfMonth, last)));
}

export const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && fromDay(toDay(s)) === s;
export const isWallTime = (s: string) => /^([01]\d|2[0-3]):[0-5]\d$/.test(s);

/** Subtracts `minutes` from a local date and wall time, on the local clock (whole days stay days). */
export function localMinus(date: string, time: string, minutes: number): { date: string; time: string } {
  const [h, m] = time.split(':').map(Number);
  let total = h * 60 + m - (minutes % 1440);
  let d = addDays(date, -Math.floor(minutes / 1440));
  if (total < 0) {
    total += 1440;
    d = addDays(d, -1);
  }
  return { date: d, time: `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}` };
}
