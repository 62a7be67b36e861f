import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { Button } from '../../components/Button';
import { Badge, Card, PageHeader } from '../../components/Card';
import { inputClass } from '../../components/Field';
import { Pager } from '../../components/Pager';
import { AsyncList, EmptyState } from '../../components/States';
import { td, Table } from '../../components/Table';
import { addDays, formatDate, formatDateTime, formatTime, startOfDayIso } from '../../lib/format';
import { useAsync, useCursorPages, useDebounced } from '../../lib/hooks';
import { t, tMaybe } from '../../lib/i18n';
import { listActors, listAudit, type AuditEntry, type AuditFilters } from './api';

const ACTION_FAMILIES = ['auth.*', 'user.*', 'team.*', 'api_key.*', 'workspace.*'];
const RECORD_TYPES = ['user', 'invitation', 'team', 'api_key', 'workspace'];

type Form = { action: string; actorId: string; recordType: string; recordId: string; from: string; to: string };
const EMPTY: Form = { action: '', actorId: '', recordType: '', recordId: '', from: '', to: '' };

function toFilters(form: Form): AuditFilters {
  return {
    action: form.action || undefined,
    actorId: form.actorId || undefined,
    recordType: form.recordType || undefined,
    recordId: form.recordId.trim() || undefined,
    from: form.from ? startOfDayIso(form.from) : undefined,
    // "to" is inclusive of the whole day the person picked.
    to: form.to ? startOfDayIso(addDays(form.to, 1)) : undefined,
  };
}

function renderValue(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function Changes({ changes }: { changes: AuditEntry['changes'] }) {
  const entries = Object.entries(changes ?? {});
  if (entries.length === 0) return <span class="text-slate-400">—</span>;
  return (
    <details class="group">
      <summary class="cursor-pointer text-xs font-medium text-accent-text select-none">{t('audit.fieldsChanged', { count: entries.length })}</summary>
      <dl class="mt-2 grid max-w-md grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
        {entries.map(([field, change]) => (
          <Fragment key={field}>
            <dt class="font-mono text-slate-500 dark:text-slate-400">
              {field}
            </dt>
            <dd class="min-w-0 break-words">
              {'before' in (change ?? {}) && <span class="text-red-600 line-through decoration-red-300 dark:text-red-400">{renderValue(change.before)}</span>}
              {'before' in (change ?? {}) && ' → '}
              <span class="text-emerald-700 dark:text-emerald-400">{renderValue(change?.after)}</span>
            </dd>
          </Fragment>
        ))}
      </dl>
    </details>
  );
}

export function AuditPage() {
  const [form, setForm] = useState<Form>(EMPTY);
  const recordId = useDebounced(form.recordId, 400);
  const filters = toFilters({ ...form, recordId });
  const actors = useAsync((signal) => listActors(signal)).data?.items ?? [];
  const entries = useCursorPages((cursor, signal) => listAudit(filters, cursor, signal), [filters]);
  const actorName = (entry: AuditEntry) => {
    if (entry.actorType === 'user') return actors.find((a) => a.id === entry.actorId)?.name ?? entry.actorId ?? '—';
    return t(`audit.actor.${entry.actorType}`);
  };
  const set = (key: keyof Form) => (e: Event) => setForm((f) => ({ ...f, [key]: (e.currentTarget as HTMLInputElement).value }));
  const filtered = Object.values(form).some(Boolean);

  return (
    <>
      <PageHeader title={t('settings.audit')} description={t('audit.description')} />
      <Card>
        <form class="grid gap-3 border-b border-slate-200 p-4 sm:grid-cols-2 sm:px-5 lg:grid-cols-3 dark:border-slate-800" onSubmit={(e) => e.preventDefault()} aria-label={t('audit.filters')}>
          <label class="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400">
            {t('audit.action')}
            <select class={inputClass} value={form.action} onChange={set('action')}>
              <option value="">{t('audit.anyAction')}</option>
              {ACTION_FAMILIES.map((family) => (
                <option key={family} value={family}>
                  {t(`audit.family.${family.replace('.*', '')}` as 'audit.family.auth')}
                </option>
              ))}
            </select>
          </label>
          <label class="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400">
            {t('audit.actor')}
            <select class={inputClass} value={form.actorId} onChange={set('actorId')}>
              <option value="">{t('audit.anyone')}</option>
              {actors.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </label>
          <label class="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400">
            {t('audit.recordType')}
            <select class={inputClass} value={form.recordType} onChange={set('recordType')}>
              <option value="">{t('audit.anyRecord')}</option>
              {RECORD_TYPES.map((type) => (
                <option key={type} value={type}>
                  {tMaybe(`audit.record.${type}`, type)}
                </option>
              ))}
            </select>
          </label>
          <label class="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400">
            {t('audit.recordId')}
            <input class={inputClass} value={form.recordId} onInput={set('recordId')} placeholder="usr_…" />
          </label>
          <label class="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400">
            {t('audit.from')}
            <input type="date" class={inputClass} value={form.from} onInput={set('from')} />
          </label>
          <label class="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400">
            {t('audit.to')}
            <input type="date" class={inputClass} value={form.to} onInput={set('to')} />
          </label>
          {filtered && (
            <div class="sm:col-span-2 lg:col-span-3">
              <Button size="sm" tone="ghost" icon="close" onClick={() => setForm(EMPTY)}>
                {t('audit.clearFilters')}
              </Button>
            </div>
          )}
        </form>
        <AsyncList state={entries} empty={<EmptyState icon="audit" title={t('audit.emptyTitle')} body={filtered ? t('audit.emptyFiltered') : t('audit.emptyBody')} />}>
          {(data) => (
            <Table label={t('settings.audit')} columns={[t('audit.when'), t('audit.actor'), t('audit.action'), t('audit.record'), t('audit.changes')]}>
              {data.items.map((entry) => (
                <tr key={entry.id} class="align-top">
                  <td class={`${td} text-slate-500 dark:text-slate-400`}>
                    <time dateTime={entry.createdAt} title={formatDateTime(entry.createdAt, true)}>
                      <span class="block">{formatDate(entry.createdAt)}</span>
                      <span class="block text-xs">{formatTime(entry.createdAt, true)}</span>
                    </time>
                  </td>
                  <td class={td}>
                    <div class="whitespace-nowrap">{actorName(entry)}</div>
                    {entry.ip && (
                      <div class="font-mono text-xs text-slate-400" title={entry.userAgent ?? undefined}>
                        <span class="sr-only">{t('audit.ip')}: </span>
                        {entry.ip}
                      </div>
                    )}
                  </td>
                  <td class={td}>
                    <div class="whitespace-nowrap">{tMaybe(`audit.action.${entry.action}`, entry.action)}</div>
                    <div class="font-mono text-xs text-slate-400">{entry.action}</div>
                  </td>
                  <td class={td}>
                    {entry.recordType ? (
                      <>
                        <Badge>{tMaybe(`audit.record.${entry.recordType}`, entry.recordType)}</Badge>
                        <div class="mt-1 max-w-[8rem] truncate font-mono text-xs text-slate-400" title={entry.recordId ?? undefined}>
                          {entry.recordId}
                        </div>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td class={`${td} min-w-48 whitespace-normal`}>
                    <Changes changes={entry.changes} />
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </AsyncList>
        <Pager page={entries.pageNumber} hasPrevious={entries.hasPrevious} hasNext={entries.hasNext} onPrevious={entries.previous} onNext={entries.next} />
      </Card>
    </>
  );
}
