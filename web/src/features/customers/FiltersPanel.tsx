import { Button } from '../../components/Button';
import { inputClass } from '../../components/Field';
import { TagPicker } from '../../components/TagPicker';
import { inputToMinor, minorToInput } from '../../lib/format';
import { t, type MessageKey } from '../../lib/i18n';
import { LIFECYCLES, RFM_SEGMENTS, SOURCES, type Filters } from './api';
import { csvValues, DATE_RANGES } from './filters';
import { lifecycleLabel, rfmLabel } from './labels';
import type { Lookups } from './lookups';

function ToggleChips({ legend, options, selected, onChange }: { legend: string; options: { value: string; label: string }[]; selected: string[]; onChange: (values: string[]) => void }) {
  return (
    <fieldset>
      <legend class="mb-1.5 text-sm font-medium text-slate-700 dark:text-slate-300">{legend}</legend>
      <div class="flex flex-wrap gap-1.5">
        {options.map((o) => {
          const on = selected.includes(o.value);
          return (
            <button
              key={o.value}
              type="button"
              aria-pressed={on}
              onClick={() => onChange(on ? selected.filter((v) => v !== o.value) : [...selected, o.value])}
              class={`rounded-full border px-2.5 py-1 text-xs font-medium transition ${
                on
                  ? 'border-accent bg-accent-soft text-accent-text'
                  : 'border-slate-300 text-slate-600 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-300 dark:hover:bg-slate-800'
              }`}
            >
              {o.label}
            </button>
          );
        })}
      </div>
    </fieldset>
  );
}

const RANGE_LABELS: Record<string, MessageKey> = {
  createdFrom: 'customers.filter.created',
  lastContactedFrom: 'customers.filter.lastContacted',
  lastPurchaseFrom: 'customers.filter.lastPurchase',
};

type Props = { filters: Filters; onChange: (next: Filters) => void; lookups: Lookups; currency: string };

/** Every filter of the customer list; each change applies at once (AND-combined by the API). */
export function FiltersPanel({ filters, onChange, lookups, currency }: Props) {
  const set = (key: string, value: string | string[] | null) => {
    const text = Array.isArray(value) ? value.join(',') : (value ?? '');
    const next = { ...filters };
    if (text) next[key] = text;
    else delete next[key];
    onChange(next);
  };
  const selectable = lookups.defs.filter((d) => d.type === 'select' || d.type === 'multiselect' || d.type === 'boolean');
  return (
    <div class="grid gap-5 border-b border-slate-200 p-4 sm:px-5 lg:grid-cols-2 dark:border-slate-800">
      <div class="grid gap-4 sm:grid-cols-2">
        <label class="block">
          <span class="mb-1.5 block text-sm font-medium text-slate-700 dark:text-slate-300">{t('customers.col.owner')}</span>
          <select class={inputClass} value={filters.ownerId ?? ''} onChange={(e) => set('ownerId', e.currentTarget.value)}>
            <option value="">{t('customers.filter.anyone')}</option>
            <option value="none">{t('customers.unassigned')}</option>
            {lookups.people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        {lookups.teams.length > 0 && (
          <label class="block">
            <span class="mb-1.5 block text-sm font-medium text-slate-700 dark:text-slate-300">{t('field.team')}</span>
            <select class={inputClass} value={filters.teamId ?? ''} onChange={(e) => set('teamId', e.currentTarget.value)}>
              <option value="">{t('customers.filter.anyTeam')}</option>
              {lookups.teams.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <div class="sm:col-span-2">
          <TagPicker label={t('customers.col.tags')} tags={lookups.tags} selected={csvValues(filters.tagId)} onChange={(ids) => set('tagId', ids)} />
        </div>
        <fieldset class="sm:col-span-2">
          <legend class="mb-1.5 text-sm font-medium text-slate-700 dark:text-slate-300">{t('customers.filter.spend', { currency })}</legend>
          <div class="flex items-center gap-2">
            <input
              class={inputClass}
              inputMode="decimal"
              aria-label={t('customers.filter.spendMin')}
              placeholder={t('customers.filter.min')}
              value={minorToInput(filters.spentMin ? Number(filters.spentMin) : null, currency)}
              onChange={(e) => set('spentMin', String(inputToMinor(e.currentTarget.value, currency) ?? ''))}
            />
            <span class="text-slate-400">–</span>
            <input
              class={inputClass}
              inputMode="decimal"
              aria-label={t('customers.filter.spendMax')}
              placeholder={t('customers.filter.max')}
              value={minorToInput(filters.spentMax ? Number(filters.spentMax) : null, currency)}
              onChange={(e) => set('spentMax', String(inputToMinor(e.currentTarget.value, currency) ?? ''))}
            />
          </div>
        </fieldset>
        {DATE_RANGES.map(([from, to]) => (
          <fieldset key={from} class="sm:col-span-2">
            <legend class="mb-1.5 text-sm font-medium text-slate-700 dark:text-slate-300">{t(RANGE_LABELS[from])}</legend>
            <div class="flex items-center gap-2">
              <input type="date" class={inputClass} aria-label={`${t(RANGE_LABELS[from])} · ${t('customers.filter.from')}`} value={filters[from] ?? ''} onChange={(e) => set(from, e.currentTarget.value)} />
              <span class="text-slate-400">–</span>
              <input type="date" class={inputClass} aria-label={`${t(RANGE_LABELS[from])} · ${t('customers.filter.to')}`} value={filters[to] ?? ''} onChange={(e) => set(to, e.currentTarget.value)} />
            </div>
          </fieldset>
        ))}
      </div>
      <div class="flex flex-col gap-4">
        <ToggleChips legend={t('customers.col.lifecycle')} options={LIFECYCLES.map((l) => ({ value: l, label: lifecycleLabel(l) }))} selected={csvValues(filters.lifecycle)} onChange={(v) => set('lifecycle', v)} />
        <ToggleChips legend={t('customers.col.rfm')} options={RFM_SEGMENTS.map((s) => ({ value: s, label: rfmLabel(s) }))} selected={csvValues(filters.rfmSegment)} onChange={(v) => set('rfmSegment', v)} />
        <ToggleChips legend={t('customers.col.source')} options={SOURCES.map((s) => ({ value: s, label: t(`source.${s}`) }))} selected={csvValues(filters.source)} onChange={(v) => set('source', v)} />
        {selectable.map((def) => (
          <label key={def.id} class="block">
            <span class="mb-1.5 block text-sm font-medium text-slate-700 dark:text-slate-300">{def.label}</span>
            <select class={inputClass} value={filters[`cf.${def.key}`] ?? ''} onChange={(e) => set(`cf.${def.key}`, e.currentTarget.value)}>
              <option value="">{t('customers.filter.any')}</option>
              {def.type === 'boolean' ? (
                // SQLite reads a JSON true as 1: the API compares the stored value as text.
                <>
                  <option value="1">{t('customFields.yes')}</option>
                  <option value="0">{t('customFields.no')}</option>
                </>
              ) : (
                def.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))
              )}
            </select>
          </label>
        ))}
        <div class="mt-auto flex justify-end">
          <Button size="sm" tone="ghost" icon="close" onClick={() => onChange(filters.q ? { q: filters.q } : {})}>
            {t('customers.filter.clear')}
          </Button>
        </div>
      </div>
    </div>
  );
}
