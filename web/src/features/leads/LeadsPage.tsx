import { Card, PageHeader } from '../../components/Card';
import { EmptyState } from '../../components/States';
import { t } from '../../lib/i18n';

export function LeadsPage() {
  return (
    <>
      <PageHeader title={t('nav.leads')} description={t('leads.description')} />
      <Card>
        <EmptyState icon="leads" title={t('leads.emptyTitle')} body={t('leads.emptyBody')} />
      </Card>
    </>
  );
}
