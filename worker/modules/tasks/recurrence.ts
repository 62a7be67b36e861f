import { addDays, addMonthsClamped, daysBetween, isDate, isoWeekday } from '../reminders/time';

/**
 * A subset of RFC 5545 RRULE: FREQ=DAILY|WEEKLY|MONTHLY, INTERVAL, BYDAY (weekly), COUNT, UNTIL.
 * Occurrences are local calendar dates; a timed task keeps its local wall time, so a weekly 09:00
 * call stays at 09:00 after a DST change.
 */
export type Rule = { freq: 'DAILY' | 'WEEKLY' | 'MONTHLY'; interval: number; byDay: number[]; count: number | null; until: string | null };

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** Parses a rule; returns an error message (for the `recurrence` field) when it is not one we support. */
export function parseRule(text: string): Rule | string {
  const rule: Rule = { freq: 'DAILY', interval: 1, byDay: [], count: null, until: null };
  let hasFreq = false;
  for (const part of text.replace(/^RRULE:/i, '').split(';').filter(Boolean)) {
    const [key, value = ''] = part.split('=');
    switch (key.toUpperCase()) {
      case 'FREQ':
        if (!['DAILY', 'WEEKLY', 'MONTHLY'].includes(value.toUpperCase())) return 'FREQ must be DAILY, WEEKLY or MONTHLY.';
        rule.freq = value.toUpperCase() as Rule['freq'];
        hasFreq = true;
        break;
      case 'INTERVAL':
        if (!/^\d{1,3}$/.test(value) || Number(value) < 1) return 'INTERVAL must be a whole number from 1 to 999.';
        rule.interval = Number(value);
        break;
      case 'BYDAY': {
        const days = value.toUpperCase().split(',').map((d) => WEEKDAYS.indexOf(d) + 1);
        if (days.some((d) => d === 0)) return 'BYDAY takes MO, TU, WE, TH, FR, SA, SU.';
        rule.byDay = [...new Set(days)].sort();
        break;
      }
      case 'COUNT':
        if (!/^\d{1,4}$/.test(value) || Number(value) < 1) return 'COUNT must be a whole number from 1 to 9999.';
        rule.count = Number(value);
        break;
      case 'UNTIL': {
        const m = value.match(/^(\d{4})(\d{2})(\d{2})/);
        if (!m) return 'UNTIL must be a date like 20271231.';
        rule.until = `${m[1]}-${m[2]}-${m[3]}`;
        break;
      }
      default:
        return `${key} is not supported (use FREQ, INTERVAL, BYDAY, COUNT, UNTIL).`;
    }
  }
  if (!hasFreq) return 'FREQ is required.';
  if (rule.byDay.length && rule.freq !== 'WEEKLY') return 'BYDAY works with FREQ=WEEKLY.';
  if (rule.count && rule.until) return 'Use COUNT or UNTIL, not both.';
  return rule;
}

/**
 * The local date of the occurrence after `current` (occurrence number `index`), or null when the
 * series has ended. `anchor` is the first occurrence's date (monthly keeps its day of the month,
 * clamped to shorter months; weekly intervals count weeks from it).
 */
export function nextOccurrence(rule: Rule, anchor: string, current: string, index: number): string | null {
  if (rule.count !== null && index + 1 > rule.count) return null;
  let next: string;
  if (rule.freq === 'DAILY') next = addDays(current, rule.interval);
  else if (rule.freq === 'MONTHLY') {
    const months = (Number(current.slice(0, 4)) - Number(anchor.slice(0, 4))) * 12 + Number(current.slice(5, 7)) - Number(anchor.slice(5, 7));
    next = addMonthsClamped(anchor, (Math.floor(months / rule.interval) + 1) * rule.interval, Number(anchor.slice(8, 10)));
  } else if (!rule.byDay.length) next = addDays(current, 7 * rule.interval);
  else {
    const weekday = isoWeekday(current);
    const later = rule.byDay.find((d) => d > weekday);
    if (later) next = addDays(current, later - weekday);
    else {
      // The Monday of the next week the rule runs in, counted from the anchor's week.
      const anchorMonday = addDays(anchor, 1 - isoWeekday(anchor));
      const weeks = Math.floor(daysBetween(anchorMonday, addDays(current, 1 - weekday)) / 7);
      const nextMonday = addDays(anchorMonday, (Math.floor(weeks / rule.interval) + 1) * rule.interval * 7);
      next = addDays(nextMonday, rule.byDay[0] - 1);
    }
  }
  if (rule.until !== null && next > rule.until) return null;
  // Past year 9999 a date no longer has four digits: the series ends there.
  return isDate(next) ? next : null;
}
