import { Card, PageHeader } from '../../components/Card';
import { EmptyState } from '../../components/States';
import { t } from '../../lib/i18n';

export function PipelinePage() {
  return (
    <>
      <PageHeader title={t('nav.pipeline')} description={t('pipeline.description')} />
      <Card>
        <EmptyState icon="pipeline" title={t('pipeline.emptyTitle')} body={t('pipeline.emptyBody')} />
      </Card>
    </>
  );
}
