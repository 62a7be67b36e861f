import '../../lib/i18n/customers';
import { useState } from 'preact/hooks';
import { Route, Router, useLocation } from 'preact-iso';
import { Button } from '../../components/Button';
import { Badge, Card, PageHeader } from '../../components/Card';
import { inputClass } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { td, Table } from '../../components/Table';
import { Tabs } from '../../components/Tabs';
import { TagChip } from '../../components/TagPicker';
import { toast } from '../../components/Toast';
import { messageFor } from '../../lib/errors';
import { useDebounced } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { useLoadMore } from '../../lib/load-more';
import { useMediaQuery } from '../../lib/media';
import { can } from '../../lib/session';
import { listCompanies, restoreCompany, unarchiveCompany, type Company } from './api';
import { CompanyDialog } from './CompanyDialog';
import { CompanyDetailPage, CompanyNotFound } from './DetailPage';
import { addTag, useCompanyLookups } from './lookups';

type View = 'active' | 'archived' | 'deleted';

function CompaniesListPage() {
  const { query, route } = useLocation();
  const view: View = query.view === 'archived' || query.view === 'deleted' ? query.view : 'active';
  const lookups = useCompanyLookups();
  const canWrite = can('companies:write');
  const isWide = useMediaQuery('(min-width: 768px)');
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const [creating, setCreating] = useState(false);
  const filters = { q: q || undefined, archived: view === 'archived' ? 'true' : undefined, deleted: view === 'deleted' ? 'true' : undefined };
  const list = useLoadMore((cursor, signal) => listCompanies(filters, cursor, signal), [q, view]);
  const ownerName = (id: string | null) => lookups.people.find((p) => p.id === id)?.name;

  const bringBack = async (c: Company) => {
    try {
      await (view === 'deleted' ? restoreCompany(c.id) : unarchiveCompany(c.id));
      toast(t(view === 'deleted' ? 'companies.restored' : 'companies.unarchived', { name: c.name }));
      list.update((items) => items.filter((x) => x.id !== c.id));
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };
  const bringBackButton = (c: Company) =>
    canWrite && view !== 'active' ? (
      <Button size="sm" icon="undo" onClick={() => void bringBack(c)}>
        {t(view === 'deleted' ? 'customers.restore' : 'customers.unarchive')}
      </Button>
    ) : null;

  const newButton = canWrite && view === 'active' && (
    <Button tone="primary" icon="plus" onClick={() => setCreating(true)}>
      {t('companies.new')}
    </Button>
  );

  return (
    <>
      <PageHeader title={t('nav.companies')} description={t('companies.description')} actions={newButton} />
      <Card>
        <div class="border-b border-slate-200 px-4 sm:px-5 dark:border-slate-800">
          <Tabs
            label={t('customers.views')}
            active={view}
            onChange={(v) => route(v === 'active' ? '/companies' : `/companies?view=${v}`, true)}
            tabs={[
              { id: 'active', label: t('customers.view.active') },
              { id: 'archived', label: t('customers.view.archived') },
              { id: 'deleted', label: t('customers.view.deleted') },
            ]}
          />
        </div>
        <div class="border-b border-slate-200 p-4 sm:px-5 dark:border-slate-800">
          <label class="relative block">
            <span class="sr-only">{t('companies.search')}</span>
            <span class="pointer-events-none absolute inset-y-0 left-3 flex items-center text-slate-400">
              <Icon name="search" class="size-4" />
            </span>
            <input type="search" class={`${inputClass} pl-9`} placeholder={t('companies.search')} value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
          </label>
        </div>
        {list.error && list.items.length === 0 ? (
          <ErrorState error={list.error} onRetry={list.reload} />
        ) : !list.loaded ? (
          <Loading />
        ) : list.items.length === 0 ? (
          q ? (
            <EmptyState icon="search" title={t('companies.noMatchTitle')} body={t('customers.noMatchBody')} />
          ) : view === 'deleted' ? (
            <EmptyState icon="trash" title={t('customers.binEmptyTitle')} body={t('companies.binEmptyBody')} />
          ) : view === 'archived' ? (
            <EmptyState icon="archive" title={t('customers.archiveEmptyTitle')} body={t('companies.archiveEmptyBody')} />
          ) : (
            <EmptyState icon="building" title={t('companies.emptyTitle')} body={t('companies.emptyBody')} action={newButton} />
          )
        ) : (
          <div class={list.loading ? 'opacity-60 transition-opacity' : ''}>
            {isWide ? (
              <Table label={t('nav.companies')} columns={[t('field.name'), t('companies.industry'), t('companies.size'), t('companies.website'), t('customers.col.owner'), t('customers.col.tags'), ...(view !== 'active' && canWrite ? [''] : [])]}>
                {list.items.map((c) => (
                  <tr key={c.id} class="hover:bg-slate-50 dark:hover:bg-slate-800/40">
                    <td class={td}>
                      <a href={`/companies/${c.id}`} class="font-medium hover:text-accent-text hover:underline">
                        {c.name}
                      </a>
                    </td>
                    <td class={td}>{c.industry ?? '—'}</td>
                    <td class={td}>{c.size ? t('companies.sizeValue', { size: c.size }) : '—'}</td>
                    <td class={td}>{c.domain ?? '—'}</td>
                    <td class={td}>{ownerName(c.ownerId) ?? <span class="text-slate-400">{t('customers.unassigned')}</span>}</td>
                    <td class={td}>
                      <span class="flex flex-wrap gap-1">
                        {c.tags.slice(0, 3).map((tag) => (
                          <TagChip key={tag.id} tag={tag} />
                        ))}
                      </span>
                    </td>
                    {view !== 'active' && canWrite && <td class={`${td} text-right`}>{bringBackButton(c)}</td>}
                  </tr>
                ))}
              </Table>
            ) : (
              <ul class="divide-y divide-slate-100 dark:divide-slate-800" aria-label={t('nav.companies')}>
                {list.items.map((c) => (
                  <li key={c.id} class="flex items-center gap-3 px-4 py-3">
                    <div class="min-w-0 flex-1">
                      <a href={`/companies/${c.id}`} class="block truncate font-medium hover:underline">
                        {c.name}
                      </a>
                      <p class="truncate text-xs text-slate-500 dark:text-slate-400">{[c.industry, c.domain, ownerName(c.ownerId)].filter(Boolean).join(' · ')}</p>
                      {c.tags.length > 0 && (
                        <div class="mt-1 flex flex-wrap gap-1">
                          {c.tags.slice(0, 2).map((tag) => (
                            <Badge key={tag.id}>{tag.name}</Badge>
                          ))}
                        </div>
                      )}
                    </div>
                    {bringBackButton(c)}
                  </li>
                ))}
              </ul>
            )}
            {list.hasMore && (
              <div class="flex justify-center border-t border-slate-200 p-4 dark:border-slate-800">
                <Button busy={list.loadingMore} onClick={list.more}>
                  {t('customers.loadMore')}
                </Button>
              </div>
            )}
          </div>
        )}
      </Card>
      {creating && (
        <CompanyDialog
          company={null}
          people={lookups.people}
          tags={lookups.tags}
          defs={lookups.defs}
          onCreateTag={addTag}
          onClose={() => setCreating(false)}
          onSaved={(c) => {
            setCreating(false);
            route(`/companies/${c.id}`);
          }}
        />
      )}
    </>
  );
}

/** `/companies/*`: the list and one company with its people. Loaded on first visit. */
export function CompaniesPage() {
  return (
    <Router>
      <Route path="/" component={CompaniesListPage} />
      <Route path="/:id" component={CompanyDetailPage} />
      <Route default component={CompanyNotFound} />
    </Router>
  );
}
