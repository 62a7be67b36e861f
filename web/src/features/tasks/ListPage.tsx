import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Button } from '../../components/Button';
import { Card, PageHeader } from '../../components/Card';
import { InputField, SelectField } from '../../components/Field';
import { ListStates } from '../../components/LoadMore';
import { EmptyState } from '../../components/States';
import { useDebounced } from '../../lib/hooks';
import { tt } from '../../lib/i18n/tasks';
import { useLoadMore } from '../../lib/load-more';
import { getContactRef, listTasks, searchContacts, TASK_TYPES, type RecordRef, type TaskFilters } from './api';
import { TaskRow, TasksNav, usePeople, useTaskActions } from './common';
import { RecordPicker } from './RecordPicker';

/** The list's filters live in the address, so that a filtered list can be bookmarked and shared. */
const FILTER_KEYS = ['status', 'owner', 'type', 'from', 'to', 'contactId', 'q'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

function toApi(f: Partial<Record<FilterKey, string>>): TaskFilters {
  const out: TaskFilters = { status: f.status || 'open' };
  if (f.owner === 'me') out.mine = 'true';
  else if (f.owner) out.ownerId = f.owner;
  for (const key of ['type', 'from', 'to', 'contactId', 'q'] as const) if (f[key]) out[key] = f[key]!;
  return out;
}

/** `/tasks/list`: every task the person may see, filtered by assignee, type, status, due range and customer. */
export function TaskListPage() {
  const { path, query, route } = useLocation();
  const people = usePeople();
  const filters = Object.fromEntries(FILTER_KEYS.filter((k) => query[k]).map((k) => [k, query[k]])) as Partial<Record<FilterKey, string>>;
  const setFilter = (key: FilterKey, value: string) => {
    const next = new URLSearchParams({ ...filters, [key]: value });
    if (!value) next.delete(key);
    const qs = next.toString();
    route(`${path}${qs ? `?${qs}` : ''}`, true);
  };
  const [search, setSearch] = useState(filters.q ?? '');
  const q = useDebounced(search.trim(), 300);
  useEffect(() => {
    if (q !== (filters.q ?? '')) setFilter('q', q);
  }, [q]);
  const [contact, setContact] = useState<RecordRef | null>(null);
  useEffect(() => {
    if (!filters.contactId || contact?.id === filters.contactId) return;
    const controller = new AbortController();
    getContactRef(filters.contactId, controller.signal).then(
      (c) => setContact({ id: c.id, name: c.name }),
      () => setContact({ id: filters.contactId!, name: filters.contactId! }),
    );
    return () => controller.abort();
  }, [filters.contactId]);

  const apiFilters = toApi(filters);
  const key = JSON.stringify(apiFilters);
  const list = useLoadMore((cursor, signal) => listTasks(apiFilters, cursor, signal), [key]);
  const actions = useTaskActions(() => list.reload());
  const filtered = Object.keys(filters).length > 0;

  return (
    <>
      <PageHeader title={tt('tasks.list')} description={tt('tasks.listDescription')} />
      <TasksNav />
      <Card class="mb-5">
        <form class="grid gap-3 p-4 sm:grid-cols-2 sm:p-5 lg:grid-cols-4" role="search" aria-label={tt('tasks.filters')} onSubmit={(e) => e.preventDefault()}>
          <InputField label={tt('tasks.search')} type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
          <SelectField label={tt('tasks.status')} value={filters.status ?? 'open'} onChange={(e) => setFilter('status', e.currentTarget.value === 'open' ? '' : e.currentTarget.value)}>
            {(['open', 'done', 'all'] as const).map((s) => (
              <option key={s} value={s}>
                {tt(`status.${s}`)}
              </option>
            ))}
          </SelectField>
          <SelectField label={tt('tasks.assignee')} value={filters.owner ?? ''} onChange={(e) => setFilter('owner', e.currentTarget.value)}>
            <option value="">{tt('tasks.anyone')}</option>
            <option value="me">{tt('tasks.me')}</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
          <SelectField label={tt('tasks.type')} value={filters.type ?? ''} onChange={(e) => setFilter('type', e.currentTarget.value)}>
            <option value="">{tt('tasks.anyType')}</option>
            {TASK_TYPES.map((x) => (
              <option key={x} value={x}>
                {tt(`type.${x}`)}
              </option>
            ))}
          </SelectField>
          <InputField label={tt('tasks.dueFrom')} type="date" value={filters.from ?? ''} onInput={(e) => setFilter('from', e.currentTarget.value)} />
          <InputField label={tt('tasks.dueTo')} type="date" value={filters.to ?? ''} onInput={(e) => setFilter('to', e.currentTarget.value)} />
          <div class="sm:col-span-2">
            <RecordPicker
              label={tt('tasks.customer')}
              value={filters.contactId ? (contact ?? { id: filters.contactId, name: '…' }) : null}
              onChange={(c) => {
                setContact(c);
                setFilter('contactId', c?.id ?? '');
              }}
              search={searchContacts}
            />
          </div>
          {filtered && (
            <div class="flex items-end sm:col-span-2 lg:col-span-4">
              <Button
                tone="ghost"
                icon="close"
                onClick={() => {
                  setSearch('');
                  setContact(null);
                  route(path, true);
                }}
              >
                {tt('tasks.clearFilters')}
              </Button>
            </div>
          )}
        </form>
      </Card>
      <Card>
        <ListStates
          state={list}
          empty={filtered ? <EmptyState icon="filter" title={tt('tasks.noMatchTitle')} body={tt('tasks.noMatchBody')} /> : <EmptyState icon="tasks" title={tt('tasks.emptyTitle')} body={tt('tasks.emptyBody')} />}
        >
          <ul class="divide-y divide-slate-100 dark:divide-slate-800" aria-label={tt('tasks.list')}>
            {list.items.map((task) => (
              <TaskRow key={task.id} task={task} actions={actions} people={people} />
            ))}
          </ul>
        </ListStates>
      </Card>
      {actions.dialogs}
    </>
  );
}
