import { Card, PageHeader } from '../../components/Card';
import { EmptyState } from '../../components/States';
import { t } from '../../lib/i18n';

export function TasksPage() {
  return (
    <>
      <PageHeader title={t('nav.tasks')} description={t('tasks.description')} />
      <Card>
        <EmptyState icon="tasks" title={t('tasks.emptyTitle')} body={t('tasks.emptyBody')} />
      </Card>
    </>
  );
}
