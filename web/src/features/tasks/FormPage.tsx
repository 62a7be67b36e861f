import { useEffect, useId, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Button, ButtonLink } from '../../components/Button';
import { Badge, Card, CardHeader, PageHeader } from '../../components/Card';
import { confirmAction } from '../../components/Confirm';
import { Field, FormError, InputField, inputClass, SelectField } from '../../components/Field';
import { ErrorState, Loading } from '../../components/States';
import { toast } from '../../components/Toast';
import { formatDateTime } from '../../lib/format';
import { messageFor } from '../../lib/errors';
import { useAsync, useSubmit } from '../../lib/hooks';
import { timeZone } from '../../lib/i18n';
import { tt } from '../../lib/i18n/tasks';
import { can, me } from '../../lib/session';
import {
  createTask,
  deleteTask,
  getCompanyRef,
  getContactRef,
  getDealRef,
  getTask,
  PRIORITIES,
  searchCompanies,
  searchContacts,
  searchDeals,
  TASK_TYPES,
  updateTask,
  type Priority,
  type RecordRef,
  type Task,
  type TaskInput,
  type TaskType,
} from './api';
import { dueText, useTaskActions, usePeople } from './common';
import { RecordPicker } from './RecordPicker';
import { buildRule, parseRule, WEEKDAYS, type Freq, type Repeat, type Weekday } from './recurrence';
import { localParts, nextHour, zonedIso } from './time';

/** Minutes before the due time; an all-day task's reminders count back from 09:00 on its day. */
const REMINDER_CHOICES = [0, 5, 15, 30, 60, 120, 1440, 2880, 10080] as const;
const MAX_REMINDERS = 5;
type DueMode = 'time' | 'date' | 'none';

export function reminderLabel(minutes: number): string {
  if (minutes === 0) return tt('reminder.atTime');
  if (minutes % 1440 === 0) return tt('reminder.days', { n: minutes / 1440 });
  if (minutes % 60 === 0) return tt('reminder.hours', { n: minutes / 60 });
  return tt('reminder.minutes', { n: minutes });
}

/** Where "Save" and "Cancel" go back to: the tasks view the person came from. */
let lastView = '/tasks';
export const rememberView = (path: string) => {
  lastView = path;
};
/** `?back=/customers/…` (a customer, company or deal page's "New task"): a path in this app, else null. */
const backTo = (value: string | undefined) => (value && value.startsWith('/') && !value.startsWith('//') && !value.includes('\\') ? value : null);

type Prefill = { contact: RecordRef | null; company: RecordRef | null; deal: RecordRef | null };

function RepeatFields({ repeat, onChange }: { repeat: Repeat; onChange: (r: Repeat) => void }) {
  const set = (changes: Partial<Repeat>) => onChange({ ...repeat, ...changes });
  const groupId = useId();
  return (
    <div class="flex flex-col gap-3">
      <SelectField label={tt('tasks.repeat')} value={repeat.preset} onChange={(e) => set({ preset: e.currentTarget.value as Repeat['preset'] })}>
        {(['none', 'daily', 'weekly', 'monthly', 'custom'] as const).map((p) => (
          <option key={p} value={p}>
            {tt(`repeat.${p}`)}
          </option>
        ))}
      </SelectField>
      {repeat.preset === 'custom' && (
        <div class="grid gap-3 rounded-lg border border-slate-200 p-3 sm:grid-cols-2 dark:border-slate-800">
          <InputField label={tt('repeat.every')} type="number" min={1} max={365} value={String(repeat.interval)} onInput={(e) => set({ interval: Number(e.currentTarget.value) })} />
          <SelectField label={tt('repeat.unit')} value={repeat.freq} onChange={(e) => set({ freq: e.currentTarget.value as Freq })}>
            <option value="DAILY">{tt('repeat.unit.days')}</option>
            <option value="WEEKLY">{tt('repeat.unit.weeks')}</option>
            <option value="MONTHLY">{tt('repeat.unit.months')}</option>
          </SelectField>
          {repeat.freq === 'WEEKLY' && (
            <fieldset class="sm:col-span-2">
              <legend class="mb-1.5 text-sm font-medium text-slate-700 dark:text-slate-300">{tt('repeat.onDays')}</legend>
              <div class="flex flex-wrap gap-1.5">
                {WEEKDAYS.map((d: Weekday) => {
                  const on = repeat.byDay.includes(d);
                  return (
                    <label key={d} class={`cursor-pointer rounded-md border px-2.5 py-1 text-xs font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent ${on ? 'border-accent bg-accent text-accent-fg' : 'border-slate-300 dark:border-slate-700'}`}>
                      <input type="checkbox" class="sr-only" checked={on} onChange={() => set({ byDay: on ? repeat.byDay.filter((x) => x !== d) : [...repeat.byDay, d] })} />
                      {tt(`weekday.${d}`)}
                    </label>
                  );
                })}
              </div>
            </fieldset>
          )}
          <fieldset class="sm:col-span-2">
            <legend class="mb-1.5 text-sm font-medium text-slate-700 dark:text-slate-300">{tt('repeat.ends')}</legend>
            <div class="flex flex-col gap-2 text-sm">
              {(['never', 'count', 'until'] as const).map((end) => (
                <label key={end} class="flex flex-wrap items-center gap-2">
                  <input type="radio" name={`${groupId}-end`} checked={repeat.end === end} onChange={() => set({ end })} />
                  {tt(`repeat.end.${end}`)}
                  {end === 'count' && repeat.end === 'count' && (
                    <input type="number" min={1} max={1000} class={`${inputClass} w-24`} aria-label={tt('repeat.times')} value={String(repeat.count)} onInput={(e) => set({ count: Number(e.currentTarget.value) })} />
                  )}
                  {end === 'until' && repeat.end === 'until' && <input type="date" class={`${inputClass} w-44`} aria-label={tt('repeat.untilDate')} value={repeat.until} onInput={(e) => set({ until: e.currentTarget.value })} />}
                </label>
              ))}
            </div>
          </fieldset>
        </div>
      )}
    </div>
  );
}

function TaskForm({ task, prefill, back }: { task: Task | null; prefill: Prefill; back: string }) {
  const { route } = useLocation();
  const tz = timeZone.value;
  const people = usePeople();
  const myId = me.value!.user.id;
  const writable = can('tasks:write');
  const start = task?.dueAt ? localParts(task.dueAt, tz) : task?.dueDate ? { date: task.dueDate, time: '09:00' } : nextHour(tz);
  const [title, setTitle] = useState(task?.title ?? '');
  const [type, setType] = useState<TaskType>(task?.type ?? 'call');
  const [dueMode, setDueMode] = useState<DueMode>(task ? (task.dueAt ? 'time' : task.dueDate ? 'date' : 'none') : 'time');
  const [date, setDate] = useState(start.date);
  const [time, setTime] = useState(start.time);
  const [reminders, setReminders] = useState<number[]>(task?.reminderOffsets ?? [15]);
  const [ownerId, setOwnerId] = useState(task?.ownerId ?? myId);
  const [contact, setContact] = useState<RecordRef | null>(task?.contactId ? { id: task.contactId, name: task.contactName ?? task.contactId } : prefill.contact);
  const [company, setCompany] = useState<RecordRef | null>(task?.companyId ? { id: task.companyId, name: task.companyName ?? task.companyId } : prefill.company);
  const [deal, setDeal] = useState<RecordRef | null>(task?.dealId ? { id: task.dealId, name: task.dealName ?? task.dealId } : prefill.deal);
  const [priority, setPriority] = useState<Priority>(task?.priority ?? 'normal');
  const [notes, setNotes] = useState(task?.notes ?? '');
  const [repeat, setRepeat] = useState<Repeat>(parseRule(task?.recurrence ?? null));
  useEffect(() => setContact((c) => c ?? prefill.contact), [prefill.contact]);
  useEffect(() => setCompany((c) => c ?? prefill.company), [prefill.company]);
  useEffect(() => setDeal((d) => d ?? prefill.deal), [prefill.deal]);

  const submit = useSubmit(async () => {
    const input: TaskInput = {
      title: title.trim(),
      type,
      ...(dueMode === 'time' ? { dueAt: date && time ? zonedIso(date, time, tz) : null } : dueMode === 'date' ? { dueDate: date || null } : { dueAt: null, dueDate: null }),
      // No `timezone`: the server keeps the assignee's, in which recurrence and all-day reminders run.
      reminderOffsets: dueMode === 'none' ? [] : [...reminders].sort((a, b) => a - b),
      ownerId,
      contactId: contact?.id ?? null,
      companyId: company?.id ?? null,
      dealId: deal?.id ?? null,
      priority,
      notes: notes.trim() || null,
      recurrence: dueMode === 'none' ? null : buildRule(repeat),
    };
    if (task) {
      await updateTask(task, input);
      toast(tt('tasks.saved'));
    } else {
      await createTask(input);
      toast(tt('tasks.created'));
    }
    route(back);
  });
  const toggleReminder = (m: number) => setReminders((list) => (list.includes(m) ? list.filter((x) => x !== m) : [...list, m]));

  return (
    <form
      class="flex flex-col gap-5"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run();
      }}
    >
      <FormError message={submit.message} />
      <fieldset disabled={!writable} class="flex min-w-0 flex-col gap-5">
      <Card>
        <div class="grid gap-4 p-4 sm:grid-cols-2 sm:p-5">
          <InputField fieldClass="sm:col-span-2" label={tt('tasks.titleField')} value={title} onInput={(e) => setTitle(e.currentTarget.value)} required maxLength={200} autoFocus={!task} error={submit.field('title')} />
          <SelectField label={tt('tasks.type')} value={type} onChange={(e) => setType(e.currentTarget.value as TaskType)} error={submit.field('type')}>
            {TASK_TYPES.map((x) => (
              <option key={x} value={x}>
                {tt(`type.${x}`)}
              </option>
            ))}
          </SelectField>
          <SelectField label={tt('tasks.priority')} value={priority} onChange={(e) => setPriority(e.currentTarget.value as Priority)} error={submit.field('priority')}>
            {PRIORITIES.map((x) => (
              <option key={x} value={x}>
                {tt(`priority.${x}`)}
              </option>
            ))}
          </SelectField>
          <fieldset class="sm:col-span-2">
            <legend class="mb-1.5 text-sm font-medium text-slate-700 dark:text-slate-300">{tt('tasks.due')}</legend>
            <div class="flex flex-wrap gap-x-5 gap-y-2 text-sm">
              {(['time', 'date', 'none'] as const).map((m) => (
                <label key={m} class="flex items-center gap-2">
                  <input type="radio" name="dueMode" value={m} checked={dueMode === m} onChange={() => setDueMode(m)} />
                  {tt(`tasks.dueMode.${m}`)}
                </label>
              ))}
            </div>
          </fieldset>
          {dueMode !== 'none' && (
            <>
              <InputField label={tt('tasks.date')} type="date" required value={date} onInput={(e) => setDate(e.currentTarget.value)} error={submit.field(dueMode === 'date' ? 'dueDate' : 'dueAt')} />
              {dueMode === 'time' ? (
                <InputField label={tt('tasks.time')} type="time" required value={time} onInput={(e) => setTime(e.currentTarget.value)} hint={tt('tasks.inZone', { zone: tz })} />
              ) : (
                <p class="self-end pb-2 text-xs text-slate-500 dark:text-slate-400">{tt('tasks.allDayHint')}</p>
              )}
              <fieldset class="sm:col-span-2">
                <legend class="mb-1.5 text-sm font-medium text-slate-700 dark:text-slate-300">{tt('tasks.reminders')}</legend>
                <div class="flex flex-wrap gap-1.5">
                  {REMINDER_CHOICES.map((m) => {
                    const on = reminders.includes(m);
                    return (
                      <label
                        key={m}
                        class={`cursor-pointer rounded-md border px-2.5 py-1 text-xs font-medium has-[:disabled]:cursor-not-allowed has-[:disabled]:opacity-50 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent ${on ? 'border-accent bg-accent text-accent-fg' : 'border-slate-300 dark:border-slate-700'}`}
                      >
                        <input type="checkbox" class="sr-only" checked={on} disabled={!on && reminders.length >= MAX_REMINDERS} onChange={() => toggleReminder(m)} />
                        {reminderLabel(m)}
                      </label>
                    );
                  })}
                </div>
                <p class="mt-1.5 text-xs text-slate-500 dark:text-slate-400">{submit.field('reminderOffsets') ?? (dueMode === 'date' ? tt('tasks.remindersAllDay') : tt('tasks.remindersHint', { max: MAX_REMINDERS }))}</p>
              </fieldset>
              <div class="sm:col-span-2">
                <RepeatFields repeat={repeat} onChange={setRepeat} />
                {submit.field('recurrence') && (
                  <p role="alert" class="mt-1.5 text-xs font-medium text-red-600 dark:text-red-400">
                    {submit.field('recurrence')}
                  </p>
                )}
              </div>
            </>
          )}
        </div>
      </Card>
      <Card>
        <CardHeader title={tt('tasks.relatedTitle')} />
        <div class="grid gap-4 p-4 sm:grid-cols-2 sm:p-5">
          <SelectField label={tt('tasks.assignee')} value={ownerId ?? ''} onChange={(e) => setOwnerId(e.currentTarget.value)} error={submit.field('ownerId')}>
            {!people.some((p) => p.id === ownerId) && <option value={ownerId ?? ''}>{ownerId === myId ? me.value!.user.name : tt('tasks.someoneElse')}</option>}
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
          <RecordPicker label={tt('tasks.customer')} value={contact} onChange={setContact} search={searchContacts} error={submit.field('contactId')} />
          <RecordPicker label={tt('tasks.company')} value={company} onChange={setCompany} search={searchCompanies} error={submit.field('companyId')} />
          <RecordPicker label={tt('tasks.deal')} value={deal} onChange={setDeal} search={searchDeals} error={submit.field('dealId')} />
          <Field label={tt('tasks.notes')} error={submit.field('notes')} class="sm:col-span-2">
            {({ id, describedBy, invalid }) => (
              <textarea id={id} rows={4} maxLength={5000} class={inputClass} aria-invalid={invalid} aria-describedby={describedBy} value={notes} onInput={(e) => setNotes(e.currentTarget.value)} />
            )}
          </Field>
        </div>
      </Card>
      </fieldset>
      <div class="flex flex-wrap justify-end gap-2">
        <ButtonLink href={back}>{writable ? tt('tasks.cancel') : tt('tasks.back')}</ButtonLink>
        {writable && (
          <Button type="submit" tone="primary" busy={submit.busy}>
            {task ? tt('tasks.save') : tt('tasks.create')}
          </Button>
        )}
      </div>
    </form>
  );
}

/** Done state, complete/reopen and delete of an existing task, above its form. */
function TaskStatus({ task, reload, back }: { task: Task; reload: () => void; back: string }) {
  const { route } = useLocation();
  const actions = useTaskActions(reload);
  const writable = can('tasks:write');
  const remove = async () => {
    const ok = await confirmAction({ title: tt('tasks.deleteTitle'), body: tt('tasks.deleteBody', { title: task.title }), confirmLabel: tt('tasks.delete') });
    if (!ok) return;
    try {
      await deleteTask(task);
      toast(tt('tasks.deleted'));
      route(back);
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };
  return (
    <Card class="mb-5">
      <div class="flex flex-wrap items-center justify-between gap-3 p-4 sm:px-5">
        <div class="min-w-0 text-sm">
          {task.doneAt ? (
            <p class="flex flex-wrap items-center gap-2">
              <Badge tone="green">{tt('tasks.done')}</Badge>
              <span class="text-slate-600 dark:text-slate-300">{tt('tasks.doneAt', { at: formatDateTime(task.doneAt) })}</span>
              {task.outcome && <span class="break-words text-slate-600 dark:text-slate-300">· {tt('tasks.outcomeShown', { outcome: task.outcome })}</span>}
            </p>
          ) : (
            <p class="flex flex-wrap items-center gap-2">
              <Badge tone={task.isOverdue ? 'red' : 'accent'}>{task.isOverdue ? tt('tasks.overdue') : tt('tasks.open')}</Badge>
              <span class="text-slate-600 dark:text-slate-300">{dueText(task)}</span>
            </p>
          )}
        </div>
        {writable && (
          <div class="flex flex-wrap gap-2">
            {task.doneAt ? (
              <Button icon="undo" onClick={() => void actions.uncomplete(task)}>
                {tt('tasks.reopen')}
              </Button>
            ) : (
              <>
                <Button icon="clock" onClick={() => void actions.snoozeHour(task)}>
                  {tt('tasks.snoozeHour')}
                </Button>
                <Button icon="calendar" onClick={() => actions.reschedule(task)}>
                  {tt('tasks.reschedule')}
                </Button>
                <Button tone="primary" icon="check" onClick={() => actions.complete(task)}>
                  {tt('tasks.complete')}
                </Button>
              </>
            )}
            <Button tone="ghost" icon="trash" onClick={() => void remove()}>
              {tt('tasks.delete')}
            </Button>
          </div>
        )}
      </div>
      {actions.dialogs}
    </Card>
  );
}

/**
 * `/tasks/new` (optionally `?contactId=`, `?companyId=`, `?dealId=` to fill them in) and `/tasks/:id`;
 * `?back=` is where Save and Cancel return (the record page the task was started from).
 */
export function TaskFormPage({ id }: { id?: string }) {
  const { query } = useLocation();
  const existing = useAsync((signal) => (id ? getTask(id, signal) : Promise.resolve(null)), [id]);
  const [prefill, setPrefill] = useState<Prefill>({ contact: null, company: null, deal: null });
  useEffect(() => {
    if (id) return;
    const controller = new AbortController();
    const fill = (key: keyof Prefill, recordId: string | undefined, get: (id: string, signal: AbortSignal) => Promise<RecordRef>) => {
      if (!recordId) return;
      get(recordId, controller.signal).then(
        (r) => setPrefill((p) => ({ ...p, [key]: { id: r.id, name: r.name } })),
        () => undefined,
      );
    };
    fill('contact', query.contactId, getContactRef);
    fill('company', query.companyId, getCompanyRef);
    fill('deal', query.dealId, getDealRef);
    return () => controller.abort();
  }, [id, query.contactId, query.companyId, query.dealId]);
  const back = backTo(query.back) ?? lastView;

  const title = id ? (existing.data?.title ?? tt('tasks.task')) : tt('tasks.new');
  return (
    <>
      <PageHeader title={title} />
      {id && existing.error ? (
        <Card>
          <ErrorState error={existing.error} onRetry={existing.reload} />
        </Card>
      ) : id && !existing.data ? (
        <Card>
          <Loading />
        </Card>
      ) : (
        <>
          {existing.data && <TaskStatus task={existing.data} reload={existing.reload} back={back} />}
          <TaskForm key={`${existing.data?.id}:${existing.data?.version}`} task={existing.data ?? null} prefill={prefill} back={back} />
        </>
      )}
    </>
  );
}
