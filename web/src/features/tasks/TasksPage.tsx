import '../../lib/i18n/tasks';
import { useEffect } from 'preact/hooks';
import { Route, Router, useLocation } from 'preact-iso';
import { ButtonLink } from '../../components/Button';
import { EmptyState } from '../../components/States';
import { tt } from '../../lib/i18n/tasks';
import { CalendarPage } from './CalendarPage';
import { rememberView, TaskFormPage } from './FormPage';
import { TaskListPage } from './ListPage';
import { MyDayPage } from './MyDayPage';

function NotFound() {
  return <EmptyState icon="search" title={tt('tasks.notFoundTitle')} body={tt('tasks.notFoundBody')} action={<ButtonLink href="/tasks">{tt('tasks.myDay')}</ButtonLink>} />;
}

const VIEWS = ['/tasks', '/tasks/list', '/tasks/calendar'];

/** `/tasks/*`: My day, the list, the calendar and the task form. Loaded on first visit. */
export function TasksPage() {
  const { path, url } = useLocation();
  // The form goes back to the view (with its filters) it was opened from.
  useEffect(() => {
    if (VIEWS.includes(path)) rememberView(url);
  }, [url]);
  return (
    <Router>
      <Route path="/" component={MyDayPage} />
      <Route path="/list" component={TaskListPage} />
      <Route path="/calendar" component={CalendarPage} />
      <Route path="/new" component={TaskFormPage} />
      <Route path="/:id" component={TaskFormPage} />
      <Route default component={NotFound} />
    </Router>
  );
}
