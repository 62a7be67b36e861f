import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Button, ButtonLink } from '../../components/Button';
import { Badge, Card, CardHeader, PageHeader } from '../../components/Card';
import { confirmAction } from '../../components/Confirm';
import { customValueText } from '../../components/CustomFieldInputs';
import { Icon } from '../../components/Icon';
import { RecordStateNotice } from '../../components/RecordState';
import { Menu, MenuItem } from '../../components/Menu';
import { OpenTasksCard, type OpenTasksText } from '../../components/OpenTasks';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { td, Table } from '../../components/Table';
import { TagChip } from '../../components/TagPicker';
import { Timeline } from '../../components/Timeline';
import { toast } from '../../components/Toast';
import { ApiError } from '../../lib/api';
import { messageFor } from '../../lib/errors';
import { formatDate, formatMoney } from '../../lib/format';
import { useAsync } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { useMediaQuery } from '../../lib/media';
import { can, me } from '../../lib/session';
import { ADDRESS_PARTS, archiveCompany, companyTimelineOf, completeTask, deleteCompany, getCompany, listOpenTasks, reopenTask, restoreCompany, unarchiveCompany } from './api';
import { CompanyDialog } from './CompanyDialog';
import { addTag, useCompanyLookups } from './lookups';

export function CompanyNotFound() {
  return (
    <>
      <PageHeader title={t('companies.recordTitle')} />
      <Card>
        <EmptyState
          icon="building"
          title={t('companies.notFoundTitle')}
          body={t('customers.notFoundBody')}
          action={
            <ButtonLink href="/companies" icon="left">
              {t('companies.backToList')}
            </ButtonLink>
          }
        />
      </Card>
    </>
  );
}

function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="min-w-0">
      <dt class="text-xs font-medium text-slate-500 dark:text-slate-400">{label}</dt>
      <dd class="mt-0.5 truncate text-base font-semibold tabular-nums">{children}</dd>
    </div>
  );
}

const LIFECYCLE_TONE = { lead: 'amber', prospect: 'accent', customer: 'green', churned: 'red', other: 'gray' } as const;

const taskText: OpenTasksText = (key, params) => t(`customers.tasks.${key}`, params);

export function CompanyDetailPage({ id }: { id: string }) {
  const { route } = useLocation();
  const lookups = useCompanyLookups();
  const currency = me.value?.workspace.currency ?? 'CNY';
  const canWrite = can('companies:write');
  const isWide = useMediaQuery('(min-width: 768px)');
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState(false);
  const state = useAsync((signal) => getCompany(id, signal), [id, version]);
  const refresh = () => setVersion((v) => v + 1);

  const mergedInto = state.error instanceof ApiError && state.error.code === 'merged' ? String(state.error.problem.mergedIntoId ?? '') : '';
  useEffect(() => {
    if (mergedInto) route(`/companies/${mergedInto}`, true);
  }, [mergedInto]);
  if (mergedInto) return <Loading />;
  if (state.error) return state.error instanceof ApiError && state.error.status === 404 ? <CompanyNotFound /> : <ErrorState error={state.error} onRetry={state.reload} />;
  const company = state.data;
  if (!company || company.id !== id) return <Loading />;

  const act = async (run: () => Promise<unknown>, message: string, undo?: () => Promise<unknown>, undone?: string) => {
    try {
      await run();
      toast(message, 'success', undo && { label: t('crm.undo'), run: () => void undo().then(() => (toast(undone ?? ''), refresh()), (err) => toast(messageFor(err), 'error')) });
      refresh();
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };
  const remove = async () => {
    const ok = await confirmAction({ title: t('companies.deleteTitle', { name: company.name }), body: t('companies.deleteBody'), confirmLabel: t('common.delete') });
    if (!ok) return;
    try {
      await deleteCompany(id);
      toast(t('companies.deleted', { name: company.name }), 'success', {
        label: t('crm.undo'),
        run: () => void restoreCompany(id).then(() => route(`/companies/${id}`), (err) => toast(messageFor(err), 'error')),
      });
      route('/companies');
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };

  const address = ADDRESS_PARTS.map((p) => company.address[p]).filter(Boolean).join(' ');
  const custom = lookups.defs.map((def) => [def, customValueText(def, company.customFields[def.key])] as const).filter(([, text]) => text);
  const addPerson = `/customers/new?companyId=${encodeURIComponent(company.id)}&companyName=${encodeURIComponent(company.name)}`;

  return (
    <div class="flex flex-col gap-5">
      <a href="/companies" class="inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-800 dark:text-slate-400 dark:hover:text-slate-200">
        <Icon name="left" class="size-4" />
        {t('companies.backToList')}
      </a>
      {company.deletedAt && (
        <RecordStateNotice
          state="deleted"
          message={t('customers.inBin', { date: formatDate(company.deletedAt) })}
          action={canWrite ? { label: t('customers.restore'), onClick: () => void act(() => restoreCompany(id), t('companies.restored', { name: company.name })) } : undefined}
        />
      )}
      {company.archivedAt && !company.deletedAt && (
        <RecordStateNotice
          state="archived"
          message={t('customers.isArchived', { date: formatDate(company.archivedAt) })}
          action={canWrite ? { label: t('customers.unarchive'), onClick: () => void act(() => unarchiveCompany(id), t('companies.unarchived', { name: company.name })) } : undefined}
        />
      )}

      <Card>
        <div class="flex flex-col gap-4 p-4 sm:p-5">
          <div class="flex flex-wrap items-start justify-between gap-3">
            <div class="min-w-0">
              <h1 class="text-xl font-semibold tracking-tight break-words sm:text-2xl">{company.name}</h1>
              <p class="mt-1 text-sm text-slate-500 dark:text-slate-400">{[company.industry, company.size && t('companies.sizeValue', { size: company.size })].filter(Boolean).join(' · ')}</p>
              {company.tags.length > 0 && (
                <div class="mt-2 flex flex-wrap gap-1.5">
                  {company.tags.map((tag) => (
                    <TagChip key={tag.id} tag={tag} />
                  ))}
                </div>
              )}
            </div>
            {canWrite && !company.deletedAt && (
              <div class="ml-auto flex gap-2">
                <Button icon="edit" onClick={() => setEditing(true)}>
                  {t('common.edit')}
                </Button>
                <Menu label={t('customers.moreActions')}>
                  {company.archivedAt ? (
                    <MenuItem icon="undo" onClick={() => void act(() => unarchiveCompany(id), t('companies.unarchived', { name: company.name }))}>
                      {t('customers.unarchive')}
                    </MenuItem>
                  ) : (
                    <MenuItem
                      icon="archive"
                      onClick={async () => {
                        const ok = await confirmAction({ title: t('companies.archiveTitle', { name: company.name }), body: t('companies.archiveBody'), confirmLabel: t('customers.archive'), danger: false });
                        if (ok) await act(() => archiveCompany(id), t('companies.archived', { name: company.name }), () => unarchiveCompany(id), t('companies.unarchived', { name: company.name }));
                      }}
                    >
                      {t('customers.archive')}
                    </MenuItem>
                  )}
                  <MenuItem icon="trash" danger onClick={() => void remove()}>
                    {t('common.delete')}
                  </MenuItem>
                </Menu>
              </div>
            )}
          </div>
          <div class="flex flex-wrap gap-x-5 gap-y-2 text-sm text-slate-700 dark:text-slate-300">
            {company.website && (
              <a href={company.website} target="_blank" rel="noopener noreferrer" class="inline-flex items-center gap-1.5 hover:text-accent-text hover:underline">
                <Icon name="globe" class="size-4 text-slate-400" />
                {company.domain ?? company.website}
              </a>
            )}
            {company.phones.map((p) => (
              <a key={p} href={`tel:${p}`} class="inline-flex items-center gap-1.5 hover:text-accent-text hover:underline">
                <Icon name="phone" class="size-4 text-slate-400" />
                {p}
              </a>
            ))}
            {address && (
              <span class="inline-flex items-center gap-1.5">
                <Icon name="building" class="size-4 text-slate-400" />
                {address}
              </span>
            )}
            <span class="inline-flex items-center gap-1.5">
              <Icon name="user" class="size-4 text-slate-400" />
              {company.owner ? t('customers.ownedBy', { name: company.owner.name }) : t('customers.unassigned')}
            </span>
            {company.contractEndsOn && (
              <span class="inline-flex items-center gap-1.5">
                <Icon name="calendar" class="size-4 text-slate-400" />
                {t('companies.contractEnds', { date: formatDate(company.contractEndsOn) })}
              </span>
            )}
          </div>
          {custom.length > 0 && (
            <dl class="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
              {custom.map(([def, text]) => (
                <div key={def.id} class="flex gap-2">
                  <dt class="text-slate-500 dark:text-slate-400">{def.label}:</dt>
                  <dd class="min-w-0 break-words">{text}</dd>
                </div>
              ))}
            </dl>
          )}
          <dl class="grid grid-cols-2 gap-4 border-t border-slate-200 pt-4 sm:grid-cols-4 dark:border-slate-800">
            <Fact label={t('companies.people')}>{company.totals.contactCount}</Fact>
            <Fact label={t('customers.col.totalSpent')}>{formatMoney(company.totals.totalSpent, currency)}</Fact>
            <Fact label={t('customers.col.orders')}>{company.totals.orderCount}</Fact>
            <Fact label={t('customers.col.lastPurchase')}>{company.totals.lastPurchaseAt ? formatDate(company.totals.lastPurchaseAt) : '—'}</Fact>
          </dl>
        </div>
      </Card>

      {can('tasks:read') && (
        <OpenTasksCard
          text={taskText}
          load={(cursor, signal) => listOpenTasks(id, cursor, signal)}
          complete={completeTask}
          reopen={reopenTask}
          prefill={{ companyId: id }}
          people={lookups.people}
          canWrite={can('tasks:write') && !company.deletedAt}
          deps={[id]}
          onChanged={refresh}
        />
      )}

      <Card>
        <CardHeader
          title={t('companies.people')}
          description={company.totals.contactCount > company.contacts.length ? t('companies.peopleShown', { shown: company.contacts.length, total: company.totals.contactCount }) : undefined}
          actions={
            can('contacts:write') &&
            !company.deletedAt && (
              <ButtonLink href={addPerson} size="sm" icon="plus">
                {t('companies.addPerson')}
              </ButtonLink>
            )
          }
        />
        {company.contacts.length === 0 ? (
          <EmptyState icon="customers" title={t('companies.noPeopleTitle')} body={t('companies.noPeopleBody')} />
        ) : isWide ? (
          <Table label={t('companies.people')} columns={[t('field.name'), t('customers.col.phone'), t('customers.col.lifecycle'), <span class="block text-right">{t('customers.col.totalSpent')}</span>, t('customers.col.lastPurchase')]}>
            {company.contacts.map((p) => (
              <tr key={p.id}>
                <td class={td}>
                  <a href={`/customers/${p.id}`} class="font-medium hover:text-accent-text hover:underline">
                    {p.name}
                  </a>
                  {p.title && <div class="text-xs text-slate-500 dark:text-slate-400">{p.title}</div>}
                </td>
                <td class={td}>{p.phones[0] ?? p.emails[0] ?? '—'}</td>
                <td class={td}>
                  <Badge tone={LIFECYCLE_TONE[p.lifecycle]}>{t(`lifecycle.${p.lifecycle}`)}</Badge>
                </td>
                <td class={`${td} text-right tabular-nums`}>{formatMoney(p.totalSpent, currency)}</td>
                <td class={td}>{p.lastPurchaseAt ? formatDate(p.lastPurchaseAt) : '—'}</td>
              </tr>
            ))}
          </Table>
        ) : (
          <ul class="divide-y divide-slate-100 dark:divide-slate-800">
            {company.contacts.map((p) => (
              <li key={p.id} class="flex items-center gap-3 px-4 py-3">
                <div class="min-w-0 flex-1">
                  <a href={`/customers/${p.id}`} class="block truncate font-medium hover:underline">
                    {p.name}
                  </a>
                  <p class="truncate text-xs text-slate-500 dark:text-slate-400">{[p.title, p.phones[0]].filter(Boolean).join(' · ')}</p>
                </div>
                <span class="text-sm font-medium tabular-nums">{formatMoney(p.totalSpent, currency)}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card>
        <CardHeader title={t('companies.history')} />
        <Timeline
          load={(cursor, signal) => companyTimelineOf(id, cursor, signal)}
          deps={[id, version]}
          people={lookups.people}
          currency={currency}
          label={t('companies.history')}
          emptyBody={t('companies.historyEmptyBody')}
        />
      </Card>

      {editing && (
        <CompanyDialog
          company={company}
          people={lookups.people}
          tags={lookups.tags}
          defs={lookups.defs}
          onCreateTag={addTag}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            refresh();
          }}
        />
      )}
    </div>
  );
}
