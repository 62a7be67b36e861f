import '../../lib/i18n/tasks';
import { useEffect, useState } from 'preact/hooks';
import { Button } from '../../components/Button';
import { Badge, Card, CardHeader, PageHeader } from '../../components/Card';
import { confirmAction } from '../../components/Confirm';
import { Dialog } from '../../components/Dialog';
import { Checkbox, FormError, InputField, inputClass, SelectField } from '../../components/Field';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { toast } from '../../components/Toast';
import { messageFor } from '../../lib/errors';
import { useAsync, useSubmit } from '../../lib/hooks';
import { tt } from '../../lib/i18n/tasks';
import { can } from '../../lib/session';
import {
  CADENCE_TRIGGERS,
  changeEnrollment,
  createCadence,
  deleteCadence,
  enroll,
  getContactRef,
  getReminderRules,
  LIFECYCLE_STAGES,
  listCadences,
  listEnrollments,
  listSegments,
  listTags,
  RULE_KINDS,
  saveReminderRules,
  searchContacts,
  STOP_RULES,
  TASK_TYPES,
  updateCadence,
  type Cadence,
  type CadenceInput,
  type CadenceStep,
  type CadenceTrigger,
  type RecordRef,
  type ReminderRule,
  type StopRule,
  type TaskType,
} from './api';
import { RecordPicker } from './RecordPicker';

function RulesForm({ initial, segments }: { initial: ReminderRule[]; segments: RecordRef[] }) {
  const writable = can('settings:write');
  const [rules, setRules] = useState(initial);
  const set = (kind: ReminderRule['kind'], changes: Partial<ReminderRule>) => setRules((list) => list.map((r) => (r.kind === kind ? { ...r, ...changes } : r)));
  const submit = useSubmit(async () => {
    setRules((await saveReminderRules(rules)).rules);
    toast(tt('rules.saved'));
  });
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run();
      }}
    >
      {submit.message && (
        <div class="px-4 pt-4 sm:px-5">
          <FormError message={submit.message} />
        </div>
      )}
      <fieldset disabled={!writable} class="min-w-0">
        <ul class="divide-y divide-slate-100 dark:divide-slate-800">
          {RULE_KINDS.map((kind, index) => {
            const rule = rules.find((r) => r.kind === kind) ?? { kind, isEnabled: false, days: 30, segmentIds: [] };
            const daysError = submit.field(`rules.${index}.days`);
            return (
              <li key={kind} class="flex flex-col gap-3 px-4 py-4 sm:px-5">
                <Checkbox label={<span class="font-medium">{tt(`rules.${kind}`)}</span>} checked={rule.isEnabled} onChange={(e) => set(kind, { isEnabled: e.currentTarget.checked })} />
                {rule.isEnabled && (
                  <div class="flex flex-col gap-3 pl-6">
                    <label class="flex flex-wrap items-center gap-2 text-sm text-slate-700 dark:text-slate-300">
                      {tt(`rules.${kind}.before`)}
                      <input type="number" min={0} max={365} class={`${inputClass} w-24`} value={String(rule.days)} aria-invalid={Boolean(daysError)} onInput={(e) => set(kind, { days: Number(e.currentTarget.value) })} />
                      {tt(`rules.${kind}.after`)}
                    </label>
                    {daysError && <p class="text-xs font-medium text-red-600 dark:text-red-400">{daysError}</p>}
                    {kind === 'no_contact' && (
                      <fieldset>
                        <legend class="mb-1.5 text-sm text-slate-600 dark:text-slate-400">{tt('rules.segments')}</legend>
                        {segments.length === 0 ? (
                          <p class="text-xs text-slate-500 dark:text-slate-400">{tt('rules.noSegments')}</p>
                        ) : (
                          <div class="flex flex-wrap gap-x-4 gap-y-2">
                            {segments.map((s) => (
                              <Checkbox
                                key={s.id}
                                label={s.name}
                                checked={rule.segmentIds.includes(s.id)}
                                onChange={(e) => set(kind, { segmentIds: e.currentTarget.checked ? [...rule.segmentIds, s.id] : rule.segmentIds.filter((x) => x !== s.id) })}
                              />
                            ))}
                          </div>
                        )}
                      </fieldset>
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      </fieldset>
      {writable && (
        <div class="flex justify-end border-t border-slate-200 px-4 py-3 sm:px-5 dark:border-slate-800">
          <Button type="submit" tone="primary" busy={submit.busy}>
            {tt('rules.save')}
          </Button>
        </div>
      )}
    </form>
  );
}

function ReminderRulesCard() {
  const data = useAsync(async (signal) => {
    const [rules, segments] = await Promise.all([getReminderRules(signal), listSegments(signal).catch(() => ({ items: [] as RecordRef[] }))]);
    return { rules: rules.rules, segments: segments.items };
  }, []);
  return (
    <Card>
      <CardHeader title={tt('rules.title')} description={tt('rules.body')} />
      {data.error && !data.data ? <ErrorState error={data.error} onRetry={data.reload} /> : !data.data ? <Loading /> : <RulesForm initial={data.data.rules} segments={data.data.segments} />}
    </Card>
  );
}

const EMPTY_CADENCE: CadenceInput = { name: '', trigger: 'manual', triggerValue: null, stopOn: ['archived'], isActive: true, steps: [{ day: 1, taskType: 'call', title: '' }] };

function CadenceEditor({ cadence, tags, onClose, onSaved }: { cadence: Cadence | null; tags: RecordRef[]; onClose: () => void; onSaved: () => void }) {
  const [value, setValue] = useState<CadenceInput>(cadence ? { name: cadence.name, trigger: cadence.trigger, triggerValue: cadence.triggerValue, stopOn: cadence.stopOn, isActive: cadence.isActive, steps: cadence.steps } : EMPTY_CADENCE);
  const set = (changes: Partial<CadenceInput>) => setValue((v) => ({ ...v, ...changes }));
  const setStep = (i: number, changes: Partial<CadenceStep>) => set({ steps: value.steps.map((s, j) => (j === i ? { ...s, ...changes } : s)) });
  const submit = useSubmit(async () => {
    const input: CadenceInput = {
      ...value,
      name: value.name.trim(),
      triggerValue: value.trigger === 'manual' ? null : value.triggerValue,
      steps: value.steps.map((s) => ({ day: s.day, taskType: s.taskType, title: s.title.trim(), notes: s.notes ?? null })),
    };
    if (cadence) await updateCadence(cadence, input);
    else await createCadence(input);
    toast(tt('cadences.saved'));
    onSaved();
  });
  return (
    <Dialog
      open
      wide
      onClose={onClose}
      title={cadence ? tt('cadences.edit') : tt('cadences.new')}
      footer={
        <>
          <Button onClick={onClose}>{tt('tasks.cancel')}</Button>
          <Button tone="primary" type="submit" form="cadence-form" busy={submit.busy}>
            {tt('cadences.save')}
          </Button>
        </>
      }
    >
      <form
        id="cadence-form"
        class="grid gap-4 sm:grid-cols-2"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run();
        }}
      >
        <div class="sm:col-span-2">
          <FormError message={submit.message} />
        </div>
        <InputField fieldClass="sm:col-span-2" label={tt('cadences.name')} value={value.name} onInput={(e) => set({ name: e.currentTarget.value })} maxLength={200} error={submit.field('name')} />
        <SelectField label={tt('cadences.trigger')} value={value.trigger} onChange={(e) => set({ trigger: e.currentTarget.value as CadenceTrigger, triggerValue: e.currentTarget.value === 'lifecycle' ? 'customer' : e.currentTarget.value === 'tag' ? (tags[0]?.id ?? null) : null })}>
          {CADENCE_TRIGGERS.map((x) => (
            <option key={x} value={x}>
              {tt(`cadences.trigger.${x}`)}
            </option>
          ))}
        </SelectField>
        {value.trigger === 'lifecycle' && (
          <SelectField label={tt('cadences.stage')} value={value.triggerValue ?? ''} onChange={(e) => set({ triggerValue: e.currentTarget.value })} error={submit.field('triggerValue')}>
            {LIFECYCLE_STAGES.map((x) => (
              <option key={x} value={x}>
                {tt(`stage.${x}`)}
              </option>
            ))}
          </SelectField>
        )}
        {value.trigger === 'tag' && (
          <SelectField label={tt('cadences.tag')} value={value.triggerValue ?? ''} onChange={(e) => set({ triggerValue: e.currentTarget.value })} error={submit.field('triggerValue')}>
            {tags.length === 0 && <option value="">{tt('cadences.noTags')}</option>}
            {tags.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </SelectField>
        )}
        {value.trigger === 'manual' && <p class="self-end pb-2 text-xs text-slate-500 dark:text-slate-400">{tt('cadences.manualHint')}</p>}
        <fieldset class="sm:col-span-2">
          <legend class="mb-1.5 text-sm font-medium text-slate-700 dark:text-slate-300">{tt('cadences.stopOn')}</legend>
          <div class="flex flex-wrap gap-x-5 gap-y-2">
            {STOP_RULES.map((rule: StopRule) => (
              <Checkbox key={rule} label={tt(`cadences.stop.${rule}`)} checked={value.stopOn.includes(rule)} onChange={(e) => set({ stopOn: e.currentTarget.checked ? [...value.stopOn, rule] : value.stopOn.filter((x) => x !== rule) })} />
            ))}
          </div>
        </fieldset>
        <div class="sm:col-span-2">
          <Checkbox label={tt('cadences.active')} checked={value.isActive} onChange={(e) => set({ isActive: e.currentTarget.checked })} />
        </div>
        <fieldset class="sm:col-span-2">
          <legend class="mb-1.5 text-sm font-medium text-slate-700 dark:text-slate-300">{tt('cadences.steps')}</legend>
          <ol class="flex flex-col gap-3">
            {value.steps.map((step, i) => (
              <li key={i} class="grid grid-cols-[5rem_1fr] gap-2 rounded-lg border border-slate-200 p-2.5 sm:grid-cols-[5rem_8rem_1fr_auto] dark:border-slate-800">
                <InputField label={tt('cadences.day')} type="number" min={1} max={365} value={String(step.day)} onInput={(e) => setStep(i, { day: Number(e.currentTarget.value) })} error={submit.field(`steps.${i}.day`)} />
                <SelectField label={tt('tasks.type')} value={step.taskType} onChange={(e) => setStep(i, { taskType: e.currentTarget.value as TaskType })}>
                  {TASK_TYPES.map((x) => (
                    <option key={x} value={x}>
                      {tt(`type.${x}`)}
                    </option>
                  ))}
                </SelectField>
                <InputField fieldClass="col-span-2 sm:col-span-1" label={tt('tasks.titleField')} value={step.title} onInput={(e) => setStep(i, { title: e.currentTarget.value })} maxLength={300} error={submit.field(`steps.${i}.title`)} />
                <div class="col-span-2 flex items-end justify-end sm:col-span-1">
                  <Button size="sm" tone="ghost" icon="trash" disabled={value.steps.length === 1} aria-label={tt('cadences.removeStep', { n: i + 1 })} onClick={() => set({ steps: value.steps.filter((_, j) => j !== i) })} />
                </div>
              </li>
            ))}
          </ol>
          {submit.field('steps') && <p class="mt-1.5 text-xs font-medium text-red-600 dark:text-red-400">{submit.field('steps')}</p>}
          <Button
            class="mt-3"
            size="sm"
            icon="plus"
            disabled={value.steps.length >= 20}
            onClick={() => set({ steps: [...value.steps, { day: (value.steps[value.steps.length - 1]?.day ?? 0) + 7, taskType: 'call', title: '' }] })}
          >
            {tt('cadences.addStep')}
          </Button>
        </fieldset>
      </form>
    </Dialog>
  );
}

function Enrollments({ cadence }: { cadence: Cadence }) {
  const list = useAsync(async (signal) => {
    const { items } = await listEnrollments(cadence.id, signal);
    // Names come with the list when the server sends them; otherwise each customer is read once.
    const missing = [...new Set(items.filter((e) => !e.contactName).map((e) => e.contactId))].slice(0, 50);
    const names = new Map(await Promise.all(missing.map((id) => getContactRef(id, signal).then((c) => [id, c.name] as const, () => [id, null] as const))));
    return { items: items.map((e) => ({ ...e, contactName: e.contactName ?? names.get(e.contactId) ?? null })) };
  }, [cadence.id]);
  const [contact, setContact] = useState<RecordRef | null>(null);
  const writable = can('tasks:write');
  const act = async (run: () => Promise<unknown>, message: string) => {
    try {
      await run();
      toast(message);
      list.reload();
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };
  useEffect(() => {
    if (!contact) return;
    void act(() => enroll(cadence.id, contact.id), tt('cadences.enrolled', { name: contact.name })).then(() => setContact(null));
  }, [contact]);
  return (
    <div class="border-t border-slate-100 px-4 py-3 sm:px-5 dark:border-slate-800">
      {writable && (
        <div class="mb-3 max-w-sm">
          <RecordPicker label={tt('cadences.enroll')} value={contact} onChange={setContact} search={searchContacts} />
        </div>
      )}
      {list.error ? (
        <p class="text-sm text-red-600 dark:text-red-400">{messageFor(list.error)}</p>
      ) : !list.data ? (
        <Loading />
      ) : list.data.items.length === 0 ? (
        <p class="text-sm text-slate-500 dark:text-slate-400">{tt('cadences.noEnrollments')}</p>
      ) : (
        <ul class="divide-y divide-slate-100 text-sm dark:divide-slate-800" aria-label={tt('cadences.enrollments', { name: cadence.name })}>
          {list.data.items.map((e) => (
            <li key={e.id} class="flex flex-wrap items-center justify-between gap-2 py-2">
              <span class="flex min-w-0 flex-wrap items-center gap-2">
                <a href={`/customers/${e.contactId}`} class="font-medium text-accent-text hover:underline">
                  {e.contactName ?? e.contactId}
                </a>
                <Badge tone={e.status === 'active' ? 'green' : e.status === 'paused' ? 'amber' : 'gray'}>{tt(`enrollment.${e.status}`)}</Badge>
                <span class="text-xs text-slate-500 dark:text-slate-400">{tt('cadences.startedOn', { date: e.startedOn })}</span>
              </span>
              {writable && (e.status === 'active' || e.status === 'paused') && (
                <span class="flex gap-1.5">
                  {e.status === 'active' ? (
                    <Button size="sm" onClick={() => void act(() => changeEnrollment(e.id, 'pause'), tt('cadences.paused'))}>
                      {tt('cadences.pause')}
                    </Button>
                  ) : (
                    <Button size="sm" onClick={() => void act(() => changeEnrollment(e.id, 'resume'), tt('cadences.resumed'))}>
                      {tt('cadences.resume')}
                    </Button>
                  )}
                  <Button size="sm" tone="ghost" onClick={() => void act(() => changeEnrollment(e.id, 'stop'), tt('cadences.stopped'))}>
                    {tt('cadences.stop')}
                  </Button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function triggerText(c: Cadence, tags: RecordRef[]): string {
  if (c.trigger === 'lifecycle') return tt('cadences.when.lifecycle', { stage: c.triggerValue ? tt(`stage.${c.triggerValue as (typeof LIFECYCLE_STAGES)[number]}`) : '' });
  if (c.trigger === 'tag') return tt('cadences.when.tag', { tag: tags.find((x) => x.id === c.triggerValue)?.name ?? c.triggerValue ?? '' });
  return tt('cadences.when.manual');
}

function CadencesCard() {
  const data = useAsync(async (signal) => {
    const [cadences, tags] = await Promise.all([listCadences(signal), listTags(signal).catch(() => ({ items: [] as RecordRef[] }))]);
    return { cadences: cadences.items, tags: tags.items };
  }, []);
  const [editing, setEditing] = useState<Cadence | 'new' | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const configurable = can('settings:write');
  const remove = async (c: Cadence) => {
    if (!(await confirmAction({ title: tt('cadences.deleteTitle'), body: tt('cadences.deleteBody', { name: c.name }), confirmLabel: tt('tasks.delete') }))) return;
    try {
      await deleteCadence(c);
      toast(tt('cadences.deleted'));
      data.reload();
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };
  return (
    <Card>
      <CardHeader
        title={tt('cadences.title')}
        description={tt('cadences.body')}
        actions={
          configurable && (
            <Button tone="primary" icon="plus" onClick={() => setEditing('new')}>
              {tt('cadences.new')}
            </Button>
          )
        }
      />
      {data.error && !data.data ? (
        <ErrorState error={data.error} onRetry={data.reload} />
      ) : !data.data ? (
        <Loading />
      ) : data.data.cadences.length === 0 ? (
        <EmptyState icon="refresh" title={tt('cadences.emptyTitle')} body={tt('cadences.emptyBody')} />
      ) : (
        <ul class="divide-y divide-slate-100 dark:divide-slate-800" aria-label={tt('cadences.title')}>
          {data.data.cadences.map((c) => (
            <li key={c.id}>
              <div class="flex flex-wrap items-start justify-between gap-3 px-4 py-3 sm:px-5">
                <div class="min-w-0">
                  <p class="flex flex-wrap items-center gap-2 text-sm font-medium">
                    {c.name}
                    {!c.isActive && <Badge>{tt('cadences.inactive')}</Badge>}
                  </p>
                  <p class="mt-0.5 text-xs text-slate-500 dark:text-slate-400">{triggerText(c, data.data!.tags)}</p>
                  <ol class="mt-1.5 flex flex-wrap gap-1.5 text-xs">
                    {c.steps.map((s, i) => (
                      <li key={s.id ?? i} class="rounded-md bg-slate-100 px-2 py-0.5 text-slate-700 dark:bg-slate-800 dark:text-slate-300">
                        {tt('cadences.stepShort', { day: s.day, type: tt(`type.${s.taskType}`), title: s.title })}
                      </li>
                    ))}
                  </ol>
                </div>
                <div class="flex flex-wrap gap-1.5">
                  <Button size="sm" aria-expanded={open === c.id} onClick={() => setOpen(open === c.id ? null : c.id)}>
                    {tt('cadences.customers')}
                  </Button>
                  {configurable && (
                    <>
                      <Button size="sm" icon="edit" onClick={() => setEditing(c)}>
                        {tt('tasks.edit')}
                      </Button>
                      <Button size="sm" tone="ghost" icon="trash" aria-label={tt('cadences.deleteNamed', { name: c.name })} onClick={() => void remove(c)} />
                    </>
                  )}
                </div>
              </div>
              {open === c.id && <Enrollments cadence={c} />}
            </li>
          ))}
        </ul>
      )}
      {editing && (
        <CadenceEditor
          cadence={editing === 'new' ? null : editing}
          tags={data.data?.tags ?? []}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            data.reload();
          }}
        />
      )}
    </Card>
  );
}

/** Settings → Follow-ups: the workspace's data reminders and its follow-up plans (cadences). */
export function FollowUpSettingsPage() {
  return (
    <>
      <PageHeader title={tt('followUps.title')} description={tt('followUps.description')} />
      <div class="flex flex-col gap-5">
        <CadencesCard />
        <ReminderRulesCard />
      </div>
    </>
  );
}
