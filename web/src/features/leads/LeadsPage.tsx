import '../../lib/i18n/leads';
import { Route, Router } from 'preact-iso';
import { InboxPage } from './InboxPage';
import { LeadDetailPage } from './LeadDetailPage';
import { ReportPage } from './ReportPage';

/** `/leads/*`: the inbox (views in `?view=`), the lead-source report and one lead. Loaded on first visit. */
export function LeadsPage() {
  return (
    <Router>
      <Route path="/" component={InboxPage} />
      <Route path="/report" component={ReportPage} />
      <Route path="/:id" component={LeadDetailPage} />
    </Router>
  );
}
