/** The RRULE subset the API accepts: FREQ, INTERVAL, BYDAY (weekly), COUNT or UNTIL. */
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type Freq = 'DAILY' | 'WEEKLY' | 'MONTHLY';

export type Repeat = {
  preset: 'none' | 'daily' | 'weekly' | 'monthly' | 'custom';
  freq: Freq;
  interval: number;
  byDay: Weekday[];
  end: 'never' | 'count' | 'until';
  count: number;
  /** YYYY-MM-DD */
  until: string;
};

export const NO_REPEAT: Repeat = { preset: 'none', freq: 'WEEKLY', interval: 1, byDay: [], end: 'never', count: 10, until: '' };
const PRESETS: Record<string, Repeat['preset']> = { 'FREQ=DAILY': 'daily', 'FREQ=WEEKLY': 'weekly', 'FREQ=MONTHLY': 'monthly' };

export function parseRule(rule: string | null): Repeat {
  if (!rule) return NO_REPEAT;
  const normalized = rule.replace(/;INTERVAL=1(?=;|$)/, '');
  const parts = Object.fromEntries(rule.split(';').map((p) => p.split('=') as [string, string]));
  const until = parts.UNTIL ? `${parts.UNTIL.slice(0, 4)}-${parts.UNTIL.slice(4, 6)}-${parts.UNTIL.slice(6, 8)}` : '';
  return {
    preset: PRESETS[normalized] ?? 'custom',
    freq: (['DAILY', 'WEEKLY', 'MONTHLY'].includes(parts.FREQ) ? parts.FREQ : 'WEEKLY') as Freq,
    interval: Math.max(1, Number(parts.INTERVAL) || 1),
    byDay: (parts.BYDAY ? parts.BYDAY.split(',') : []).filter((d): d is Weekday => (WEEKDAYS as readonly string[]).includes(d)),
    end: parts.COUNT ? 'count' : parts.UNTIL ? 'until' : 'never',
    count: Number(parts.COUNT) || 10,
    until,
  };
}

export function buildRule(r: Repeat): string | null {
  switch (r.preset) {
    case 'none':
      return null;
    case 'daily':
      return 'FREQ=DAILY';
    case 'weekly':
      return 'FREQ=WEEKLY';
    case 'monthly':
      return 'FREQ=MONTHLY';
  }
  const parts = [`FREQ=${r.freq}`, `INTERVAL=${Math.max(1, Math.floor(r.interval) || 1)}`];
  if (r.freq === 'WEEKLY' && r.byDay.length) parts.push(`BYDAY=${WEEKDAYS.filter((d) => r.byDay.includes(d)).join(',')}`);
  if (r.end === 'count') parts.push(`COUNT=${Math.max(1, Math.floor(r.count) || 1)}`);
  if (r.end === 'until' && r.until) parts.push(`UNTIL=${r.until.replaceAll('-', '')}`);
  return parts.join(';');
}
