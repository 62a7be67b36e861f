import '../../lib/i18n/customers';
import { useEffect } from 'preact/hooks';
import { Route, Router } from 'preact-iso';
import { NotFound } from './common';
import { CustomerDetailPage } from './DetailPage';
import { CustomerFormPage } from './FormPage';
import { CustomersListPage } from './ListPage';
import { refreshLookups } from './lookups';
import { MergePage } from './MergePage';

/** `/customers/*`: the list, one customer, the create and edit forms and the merge screen. Loaded on first visit. */
export function CustomersPage() {
  useEffect(() => void refreshLookups(30_000), []);
  return (
    <Router>
      <Route path="/" component={CustomersListPage} />
      <Route path="/new" component={CustomerFormPage} />
      <Route path="/:id/edit" component={CustomerFormPage} />
      <Route path="/:id/merge" component={MergePage} />
      <Route path="/:id" component={CustomerDetailPage} />
      <Route default component={NotFound} />
    </Router>
  );
}
