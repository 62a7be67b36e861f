import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Button, ButtonLink } from '../../components/Button';
import { Badge } from '../../components/Card';
import { Dialog } from '../../components/Dialog';
import { Checkbox, FormError, InputField } from '../../components/Field';
import { Icon, type IconName } from '../../components/Icon';
import { Menu, MenuItem } from '../../components/Menu';
import { toast } from '../../components/Toast';
import { formatTime } from '../../lib/format';
import { messageFor } from '../../lib/errors';
import { useSubmit } from '../../lib/hooks';
import { timeZone } from '../../lib/i18n';
import { tt } from '../../lib/i18n/tasks';
import { can } from '../../lib/session';
import { completeTask, listPeople, rescheduleTask, snoozeTask, uncompleteTask, type Priority, type Task, type TaskType } from './api';
import { addDays, formatDay, localParts, todayIn, zonedIso } from './time';
import type { User } from '../../lib/session';

export const TYPE_ICON: Record<TaskType, IconName> = { call: 'phone', email: 'mail', visit: 'building', meeting: 'calendar', todo: 'tasks' };
const PRIORITY_TONE: Record<Priority, 'gray' | 'accent' | 'amber' | 'red'> = { low: 'gray', normal: 'gray', high: 'amber', urgent: 'red' };

/** My day, the list and the calendar, as links (each has its own address), with "New task". */
export function TasksNav() {
  const { path } = useLocation();
  const items = [
    { href: '/tasks', label: tt('tasks.myDay'), icon: 'check' as const },
    { href: '/tasks/list', label: tt('tasks.list'), icon: 'list' as const },
    { href: '/tasks/calendar', label: tt('tasks.calendar'), icon: 'calendar' as const },
  ];
  return (
    <div class="mb-5 flex flex-wrap items-center justify-between gap-3">
      <nav aria-label={tt('tasks.views')} class="flex gap-1 overflow-x-auto rounded-lg border border-slate-200 bg-white p-0.5 dark:border-slate-800 dark:bg-slate-900">
        {items.map((item) => {
          const active = path === item.href || (item.href !== '/tasks' && path.startsWith(item.href));
          return (
            <a
              key={item.href}
              href={item.href}
              aria-current={active ? 'page' : undefined}
              class={`flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap ${active ? 'bg-accent text-accent-fg' : 'text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'}`}
            >
              <Icon name={item.icon} class="size-4" />
              {item.label}
            </a>
          );
        })}
      </nav>
      {can('tasks:write') && (
        <ButtonLink href="/tasks/new" tone="primary" icon="plus">
          {tt('tasks.new')}
        </ButtonLink>
      )}
    </div>
  );
}

/** When a task is due, in the reader's zone: a date for all-day tasks, a date and time otherwise. */
export function dueText(task: Task, tz = timeZone.value): string {
  if (task.dueDate) return `${formatDay(task.dueDate)} · ${tt('tasks.allDay')}`;
  if (!task.dueAt) return tt('tasks.noDue');
  const { date } = localParts(task.dueAt, tz);
  const today = todayIn(tz);
  const day = date === today ? tt('tasks.today') : date === addDays(today, 1) ? tt('tasks.tomorrow') : date === addDays(today, -1) ? tt('tasks.yesterday') : formatDay(date);
  return `${day} ${formatTime(task.dueAt)}`;
}

export function PriorityBadge({ priority }: { priority: Priority }) {
  if (priority === 'normal') return null;
  return <Badge tone={PRIORITY_TONE[priority]}>{tt(`priority.${priority}`)}</Badge>;
}

/** People who can be assigned, loaded once per visit to the tasks area. */
let peopleCache: Promise<User[]> | null = null;
export function usePeople(): User[] {
  const [people, setPeople] = useState<User[]>([]);
  useEffect(() => {
    peopleCache ??= listPeople().then(
      (page) => page.items.filter((u) => u.isActive),
      () => {
        peopleCache = null;
        return [];
      },
    );
    let live = true;
    void peopleCache.then((list) => live && setPeople(list));
    return () => {
      live = false;
    };
  }, []);
  return people;
}

/** Complete with an outcome (what happened: it goes on the customer's timeline). */
function CompleteDialog({ task, onClose, onDone }: { task: Task; onClose: () => void; onDone: (next: Task | null) => void }) {
  const [outcome, setOutcome] = useState('');
  const submit = useSubmit(async () => {
    const result = await completeTask(task, outcome.trim());
    onDone(result.next);
  });
  return (
    <Dialog
      open
      onClose={onClose}
      title={tt('tasks.completeTitle', { title: task.title })}
      footer={
        <>
          <Button onClick={onClose}>{tt('tasks.cancel')}</Button>
          <Button tone="primary" icon="check" busy={submit.busy} type="submit" form="task-complete-form">
            {tt('tasks.complete')}
          </Button>
        </>
      }
    >
      <form
        id="task-complete-form"
        class="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run();
        }}
      >
        <FormError message={submit.message} />
        <InputField
          label={tt('tasks.outcome')}
          hint={task.contactId ? tt('tasks.outcomeHintTimeline') : tt('tasks.outcomeHint')}
          value={outcome}
          onInput={(e) => setOutcome(e.currentTarget.value)}
          maxLength={500}
          autoFocus
          error={submit.field('outcome')}
        />
      </form>
    </Dialog>
  );
}

/** Move a task to another day (and time); the keyboard's way to do what the calendar's drag does. */
export function RescheduleDialog({ task, onClose, onDone }: { task: Task; onClose: () => void; onDone: (task: Task) => void }) {
  const tz = timeZone.value;
  const current = task.dueAt ? localParts(task.dueAt, tz) : { date: task.dueDate ?? todayIn(tz), time: '09:00' };
  const [allDay, setAllDay] = useState(Boolean(task.dueDate));
  const [date, setDate] = useState(current.date);
  const [time, setTime] = useState(current.time);
  const submit = useSubmit(async () => {
    const updated = await rescheduleTask(task, allDay ? { dueDate: date } : { dueAt: zonedIso(date, time, tz) });
    onDone(updated);
  });
  return (
    <Dialog
      open
      onClose={onClose}
      title={tt('tasks.rescheduleTitle', { title: task.title })}
      footer={
        <>
          <Button onClick={onClose}>{tt('tasks.cancel')}</Button>
          <Button tone="primary" busy={submit.busy} type="submit" form="task-reschedule-form">
            {tt('tasks.reschedule')}
          </Button>
        </>
      }
    >
      <form
        id="task-reschedule-form"
        class="grid gap-4 sm:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run();
        }}
      >
        <div class="sm:col-span-2">
          <FormError message={submit.message} />
        </div>
        <InputField label={tt('tasks.date')} type="date" required value={date} onInput={(e) => setDate(e.currentTarget.value)} error={submit.field('dueDate')} />
        {!allDay && <InputField label={tt('tasks.time')} type="time" required value={time} onInput={(e) => setTime(e.currentTarget.value)} error={submit.field('dueAt')} />}
        <div class="sm:col-span-2">
          <Checkbox label={tt('tasks.allDay')} checked={allDay} onChange={(e) => setAllDay(e.currentTarget.checked)} />
        </div>
      </form>
    </Dialog>
  );
}

type Dialogs = { kind: 'complete' | 'reschedule'; task: Task } | null;

/**
 * Complete, undo, snooze and reschedule for any list of tasks. `changed` is called after each
 * with the task as it is now (and the next occurrence of a recurring one) so that the view can refresh.
 */
export function useTaskActions(changed: (task: Task | null) => void) {
  const [dialog, setDialog] = useState<Dialogs>(null);
  const run = async (action: () => Promise<Task>, message: string) => {
    try {
      changed(await action());
      toast(message);
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };
  const tz = timeZone.value;
  return {
    complete: (task: Task) => setDialog({ kind: 'complete', task }),
    reschedule: (task: Task) => setDialog({ kind: 'reschedule', task }),
    uncomplete: (task: Task) => run(() => uncompleteTask(task), tt('tasks.reopened')),
    snoozeHour: (task: Task) => run(() => snoozeTask(task, { minutes: 60 }), tt('tasks.snoozed')),
    snoozeTomorrow: (task: Task) => run(() => snoozeTask(task, { until: zonedIso(addDays(todayIn(tz), 1), '09:00', tz) }), tt('tasks.snoozed')),
    dialogs:
      dialog?.kind === 'complete' ? (
        <CompleteDialog
          task={dialog.task}
          onClose={() => setDialog(null)}
          onDone={(next) => {
            setDialog(null);
            toast(next ? tt('tasks.completedNext', { due: dueText(next) }) : tt('tasks.completed'), 'success', { label: tt('tasks.undo'), run: () => void run(() => uncompleteTask(dialog.task, false), tt('tasks.reopened')) });
            changed(null);
          }}
        />
      ) : dialog?.kind === 'reschedule' ? (
        <RescheduleDialog
          task={dialog.task}
          onClose={() => setDialog(null)}
          onDone={(task) => {
            setDialog(null);
            toast(tt('tasks.rescheduled', { due: dueText(task) }));
            changed(task);
          }}
        />
      ) : null,
  };
}

export type TaskActions = ReturnType<typeof useTaskActions>;

/** One task in My day and the list: done toggle, title, when, who for, and the quick actions. */
export function TaskRow({ task, actions, people, extra }: { task: Task; actions: TaskActions; people?: User[]; extra?: ComponentChildren }) {
  const done = Boolean(task.doneAt);
  const writable = can('tasks:write');
  const owner = people?.find((p) => p.id === task.ownerId)?.name;
  return (
    <li class="flex items-start gap-3 px-4 py-3 sm:px-5" data-task-id={task.id}>
      <button
        type="button"
        class={`mt-0.5 grid size-5 shrink-0 place-items-center rounded-full border-2 ${done ? 'border-emerald-600 bg-emerald-600 text-white' : 'border-slate-300 text-transparent hover:border-emerald-600 hover:text-emerald-600 dark:border-slate-600'}`}
        aria-label={done ? tt('tasks.reopenNamed', { title: task.title }) : tt('tasks.completeNamed', { title: task.title })}
        title={done ? tt('tasks.reopen') : tt('tasks.complete')}
        disabled={!writable}
        onClick={() => (done ? void actions.uncomplete(task) : actions.complete(task))}
      >
        <Icon name="check" class="size-3" />
      </button>
      <div class="min-w-0 flex-1">
        <a href={`/tasks/${task.id}`} class={`block text-sm font-medium break-words hover:underline ${done ? 'text-slate-500 line-through dark:text-slate-400' : ''}`}>
          {task.title}
        </a>
        <div class="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-500 dark:text-slate-400">
          <span class="inline-flex items-center gap-1">
            <Icon name={TYPE_ICON[task.type]} class="size-3.5" />
            {tt(`type.${task.type}`)}
          </span>
          <span class={`inline-flex items-center gap-1 ${task.isOverdue && !done ? 'font-medium text-red-600 dark:text-red-400' : ''}`}>
            <Icon name="clock" class="size-3.5" />
            {dueText(task)}
          </span>
          {task.recurrence && (
            <span class="inline-flex items-center gap-1">
              <Icon name="refresh" class="size-3.5" />
              {tt('tasks.repeats')}
            </span>
          )}
          {task.contactId && (
            <a href={`/customers/${task.contactId}`} class="inline-flex items-center gap-1 text-accent-text hover:underline">
              <Icon name="user" class="size-3.5" />
              {task.contactName ?? tt('tasks.customer')}
            </a>
          )}
          {task.companyId && (
            <a href={`/companies/${task.companyId}`} class="inline-flex items-center gap-1 text-accent-text hover:underline">
              <Icon name="building" class="size-3.5" />
              {task.companyName ?? tt('tasks.company')}
            </a>
          )}
          {owner && <span>{owner}</span>}
          <PriorityBadge priority={task.priority} />
          {extra}
        </div>
        {done && task.outcome && <p class="mt-1 text-xs break-words text-slate-600 dark:text-slate-300">{tt('tasks.outcomeShown', { outcome: task.outcome })}</p>}
      </div>
      {writable && (
        <Menu label={tt('tasks.actionsFor', { title: task.title })}>
          {!done && (
            <>
              <MenuItem icon="check" onClick={() => actions.complete(task)}>
                {tt('tasks.complete')}
              </MenuItem>
              <MenuItem icon="clock" onClick={() => void actions.snoozeHour(task)}>
                {tt('tasks.snoozeHour')}
              </MenuItem>
              <MenuItem icon="clock" onClick={() => void actions.snoozeTomorrow(task)}>
                {tt('tasks.snoozeTomorrow')}
              </MenuItem>
              <MenuItem icon="calendar" onClick={() => actions.reschedule(task)}>
                {tt('tasks.rescheduleMenu')}
              </MenuItem>
            </>
          )}
          {done && (
            <MenuItem icon="undo" onClick={() => void actions.uncomplete(task)}>
              {tt('tasks.reopen')}
            </MenuItem>
          )}
          <MenuItem icon="edit" href={`/tasks/${task.id}`}>
            {tt('tasks.edit')}
          </MenuItem>
        </Menu>
      )}
    </li>
  );
}
