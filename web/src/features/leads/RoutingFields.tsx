import type { ComponentChildren } from 'preact';
import { Button } from '../../components/Button';
import { Checkbox, inputClass, InputField, SelectField } from '../../components/Field';
import { t } from '../../lib/i18n';
import { SCORING_KINDS, type OwnerRule, type Routing, type ScoringKind, type ScoringRule } from './api';
import type { Lookups } from './lookups';

export const defaultRouting = (): Routing => ({ ownerRule: { kind: 'none' }, pipelineId: null, createDeal: false, tagIds: [], notifyUserIds: [], scoringRules: [] });

export function Fieldset({ legend, hint, children }: { legend: string; hint?: string; children: ComponentChildren }) {
  return (
    <fieldset class="flex min-w-0 flex-col gap-4 border-t border-slate-200 pt-5 first:border-t-0 first:pt-0 dark:border-slate-800">
      <div>
        <legend class="text-base font-semibold">{legend}</legend>
        {hint && <p class="mt-0.5 text-sm text-slate-500 dark:text-slate-400">{hint}</p>}
      </div>
      {children}
    </fieldset>
  );
}

/** A set of ids chosen from a list, as checkboxes that wrap on a phone. */
export function IdChecklist({ label, items, value, onChange, empty, error }: { label: string; items: { id: string; name: string }[]; value: string[]; onChange: (ids: string[]) => void; empty: string; error?: string }) {
  return (
    <div role="group" aria-label={label}>
      <div class="mb-1.5 text-sm font-medium text-slate-700 dark:text-slate-300">{label}</div>
      {items.length === 0 ? (
        <p class="text-sm text-slate-500 dark:text-slate-400">{empty}</p>
      ) : (
        <div class="flex flex-wrap gap-x-4 gap-y-2">
          {items.map((item) => (
            <Checkbox
              key={item.id}
              label={item.name}
              checked={value.includes(item.id)}
              onChange={(e) => onChange(e.currentTarget.checked ? [...value, item.id] : value.filter((id) => id !== item.id))}
            />
          ))}
        </div>
      )}
      {error && (
        <p role="alert" class="mt-1.5 text-xs font-medium text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}

function OwnerRuleEditor({ rule, onChange, fieldNames, lookups, error }: { rule: OwnerRule; onChange: (rule: OwnerRule) => void; fieldNames: string[]; lookups: Lookups; error?: string }) {
  const setKind = (kind: OwnerRule['kind']) => {
    if (kind === 'none') onChange({ kind });
    if (kind === 'fixed') onChange({ kind, userId: lookups.people[0]?.id ?? '' });
    if (kind === 'round_robin') onChange({ kind, teamId: lookups.teams[0]?.id ?? '' });
    if (kind === 'field_match') onChange({ kind, field: fieldNames[0] ?? '', map: {}, fallback: null });
  };
  const personOptions = lookups.people.map((p) => (
    <option key={p.id} value={p.id}>
      {p.name}
    </option>
  ));
  const entries = rule.kind === 'field_match' ? Object.entries(rule.map) : [];
  const setMap = (next: [string, string][]) => rule.kind === 'field_match' && onChange({ ...rule, map: Object.fromEntries(next) });
  return (
    <div class="flex flex-col gap-3">
      <div class="grid gap-4 sm:grid-cols-2">
        <SelectField label={t('leads.routing.ownerRule')} value={rule.kind} onChange={(e) => setKind(e.currentTarget.value as OwnerRule['kind'])} error={error}>
          <option value="none">{t('leads.routing.rule.none')}</option>
          <option value="fixed">{t('leads.routing.rule.fixed')}</option>
          <option value="round_robin" disabled={lookups.teams.length === 0 && rule.kind !== 'round_robin'}>
            {t('leads.routing.rule.round_robin')}
          </option>
          {fieldNames.length > 0 && <option value="field_match">{t('leads.routing.rule.field_match')}</option>}
        </SelectField>
        {rule.kind === 'fixed' && (
          <SelectField label={t('leads.owner')} value={rule.userId} onChange={(e) => onChange({ kind: 'fixed', userId: e.currentTarget.value })}>
            {personOptions}
          </SelectField>
        )}
        {rule.kind === 'round_robin' && (
          <SelectField label={t('field.team')} value={rule.teamId} onChange={(e) => onChange({ kind: 'round_robin', teamId: e.currentTarget.value })} hint={lookups.teams.length === 0 ? t('leads.routing.noTeams') : undefined}>
            {lookups.teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </SelectField>
        )}
        {rule.kind === 'field_match' && (
          <SelectField label={t('leads.routing.matchField')} value={rule.field} onChange={(e) => onChange({ ...rule, field: e.currentTarget.value })}>
            {fieldNames.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </SelectField>
        )}
      </div>
      {rule.kind === 'field_match' && (
        <div class="flex flex-col gap-2 rounded-lg border border-slate-200 p-3 dark:border-slate-800">
          <p class="text-sm text-slate-500 dark:text-slate-400">{t('leads.routing.matchHint', { field: rule.field })}</p>
          {entries.map(([value, userId], i) => (
            <div key={i} class="flex flex-wrap items-end gap-2">
              <InputField fieldClass="min-w-32 flex-1" label={t('leads.routing.whenValue')} value={value} onInput={(e) => setMap(entries.map((x, j) => (j === i ? [e.currentTarget.value, x[1]] : x)))} />
              <SelectField fieldClass="min-w-32 flex-1" label={t('leads.owner')} value={userId} onChange={(e) => setMap(entries.map((x, j) => (j === i ? [x[0], e.currentTarget.value] : x)))}>
                {personOptions}
              </SelectField>
              <Button tone="ghost" icon="trash" aria-label={t('leads.routing.removeMatch')} onClick={() => setMap(entries.filter((_, j) => j !== i))} />
            </div>
          ))}
          <div class="flex flex-wrap items-end gap-3">
            <Button size="sm" icon="plus" onClick={() => setMap([...entries, ['', lookups.people[0]?.id ?? '']])}>
              {t('leads.routing.addMatch')}
            </Button>
            <SelectField
              fieldClass="min-w-48"
              label={t('leads.routing.fallback')}
              value={rule.fallback?.kind === 'fixed' ? rule.fallback.userId : ''}
              onChange={(e) => onChange({ ...rule, fallback: e.currentTarget.value ? { kind: 'fixed', userId: e.currentTarget.value } : null })}
            >
              <option value="">{t('leads.routing.rule.none')}</option>
              {personOptions}
            </SelectField>
          </div>
        </div>
      )}
    </div>
  );
}

function defaultScoring(kind: ScoringKind, fieldNames: string[]): ScoringRule {
  switch (kind) {
    case 'field_equals':
      return { when: kind, field: fieldNames[0] ?? '', value: '', points: 10 };
    case 'field_present':
      return { when: kind, field: fieldNames[0] ?? '', points: 5 };
    case 'source':
      return { when: kind, value: 'form', points: 5 };
    case 'repeat':
      return { when: kind, points: 15 };
    default:
      return { when: kind, value: '', points: 10 };
  }
}

function ScoringEditor({ rules, onChange, fieldNames, error }: { rules: ScoringRule[]; onChange: (rules: ScoringRule[]) => void; fieldNames: string[]; error?: string }) {
  const set = (i: number, rule: ScoringRule) => onChange(rules.map((r, j) => (j === i ? rule : r)));
  return (
    <div class="flex flex-col gap-2">
      <div class="text-sm font-medium text-slate-700 dark:text-slate-300">{t('leads.routing.scoring')}</div>
      <p class="text-sm text-slate-500 dark:text-slate-400">{t('leads.routing.scoringHint')}</p>
      {error && (
        <p role="alert" class="text-sm font-medium text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
      {rules.map((rule, i) => (
        <div key={i} class="flex flex-wrap items-end gap-2 rounded-lg border border-slate-200 p-2 dark:border-slate-800">
          <SelectField fieldClass="min-w-40 flex-1" label={t('leads.routing.when')} value={rule.when} onChange={(e) => set(i, defaultScoring(e.currentTarget.value as ScoringKind, fieldNames))}>
            {SCORING_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`leads.routing.score.${k}`)}
              </option>
            ))}
          </SelectField>
          {(rule.when === 'field_equals' || rule.when === 'field_present') && (
            <SelectField fieldClass="min-w-32 flex-1" label={t('leads.routing.field')} value={rule.field} onChange={(e) => set(i, { ...rule, field: e.currentTarget.value })}>
              {fieldNames.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </SelectField>
          )}
          {rule.when === 'source' ? (
            <SelectField fieldClass="min-w-32 flex-1" label={t('leads.routing.value')} value={rule.value} onChange={(e) => set(i, { ...rule, value: e.currentTarget.value as 'form' | 'hook' })}>
              <option value="form">{t('leads.sourceForm')}</option>
              <option value="hook">{t('leads.sourceHook')}</option>
            </SelectField>
          ) : (
            'value' in rule && (
              <InputField fieldClass="min-w-32 flex-1" label={t('leads.routing.value')} value={rule.value} onInput={(e) => set(i, { ...rule, value: e.currentTarget.value } as ScoringRule)} />
            )
          )}
          <InputField fieldClass="w-24" label={t('leads.routing.points')} type="number" value={String(rule.points)} onInput={(e) => set(i, { ...rule, points: Number(e.currentTarget.value) || 0 })} />
          <Button tone="ghost" icon="trash" aria-label={t('leads.routing.removeScore')} onClick={() => onChange(rules.filter((_, j) => j !== i))} />
        </div>
      ))}
      <div>
        <Button size="sm" icon="plus" onClick={() => onChange([...rules, defaultScoring('field_present', fieldNames)])}>
          {t('leads.routing.addScore')}
        </Button>
      </div>
    </div>
  );
}

/** Owner rule, target pipeline, tags, who else hears of it, and scoring: shared by forms and hook sources. */
export function RoutingFields({ value, onChange, fieldNames, lookups, field }: { value: Routing; onChange: (next: Routing) => void; fieldNames: string[]; lookups: Lookups; field: (name: string) => string | undefined }) {
  const set = (changes: Partial<Routing>) => onChange({ ...value, ...changes });
  return (
    <>
      <OwnerRuleEditor rule={value.ownerRule} onChange={(ownerRule) => set({ ownerRule })} fieldNames={fieldNames} lookups={lookups} error={field('ownerRule')} />
      {lookups.pipelines.length > 0 && (
        <div class="grid items-end gap-4 sm:grid-cols-2">
          <SelectField label={t('leads.routing.pipeline')} value={value.pipelineId ?? ''} onChange={(e) => set({ pipelineId: e.currentTarget.value || null, createDeal: e.currentTarget.value ? value.createDeal : false })} error={field('pipelineId')}>
            <option value="">{t('leads.routing.noPipeline')}</option>
            {lookups.pipelines.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
          <div class="pb-2">
            <Checkbox label={t('leads.routing.createDeal')} disabled={!value.pipelineId} checked={value.createDeal} onChange={(e) => set({ createDeal: e.currentTarget.checked })} />
          </div>
        </div>
      )}
      <IdChecklist label={t('leads.routing.tags')} items={lookups.tags} value={value.tagIds} onChange={(tagIds) => set({ tagIds })} empty={t('leads.routing.noTags')} error={field('tagIds')} />
      <IdChecklist label={t('leads.routing.notify')} items={lookups.people} value={value.notifyUserIds} onChange={(notifyUserIds) => set({ notifyUserIds })} empty="" error={field('notifyUserIds')} />
      <ScoringEditor rules={value.scoringRules} onChange={(scoringRules) => set({ scoringRules })} fieldNames={fieldNames} error={field('scoringRules')} />
    </>
  );
}

export const textareaClass = `${inputClass} min-h-20`;
