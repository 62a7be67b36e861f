import { TZDate } from '@date-fns/tz';
import { locale } from '../../lib/i18n';

/** Dates are local calendar days `YYYY-MM-DD`; instants are UTC ISO strings; zones are IANA names. */

/** The calendar day and wall-clock time of an instant in a zone: `{ date: '2026-11-23', time: '09:30' }`. */
export function localParts(iso: string, tz: string): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

export const todayIn = (tz: string) => localParts(new Date().toISOString(), tz).date;

/** A wall-clock time on a day in a zone as an instant (daylight saving handled by TZDate). */
export function zonedIso(date: string, time: string, tz: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  return new Date(new TZDate(y, m - 1, d, hh, mm, 0, tz).getTime()).toISOString();
}

const utcDay = (date: string) => {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
};

export function addDays(date: string, days: number): string {
  const day = utcDay(date);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday. */
export const weekdayIndex = (date: string) => (utcDay(date).getUTCDay() + 6) % 7;
export const startOfWeek = (date: string) => addDays(date, -weekdayIndex(date));
export const startOfMonth = (date: string) => `${date.slice(0, 7)}-01`;
export function addMonths(date: string, months: number): string {
  const [y, m] = date.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  return first.toISOString().slice(0, 10);
}

/** A calendar day in the reader's language, never shifted by a zone (it is a date, not an instant). */
export function formatDay(date: string, style: 'medium' | 'long' | 'weekday' | 'short' = 'medium'): string {
  const options: Intl.DateTimeFormatOptions =
    style === 'weekday' ? { weekday: 'short', month: 'short', day: 'numeric' } : style === 'short' ? { month: 'short', day: 'numeric' } : style === 'long' ? { dateStyle: 'full' } : { dateStyle: 'medium' };
  return new Intl.DateTimeFormat(locale.value, { ...options, timeZone: 'UTC' }).format(utcDay(date));
}

export const formatWeekdayShort = (date: string) => new Intl.DateTimeFormat(locale.value, { weekday: 'short', timeZone: 'UTC' }).format(utcDay(date));
export const formatMonth = (date: string) => new Intl.DateTimeFormat(locale.value, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(utcDay(date));

/** "09:30" in the reader's style (9:30 AM / 09:30). */
export function formatClock(time: string): string {
  const [hh, mm] = time.split(':').map(Number);
  return new Intl.DateTimeFormat(locale.value, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, 0, 1, hh, mm)));
}

/** An hour of the day as a short label ("10 AM", "10时") for the week grid's side. */
export const formatHour = (hour: number) => new Intl.DateTimeFormat(locale.value, { hour: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, 0, 1, hour)));

/** The next whole hour in a zone, for a new task's default time. */
export function nextHour(tz: string): { date: string; time: string } {
  const inAnHour = new Date(Date.now() + 60 * 60 * 1000);
  const { date, time } = localParts(inAnHour.toISOString(), tz);
  return { date, time: `${time.slice(0, 2)}:00` };
}
