import '../../lib/i18n/pipeline';
// The shared timeline and "Load more" speak from the customer catalog (activity kinds, orders, tickets).
import '../../lib/i18n/customers';
import { useEffect } from 'preact/hooks';
import { Route, Router } from 'preact-iso';
import { BoardPage } from './BoardPage';
import { NotFound } from './common';
import { DealDetailPage } from './DetailPage';
import { DealFormPage } from './FormPage';
import { DealListPage } from './ListPage';
import { refreshLookups } from './lookups';

/** `/pipeline/*`: the board, the list, one deal, and the create and edit forms. Loaded on first visit. */
export function PipelinePage() {
  useEffect(() => void refreshLookups(), []);
  return (
    <Router>
      <Route path="/" component={BoardPage} />
      <Route path="/list" component={DealListPage} />
      <Route path="/new" component={DealFormPage} />
      <Route path="/:id/edit" component={DealFormPage} />
      <Route path="/:id" component={DealDetailPage} />
      <Route default component={NotFound} />
    </Router>
  );
}
