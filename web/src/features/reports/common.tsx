import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { PageHeader } from '../../components/Card';
import { inputClass } from '../../components/Field';
import { currencyDigits } from '../../lib/format';
import { useAsync } from '../../lib/hooks';
import { locale, t } from '../../lib/i18n';
import { me } from '../../lib/session';
import { listPeople, listPipelines, listTeams } from './api';

/** Pipelines, people and teams for the report filters (loaded with the report). */
export function useReportLookups() {
  const state = useAsync(async (signal) => {
    const [pipelines, people, teams] = await Promise.allSettled([listPipelines(signal), listPeople(signal), listTeams(signal)]);
    return {
      pipelines: pipelines.status === 'fulfilled' ? pipelines.value.items : [],
      people: people.status === 'fulfilled' ? people.value.items.filter((p) => p.isActive) : [],
      teams: teams.status === 'fulfilled' ? teams.value.items : [],
    };
  }, []);
  return state.data ?? { pipelines: [], people: [], teams: [] };
}
export type ReportLookups = ReturnType<typeof useReportLookups>;

/** A report's filters live in the URL, so that a report can be bookmarked and shared. */
export function useReportQuery() {
  const { path, query, route } = useLocation();
  const set = (changes: Record<string, string | undefined>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...query, ...changes })) if (v) params.set(k, v);
    const qs = params.toString();
    route(`${path}${qs ? `?${qs}` : ''}`, true);
  };
  return { query, set };
}

const controlClass = `${inputClass} sm:w-auto`;

export function ScopeControls({ lookups, allPipelines = true, withSource = false, withCurrency = false }: { lookups: ReportLookups; allPipelines?: boolean; withSource?: boolean; withCurrency?: boolean }) {
  const { query, set } = useReportQuery();
  return (
    <>
      <select class={controlClass} aria-label={t('pl.pipeline')} value={query.pipeline ?? ''} onChange={(e) => set({ pipeline: e.currentTarget.value || undefined })}>
        {allPipelines ? <option value="">{t('pl.report.allPipelines')}</option> : <option value="">{t('pl.report.defaultPipeline')}</option>}
        {lookups.pipelines.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
      <select class={controlClass} aria-label={t('pl.filter.owner')} value={query.owner ?? ''} onChange={(e) => set({ owner: e.currentTarget.value || undefined })}>
        <option value="">{t('pl.filter.anyOwner')}</option>
        {lookups.people.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
      <select class={controlClass} aria-label={t('pl.filter.team')} value={query.team ?? ''} onChange={(e) => set({ team: e.currentTarget.value || undefined })}>
        <option value="">{t('pl.filter.anyTeam')}</option>
        {lookups.teams.map((team) => (
          <option key={team.id} value={team.id}>
            {team.name}
          </option>
        ))}
      </select>
      {withCurrency && (
        <input
          class={`${inputClass} sm:w-24`}
          aria-label={t('pl.field.currency')}
          title={t('pl.field.currency')}
          placeholder={me.value?.workspace.currency ?? ''}
          maxLength={3}
          value={query.currency ?? ''}
          onChange={(e) => set({ currency: /^[A-Za-z]{3}$/.test(e.currentTarget.value.trim()) ? e.currentTarget.value.trim().toUpperCase() : undefined })}
        />
      )}
      {withSource && <input type="search" class={controlClass} aria-label={t('pl.filter.source')} placeholder={t('pl.filter.source')} value={query.source ?? ''} onChange={(e) => set({ source: e.currentTarget.value.trim() || undefined })} />}
    </>
  );
}

/** Two date (or month) inputs for the report's period. */
export function PeriodControls({ type, from, to }: { type: 'date' | 'month'; from: string; to: string }) {
  const { set } = useReportQuery();
  return (
    <>
      <label class="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-400">
        {t('pl.report.from')}
        <input type={type} class={controlClass} value={from} onChange={(e) => set({ from: e.currentTarget.value || undefined })} />
      </label>
      <label class="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-400">
        {t('pl.report.to')}
        <input type={type} class={controlClass} value={to} onChange={(e) => set({ to: e.currentTarget.value || undefined })} />
      </label>
    </>
  );
}

export function Controls({ children }: { children: ComponentChildren }) {
  return (
    <div role="group" aria-label={t('pl.filters')} class="mb-4 grid grid-cols-1 gap-2 sm:flex sm:flex-wrap sm:items-center">
      {children}
    </div>
  );
}

export function ReportHeader({ title, description }: { title: string; description: string }) {
  return (
    <>
      <nav class="mb-2 text-sm">
        <a href="/reports" class="text-slate-500 hover:text-slate-800 hover:underline dark:text-slate-400 dark:hover:text-slate-200">
          ← {t('nav.reports')}
        </a>
      </nav>
      <PageHeader title={title} description={description} />
    </>
  );
}

/** Minor units as a plain number for a chart axis (129900 CNY → 1299). */
export const toMajor = (minor: number, currency: string) => minor / 10 ** currencyDigits(currency);

export const formatPercent = (share: number | null) => (share === null ? '—' : new Intl.NumberFormat(locale.value, { style: 'percent', maximumFractionDigits: 1 }).format(share));

export const formatNumber = (n: number | null, digits = 0) => (n === null ? '—' : new Intl.NumberFormat(locale.value, { maximumFractionDigits: digits }).format(n));

export function monthLabel(month: string): string {
  return new Intl.DateTimeFormat(locale.value, { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}

/** Compact money for chart ticks (¥1.2M). */
export function compactMoney(major: number, currency: string): string {
  try {
    return new Intl.NumberFormat(locale.value, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }).format(major);
  } catch {
    return String(major);
  }
}

export const th = 'px-4 py-2.5 text-right font-medium whitespace-nowrap first:text-left sm:first:pl-5 sm:last:pr-5';
export const tdNum = 'px-4 py-2.5 text-right tabular-nums whitespace-nowrap first:text-left sm:first:pl-5 sm:last:pr-5';

/** A simple figures table that scrolls sideways inside its card on a phone. */
export function FiguresTable({ label, head, children, foot }: { label: string; head: ComponentChildren[]; children: ComponentChildren; foot?: ComponentChildren }) {
  return (
    <div class="overflow-x-auto">
      <table class="min-w-full text-sm" aria-label={label}>
        <thead class="border-b border-slate-200 text-xs text-slate-500 uppercase dark:border-slate-800 dark:text-slate-400">
          <tr>
            {head.map((h, i) => (
              <th key={i} scope="col" class={th}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody class="divide-y divide-slate-100 dark:divide-slate-800">{children}</tbody>
        {foot && <tfoot class="border-t border-slate-200 font-semibold dark:border-slate-800">{foot}</tfoot>}
      </table>
    </div>
  );
}
