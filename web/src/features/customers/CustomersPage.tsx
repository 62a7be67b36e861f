import { ButtonLink } from '../../components/Button';
import { Card, PageHeader } from '../../components/Card';
import { EmptyState } from '../../components/States';
import { t } from '../../lib/i18n';

export function CustomersPage({ rest }: { rest?: string }) {
  if (rest) {
    return (
      <>
        <PageHeader title={t('customers.recordTitle')} />
        <Card>
          <EmptyState
            icon="user"
            title={t('customers.recordEmptyTitle')}
            body={t('customers.recordEmptyBody')}
            action={
              <ButtonLink href="/customers" icon="left">
                {t('customers.backToList')}
              </ButtonLink>
            }
          />
        </Card>
      </>
    );
  }
  return (
    <>
      <PageHeader title={t('nav.customers')} description={t('customers.description')} />
      <Card>
        <EmptyState icon="customers" title={t('customers.emptyTitle')} body={t('customers.emptyBody')} />
      </Card>
    </>
  );
}
