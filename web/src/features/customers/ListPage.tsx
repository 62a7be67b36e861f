import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Button, ButtonLink, buttonClass } from '../../components/Button';
import { Badge, Card, PageHeader } from '../../components/Card';
import { Checkbox, inputClass } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { Menu } from '../../components/Menu';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { Tabs } from '../../components/Tabs';
import { toast } from '../../components/Toast';
import { messageFor } from '../../lib/errors';
import { formatMoney } from '../../lib/format';
import { useAsync, useDebounced } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { useLoadMore } from '../../lib/load-more';
import { useMediaQuery } from '../../lib/media';
import { can, me } from '../../lib/session';
import { countContacts, listContacts, restoreContact, unarchiveContact, type BulkAction, type ContactSummary, type Filters } from './api';
import { BulkDialog, type BulkTarget } from './BulkDialog';
import { COLUMNS, saveColumns, savedColumns, type ColumnContext } from './columns';
import { activeFilterCount, apiFilters, bodyFilters, filtersFromQuery, filtersFromSegment, filtersKey, viewFromQuery, type View } from './filters';
import { FiltersPanel } from './FiltersPanel';
import { LIFECYCLE_TONE, lifecycleLabel, RFM_TONE, rfmLabel } from './labels';
import { useLookups } from './lookups';
import { SegmentBar } from './Segments';

const SORTS = ['-updatedAt', '-createdAt', 'name', '-totalSpent', '-lastPurchaseAt', '-lastContactedAt'] as const;

/** The bulk actions that make sense in each view of the list. */
const VIEW_ACTIONS: Record<View, BulkAction[]> = {
  active: ['tag', 'untag', 'assign', 'lifecycle', 'archive', 'delete'],
  archived: ['unarchive', 'tag', 'untag', 'assign', 'delete'],
  deleted: ['restore'],
};

function toQueryString(query: Record<string, string | undefined>) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  const text = params.toString();
  return text ? `?${text}` : '';
}

function SortHeader({ label, sortKey, sort, onSort }: { label: string; sortKey?: string; sort: string; onSort: (s: string) => void }) {
  if (!sortKey) return <>{label}</>;
  const current = sort.replace(/^-/, '') === sortKey;
  const descending = sort.startsWith('-');
  return (
    <button
      type="button"
      class={`inline-flex items-center gap-1 uppercase hover:text-slate-900 dark:hover:text-slate-100 ${current ? 'text-slate-900 dark:text-slate-100' : ''}`}
      aria-sort={current ? (descending ? 'descending' : 'ascending') : undefined}
      onClick={() => onSort(current && !descending ? `-${sortKey}` : current ? sortKey : sortKey === 'name' ? 'name' : `-${sortKey}`)}
    >
      {label}
      {current && <Icon name="down" class={`size-3.5 ${descending ? '' : 'rotate-180'}`} />}
    </button>
  );
}

export function CustomersListPage() {
  const { query, route } = useLocation();
  const lookups = useLookups();
  const currency = me.value?.workspace.currency ?? 'CNY';
  const canWrite = can('contacts:write');
  const isWide = useMediaQuery('(min-width: 768px)');

  const filters = filtersFromQuery(query);
  const view = viewFromQuery(query);
  const sort = (SORTS as readonly string[]).includes(query.sort) || /^-?(name|totalSpent|lastPurchaseAt|lastContactedAt|createdAt|updatedAt)$/.test(query.sort ?? '') ? query.sort : '-updatedAt';
  const api = apiFilters(filters, view);
  const key = filtersKey(api);

  const [search, setSearch] = useState(filters.q ?? '');
  const q = useDebounced(search.trim(), 300);
  const [showFilters, setShowFilters] = useState(activeFilterCount(filters) > 0);
  const [columns, setColumns] = useState(savedColumns);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const [bulk, setBulk] = useState<BulkAction | null>(null);
  const [version, setVersion] = useState(0);

  const go = (changes: Record<string, string | undefined>) => route(`/customers${toQueryString({ ...query, ...changes })}`, true);
  const setFilters = (next: Filters) => {
    const keep = Object.fromEntries(Object.entries(query).filter(([k]) => ['view', 'sort', 'segment'].includes(k)));
    route(`/customers${toQueryString({ ...keep, ...next })}`, true);
  };
  // The search box and the URL follow each other: typing updates the URL (debounced), and a new
  // URL (a nav link, back, a segment) updates the box, without undoing what is being typed.
  const pushedQ = useRef(filters.q ?? '');
  useEffect(() => {
    if ((filters.q ?? '') === q) return;
    pushedQ.current = q;
    go({ q: q || undefined });
  }, [q]);
  useEffect(() => {
    const urlQ = query.q ?? '';
    if (urlQ === pushedQ.current) return;
    pushedQ.current = urlQ;
    setSearch(urlQ);
  }, [query.q]);
  useEffect(() => {
    setSelected(new Set());
    setAllMatching(false);
  }, [key, sort]);

  const list = useLoadMore((cursor, signal) => listContacts(api, sort, cursor, signal), [key, sort, version]);
  const count = useAsync((signal) => countContacts(api, signal), [key, version]);
  const total = count.data?.count;

  const ctx: ColumnContext = { lookups, currency };
  const shown = COLUMNS.filter((c) => columns.includes(c.id));
  const pageIds = list.items.map((c) => c.id);
  const allOnPage = pageIds.length > 0 && pageIds.every((id) => selected.has(id));
  const selectionCount = allMatching ? (total ?? selected.size) : selected.size;
  const actions = canWrite ? VIEW_ACTIONS[view] : [];
  const bulkTarget: BulkTarget = allMatching ? { filter: bodyFilters(filters, view) } : { ids: [...selected] };

  const toggle = (id: string, on: boolean) => {
    setAllMatching(false);
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  };
  const toggleAll = (on: boolean) => {
    setAllMatching(false);
    setSelected(on ? new Set(pageIds) : new Set());
  };
  const chooseColumns = (id: string, on: boolean) => {
    const next = on ? COLUMNS.map((c) => c.id).filter((c) => c === id || columns.includes(c)) : columns.filter((c) => c !== id);
    setColumns(next);
    saveColumns(next);
  };
  const bringBack = async (c: ContactSummary) => {
    try {
      await (view === 'deleted' ? restoreContact(c.id) : unarchiveContact(c.id));
      toast(t(view === 'deleted' ? 'customers.restored' : 'customers.unarchived', { name: c.name }));
      list.update((items) => items.filter((x) => x.id !== c.id));
      count.reload();
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };

  const newButton = canWrite && view === 'active' && (
    <ButtonLink href="/customers/new" tone="primary" icon="plus">
      {t('customers.new')}
    </ButtonLink>
  );
  const filterCount = activeFilterCount(filters);
  const filtered = filterCount > 0 || Boolean(filters.q);

  const empty =
    view === 'deleted' ? (
      <EmptyState icon="trash" title={t('customers.binEmptyTitle')} body={t('customers.binEmptyBody')} />
    ) : view === 'archived' && !filtered ? (
      <EmptyState icon="archive" title={t('customers.archiveEmptyTitle')} body={t('customers.archiveEmptyBody')} />
    ) : filtered ? (
      <EmptyState
        icon="search"
        title={t('customers.noMatchTitle')}
        body={t('customers.noMatchBody')}
        action={
          <Button
            onClick={() => {
              setSearch('');
              setFilters({});
            }}
          >
            {t('customers.filter.clear')}
          </Button>
        }
      />
    ) : (
      <EmptyState icon="customers" title={t('customers.emptyTitle')} body={t('customers.emptyBody')} action={newButton} />
    );

  const rowAction = (c: ContactSummary) =>
    canWrite && view !== 'active' ? (
      <Button size="sm" icon="undo" onClick={() => void bringBack(c)}>
        {view === 'deleted' ? t('customers.restore') : t('customers.unarchive')}
      </Button>
    ) : null;

  return (
    <>
      <PageHeader
        title={t('nav.customers')}
        description={total === undefined ? t('customers.description') : count.data?.more ? t('customers.countMore', { count: total }) : total === 1 ? t('customers.countOne') : t('customers.count', { count: total })}
        actions={newButton}
      />
      <Card>
        <div class="border-b border-slate-200 px-4 sm:px-5 dark:border-slate-800">
          <Tabs
            label={t('customers.views')}
            active={view}
            onChange={(v) => go({ view: v === 'active' ? undefined : v })}
            tabs={[
              { id: 'active', label: t('customers.view.active') },
              { id: 'archived', label: t('customers.view.archived') },
              { id: 'deleted', label: t('customers.view.deleted') },
            ]}
          />
        </div>
        <div class="flex flex-wrap items-center gap-2 border-b border-slate-200 p-4 sm:px-5 dark:border-slate-800">
          <label class="relative w-full min-w-0 md:w-auto md:min-w-56 md:flex-1">
            <span class="sr-only">{t('customers.search')}</span>
            <span class="pointer-events-none absolute inset-y-0 left-3 flex items-center text-slate-400">
              <Icon name="search" class="size-4" />
            </span>
            <input type="search" class={`${inputClass} pl-9`} placeholder={t('customers.search')} value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
          </label>
          {view === 'active' && (
            <SegmentBar
              filters={filters}
              segmentId={query.segment}
              refreshKey={version}
              onPick={(segment) => {
                const keep = Object.fromEntries(Object.entries(query).filter(([k]) => ['view', 'sort'].includes(k)));
                const next = segment ? filtersFromSegment(segment.filters) : {};
                route(`/customers${toQueryString({ ...keep, ...next, segment: segment?.id })}`, true);
              }}
            />
          )}
          <Button icon="filter" aria-expanded={showFilters} onClick={() => setShowFilters((s) => !s)}>
            {t('customers.filters')}
            {filterCount > 0 && <Badge tone="accent">{filterCount}</Badge>}
          </Button>
          {can('exports:read') && (
            <a href={`/api/v1/contacts/export${toQueryString({ ...api, sort })}`} download="customers.csv" class={buttonClass('secondary')} title={t('customers.exportCsv')} aria-label={t('customers.exportCsv')}>
              <Icon name="download" class="size-4" />
            </a>
          )}
          {isWide ? (
            <Menu label={t('customers.columns')} icon="columns" panel>
              <div class="flex flex-col gap-2 px-3 py-2">
                {COLUMNS.map((c) => (
                  <Checkbox key={c.id} label={t(c.label)} checked={columns.includes(c.id)} onChange={(e) => chooseColumns(c.id, e.currentTarget.checked)} />
                ))}
              </div>
            </Menu>
          ) : (
            <label class="min-w-0 flex-1">
              <span class="sr-only">{t('customers.sort')}</span>
              <select class={inputClass} value={sort} onChange={(e) => go({ sort: e.currentTarget.value === '-updatedAt' ? undefined : e.currentTarget.value })}>
                {SORTS.map((s) => (
                  <option key={s} value={s}>
                    {t(`customers.sort.${s}`)}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
        {showFilters && <FiltersPanel filters={filters} onChange={setFilters} lookups={lookups} currency={currency} />}

        {selectionCount > 0 && actions.length > 0 && (
          <div class="sticky top-14 z-10 flex flex-wrap items-center gap-2 border-b border-slate-200 bg-accent-soft px-4 py-2.5 text-sm backdrop-blur sm:px-5 lg:top-0 dark:border-slate-800" role="region" aria-label={t('bulk.region')}>
            <span class="font-medium">{t('bulk.selected', { count: selectionCount })}</span>
            {allOnPage && !allMatching && total !== undefined && total > selected.size && !count.data?.more && (
              <button type="button" class="font-medium text-accent-text underline-offset-2 hover:underline" onClick={() => setAllMatching(true)}>
                {t('bulk.selectAllMatching', { count: total })}
              </button>
            )}
            <button type="button" class="text-slate-600 underline-offset-2 hover:underline dark:text-slate-300" onClick={() => toggleAll(false)}>
              {t('bulk.clear')}
            </button>
            <div class="flex flex-wrap gap-2 sm:ml-auto">
              {actions.map((a) => (
                <Button key={a} size="sm" tone={a === 'delete' ? 'danger' : 'secondary'} onClick={() => setBulk(a)}>
                  {t(`bulk.action.${a}`)}
                </Button>
              ))}
            </div>
          </div>
        )}

        {list.error && list.items.length === 0 ? (
          <ErrorState error={list.error} onRetry={list.reload} />
        ) : !list.loaded ? (
          <Loading />
        ) : list.items.length === 0 ? (
          empty
        ) : (
          <div class={list.loading ? 'opacity-60 transition-opacity' : ''}>
            {isWide ? (
              <div class="overflow-x-auto">
                <table class="min-w-full text-left text-sm" aria-label={t('nav.customers')}>
                  <thead class="border-b border-slate-200 text-xs font-medium tracking-wide text-slate-500 uppercase dark:border-slate-800 dark:text-slate-400">
                    <tr>
                      {actions.length > 0 && (
                        <th scope="col" class="w-10 py-2.5 pl-4 sm:pl-5">
                          <input
                            type="checkbox"
                            class="size-4 accent-[var(--accent,#4f46e5)]"
                            aria-label={t('bulk.selectPage')}
                            checked={allOnPage}
                            onChange={(e) => toggleAll(e.currentTarget.checked)}
                          />
                        </th>
                      )}
                      <th scope="col" class="px-3 py-2.5 font-medium whitespace-nowrap">
                        <SortHeader label={t('field.name')} sortKey="name" sort={sort} onSort={(s) => go({ sort: s })} />
                      </th>
                      {shown.map((c) => (
                        <th key={c.id} scope="col" class={`px-3 py-2.5 font-medium whitespace-nowrap ${c.numeric ? 'text-right' : ''}`}>
                          <SortHeader label={t(c.label)} sortKey={c.sort} sort={sort} onSort={(s) => go({ sort: s })} />
                        </th>
                      ))}
                      {view !== 'active' && canWrite && <th scope="col" class="pr-4 sm:pr-5" />}
                    </tr>
                  </thead>
                  <tbody class="divide-y divide-slate-100 dark:divide-slate-800">
                    {list.items.map((c) => (
                      <tr key={c.id} class={`hover:bg-slate-50 dark:hover:bg-slate-800/40 ${selected.has(c.id) || allMatching ? 'bg-accent-soft' : ''}`}>
                        {actions.length > 0 && (
                          <td class="py-3 pl-4 sm:pl-5">
                            <input
                              type="checkbox"
                              class="size-4 accent-[var(--accent,#4f46e5)]"
                              aria-label={t('bulk.selectOne', { name: c.name })}
                              checked={allMatching || selected.has(c.id)}
                              onChange={(e) => toggle(c.id, e.currentTarget.checked)}
                            />
                          </td>
                        )}
                        <td class="px-3 py-3 whitespace-nowrap">
                          <a href={`/customers/${c.id}`} class="font-medium text-slate-900 hover:text-accent-text hover:underline dark:text-slate-100">
                            {c.name}
                          </a>
                          {c.title && <div class="text-xs text-slate-500 dark:text-slate-400">{c.title}</div>}
                        </td>
                        {shown.map((col) => (
                          <td key={col.id} class={`px-3 py-3 whitespace-nowrap ${col.numeric ? 'text-right tabular-nums' : ''}`}>
                            {col.render(c, ctx)}
                          </td>
                        ))}
                        {view !== 'active' && canWrite && <td class="py-3 pr-4 text-right sm:pr-5">{rowAction(c)}</td>}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <ul class="divide-y divide-slate-100 dark:divide-slate-800" aria-label={t('nav.customers')}>
                {list.items.map((c) => (
                  <li key={c.id} class={`flex gap-3 px-4 py-3 ${selected.has(c.id) || allMatching ? 'bg-accent-soft' : ''}`}>
                    {actions.length > 0 && (
                      <input
                        type="checkbox"
                        class="mt-1 size-4 shrink-0 accent-[var(--accent,#4f46e5)]"
                        aria-label={t('bulk.selectOne', { name: c.name })}
                        checked={allMatching || selected.has(c.id)}
                        onChange={(e) => toggle(c.id, e.currentTarget.checked)}
                      />
                    )}
                    <div class="min-w-0 flex-1">
                      <div class="flex items-start justify-between gap-2">
                        <a href={`/customers/${c.id}`} class="min-w-0 truncate font-medium text-slate-900 hover:underline dark:text-slate-100">
                          {c.name}
                        </a>
                        {c.orderCount > 0 && <span class="shrink-0 text-sm font-medium tabular-nums">{formatMoney(c.totalSpent, currency)}</span>}
                      </div>
                      <div class="mt-0.5 truncate text-xs text-slate-500 dark:text-slate-400">
                        {[c.companyName, c.phones[0] ?? c.emails[0]].filter(Boolean).join(' · ')}
                      </div>
                      <div class="mt-1.5 flex flex-wrap items-center gap-1.5">
                        <Badge tone={LIFECYCLE_TONE[c.lifecycle]}>{lifecycleLabel(c.lifecycle)}</Badge>
                        {c.rfmSegment !== 'none' && <Badge tone={RFM_TONE[c.rfmSegment]}>{rfmLabel(c.rfmSegment)}</Badge>}
                        {c.tags.slice(0, 2).map((tag) => (
                          <Badge key={tag.id}>{tag.name}</Badge>
                        ))}
                        {rowAction(c) && <span class="ml-auto">{rowAction(c)}</span>}
                      </div>
                    </div>
                  </li>
                ))}
              </ul>
            )}
            {(list.hasMore || list.error) && (
              <div class="flex flex-col items-center gap-2 border-t border-slate-200 p-4 dark:border-slate-800">
                {list.error && <p class="text-sm text-red-600 dark:text-red-400">{messageFor(list.error)}</p>}
                <Button busy={list.loadingMore} onClick={list.more}>
                  {t('customers.loadMore')}
                </Button>
              </div>
            )}
          </div>
        )}
      </Card>
      {bulk && (
        <BulkDialog
          action={bulk}
          target={bulkTarget}
          count={selectionCount}
          lookups={lookups}
          onClose={() => setBulk(null)}
          onDone={() => {
            setBulk(null);
            setSelected(new Set());
            setAllMatching(false);
            setVersion((v) => v + 1);
          }}
        />
      )}
    </>
  );
}
