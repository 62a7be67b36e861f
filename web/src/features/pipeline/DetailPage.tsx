import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Button, ButtonLink } from '../../components/Button';
import { Card, CardHeader, PageHeader } from '../../components/Card';
import { confirmAction } from '../../components/Confirm';
import { Dialog } from '../../components/Dialog';
import { FormError, inputClass, SelectField } from '../../components/Field';
import { Menu, MenuItem } from '../../components/Menu';
import { OpenTasksCard, type OpenTasksText } from '../../components/OpenTasks';
import { ErrorState, Loading } from '../../components/States';
import { Timeline } from '../../components/Timeline';
import { toast } from '../../components/Toast';
import { ApiError } from '../../lib/api';
import { messageFor } from '../../lib/errors';
import { formatDate, formatDateTime, formatMoney } from '../../lib/format';
import { useAsync, useSubmit } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { can } from '../../lib/session';
import { completeTask, dealHistory, dealTimeline, deleteDeal, getDeal, listOpenTasks, moveDeal, reopenTask, updateDeal, type DealDetail, type Stage } from './api';
import { customerOf, formatDay, formatDuration, idleDays, isNotFound, isStale, NotFound, Row, StatusBadge } from './common';
import { LostReasonDialog } from './LostReasonDialog';
import { activePeople, useLookups, type Lookups } from './lookups';

const taskText: OpenTasksText = (key, params) => t(`pl.tasks.${key}`, params);

function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="min-w-0">
      <dt class="text-xs font-medium text-slate-500 dark:text-slate-400">{label}</dt>
      <dd class="mt-0.5 truncate text-base font-semibold tabular-nums">{children}</dd>
    </div>
  );
}

function ReassignDialog({ deal, lookups, onClose, onSaved }: { deal: DealDetail; lookups: Lookups; onClose: () => void; onSaved: (d: DealDetail) => void }) {
  const [ownerId, setOwnerId] = useState(deal.ownerId ?? '');
  const submit = useSubmit(async () => {
    const saved = await updateDeal(deal, { ownerId: ownerId || null });
    toast(t('pl.detail.reassigned', { owner: saved.ownerName ?? t('pl.card.noOwner') }));
    onSaved(saved);
  });
  return (
    <Dialog
      open
      onClose={onClose}
      title={t('pl.detail.reassignTitle', { name: deal.name })}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button tone="primary" busy={submit.busy} onClick={() => submit.run()}>
            {t('pl.bulk.confirm')}
          </Button>
        </>
      }
    >
      <div class="space-y-3">
        <FormError message={submit.error && !submit.field('ownerId') ? submit.message : null} />
        <SelectField label={t('pl.field.owner')} value={ownerId} error={submit.field('ownerId')} onChange={(e) => setOwnerId(e.currentTarget.value)}>
          <option value="">{t('pl.card.noOwner')}</option>
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

/** `closedIn`: the won/lost stage a closed deal rests in; time there is not time spent selling. */
function StageHistory({ dealId, version, closedIn }: { dealId: string; version: number; closedIn: string | null }) {
  const history = useAsync((signal) => dealHistory(dealId, signal), [dealId, version]);
  if (history.error) return <ErrorState error={history.error} onRetry={history.reload} />;
  if (!history.data) return <Loading />;
  const { items } = history.data;
  const timeInStage = history.data.timeInStage.filter((s) => s.stageId !== closedIn);
  const longest = Math.max(1, ...timeInStage.map((s) => s.seconds));
  return (
    <div class="space-y-5 p-4 sm:p-5">
      {timeInStage.length > 0 && (
        <section aria-labelledby="time-in-stage">
          <h3 id="time-in-stage" class="mb-2 text-sm font-medium text-slate-500 dark:text-slate-400">
            {t('pl.history.timeInStage')}
          </h3>
          <ul class="space-y-2">
            {timeInStage.map((s) => (
              <li key={s.stageId} class="grid grid-cols-[7rem_1fr_auto] items-center gap-3 text-sm">
                <span class="truncate">{s.stageName}</span>
                <span class="h-2 overflow-hidden rounded-full bg-slate-100 dark:bg-slate-800" aria-hidden="true">
                  <span class="block h-full bg-accent" style={{ width: `${Math.max(2, (s.seconds / longest) * 100)}%` }} />
                </span>
                <span class="tabular-nums text-slate-600 dark:text-slate-300">{formatDuration(s.seconds)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <ol aria-label={t('pl.history.label')} class="space-y-3">
        {[...items].reverse().map((m) => (
          <li key={m.id} class="text-sm">
            <p class="font-medium">{m.fromStageName ? t('pl.history.moved', { from: m.fromStageName, to: m.toStageName }) : t('pl.history.created', { to: m.toStageName })}</p>
            <p class="text-xs text-slate-500 dark:text-slate-400">
              {formatDateTime(m.movedAt)}
              {m.movedByName ? ` · ${m.movedByName}` : ''}
              {m.secondsInPrevious !== null && m.fromStageName ? ` · ${t('pl.history.after', { duration: formatDuration(m.secondsInPrevious) })}` : ''}
            </p>
          </li>
        ))}
      </ol>
    </div>
  );
}

export function DealDetailPage({ id }: { id: string }) {
  const { route } = useLocation();
  const lookups = useLookups();
  const state = useAsync((signal) => getDeal(id, signal), [id]);
  const [override, setOverride] = useState<DealDetail | null>(null);
  const [lost, setLost] = useState<{ stage: Stage; error?: string } | null>(null);
  const [reassign, setReassign] = useState(false);
  const [busy, setBusy] = useState(false);
  const [version, setVersion] = useState(0);
  const deal = override && override.id === id && (!state.data || override.version >= state.data.version) ? override : state.data;
  if (state.error && isNotFound(state.error)) return <NotFound />;
  if (state.error && !deal) return <ErrorState error={state.error} onRetry={state.reload} />;
  if (!deal) return <Loading />;

  const canWrite = can('deals:write');
  const pipeline = lookups.pipelines.find((p) => p.id === deal.pipelineId);
  const stages = pipeline?.stages ?? [];
  const stage = stages.find((s) => s.id === deal.stageId);
  const wonStage = stages.find((s) => s.kind === 'won');
  const lostStage = stages.find((s) => s.kind === 'lost');
  const saved = (d: DealDetail) => {
    setOverride(d);
    setVersion((v) => v + 1);
  };

  const move = async (target: Stage, lostReason?: string) => {
    setBusy(true);
    try {
      saved(await moveDeal(deal, target.id, lostReason ? { lostReason } : {}));
      setLost(null);
      toast(t('pl.board.moved', { name: deal.name, stage: target.name }));
    } catch (err) {
      if (isStale(err)) {
        toast(t('pl.board.stale', { name: deal.name }), 'error');
        setOverride(null);
        state.reload();
      } else if (err instanceof ApiError && err.fieldError('lostReason')) setLost({ stage: target, error: t('error.required') });
      else toast(messageFor(err), 'error');
    } finally {
      setBusy(false);
    }
  };
  const chooseStage = (target: Stage | undefined) => {
    if (!target || target.id === deal.stageId) return;
    if (target.kind === 'lost') setLost({ stage: target });
    else void move(target);
  };
  const remove = async () => {
    const ok = await confirmAction({ title: t('pl.detail.deleteTitle', { name: deal.name }), body: t('pl.detail.deleteBody'), confirmLabel: t('common.delete') });
    if (!ok) return;
    try {
      await deleteDeal(deal);
      toast(t('pl.detail.deleted', { name: deal.name }));
      route('/pipeline');
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };

  const customer = customerOf(deal);
  return (
    <>
      <nav class="mb-2 text-sm">
        <a href={pipeline ? `/pipeline?pipeline=${pipeline.id}` : '/pipeline'} class="text-slate-500 hover:text-slate-800 hover:underline dark:text-slate-400 dark:hover:text-slate-200">
          ← {pipeline?.name ?? t('nav.pipeline')}
        </a>
      </nav>
      <PageHeader
        title={deal.name}
        description={
          <span class="flex flex-wrap items-center gap-2">
            <StatusBadge status={deal.status} />
            {deal.contactId && (
              <a class="hover:underline" href={`/customers/${deal.contactId}`}>
                {deal.contactName}
              </a>
            )}
            {deal.companyId && (
              <a class="hover:underline" href={`/companies/${deal.companyId}`}>
                {deal.companyName}
              </a>
            )}
            {!deal.contactId && !deal.companyId && customer}
            {deal.rotting && <span class="text-amber-700 dark:text-amber-400">{t('pl.card.rotting', { days: idleDays(deal) })}</span>}
          </span>
        }
        actions={
          canWrite && (
            <>
              <ButtonLink href={`/pipeline/${deal.id}/edit`} icon="edit">
                {t('common.edit')}
              </ButtonLink>
              <Menu label={t('common.actions')}>
                <MenuItem icon="trash" danger onClick={remove}>
                  {t('common.delete')}
                </MenuItem>
              </Menu>
            </>
          )
        }
      />

      {canWrite && (
        <div role="toolbar" aria-label={t('pl.detail.quickActions')} class="mb-4 flex flex-wrap items-center gap-2">
          <select class={`${inputClass} sm:w-auto`} aria-label={t('pl.detail.moveTo')} value={deal.stageId} disabled={busy} onChange={(e) => chooseStage(stages.find((s) => s.id === e.currentTarget.value))}>
            {stages.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
          {wonStage && deal.status !== 'won' && (
            <Button icon="check" disabled={busy} onClick={() => chooseStage(wonStage)}>
              {t('pl.detail.markWon')}
            </Button>
          )}
          {lostStage && deal.status !== 'lost' && (
            <Button icon="close" disabled={busy} onClick={() => chooseStage(lostStage)}>
              {t('pl.detail.markLost')}
            </Button>
          )}
          <Button icon="user" onClick={() => setReassign(true)}>
            {t('pl.detail.reassign')}
          </Button>
        </div>
      )}

      <div class="grid gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,1.2fr)]">
        <div class="min-w-0 space-y-4">
          <Card>
            <dl class="grid grid-cols-2 gap-4 p-4 sm:p-5">
              <Fact label={t('pl.field.amount')}>{formatMoney(deal.amount, deal.currency)}</Fact>
              <Fact label={t('pl.board.weighted')}>{formatMoney(deal.weightedAmount, deal.currency)}</Fact>
              <Fact label={t('pl.field.stage')}>
                {stage?.name ?? ''} <span class="text-sm font-normal text-slate-500">{deal.probability}%</span>
              </Fact>
              <Fact label={t('pl.field.owner')}>{deal.ownerName ?? t('pl.card.noOwner')}</Fact>
            </dl>
            <dl class="divide-y divide-slate-100 border-t border-slate-200 px-4 sm:px-5 dark:divide-slate-800 dark:border-slate-800">
              <Row label={t('pl.field.expectedCloseOn')}>{formatDay(deal.expectedCloseOn)}</Row>
              <Row label={t('pl.field.source')}>{deal.source}</Row>
              <Row label={t('pl.field.nextStep')}>{deal.nextStep}</Row>
              <Row label={t('pl.field.lostReason')}>{deal.lostReason}</Row>
              <Row label={t('pl.field.wonAt')}>{formatDate(deal.wonAt)}</Row>
              <Row label={t('pl.field.lostAt')}>{formatDate(deal.lostAt)}</Row>
              <Row label={t('pl.field.contract')}>{deal.contractStartOn || deal.contractEndOn ? `${formatDay(deal.contractStartOn)} – ${formatDay(deal.contractEndOn)}` : ''}</Row>
              <Row label={t('pl.field.inStageSince')}>{formatDateTime(deal.stageEnteredAt)}</Row>
              <Row label={t('pl.field.createdAt')}>{formatDateTime(deal.createdAt)}</Row>
            </dl>
          </Card>
          {can('tasks:read') && (
            <OpenTasksCard
              text={taskText}
              load={(cursor, signal) => listOpenTasks(deal.id, cursor, signal)}
              complete={completeTask}
              reopen={reopenTask}
              prefill={{ dealId: deal.id, contactId: deal.contactId, companyId: deal.contactId ? null : deal.companyId }}
              people={lookups.people}
              canWrite={can('tasks:write')}
              deps={[deal.id]}
              onChanged={() => setVersion((v) => v + 1)}
            />
          )}
          <Card>
            <CardHeader title={t('pl.items.title')} />
            {deal.items.length === 0 ? (
              <p class="px-4 py-4 text-sm text-slate-500 sm:px-5 dark:text-slate-400">{t('pl.items.none')}</p>
            ) : (
              <ul class="divide-y divide-slate-100 text-sm dark:divide-slate-800" aria-label={t('pl.items.title')}>
                {deal.items.map((item) => (
                  <li key={item.id} class="flex justify-between gap-3 px-4 py-2.5 sm:px-5">
                    <span class="min-w-0 break-words">
                      {item.name} <span class="text-slate-500">× {item.quantity}</span>
                      <span class="block text-xs text-slate-500">{formatMoney(item.unitPrice, deal.currency)}</span>
                    </span>
                    <span class="shrink-0 tabular-nums">{formatMoney(item.total, deal.currency)}</span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card>
            <CardHeader title={t('pl.history.title')} />
            <StageHistory dealId={deal.id} version={version} closedIn={deal.status === 'open' ? null : deal.stageId} />
          </Card>
        </div>
        <Card class="min-w-0">
          <CardHeader title={t('pl.timeline.title')} description={customer ? t('pl.timeline.shared', { customer }) : undefined} />
          <Timeline
            load={(cursor, signal) => dealTimeline(deal.id, cursor, signal)}
            deps={[deal.id, version]}
            people={lookups.people}
            currency={deal.currency}
            label={t('pl.timeline.title')}
            emptyBody={t('pl.timeline.empty')}
          />
        </Card>
      </div>

      {lost && <LostReasonDialog dealName={deal.name} stageName={lost.stage.name} error={lost.error} busy={busy} onCancel={() => setLost(null)} onConfirm={(reason) => void move(lost.stage, reason)} />}
      {reassign && (
        <ReassignDialog
          deal={deal}
          lookups={lookups}
          onClose={() => setReassign(false)}
          onSaved={(d) => {
            setReassign(false);
            saved(d);
          }}
        />
      )}
    </>
  );
}
