import '../../lib/i18n/pipeline';
import { useState } from 'preact/hooks';
import { Button } from '../../components/Button';
import { Badge, Card, PageHeader } from '../../components/Card';
import { confirmAction } from '../../components/Confirm';
import { Dialog } from '../../components/Dialog';
import { Checkbox, FormError, inputClass, InputField, SelectField } from '../../components/Field';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { toast } from '../../components/Toast';
import { ApiError } from '../../lib/api';
import { messageFor } from '../../lib/errors';
import { useAsync, useSubmit } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { can } from '../../lib/session';
import { createRule, deleteRule, listRules, updateRule, type AssignmentRule, type RuleBody, type RuleInput } from './api';
import { activePeople, useLookups, type Lookups } from './lookups';

type Kind = RuleBody['kind'];
const KINDS: Kind[] = ['round_robin', 'fixed', 'field_match'];
type Draft = { name: string; scopeType: AssignmentRule['scopeType']; scopeId: string; kind: Kind; userId: string; teamId: string; field: string; map: { value: string; userId: string }[]; fallbackUserId: string; isActive: boolean };

function draftOf(r: AssignmentRule | null, lookups: Lookups): Draft {
  const rule = r?.rule;
  return {
    name: r?.name ?? '',
    scopeType: r?.scopeType ?? 'pipeline',
    scopeId: r?.scopeId ?? lookups.pipelines[0]?.id ?? '',
    kind: rule?.kind ?? 'round_robin',
    userId: rule?.kind === 'fixed' ? rule.userId : '',
    teamId: rule?.kind === 'round_robin' ? rule.teamId : '',
    field: rule?.kind === 'field_match' ? rule.field : 'province',
    map: rule?.kind === 'field_match' ? Object.entries(rule.map).map(([value, userId]) => ({ value, userId })) : [{ value: '', userId: '' }],
    fallbackUserId: rule?.kind === 'field_match' && rule.fallback?.kind === 'fixed' ? rule.fallback.userId : '',
    isActive: r?.isActive ?? true,
  };
}

function bodyOf(d: Draft): RuleBody {
  if (d.kind === 'fixed') return { kind: 'fixed', userId: d.userId };
  if (d.kind === 'round_robin') return { kind: 'round_robin', teamId: d.teamId };
  const map = Object.fromEntries(d.map.filter((m) => m.value.trim() && m.userId).map((m) => [m.value.trim(), m.userId]));
  return { kind: 'field_match', field: d.field.trim(), map, fallback: d.fallbackUserId ? { kind: 'fixed', userId: d.fallbackUserId } : null };
}

function PersonSelect({ label, value, onChange, lookups, error, optional }: { label: string; value: string; onChange: (id: string) => void; lookups: Lookups; error?: string; optional?: string }) {
  return (
    <SelectField label={label} value={value} error={error} onChange={(e) => onChange(e.currentTarget.value)}>
      <option value="">{optional ?? t('pl.bulk.choose')}</option>
      {activePeople(lookups.people).map((p) => (
        <option key={p.id} value={p.id}>
          {p.name}
        </option>
      ))}
    </SelectField>
  );
}

function RuleDialog({ rule, lookups, onClose, onSaved }: { rule: AssignmentRule | null; lookups: Lookups; onClose: () => void; onSaved: () => void }) {
  const [d, setD] = useState(() => draftOf(rule, lookups));
  const set = (changes: Partial<Draft>) => setD((x) => ({ ...x, ...changes }));
  const submit = useSubmit(async () => {
    const input: RuleInput = { name: d.name.trim(), rule: bodyOf(d), isActive: d.isActive };
    if (rule) await updateRule(rule, input);
    else await createRule({ ...input, scopeType: d.scopeType, scopeId: d.scopeType === 'pipeline' ? d.scopeId : d.scopeId.trim() });
    toast(t('pl.rules.saved', { name: d.name.trim() }));
    onSaved();
  });
  const f = (name: string) => submit.field(name);
  const taken = submit.error instanceof ApiError && submit.error.code === 'rule_exists';
  return (
    <Dialog
      open
      wide
      onClose={onClose}
      title={rule ? t('pl.rules.editTitle', { name: rule.name }) : t('pl.rules.new')}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button tone="primary" type="submit" form="rule-form" busy={submit.busy}>
            {t('common.save')}
          </Button>
        </>
      }
    >
      <form
        id="rule-form"
        class="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run();
        }}
      >
        <FormError message={taken ? t('pl.rules.exists') : submit.error && !(submit.error instanceof ApiError && submit.error.errors.length) ? submit.message : null} />
        <InputField label={t('pl.rules.name')} value={d.name} maxLength={100} error={f('name')} onInput={(e) => set({ name: e.currentTarget.value })} />
        {!rule && (
          <div class="grid gap-4 sm:grid-cols-2">
            <SelectField label={t('pl.rules.scope')} value={d.scopeType} onChange={(e) => set({ scopeType: e.currentTarget.value as Draft['scopeType'], scopeId: e.currentTarget.value === 'pipeline' ? (lookups.pipelines[0]?.id ?? '') : '' })}>
              <option value="pipeline">{t('pl.rules.scope.pipeline')}</option>
              <option value="lead_source">{t('pl.rules.scope.lead_source')}</option>
            </SelectField>
            {d.scopeType === 'pipeline' ? (
              <SelectField label={t('pl.pipeline')} value={d.scopeId} error={f('scopeId')} onChange={(e) => set({ scopeId: e.currentTarget.value })}>
                {lookups.pipelines.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </SelectField>
            ) : (
              <InputField label={t('pl.rules.sourceName')} value={d.scopeId} error={f('scopeId')} onInput={(e) => set({ scopeId: e.currentTarget.value })} />
            )}
          </div>
        )}
        <fieldset>
          <legend class="mb-1.5 text-sm font-medium text-slate-700 dark:text-slate-300">{t('pl.rules.how')}</legend>
          <div class="flex flex-wrap gap-3">
            {KINDS.map((k) => (
              <label key={k} class="flex items-center gap-2 text-sm">
                <input type="radio" name="kind" value={k} checked={d.kind === k} onChange={() => set({ kind: k })} />
                {t(`pl.rules.kind.${k}`)}
              </label>
            ))}
          </div>
        </fieldset>
        {d.kind === 'fixed' && <PersonSelect label={t('pl.rules.owner')} value={d.userId} onChange={(userId) => set({ userId })} lookups={lookups} error={f('rule.userId')} />}
        {d.kind === 'round_robin' && (
          <SelectField label={t('pl.filter.team')} hint={t('pl.rules.roundRobinHint')} value={d.teamId} error={f('rule.teamId')} onChange={(e) => set({ teamId: e.currentTarget.value })}>
            <option value="">{t('pl.rules.chooseTeam')}</option>
            {lookups.teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </SelectField>
        )}
        {d.kind === 'field_match' && (
          <div class="space-y-3">
            <InputField label={t('pl.rules.field')} hint={t('pl.rules.fieldHint')} value={d.field} error={f('rule.field')} onInput={(e) => set({ field: e.currentTarget.value })} />
            <ul class="space-y-2" aria-label={t('pl.rules.map')}>
              {d.map.map((m, i) => (
                <li key={i} class="grid grid-cols-[1fr_1fr_auto] items-center gap-2">
                  <input class={inputClass} aria-label={t('pl.rules.value')} placeholder={t('pl.rules.value')} value={m.value} onInput={(e) => set({ map: d.map.map((x, j) => (j === i ? { ...x, value: e.currentTarget.value } : x)) })} />
                  <select class={inputClass} aria-label={t('pl.rules.owner')} value={m.userId} onChange={(e) => set({ map: d.map.map((x, j) => (j === i ? { ...x, userId: e.currentTarget.value } : x)) })}>
                    <option value="">{t('pl.bulk.choose')}</option>
                    {activePeople(lookups.people).map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name}
                      </option>
                    ))}
                  </select>
                  <Button tone="ghost" icon="trash" aria-label={t('pl.rules.removeValue')} onClick={() => set({ map: d.map.filter((_, j) => j !== i) })} />
                </li>
              ))}
            </ul>
            {f('rule.map') && <p class="text-xs text-red-600">{f('rule.map')}</p>}
            <Button size="sm" icon="plus" onClick={() => set({ map: [...d.map, { value: '', userId: '' }] })}>
              {t('pl.rules.addValue')}
            </Button>
            <PersonSelect label={t('pl.rules.fallback')} value={d.fallbackUserId} onChange={(fallbackUserId) => set({ fallbackUserId })} lookups={lookups} optional={t('pl.rules.noFallback')} error={f('rule.fallback')} />
          </div>
        )}
        <Checkbox label={t('pl.rules.active')} checked={d.isActive} onChange={(e) => set({ isActive: e.currentTarget.checked })} />
      </form>
    </Dialog>
  );
}

function describe(rule: AssignmentRule, lookups: Lookups): string {
  const person = (id: string) => lookups.people.find((p) => p.id === id)?.name ?? '—';
  const r = rule.rule;
  if (r.kind === 'fixed') return t('pl.rules.describe.fixed', { owner: person(r.userId) });
  if (r.kind === 'round_robin') return t('pl.rules.describe.round_robin', { team: lookups.teams.find((x) => x.id === r.teamId)?.name ?? '—' });
  return t('pl.rules.describe.field_match', { field: r.field, count: Object.keys(r.map).length });
}

/** Settings → Assignment rules: who gets new deals of a pipeline or new leads of a source. */
export function AssignmentRulesPage() {
  const lookups = useLookups();
  const rules = useAsync((signal) => listRules(signal), []);
  const [editing, setEditing] = useState<AssignmentRule | 'new' | null>(null);
  const canWrite = can('pipelines:write');
  const scopeName = (r: AssignmentRule) => (r.scopeType === 'pipeline' ? (lookups.pipelines.find((p) => p.id === r.scopeId)?.name ?? r.scopeId) : r.scopeId);
  const remove = async (rule: AssignmentRule) => {
    if (!(await confirmAction({ title: t('pl.rules.deleteTitle', { name: rule.name }), body: t('pl.rules.deleteBody'), confirmLabel: t('common.delete') }))) return;
    try {
      await deleteRule(rule);
      rules.reload();
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };
  return (
    <>
      <PageHeader
        title={t('pl.rules.title')}
        description={t('pl.rules.description')}
        actions={
          canWrite && (
            <Button tone="primary" icon="plus" onClick={() => setEditing('new')}>
              {t('pl.rules.new')}
            </Button>
          )
        }
      />
      <Card>
        {rules.error ? (
          <ErrorState error={rules.error} onRetry={rules.reload} />
        ) : !rules.data ? (
          <Loading />
        ) : rules.data.items.length === 0 ? (
          <EmptyState icon="team" title={t('pl.rules.emptyTitle')} body={t('pl.rules.emptyBody')} />
        ) : (
          <ul class="divide-y divide-slate-100 dark:divide-slate-800" aria-label={t('pl.rules.title')}>
            {rules.data.items.map((rule) => (
              <li key={rule.id} class="flex flex-wrap items-center justify-between gap-3 px-4 py-3 sm:px-5">
                <div class="min-w-0">
                  <p class="flex flex-wrap items-center gap-2 font-medium">
                    {rule.name}
                    {!rule.isActive && <Badge>{t('pl.rules.paused')}</Badge>}
                  </p>
                  <p class="text-sm text-slate-500 dark:text-slate-400">
                    {t(`pl.rules.scope.${rule.scopeType}`)}: {scopeName(rule)} · {describe(rule, lookups)}
                  </p>
                </div>
                {canWrite && (
                  <div class="flex gap-1">
                    <Button size="sm" icon="edit" onClick={() => setEditing(rule)}>
                      {t('common.edit')}
                    </Button>
                    <Button size="sm" tone="ghost" icon="trash" aria-label={t('pl.rules.deleteTitle', { name: rule.name })} onClick={() => remove(rule)} />
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
      {editing && (
        <RuleDialog
          rule={editing === 'new' ? null : editing}
          lookups={lookups}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            rules.reload();
          }}
        />
      )}
    </>
  );
}
