import '../../lib/i18n/pipeline';
import { lazy, Route, Router } from 'preact-iso';
import { PageHeader } from '../../components/Card';
import { Icon } from '../../components/Icon';
import { EmptyState } from '../../components/States';
import { t } from '../../lib/i18n';
import { can } from '../../lib/session';
import { REPORTS } from './hub';

// Each report brings Chart.js with it on first visit; the hub itself stays small.
const ForecastPage = lazy(() => import('./ForecastPage').then((m) => m.ForecastPage));
const FunnelPage = lazy(() => import('./FunnelPage').then((m) => m.FunnelPage));
const WinLossPage = lazy(() => import('./WinLossPage').then((m) => m.WinLossPage));

function Hub() {
  const reports = REPORTS.filter((r) => can(r.permission));
  return (
    <>
      <PageHeader title={t('nav.reports')} description={t('reports.description')} />
      {reports.length === 0 ? (
        <EmptyState icon="reports" title={t('reports.emptyTitle')} body={t('reports.emptyBody')} />
      ) : (
        <ul class="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" aria-label={t('nav.reports')}>
          {reports.map((r) => (
            <li key={r.href}>
              <a href={r.href} class="flex h-full gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm transition hover:border-accent hover:shadow dark:border-slate-800 dark:bg-slate-900">
                <span class="grid size-10 shrink-0 place-items-center rounded-lg bg-accent-soft text-accent-text">
                  <Icon name={r.icon} class="size-5" />
                </span>
                <span class="min-w-0">
                  <span class="block font-semibold">{t(r.title)}</span>
                  <span class="mt-0.5 block text-sm text-slate-500 dark:text-slate-400">{t(r.description)}</span>
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function NotFound() {
  return <EmptyState icon="search" title={t('notFound.title')} body={t('notFound.body')} />;
}

/** `/reports/*`: the hub and each report. */
export function ReportsPage() {
  return (
    <Router>
      <Route path="/" component={Hub} />
      <Route path="/forecast" component={ForecastPage} />
      <Route path="/funnel" component={FunnelPage} />
      <Route path="/win-loss" component={WinLossPage} />
      <Route default component={NotFound} />
    </Router>
  );
}
