import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Button } from '../../components/Button';
import { inputClass } from '../../components/Field';
import { useDebounced } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import type { DealFilters } from './api';
import { activePeople, type Lookups } from './lookups';

/** Board and list read the same filters from the URL, so that switching views keeps them. */
export function filtersFromQuery(query: Record<string, string>): DealFilters {
  return { ownerId: query.owner || undefined, teamId: query.team || undefined, closeMonth: query.month || undefined, source: query.source || undefined };
}

export function queryString(query: Record<string, string | undefined>) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The URL of a view of the pipeline area with the current pipeline and filters. */
export function viewHref(path: string, query: Record<string, string>) {
  const keep = Object.fromEntries(Object.entries(query).filter(([k]) => ['pipeline', 'owner', 'team', 'month', 'source'].includes(k)));
  return `${path}${queryString(keep)}`;
}

const selectClass = `${inputClass} sm:w-44`;

/** Owner, team, close month and source; each change replaces the URL's query. */
export function FilterBar({ lookups }: { lookups: Lookups }) {
  const { path, query, route } = useLocation();
  const filters = filtersFromQuery(query);
  const set = (changes: Record<string, string | undefined>) => route(`${path}${queryString({ ...query, ...changes })}`, true);
  const [source, setSource] = useState(filters.source ?? '');
  const settledSource = useDebounced(source.trim(), 300);
  useEffect(() => {
    if ((filters.source ?? '') !== settledSource) set({ source: settledSource || undefined });
  }, [settledSource]);
  useEffect(() => {
    if ((query.source ?? '') !== source.trim()) setSource(query.source ?? '');
  }, [query.source]);
  const active = Boolean(filters.ownerId || filters.teamId || filters.closeMonth || filters.source);
  return (
    <div class="mb-4 grid grid-cols-2 gap-2 sm:flex sm:flex-wrap sm:items-center" role="group" aria-label={t('pl.filters')}>
      <select class={selectClass} aria-label={t('pl.filter.owner')} value={filters.ownerId ?? ''} onChange={(e) => set({ owner: e.currentTarget.value || undefined })}>
        <option value="">{t('pl.filter.anyOwner')}</option>
        <option value="me">{t('pl.filter.me')}</option>
        {activePeople(lookups.people).map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
      <select class={selectClass} aria-label={t('pl.filter.team')} value={filters.teamId ?? ''} onChange={(e) => set({ team: e.currentTarget.value || undefined })}>
        <option value="">{t('pl.filter.anyTeam')}</option>
        {lookups.teams.map((team) => (
          <option key={team.id} value={team.id}>
            {team.name}
          </option>
        ))}
      </select>
      <input type="month" class={selectClass} aria-label={t('pl.filter.closeMonth')} title={t('pl.filter.closeMonth')} value={filters.closeMonth ?? ''} onChange={(e) => set({ month: e.currentTarget.value || undefined })} />
      <input type="search" class={selectClass} aria-label={t('pl.filter.source')} placeholder={t('pl.filter.source')} value={source} onInput={(e) => setSource(e.currentTarget.value)} />
      {active && (
        <Button tone="ghost" icon="close" onClick={() => { setSource(''); set({ owner: undefined, team: undefined, month: undefined, source: undefined }); }}>
          {t('pl.filter.clear')}
        </Button>
      )}
    </div>
  );
}
