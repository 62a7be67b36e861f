import { lazy, Route, Router } from 'preact-iso';
import { LeadsPage } from '../features/leads/LeadsPage';
import { PipelinePage } from '../features/pipeline/PipelinePage';
import { ReportsPage } from '../features/reports/ReportsPage';
import { TasksPage } from '../features/tasks/TasksPage';
import { NotFoundPage } from './pages';
import { Redirect } from './Redirect';
import { SettingsArea } from './SettingsLayout';

const Home = () => <Redirect to="/customers" />;
// The customer and company pages load on first visit, so that sign-in and settings stay small.
const CustomersPage = lazy(() => import('../features/customers/CustomersPage').then((m) => m.CustomersPage));
const CompaniesPage = lazy(() => import('../features/companies/CompaniesPage').then((m) => m.CompaniesPage));
const NotificationsPage = lazy(() => import('../features/notifications/NotificationsPage').then((m) => m.NotificationsPage));

export function AppRoutes() {
  return (
    <Router>
      <Route path="/" component={Home} />
      <Route path="/customers/*" component={CustomersPage} />
      <Route path="/customers" component={CustomersPage} />
      <Route path="/companies/*" component={CompaniesPage} />
      <Route path="/companies" component={CompaniesPage} />
      <Route path="/pipeline/:rest*" component={PipelinePage} />
      <Route path="/tasks/:rest*" component={TasksPage} />
      <Route path="/leads/:rest*" component={LeadsPage} />
      <Route path="/reports/:rest*" component={ReportsPage} />
      <Route path="/notifications" component={NotificationsPage} />
      <Route path="/settings/*" component={SettingsArea} />
      <Route path="/settings" component={SettingsArea} />
      <Route default component={NotFoundPage} />
    </Router>
  );
}
