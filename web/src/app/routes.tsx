import { lazy, Route, Router } from 'preact-iso';
import { NotFoundPage } from './pages';
import { Redirect } from './Redirect';
import { SettingsArea } from './SettingsLayout';

const Home = () => <Redirect to="/customers" />;
// The customer and company pages load on first visit, so that sign-in and settings stay small.
const CustomersPage = lazy(() => import('../features/customers/CustomersPage').then((m) => m.CustomersPage));
const CompaniesPage = lazy(() => import('../features/companies/CompaniesPage').then((m) => m.CompaniesPage));
const LeadsPage = lazy(() => import('../features/leads/LeadsPage').then((m) => m.LeadsPage));
// The pipeline and the sales reports (Chart.js) load on first visit too.
const PipelinePage = lazy(() => import('../features/pipeline/PipelinePage').then((m) => m.PipelinePage));
const ReportsPage = lazy(() => import('../features/reports/ReportsPage').then((m) => m.ReportsPage));
const TasksPage = lazy(() => import('../features/tasks/TasksPage').then((m) => m.TasksPage));
const NotificationsPage = lazy(() => import('../features/notifications/NotificationsPage').then((m) => m.NotificationsPage));

export function AppRoutes() {
  return (
    <Router>
      <Route path="/" component={Home} />
      <Route path="/customers/*" component={CustomersPage} />
      <Route path="/customers" component={CustomersPage} />
      <Route path="/companies/*" component={CompaniesPage} />
      <Route path="/companies" component={CompaniesPage} />
      <Route path="/pipeline/*" component={PipelinePage} />
      <Route path="/pipeline" component={PipelinePage} />
      <Route path="/tasks/*" component={TasksPage} />
      <Route path="/tasks" component={TasksPage} />
      <Route path="/leads/*" component={LeadsPage} />
      <Route path="/leads" component={LeadsPage} />
      <Route path="/reports/*" component={ReportsPage} />
      <Route path="/reports" component={ReportsPage} />
      <Route path="/notifications" component={NotificationsPage} />
      <Route path="/settings/*" component={SettingsArea} />
      <Route path="/settings" component={SettingsArea} />
      <Route default component={NotFoundPage} />
    </Router>
  );
}
