import type { ComponentChildren } from 'preact';
import { Card, CardHeader, PageHeader } from '../../components/Card';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { useAsync } from '../../lib/hooks';
import { tt } from '../../lib/i18n/tasks';
import { getMyDay, type Task } from './api';
import { TaskRow, TasksNav, useTaskActions, type TaskActions } from './common';
import { formatDay } from './time';

function Section({ title, tone, tasks, actions, empty }: { title: string; tone?: 'red'; tasks: Task[]; actions: TaskActions; empty?: ComponentChildren }) {
  if (tasks.length === 0 && !empty) return null;
  return (
    <Card>
      <CardHeader
        title={
          <span class={`flex items-center gap-2 ${tone === 'red' ? 'text-red-700 dark:text-red-400' : ''}`}>
            {title}
            <span class="rounded-full bg-slate-100 px-2 text-xs font-medium text-slate-600 dark:bg-slate-800 dark:text-slate-300">{tasks.length}</span>
          </span>
        }
      />
      {tasks.length === 0 ? (
        empty
      ) : (
        <ul class="divide-y divide-slate-100 dark:divide-slate-800" aria-label={title}>
          {tasks.map((task) => (
            <TaskRow key={task.id} task={task} actions={actions} />
          ))}
        </ul>
      )}
    </Card>
  );
}

/** `/tasks`: the signed-in person's overdue, today's and the coming week's open tasks, in their time zone. */
export function MyDayPage() {
  const day = useAsync((signal) => getMyDay(signal), []);
  const actions = useTaskActions(() => day.reload());
  const data = day.data;
  return (
    <>
      <PageHeader title={tt('tasks.myDay')} description={data ? tt('tasks.myDayFor', { date: formatDay(data.today, 'long') }) : tt('tasks.myDayDescription')} />
      <TasksNav />
      {day.error && !data ? (
        <Card>
          <ErrorState error={day.error} onRetry={day.reload} />
        </Card>
      ) : !data ? (
        <Card>
          <Loading />
        </Card>
      ) : data.overdue.length + data.dueToday.length + data.upcoming.length === 0 ? (
        <Card>
          <EmptyState icon="check" title={tt('tasks.clearTitle')} body={tt('tasks.clearBody')} />
        </Card>
      ) : (
        <div class={`flex flex-col gap-5 ${day.loading ? 'opacity-60 transition-opacity' : ''}`}>
          <Section title={tt('tasks.overdue')} tone="red" tasks={data.overdue} actions={actions} />
          <Section title={tt('tasks.today')} tasks={data.dueToday} actions={actions} empty={<p class="px-5 py-4 text-sm text-slate-500 dark:text-slate-400">{tt('tasks.nothingToday')}</p>} />
          <Section title={tt('tasks.upcoming')} tasks={data.upcoming} actions={actions} />
        </div>
      )}
      {actions.dialogs}
    </>
  );
}
