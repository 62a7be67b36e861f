import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Button } from '../../components/Button';
import { Badge, Card } from '../../components/Card';
import { Dialog } from '../../components/Dialog';
import { FormError, SelectField } from '../../components/Field';
import { ListStates } from '../../components/LoadMore';
import { EmptyState } from '../../components/States';
import { Table, td } from '../../components/Table';
import { toast } from '../../components/Toast';
import { useSubmit } from '../../lib/hooks';
import { formatMoney } from '../../lib/format';
import { t } from '../../lib/i18n';
import { useLoadMore } from '../../lib/load-more';
import { useMediaQuery } from '../../lib/media';
import { can } from '../../lib/session';
import { bulkReassign, listDeals, type Deal } from './api';
import { AreaHeader } from './AreaHeader';
import { customerOf, formatDay, idleDays, StatusBadge } from './common';
import { filtersFromQuery, FilterBar } from './Filters';
import { activePeople, useLookups, type Lookups } from './lookups';

function ReassignDialog({ ids, lookups, onClose, onDone }: { ids: string[]; lookups: Lookups; onClose: () => void; onDone: () => void }) {
  const [ownerId, setOwnerId] = useState('');
  const submit = useSubmit(async () => {
    const result = await bulkReassign(ids, ownerId);
    const owner = lookups.people.find((p) => p.id === ownerId)?.name ?? '';
    toast(result.skipped.length ? t('pl.bulk.doneSkipped', { count: result.updated, skipped: result.skipped.length, owner }) : t('pl.bulk.done', { count: result.updated, owner }));
    onDone();
  });
  return (
    <Dialog
      open
      onClose={onClose}
      title={t('pl.bulk.title', { count: ids.length })}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button tone="primary" busy={submit.busy} disabled={!ownerId} onClick={() => submit.run()}>
            {t('pl.bulk.confirm')}
          </Button>
        </>
      }
    >
      <div class="space-y-3">
        <FormError message={submit.error && !submit.field('ownerId') ? submit.message : null} />
        <SelectField label={t('pl.field.owner')} value={ownerId} error={submit.field('ownerId')} onChange={(e) => setOwnerId(e.currentTarget.value)}>
          <option value="">{t('pl.bulk.choose')}</option>
          {activePeople(lookups.people).map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>
      </div>
    </Dialog>
  );
}

function stageName(lookups: Lookups, deal: Deal) {
  return lookups.pipelines.find((p) => p.id === deal.pipelineId)?.stages.find((s) => s.id === deal.stageId)?.name ?? '';
}

export function DealListPage() {
  const { query } = useLocation();
  const lookups = useLookups();
  const filters = filtersFromQuery(query);
  const pipelineId = query.pipeline || lookups.pipelines.find((p) => p.isDefault)?.id || lookups.pipelines[0]?.id;
  const key = JSON.stringify([pipelineId, filters]);
  const isWide = useMediaQuery('(min-width: 768px)');
  const canWrite = can('deals:write');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [reassigning, setReassigning] = useState(false);
  const [version, setVersion] = useState(0);
  const list = useLoadMore((cursor, signal) => listDeals({ ...filters, pipelineId }, cursor, signal), [key, version]);
  useEffect(() => setSelected(new Set()), [key]);

  const ids = list.items.map((d) => d.id);
  const allSelected = ids.length > 0 && ids.every((id) => selected.has(id));
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const check = (deal: Deal) =>
    canWrite && <input type="checkbox" class="size-4 accent-[var(--accent,#4f46e5)]" aria-label={t('pl.list.select', { name: deal.name })} checked={selected.has(deal.id)} onChange={(e) => toggle(deal.id, e.currentTarget.checked)} />;

  return (
    <>
      <AreaHeader view="list" pipelineId={pipelineId} lookups={lookups} />
      <FilterBar lookups={lookups} />
      {selected.size > 0 && (
        <div class="mb-3 flex flex-wrap items-center gap-3 rounded-lg bg-accent-soft px-4 py-2 text-sm" role="region" aria-label={t('pl.list.selection')}>
          <span class="font-medium">{t('pl.list.selected', { count: selected.size })}</span>
          <Button size="sm" tone="primary" icon="user" onClick={() => setReassigning(true)}>
            {t('pl.bulk.reassign')}
          </Button>
          <Button size="sm" tone="ghost" onClick={() => setSelected(new Set())}>
            {t('pl.list.clearSelection')}
          </Button>
        </div>
      )}
      <Card>
        <ListStates state={list} empty={<EmptyState icon="pipeline" title={t('pl.list.emptyTitle')} body={t('pl.list.emptyBody')} />}>
          {isWide ? (
            <Table
              label={t('pl.list.label')}
              columns={[
                canWrite ? <input type="checkbox" class="size-4 accent-[var(--accent,#4f46e5)]" aria-label={t('pl.list.selectAll')} checked={allSelected} onChange={(e) => setSelected(e.currentTarget.checked ? new Set(ids) : new Set())} /> : '',
                t('pl.field.name'),
                t('pl.field.stage'),
                t('pl.field.amount'),
                t('pl.field.owner'),
                t('pl.field.expectedCloseOn'),
                t('pl.field.source'),
              ]}
            >
              {list.items.map((deal) => (
                <tr key={deal.id} class={deal.rotting ? 'bg-amber-50/60 dark:bg-amber-950/20' : ''}>
                  <td class={`${td} w-10`}>{check(deal)}</td>
                  <td class={`${td} max-w-xs`}>
                    <a href={`/pipeline/${deal.id}`} class="block truncate font-medium hover:underline">
                      {deal.name}
                    </a>
                    <span class="block truncate text-xs text-slate-500 dark:text-slate-400">{customerOf(deal)}</span>
                  </td>
                  <td class={td}>
                    <span class="inline-flex items-center gap-1.5">
                      {stageName(lookups, deal)}
                      {deal.status !== 'open' && <StatusBadge status={deal.status} />}
                      {deal.rotting && <Badge tone="amber">{t('pl.card.rotting', { days: idleDays(deal) })}</Badge>}
                    </span>
                  </td>
                  <td class={`${td} tabular-nums`}>{formatMoney(deal.amount, deal.currency)}</td>
                  <td class={td}>{deal.ownerName ?? t('pl.card.noOwner')}</td>
                  <td class={td}>{formatDay(deal.expectedCloseOn)}</td>
                  <td class={td}>{deal.source ?? ''}</td>
                </tr>
              ))}
            </Table>
          ) : (
            <ul class="divide-y divide-slate-100 dark:divide-slate-800" aria-label={t('pl.list.label')}>
              {list.items.map((deal) => (
                <li key={deal.id} class="flex gap-3 px-4 py-3">
                  {canWrite && <div class="pt-0.5">{check(deal)}</div>}
                  <div class="min-w-0 flex-1">
                    <div class="flex items-start justify-between gap-2">
                      <a href={`/pipeline/${deal.id}`} class="min-w-0 font-medium break-words hover:underline">
                        {deal.name}
                      </a>
                      <span class="shrink-0 text-sm font-semibold tabular-nums">{formatMoney(deal.amount, deal.currency)}</span>
                    </div>
                    <p class="truncate text-xs text-slate-500 dark:text-slate-400">{customerOf(deal)}</p>
                    <div class="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-500 dark:text-slate-400">
                      <span>{stageName(lookups, deal)}</span>
                      {deal.status !== 'open' && <StatusBadge status={deal.status} />}
                      {deal.rotting && <Badge tone="amber">{t('pl.card.rotting', { days: idleDays(deal) })}</Badge>}
                      <span>{deal.ownerName ?? t('pl.card.noOwner')}</span>
                      {deal.expectedCloseOn && <span>{formatDay(deal.expectedCloseOn)}</span>}
                    </div>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </ListStates>
      </Card>
      {reassigning && (
        <ReassignDialog
          ids={[...selected]}
          lookups={lookups}
          onClose={() => setReassigning(false)}
          onDone={() => {
            setReassigning(false);
            setSelected(new Set());
            setVersion((v) => v + 1);
          }}
        />
      )}
    </>
  );
}
