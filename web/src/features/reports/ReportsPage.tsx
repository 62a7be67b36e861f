import { Card, PageHeader } from '../../components/Card';
import { EmptyState } from '../../components/States';
import { t } from '../../lib/i18n';

export function ReportsPage() {
  return (
    <>
      <PageHeader title={t('nav.reports')} description={t('reports.description')} />
      <a href="/leads/report" class="mb-5 block rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-sm hover:border-accent sm:px-5 dark:border-slate-800 dark:bg-slate-900">
        <span class="font-semibold text-accent-text">{t('reports.leadSources')}</span>
        <span class="mt-0.5 block text-sm text-slate-500 dark:text-slate-400">{t('reports.leadSourcesBody')}</span>
      </a>
      <Card>
        <EmptyState icon="reports" title={t('reports.emptyTitle')} body={t('reports.emptyBody')} />
      </Card>
    </>
  );
}
