import { useEffect } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ButtonLink } from '../../components/Button';
import { Card, PageHeader } from '../../components/Card';
import { EmptyState } from '../../components/States';
import { ApiError } from '../../lib/api';
import { fieldMessage } from '../../lib/errors';
import { useAsync } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { getContact } from './api';

export function NotFound() {
  return (
    <>
      <PageHeader title={t('customers.recordTitle')} />
      <Card>
        <EmptyState
          icon="user"
          title={t('customers.notFoundTitle')}
          body={t('customers.notFoundBody')}
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

export const isNotFound = (err: unknown) => err instanceof ApiError && err.status === 404;

/** A customer by id; a merged one sends the reader on to the record it now lives in. */
export function useContact(id: string, deps: unknown[] = []) {
  const { route } = useLocation();
  const state = useAsync((signal) => getContact(id, signal), [id, ...deps]);
  const mergedInto = state.error instanceof ApiError && state.error.code === 'merged' ? String(state.error.problem.mergedIntoId ?? '') : '';
  useEffect(() => {
    if (mergedInto) route(`/customers/${mergedInto}`, true);
  }, [mergedInto]);
  return state;
}

/** The inline message for a customer field, from the API's `errors[].field` (`phones.1`, `address.city`, …). */
export function contactFieldMessage(err: unknown, field: string): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const fe = err.errors.find((e) => e.field === field || e.field.startsWith(`${field}.`));
  if (!fe) return undefined;
  if (fe.code === 'invalid_phone' || field.startsWith('phones')) return t('customers.error.phone');
  if (field.startsWith('emails')) return t('error.email');
  if (field === 'birthday') return t('customers.error.date');
  if ((field === 'nationalId' || field === 'bankAccount') && fe.code === 'too_small') return t('customers.error.tooShort4');
  if (field === 'companyId' && fe.code === 'not_found') return t('customers.error.noCompany');
  return fieldMessage(err, field);
}

/** After a refused save, the first field marked invalid comes into view and takes the focus. */
export function focusFirstInvalid() {
  setTimeout(() => {
    const field = document.querySelector<HTMLElement>('main [aria-invalid="true"]');
    field?.scrollIntoView({ block: 'center' });
    field?.focus({ preventScroll: true });
  }, 0);
}
