import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Button } from '../../components/Button';
import { Card, PageHeader } from '../../components/Card';
import { SelectField } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { ErrorState, Loading } from '../../components/States';
import { toast } from '../../components/Toast';
import { messageFor } from '../../lib/errors';
import { formatTime } from '../../lib/format';
import { useAsync } from '../../lib/hooks';
import { timeZone } from '../../lib/i18n';
import { tt } from '../../lib/i18n/tasks';
import { can, me } from '../../lib/session';
import { getCalendar, rescheduleTask, type Task } from './api';
import { dueText, TasksNav, TYPE_ICON, usePeople } from './common';
import { addDays, addMonths, formatClock, formatDay, formatHour, formatMonth, formatWeekdayShort, localParts, startOfMonth, startOfWeek, todayIn, zonedIso } from './time';

type View = 'week' | 'month';
/** Where a dragged task was let go: a day (keep the time), the all-day row, or a time slot of a day. */
type DropTarget = { date: string; kind: 'day' | 'allday' | 'time'; minutes?: number };

const HOUR_PX = 48;
const SLOT_MINUTES = 30;

const dayOf = (task: Task, tz: string) => task.dueDate ?? (task.dueAt ? localParts(task.dueAt, tz).date : null);
const minutesOf = (task: Task, tz: string) => {
  if (!task.dueAt) return null;
  const [h, m] = localParts(task.dueAt, tz).time.split(':').map(Number);
  return h * 60 + m;
};
const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** The reschedule a drop asks for, or null when the task would not move. */
function moveFor(task: Task, target: DropTarget, tz: string): { dueAt: string } | { dueDate: string } | null {
  if (target.kind === 'allday' || (target.kind === 'day' && !task.dueAt)) return task.dueDate === target.date ? null : { dueDate: target.date };
  const time = target.kind === 'time' ? clock(target.minutes ?? 540) : task.dueAt ? localParts(task.dueAt, tz).time : '09:00';
  const dueAt = zonedIso(target.date, time, tz);
  return task.dueAt && new Date(task.dueAt).getTime() === new Date(dueAt).getTime() ? null : { dueAt };
}

function targetAt(x: number, y: number): DropTarget | null {
  for (const el of document.elementsFromPoint(x, y)) {
    const zone = (el as HTMLElement).closest?.('[data-drop-date]') as HTMLElement | null;
    if (!zone) continue;
    const kind = zone.dataset.dropKind as DropTarget['kind'];
    const date = zone.dataset.dropDate!;
    if (kind !== 'time') return { date, kind };
    const rect = zone.getBoundingClientRect();
    const minutes = Math.floor(((y - rect.top) / rect.height) * 24 * 60);
    return { date, kind, minutes: Math.min(24 * 60 - SLOT_MINUTES, Math.max(0, Math.floor(minutes / SLOT_MINUTES) * SLOT_MINUTES)) };
  }
  return null;
}

type Drag = { task: Task; x0: number; y0: number; dx: number; dy: number; moved: boolean; target: DropTarget | null };

/**
 * Drag a task chip to another day or time with a mouse, a pen or a finger (pointer events; the
 * chips do not scroll the page under a finger). A press without a move opens the task.
 */
function useDrag(onDrop: (task: Task, target: DropTarget) => void) {
  const [drag, setDrag] = useState<Drag | null>(null);
  const ref = useRef<Drag | null>(null);
  const suppressClick = useRef(false);
  const update = (next: Drag | null) => {
    ref.current = next;
    setDrag(next);
  };
  useEffect(() => {
    if (!drag) return;
    const move = (e: PointerEvent) => {
      const d = ref.current;
      if (!d) return;
      const dx = e.clientX - d.x0;
      const dy = e.clientY - d.y0;
      const moved = d.moved || Math.hypot(dx, dy) > 6;
      update({ ...d, dx, dy, moved, target: moved ? targetAt(e.clientX, e.clientY) : null });
    };
    const up = (e: PointerEvent) => {
      const d = ref.current;
      update(null);
      if (!d?.moved) return;
      suppressClick.current = true;
      setTimeout(() => (suppressClick.current = false), 0);
      const target = targetAt(e.clientX, e.clientY);
      if (target) onDrop(d.task, target);
    };
    const cancel = () => update(null);
    addEventListener('pointermove', move);
    addEventListener('pointerup', up);
    addEventListener('pointercancel', cancel);
    return () => {
      removeEventListener('pointermove', move);
      removeEventListener('pointerup', up);
      removeEventListener('pointercancel', cancel);
    };
  }, [Boolean(drag)]);
  return {
    drag,
    start: (task: Task, e: PointerEvent) => {
      if (e.button !== 0 || task.doneAt || !can('tasks:write')) return;
      update({ task, x0: e.clientX, y0: e.clientY, dx: 0, dy: 0, moved: false, target: null });
    },
    onClick: (e: Event) => {
      if (suppressClick.current) e.preventDefault();
    },
  };
}

type DragApi = ReturnType<typeof useDrag>;

function Chip({ task, drag, compact, style }: { task: Task; drag: DragApi; compact?: boolean; style?: Record<string, string> }) {
  const dragging = drag.drag?.task.id === task.id && drag.drag.moved;
  const done = Boolean(task.doneAt);
  const time = task.dueAt ? formatTime(task.dueAt) : null;
  return (
    <a
      href={`/tasks/${task.id}`}
      draggable={false}
      data-task-id={task.id}
      title={`${task.title}${time ? ` · ${time}` : ''}`}
      aria-label={`${task.title}, ${dueText(task)}`}
      onPointerDown={(e) => drag.start(task, e)}
      onClick={drag.onClick}
      style={{ ...style, ...(dragging ? { transform: `translate(${drag.drag!.dx}px, ${drag.drag!.dy}px)`, zIndex: '30', pointerEvents: 'none' } : {}) }}
      class={`flex min-w-0 touch-none items-center gap-1 overflow-hidden rounded-md px-1.5 py-0.5 text-xs select-none ${compact ? '' : 'leading-5'} ${
        done ? 'bg-slate-100 text-slate-500 line-through dark:bg-slate-800 dark:text-slate-400' : task.isOverdue ? 'bg-red-50 text-red-800 ring-1 ring-red-200 dark:bg-red-950 dark:text-red-200 dark:ring-red-900' : 'bg-accent-soft text-accent-text'
      } ${dragging ? 'shadow-lg ring-2 ring-accent' : 'cursor-grab'}`}
    >
      <Icon name={TYPE_ICON[task.type]} class="size-3 shrink-0" />
      {time && !compact && <span class="shrink-0 font-medium">{time}</span>}
      <span class="truncate">{task.title}</span>
    </a>
  );
}

const dropHighlight = (drag: DragApi, date: string, kind: DropTarget['kind']) => {
  const t = drag.drag?.target;
  return t && t.date === date && t.kind === kind ? 'bg-accent-soft/70 outline-2 -outline-offset-2 outline-accent' : '';
};

function MonthGrid({ anchor, today, byDay, drag }: { anchor: string; today: string; byDay: Map<string, Task[]>; drag: DragApi }) {
  const first = startOfWeek(startOfMonth(anchor));
  const days = Array.from({ length: 42 }, (_, i) => addDays(first, i));
  const month = anchor.slice(0, 7);
  return (
    <div class="grid grid-cols-7 border-t border-l border-slate-200 dark:border-slate-800">
      {days.slice(0, 7).map((d) => (
        <div key={`h${d}`} aria-hidden="true" class="border-r border-b border-slate-200 px-1 py-1.5 text-center text-xs font-medium text-slate-500 dark:border-slate-800 dark:text-slate-400">
          {formatWeekdayShort(d)}
        </div>
      ))}
      {days.map((d) => {
        const tasks = byDay.get(d) ?? [];
        return (
          <div
            key={d}
            data-drop-date={d}
            data-drop-kind="day"
            class={`relative flex min-h-20 min-w-0 flex-col gap-0.5 border-r border-b border-slate-200 p-0.5 sm:min-h-24 sm:p-1 dark:border-slate-800 ${d.slice(0, 7) === month ? '' : 'bg-slate-50 dark:bg-slate-950/40'} ${dropHighlight(drag, d, 'day')}`}
          >
            <span class="sr-only">{formatDay(d, 'long')}</span>
            <span aria-hidden="true" class={`self-end px-1 text-xs ${d === today ? 'rounded-full bg-accent font-semibold text-accent-fg' : d.slice(0, 7) === month ? 'text-slate-700 dark:text-slate-300' : 'text-slate-400'}`}>{Number(d.slice(8))}</span>
            {tasks.slice(0, 3).map((task) => (
              <Chip key={task.id} task={task} drag={drag} compact />
            ))}
            {tasks.length > 3 && (
              <a href={`/tasks/calendar?view=week&date=${d}`} class="px-1 text-xs font-medium text-accent-text hover:underline">
                {tt('calendar.more', { n: tasks.length - 3 })}
              </a>
            )}
          </div>
        );
      })}
    </div>
  );
}

/** Lanes side by side for tasks that would overlap (each shows as half an hour). */
function lanes(tasks: { task: Task; minutes: number }[]) {
  const ends: number[] = [];
  const placed = tasks.map(({ task, minutes }) => {
    let lane = ends.findIndex((end) => end <= minutes);
    if (lane === -1) lane = ends.push(0) - 1;
    ends[lane] = minutes + SLOT_MINUTES;
    return { task, minutes, lane };
  });
  return { placed, count: Math.max(1, ends.length) };
}

function WeekGrid({ anchor, today, byDay, drag, tz }: { anchor: string; today: string; byDay: Map<string, Task[]>; drag: DragApi; tz: string }) {
  const days = Array.from({ length: 7 }, (_, i) => addDays(startOfWeek(anchor), i));
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (body.current) body.current.scrollTop = 7 * HOUR_PX;
  }, []);
  const cols = 'grid grid-cols-[3.25rem_repeat(7,minmax(5.5rem,1fr))]';
  return (
    <div class="relative overflow-x-auto">
      <div class="min-w-[41.75rem]">
        <div class={`${cols} border-b border-slate-200 dark:border-slate-800`}>
          <div />
          {days.map((d) => (
            <div key={d} class={`px-1 py-2 text-center text-xs font-medium ${d === today ? 'text-accent-text' : 'text-slate-500 dark:text-slate-400'}`}>
              {formatDay(d, 'weekday')}
            </div>
          ))}
        </div>
        <div class={`${cols} border-b border-slate-200 dark:border-slate-800`}>
          <div class="self-center px-1 text-right text-[10px] text-slate-400">{tt('calendar.allDay')}</div>
          {days.map((d) => (
            <div key={d} data-drop-date={d} data-drop-kind="allday" class={`relative flex min-h-9 min-w-0 flex-col gap-0.5 border-l border-slate-200 p-0.5 dark:border-slate-800 ${dropHighlight(drag, d, 'allday')}`}>
              <span class="sr-only">{tt('calendar.allDayOn', { date: formatDay(d) })}</span>
              {(byDay.get(d) ?? [])
                .filter((task) => !task.dueAt)
                .map((task) => (
                  <Chip key={task.id} task={task} drag={drag} compact />
                ))}
            </div>
          ))}
        </div>
        <div ref={body} class="max-h-[60dvh] overflow-y-auto">
          <div class={cols}>
            <div class="relative" style={{ height: `${24 * HOUR_PX}px` }} aria-hidden="true">
              {Array.from({ length: 24 }, (_, h) => (
                <span key={h} class="absolute right-1 -translate-y-1/2 text-[10px] whitespace-nowrap text-slate-400" style={{ top: `${h * HOUR_PX}px` }}>
                  {h === 0 ? '' : formatHour(h)}
                </span>
              ))}
            </div>
            {days.map((d) => {
              const timed = (byDay.get(d) ?? [])
                .map((task) => ({ task, minutes: minutesOf(task, tz) }))
                .filter((x): x is { task: Task; minutes: number } => x.minutes !== null)
                .sort((a, b) => a.minutes - b.minutes);
              const { placed, count } = lanes(timed);
              const target = drag.drag?.target;
              return (
                <div
                  key={d}
                  data-drop-date={d}
                  data-drop-kind="time"
                  class={`relative min-w-0 border-l border-slate-200 dark:border-slate-800 ${d === today ? 'bg-accent-soft/20' : ''}`}
                  style={{ height: `${24 * HOUR_PX}px`, backgroundImage: `repeating-linear-gradient(to bottom, transparent 0 ${HOUR_PX - 1}px, rgb(148 163 184 / 0.25) ${HOUR_PX - 1}px ${HOUR_PX}px)` }}
                >
                  {target && target.kind === 'time' && target.date === d && (
                    <div class="pointer-events-none absolute inset-x-0.5 rounded-md bg-accent/20 ring-2 ring-accent" style={{ top: `${((target.minutes ?? 0) / 60) * HOUR_PX}px`, height: `${HOUR_PX / 2}px` }}>
                      <span class="px-1 text-[10px] font-semibold text-accent-text">{formatClock(clock(target.minutes ?? 0))}</span>
                    </div>
                  )}
                  {placed.map(({ task, minutes, lane }) => (
                    <Chip
                      key={task.id}
                      task={task}
                      drag={drag}
                      style={{ position: 'absolute', top: `${(minutes / 60) * HOUR_PX}px`, left: `calc(${(lane / count) * 100}% + 2px)`, width: `calc(${100 / count}% - 4px)`, height: `${HOUR_PX / 2 - 2}px` }}
                    />
                  ))}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}

/** `/tasks/calendar?view=week|month&date=YYYY-MM-DD&owner=`: tasks by day in the person's time zone; drag to reschedule. */
export function CalendarPage() {
  const { path, query, route } = useLocation();
  const tz = timeZone.value;
  const today = todayIn(tz);
  const view: View = query.view === 'week' ? 'week' : 'month';
  const anchor = /^\d{4}-\d{2}-\d{2}$/.test(query.date ?? '') ? query.date! : today;
  const myId = me.value!.user.id;
  const owner = query.owner ?? myId;
  const people = usePeople();
  const go = (changes: Record<string, string>) => {
    const next = new URLSearchParams({ ...query, ...changes });
    for (const [k, v] of [...next]) if (!v) next.delete(k);
    route(`${path}?${next}`, true);
  };
  const [from, to] = view === 'week' ? [startOfWeek(anchor), addDays(startOfWeek(anchor), 6)] : [startOfWeek(startOfMonth(anchor)), addDays(startOfWeek(startOfMonth(anchor)), 41)];
  const data = useAsync((signal) => getCalendar(from, to, owner === 'all' ? undefined : owner, signal), [from, to, owner]);
  const [items, setItems] = useState<Task[]>([]);
  useEffect(() => setItems(data.data?.items ?? []), [data.data]);

  const byDay = useMemo(() => {
    const map = new Map<string, Task[]>();
    for (const task of items) {
      const day = dayOf(task, tz);
      if (!day) continue;
      map.set(day, [...(map.get(day) ?? []), task]);
    }
    for (const list of map.values()) list.sort((a, b) => Number(Boolean(a.dueAt)) - Number(Boolean(b.dueAt)) || (a.dueAt ?? '').localeCompare(b.dueAt ?? ''));
    return map;
  }, [items, tz]);

  const drag = useDrag(async (task, target) => {
    const move = moveFor(task, target, tz);
    if (!move) return;
    const before = items;
    // Shown at once where it was dropped; put back if the server refuses.
    setItems((list) => list.map((x) => (x.id === task.id ? { ...x, dueAt: 'dueAt' in move ? move.dueAt : null, dueDate: 'dueDate' in move ? move.dueDate : null } : x)));
    try {
      const updated = await rescheduleTask(task, move);
      setItems((list) => list.map((x) => (x.id === updated.id ? updated : x)));
      toast(tt('calendar.moved', { title: task.title }));
    } catch (err) {
      setItems(before);
      toast(messageFor(err), 'error');
      // A stale copy (412) or a task gone meanwhile: show what the server has now.
      data.reload();
    }
  });

  const step = (n: number) => go({ date: view === 'week' ? addDays(anchor, 7 * n) : addMonths(anchor, n) });
  const title = view === 'week' ? `${formatDay(from, 'short')} – ${formatDay(to)}` : formatMonth(anchor);

  return (
    <>
      <PageHeader title={tt('tasks.calendar')} description={tt('calendar.description')} />
      <TasksNav />
      <Card>
        <div class="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-3 py-3 sm:px-5 dark:border-slate-800">
          <div class="flex items-center gap-1">
            <Button size="sm" icon="left" aria-label={view === 'week' ? tt('calendar.prevWeek') : tt('calendar.prevMonth')} onClick={() => step(-1)} />
            <Button size="sm" onClick={() => go({ date: '' })}>
              {tt('calendar.today')}
            </Button>
            <Button size="sm" icon="right" aria-label={view === 'week' ? tt('calendar.nextWeek') : tt('calendar.nextMonth')} onClick={() => step(1)} />
            <h2 class="ml-2 text-base font-semibold" aria-live="polite">
              {title}
            </h2>
          </div>
          <div class="flex flex-wrap items-end gap-2">
            <SelectField label={<span class="sr-only">{tt('tasks.assignee')}</span>} value={owner} onChange={(e) => go({ owner: e.currentTarget.value === myId ? '' : e.currentTarget.value })}>
              <option value={myId}>{tt('tasks.me')}</option>
              <option value="all">{tt('calendar.everyone')}</option>
              {people
                .filter((p) => p.id !== myId)
                .map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
            </SelectField>
            <div class="inline-flex rounded-lg border border-slate-300 p-0.5 dark:border-slate-700" role="group" aria-label={tt('calendar.viewLabel')}>
              {(['week', 'month'] as const).map((v) => (
                <button
                  key={v}
                  type="button"
                  aria-pressed={view === v}
                  onClick={() => go({ view: v === 'month' ? '' : v })}
                  class={`rounded-md px-3 py-1 text-sm font-medium ${view === v ? 'bg-accent text-accent-fg' : 'text-slate-600 dark:text-slate-300'}`}
                >
                  {tt(`calendar.${v}`)}
                </button>
              ))}
            </div>
          </div>
        </div>
        {data.error && !data.data ? (
          <ErrorState error={data.error} onRetry={data.reload} />
        ) : !data.data ? (
          <Loading />
        ) : (
          <div class={data.loading ? 'opacity-60 transition-opacity' : ''}>
            {view === 'week' ? <WeekGrid anchor={anchor} today={today} byDay={byDay} drag={drag} tz={tz} /> : <MonthGrid anchor={anchor} today={today} byDay={byDay} drag={drag} />}
          </div>
        )}
        <p class="border-t border-slate-200 px-4 py-2.5 text-xs text-slate-500 sm:px-5 dark:border-slate-800 dark:text-slate-400">{tt('calendar.hint', { zone: tz })}</p>
      </Card>
    </>
  );
}
