import { Card, PageHeader } from '../../components/Card';
import { EmptyState } from '../../components/States';
import { t } from '../../lib/i18n';

export function ReportsPage() {
  return (
    <>
      <PageHeader title={t('nav.reports')} description={t('reports.description')} />
      <Card>
        <EmptyState icon="reports" title={t('reports.emptyTitle')} body={t('reports.emptyBody')} />
      </Card>
    </>
  );
}
