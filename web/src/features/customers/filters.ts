import { addDays, startOfDayIso } from '../../lib/format';
import { timeZone } from '../../lib/i18n';
import type { FilterBody, Filters } from './api';

/**
 * The list's state lives in the URL (`/customers?lifecycle=lead,customer&createdFrom=2026-01-01`),
 * so that it survives a reload, the back button and a shared link. Dates there are calendar days
 * in the user's time zone; the API gets them as instants. Amounts are minor units in both.
 */
export const LIST_KEYS = ['q', 'ownerId', 'teamId', 'tagId', 'lifecycle', 'rfmSegment', 'source', 'companyId', 'spentMin', 'spentMax'] as const;
export const DATE_RANGES = [
  ['createdFrom', 'createdTo'],
  ['lastContactedFrom', 'lastContactedTo'],
  ['lastPurchaseFrom', 'lastPurchaseTo'],
] as const;
const DATE_KEYS = DATE_RANGES.flat() as string[];
const isFilterKey = (key: string) => (LIST_KEYS as readonly string[]).includes(key) || DATE_KEYS.includes(key) || key.startsWith('cf.');

export type View = 'active' | 'archived' | 'deleted';

/** The filters in the URL, without the view, sort, segment or anything else. */
export function filtersFromQuery(query: Record<string, string>): Filters {
  const out: Filters = {};
  for (const [key, value] of Object.entries(query)) if (value && isFilterKey(key)) out[key] = value;
  return out;
}

export const viewFromQuery = (query: Record<string, string>): View => (query.view === 'archived' || query.view === 'deleted' ? query.view : 'active');

/** URL filters (days) → API filters (instants), with the view. */
export function apiFilters(filters: Filters, view: View = 'active'): Filters {
  const out: Filters = {};
  for (const [key, value] of Object.entries(filters)) {
    if (!value) continue;
    if (DATE_KEYS.includes(key) && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
      // A "to" day includes that whole day: the API's upper bound is exclusive for an instant.
      out[key] = key.endsWith('To') ? startOfDayIso(addDays(value, 1)) : startOfDayIso(value);
    } else out[key] = value;
  }
  if (view === 'archived') out.archived = 'true';
  if (view === 'deleted') out.deleted = 'true';
  return out;
}

/** API filters as a JSON body: `cf.<key>` becomes `custom: { key }` (segments and bulk actions). */
export function bodyFilters(filters: Filters, view: View = 'active'): FilterBody {
  const out: FilterBody = {};
  const custom: Record<string, string> = {};
  for (const [key, value] of Object.entries(apiFilters(filters, view))) {
    if (key.startsWith('cf.')) custom[key.slice(3)] = value;
    else out[key] = value;
  }
  if (Object.keys(custom).length) out.custom = custom;
  return out;
}

/** API filters as a segment stores them → URL filters, instants back to days in the user's zone. */
export function filtersFromSegment(stored: FilterBody): Filters {
  const out: Filters = {};
  const entries = Object.entries(stored).flatMap(([key, raw]) =>
    key === 'custom' && typeof raw === 'object' ? Object.entries(raw).map(([k, v]) => [`cf.${k}`, v] as const) : [[key, raw] as const],
  );
  for (const [key, raw] of entries) {
    const value = String(raw);
    if (!isFilterKey(key) || !value) continue;
    if (DATE_KEYS.includes(key) && !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      const instant = new Date(value).getTime() - (key.endsWith('To') ? 1 : 0);
      out[key] = new Intl.DateTimeFormat('en-CA', { timeZone: timeZone.value, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
    } else out[key] = value;
  }
  return out;
}

export const csvValues = (value: string | undefined): string[] => (value ? value.split(',').filter(Boolean) : []);

/** The number of filters in use (a search counts as one), for the filter button's badge. */
export function activeFilterCount(filters: Filters): number {
  const keys = new Set(Object.keys(filters).filter((k) => k !== 'q').map((k) => k.replace(/(From|To|Min|Max)$/, '')));
  return keys.size;
}

/** A stable text for comparing two sets of filters (a segment's and the screen's). */
export const filtersKey = (filters: Filters) =>
  JSON.stringify(
    Object.entries(filters)
      .filter(([, v]) => v)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
