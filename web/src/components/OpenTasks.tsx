import { useId, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError, type Page } from '../lib/api';
import { messageFor } from '../lib/errors';
import { useSubmit } from '../lib/hooks';
import { locale, timeZone, type Params } from '../lib/i18n';
import { useLoadMore } from '../lib/load-more';
import type { User } from '../lib/session';
import { Button, ButtonLink } from './Button';
import { Card, CardHeader } from './Card';
import { Dialog } from './Dialog';
import { FormError, InputField } from './Field';
import { Icon, type IconName } from './Icon';
import { ErrorState, Loading } from './States';
import { toast } from './Toast';

/**
 * The "Open tasks" card of a customer, company or deal page: the record's open follow-ups
 * (`GET /tasks?contactId|companyId|dealId=…&status=open`), each with its due, type and assignee,
 * a quick "Done" that asks what happened, and "New task" prefilled with the record. Only the
 * fields the card shows: a feature's fuller task type fits as it is.
 */
export type OpenTaskType = 'call' | 'email' | 'visit' | 'meeting' | 'todo';
export type OpenTask = {
  id: string;
  title: string;
  type: OpenTaskType;
  dueAt: string | null;
  dueDate: string | null;
  ownerId: string | null;
  contactId: string | null;
  companyId: string | null;
  isOverdue: boolean;
  version: number;
};

/** The strings the card needs; each feature maps them onto its own lazily loaded catalog. */
export const OPEN_TASKS_KEYS = [
  'title',
  'new',
  'empty',
  'done',
  'doneNamed',
  'doneTitle',
  'outcome',
  'outcomeHint',
  'outcomeHintTimeline',
  'cancel',
  'completed',
  'completedNext',
  'undo',
  'reopened',
  'allDay',
  'noDue',
  'today',
  'tomorrow',
  'yesterday',
  'overdue',
  'assignedTo',
  'unassigned',
  'more',
  'type.call',
  'type.email',
  'type.visit',
  'type.meeting',
  'type.todo',
] as const;
export type OpenTasksKey = (typeof OPEN_TASKS_KEYS)[number];
export type OpenTasksText = (key: OpenTasksKey, params?: Params) => string;

const TYPE_ICON: Record<OpenTaskType, IconName> = { call: 'phone', email: 'mail', visit: 'building', meeting: 'calendar', todo: 'tasks' };

const utcDay = (date: string) => {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
};
const shiftDay = (date: string, days: number) => new Date(utcDay(date).getTime() + days * 86_400_000).toISOString().slice(0, 10);
/** The calendar day of an instant in a zone, `YYYY-MM-DD`. */
const dayIn = (iso: string, tz: string) => new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));

/** An all-day task as its date (never shifted by a zone); a timed one as day and time in the reader's zone. */
export function openTaskDue(task: Pick<OpenTask, 'dueAt' | 'dueDate'>, text: OpenTasksText, tz = timeZone.value): string {
  const today = dayIn(new Date().toISOString(), tz);
  const dayLabel = (date: string) =>
    date === today
      ? text('today')
      : date === shiftDay(today, 1)
        ? text('tomorrow')
        : date === shiftDay(today, -1)
          ? text('yesterday')
          : new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium', timeZone: 'UTC' }).format(utcDay(date));
  if (task.dueDate) return `${dayLabel(task.dueDate)} · ${text('allDay')}`;
  if (!task.dueAt) return text('noDue');
  const time = new Intl.DateTimeFormat(locale.value, { timeZone: tz, timeStyle: 'short' }).format(new Date(task.dueAt));
  return `${dayLabel(dayIn(task.dueAt, tz))} ${time}`;
}

function DoneDialog<T extends OpenTask>({
  task,
  text,
  complete,
  onClose,
  onDone,
  onStale,
}: {
  task: T;
  text: OpenTasksText;
  complete: (task: T, outcome: string) => Promise<{ next: T | null }>;
  onClose: () => void;
  onDone: (next: T | null) => void;
  /** The task changed meanwhile (412): the list reads it again; the dialog says why nothing happened. */
  onStale: () => void;
}) {
  const formId = useId();
  const [outcome, setOutcome] = useState('');
  const submit = useSubmit(async () => {
    try {
      const result = await complete(task, outcome.trim());
      onDone(result.next);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 412 || err.status === 404)) onStale();
      throw err;
    }
  });
  return (
    <Dialog
      open
      onClose={onClose}
      title={text('doneTitle', { title: task.title })}
      footer={
        <>
          <Button onClick={onClose}>{text('cancel')}</Button>
          <Button tone="primary" icon="check" busy={submit.busy} type="submit" form={formId}>
            {text('done')}
          </Button>
        </>
      }
    >
      <form
        id={formId}
        class="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run();
        }}
      >
        <FormError message={submit.field('outcome') ? null : submit.message} />
        <InputField
          label={text('outcome')}
          hint={task.contactId || task.companyId ? text('outcomeHintTimeline') : text('outcomeHint')}
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

type Props<T extends OpenTask> = {
  text: OpenTasksText;
  load: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>;
  complete: (task: T, outcome: string) => Promise<{ next: T | null }>;
  /** Reopens a task just completed (Undo). */
  reopen: (task: T) => Promise<unknown>;
  /** What "New task" fills in: `{ contactId }`, `{ companyId }` or `{ dealId, contactId? }`. */
  prefill: Record<string, string | null | undefined>;
  people: User[];
  /** May this person complete and add tasks here (tasks:write and the record is not read-only)? */
  canWrite: boolean;
  /** Anything that should read the list again (the record's version). */
  deps?: unknown[];
  /** Told after a task is completed or reopened (e.g. to refresh the record's timeline). */
  onChanged?: () => void;
};

export function OpenTasksCard<T extends OpenTask>({ text, load, complete, reopen, prefill, people, canWrite, deps = [], onChanged }: Props<T>) {
  const { url } = useLocation();
  const [completing, setCompleting] = useState<T | null>(null);
  const list = useLoadMore(load, deps);
  const reload = () => list.reload();
  const back = `back=${encodeURIComponent(url)}`;
  const query = Object.entries(prefill)
    .filter((e): e is [string, string] => Boolean(e[1]))
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .concat(back)
    .join('&');
  const headingId = useId();

  const done = (task: T, next: T | null) => {
    setCompleting(null);
    list.update((items) => items.filter((x) => x.id !== task.id));
    reload();
    onChanged?.();
    toast(next ? text('completedNext', { due: openTaskDue(next, text) }) : text('completed'), 'success', {
      label: text('undo'),
      run: () =>
        void reopen(task).then(
          () => {
            toast(text('reopened'));
            reload();
            onChanged?.();
          },
          (err) => toast(messageFor(err), 'error'),
        ),
    });
  };

  return (
    <Card class="min-w-0">
      <CardHeader
        title={
          <span id={headingId} class="flex items-center gap-2">
            {text('title')}
            {list.loaded && (
              <span class="rounded-full bg-slate-100 px-2 text-xs font-medium text-slate-600 dark:bg-slate-800 dark:text-slate-300">
                {list.items.length}
                {list.hasMore ? '+' : ''}
              </span>
            )}
          </span>
        }
        actions={
          canWrite && (
            <ButtonLink href={`/tasks/new?${query}`} size="sm" icon="plus">
              {text('new')}
            </ButtonLink>
          )
        }
      />
      {list.error && list.items.length === 0 ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : !list.loaded ? (
        <Loading />
      ) : list.items.length === 0 ? (
        <p class="px-4 py-4 text-sm text-slate-500 sm:px-5 dark:text-slate-400">{text('empty')}</p>
      ) : (
        <div class={list.loading ? 'opacity-60 transition-opacity' : ''}>
          <ul class="divide-y divide-slate-100 dark:divide-slate-800" aria-labelledby={headingId}>
            {list.items.map((task) => {
              const owner = task.ownerId ? people.find((p) => p.id === task.ownerId)?.name : null;
              return (
                <li key={task.id} class="flex items-start gap-3 px-4 py-3 sm:px-5" data-task-id={task.id}>
                  <span class="mt-0.5 grid size-7 shrink-0 place-items-center rounded-full bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300" aria-hidden="true">
                    <Icon name={TYPE_ICON[task.type]} class="size-3.5" />
                  </span>
                  <div class="min-w-0 flex-1">
                    <a href={`/tasks/${task.id}?${back}`} class="block text-sm font-medium break-words hover:text-accent-text hover:underline">
                      {task.title}
                    </a>
                    <div class="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-500 dark:text-slate-400">
                      <span>{text(`type.${task.type}`)}</span>
                      <span class={`inline-flex items-center gap-1 ${task.isOverdue ? 'font-medium text-red-600 dark:text-red-400' : ''}`}>
                        <Icon name="clock" class="size-3.5" />
                        {openTaskDue(task, text)}
                        {task.isOverdue && <span class="sr-only"> · {text('overdue')}</span>}
                      </span>
                      <span class="inline-flex min-w-0 items-center gap-1">
                        <Icon name="user" class="size-3.5 shrink-0" />
                        <span class="break-words">{task.ownerId ? text('assignedTo', { name: owner ?? '…' }) : text('unassigned')}</span>
                      </span>
                    </div>
                  </div>
                  {canWrite && (
                    <Button size="sm" icon="check" class="shrink-0" aria-label={text('doneNamed', { title: task.title })} onClick={() => setCompleting(task)}>
                      {text('done')}
                    </Button>
                  )}
                </li>
              );
            })}
          </ul>
          {(list.hasMore || list.error) && (
            <div class="flex flex-col items-center gap-2 border-t border-slate-200 p-3 dark:border-slate-800">
              {list.error ? <p class="text-sm text-red-600 dark:text-red-400">{messageFor(list.error)}</p> : null}
              <Button size="sm" busy={list.loadingMore} onClick={list.more}>
                {text('more')}
              </Button>
            </div>
          )}
        </div>
      )}
      {completing && (
        <DoneDialog
          task={completing}
          text={text}
          complete={complete}
          onClose={() => setCompleting(null)}
          onDone={(next) => done(completing, next)}
          onStale={reload}
        />
      )}
    </Card>
  );
}
