import { Route, Router } from 'preact-iso';
import { CustomersPage } from '../features/customers/CustomersPage';
import { LeadsPage } from '../features/leads/LeadsPage';
import { PipelinePage } from '../features/pipeline/PipelinePage';
import { ReportsPage } from '../features/reports/ReportsPage';
import { TasksPage } from '../features/tasks/TasksPage';
import { NotFoundPage } from './pages';
import { Redirect } from './Redirect';
import { SettingsArea } from './SettingsLayout';

const Home = () => <Redirect to="/customers" />;

export function AppRoutes() {
  return (
    <Router>
      <Route path="/" component={Home} />
      <Route path="/customers/:rest*" component={CustomersPage} />
      <Route path="/pipeline/:rest*" component={PipelinePage} />
      <Route path="/tasks/:rest*" component={TasksPage} />
      <Route path="/leads/:rest*" component={LeadsPage} />
      <Route path="/reports/:rest*" component={ReportsPage} />
      <Route path="/settings/*" component={SettingsArea} />
      <Route path="/settings" component={SettingsArea} />
      <Route default component={NotFoundPage} />
    </Router>
  );
}
