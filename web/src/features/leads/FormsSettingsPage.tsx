import '../../lib/i18n/leads';
import { ButtonLink } from '../../components/Button';
import { Badge, Card, PageHeader } from '../../components/Card';
import { AsyncList, EmptyState } from '../../components/States';
import { td, Table } from '../../components/Table';
import { formatRelative } from '../../lib/format';
import { useAsync } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { can } from '../../lib/session';
import { listForms } from './api';

/** Settings → Forms: the workspace's lead forms; each opens its editor with the embed code. */
export function FormsSettingsPage() {
  const forms = useAsync((signal) => listForms(signal), []);
  const newButton = can('forms:write') && (
    <ButtonLink href="/settings/forms/new" tone="primary" icon="plus">
      {t('leads.forms.new')}
    </ButtonLink>
  );
  return (
    <>
      <PageHeader title={t('leads.forms.title')} description={t('leads.forms.description')} actions={newButton} />
      <Card>
        <AsyncList state={forms} empty={<EmptyState icon="list" title={t('leads.forms.emptyTitle')} body={t('leads.forms.emptyBody')} action={newButton} />}>
          {(data) => (
            <Table label={t('leads.forms.title')} columns={[t('field.name'), t('leads.forms.fields'), t('leads.forms.key'), t('field.status'), t('leads.forms.updated')]}>
              {data.items.map((form) => (
                <tr key={form.id}>
                  <td class={td}>
                    <a href={`/settings/forms/${form.id}`} class="font-medium text-accent-text hover:underline">
                      {form.name}
                    </a>
                  </td>
                  <td class={`${td} text-slate-600 dark:text-slate-300`}>{form.fields.length}</td>
                  <td class={`${td} font-mono text-xs text-slate-500 dark:text-slate-400`}>{form.key}</td>
                  <td class={td}>{form.isActive ? <Badge tone="green">{t('leads.forms.active')}</Badge> : <Badge>{t('leads.forms.paused')}</Badge>}</td>
                  <td class={`${td} text-slate-500 dark:text-slate-400`}>{formatRelative(form.updatedAt)}</td>
                </tr>
              ))}
            </Table>
          )}
        </AsyncList>
      </Card>
    </>
  );
}
