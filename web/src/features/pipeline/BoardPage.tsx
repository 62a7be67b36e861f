import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Button } from '../../components/Button';
import { Badge, Card } from '../../components/Card';
import { ErrorState, Loading } from '../../components/States';
import { toast } from '../../components/Toast';
import { ApiError } from '../../lib/api';
import { messageFor } from '../../lib/errors';
import { formatMoney } from '../../lib/format';
import { t } from '../../lib/i18n';
import { can } from '../../lib/session';
import { getBoard, listDeals, moveDeal, type Board, type Column, type Deal, type Stage } from './api';
import { customerOf, formatDay, idleDays, isStale } from './common';
import { useBoardDrag, type DragTarget } from './dnd';
import { filtersFromQuery, FilterBar } from './Filters';
import { LostReasonDialog } from './LostReasonDialog';
import { useLookups } from './lookups';
import { AreaHeader } from './AreaHeader';
import { SampleDataPanel } from './SampleData';

/** Takes a deal out of whichever column holds it and puts it on top of its stage's column, keeping the totals right. */
function placeDeal(board: Board, deal: Deal): Board {
  const counts = (d: Deal) => (d.currency === board.currency ? { amount: d.amount, weighted: d.weightedAmount } : { amount: 0, weighted: 0 });
  const columns = board.columns.map((col): Column => {
    const existing = col.deals.find((d) => d.id === deal.id);
    let next = col;
    if (existing) {
      const c = counts(existing);
      next = { ...next, deals: next.deals.filter((d) => d.id !== deal.id), count: next.count - 1, amount: next.amount - c.amount, weightedAmount: next.weightedAmount - c.weighted };
    }
    if (col.stage.id === deal.stageId) {
      const c = counts(deal);
      next = { ...next, deals: [deal, ...next.deals], count: next.count + 1, amount: next.amount + c.amount, weightedAmount: next.weightedAmount + c.weighted };
    }
    return next;
  });
  return { ...board, columns };
}

/** The deal as it will look in another stage, before the server says so. */
function inStage(deal: Deal, stage: Stage): Deal {
  return { ...deal, stageId: stage.id, status: stage.kind, probability: stage.probability, weightedAmount: Math.round((deal.amount * stage.probability) / 100), rotting: false, stageEnteredAt: new Date().toISOString() };
}

function DealCard({ deal, held, dragging, props, describedBy }: { deal: Deal; held: boolean; dragging: boolean; props: Record<string, unknown>; describedBy: string }) {
  const customer = customerOf(deal);
  return (
    <li
      {...props}
      aria-describedby={describedBy}
      class={`cursor-grab touch-manipulation rounded-lg border bg-white p-3 shadow-sm outline-none select-none focus-visible:ring-2 focus-visible:ring-accent dark:bg-slate-900 ${
        deal.rotting ? 'border-amber-400 dark:border-amber-600' : 'border-slate-200 dark:border-slate-700'
      } ${dragging ? 'opacity-40' : ''} ${held ? 'ring-2 ring-accent' : ''}`}
    >
      <a href={`/pipeline/${deal.id}`} tabIndex={-1} draggable={false} class="block font-medium break-words hover:underline">
        {deal.name}
      </a>
      {customer && <p class="mt-0.5 truncate text-xs text-slate-500 dark:text-slate-400">{customer}</p>}
      <div class="mt-2 flex items-center justify-between gap-2">
        <span class="text-sm font-semibold tabular-nums">{formatMoney(deal.amount, deal.currency)}</span>
        {deal.rotting && <Badge tone="amber">{t('pl.card.rotting', { days: idleDays(deal) })}</Badge>}
      </div>
      <div class="mt-1 flex items-center justify-between gap-2 text-xs text-slate-500 dark:text-slate-400">
        <span class="truncate">{deal.ownerName ?? t('pl.card.noOwner')}</span>
        {deal.expectedCloseOn && <span class="shrink-0">{formatDay(deal.expectedCloseOn)}</span>}
      </div>
    </li>
  );
}

function ColumnView({ column, currency, isTarget, children, onMore, moreBusy }: { column: Column; currency: string; isTarget: boolean; children: preact.ComponentChildren; onMore: () => void; moreBusy: boolean }) {
  const headingId = useId();
  const { stage } = column;
  return (
    <section
      data-drop-stage={stage.id}
      aria-labelledby={headingId}
      class={`flex w-[17rem] shrink-0 flex-col rounded-xl bg-slate-100 ring-2 transition-shadow sm:max-h-[calc(100dvh-15rem)] sm:min-h-80 sm:w-72 dark:bg-slate-900/60 ${isTarget ? 'ring-accent' : 'ring-transparent'}`}
    >
      <header class="border-b border-slate-200 px-3 pt-3 pb-2 dark:border-slate-800">
        <div class="flex items-center justify-between gap-2">
          <h2 id={headingId} class="truncate text-sm font-semibold">
            {stage.name}
          </h2>
          <span class="shrink-0 text-xs text-slate-500 dark:text-slate-400">{stage.kind === 'open' ? `${stage.probability}%` : t(`pl.status.${stage.kind}`)}</span>
        </div>
        <dl class="mt-1.5 space-y-0.5 text-xs">
          <div class="flex justify-between gap-2">
            <dt class="text-slate-500 dark:text-slate-400">{t('pl.board.count')}</dt>
            <dd class="font-semibold tabular-nums" data-total="count">{column.count}</dd>
          </div>
          <div class="flex justify-between gap-2">
            <dt class="text-slate-500 dark:text-slate-400">{t('pl.board.amount')}</dt>
            <dd class="truncate font-semibold tabular-nums" data-total="amount">{formatMoney(column.amount, currency)}</dd>
          </div>
          <div class="flex justify-between gap-2">
            <dt class="text-slate-500 dark:text-slate-400">{t('pl.board.weighted')}</dt>
            <dd class="truncate font-semibold tabular-nums" data-total="weighted">{formatMoney(column.weightedAmount, currency)}</dd>
          </div>
        </dl>
      </header>
      <ul aria-label={t('pl.board.cardsIn', { stage: stage.name })} class="flex min-h-24 flex-1 flex-col gap-2 overflow-y-auto overscroll-contain p-2">
        {children}
        {column.deals.length === 0 && <li class="rounded-lg border border-dashed border-slate-300 px-3 py-6 text-center text-xs text-slate-400 dark:border-slate-700">{t('pl.board.emptyColumn')}</li>}
      </ul>
      {column.nextCursor && (
        <div class="px-2 pb-2">
          <Button size="sm" tone="ghost" class="w-full" busy={moreBusy} onClick={onMore}>
            {t('pl.board.more', { count: column.count - column.deals.length })}
          </Button>
        </div>
      )}
    </section>
  );
}

type LostPrompt = { deal: Deal; stage: Stage; error?: string };

export function BoardPage() {
  const { query, route } = useLocation();
  const lookups = useLookups();
  const filters = filtersFromQuery(query);
  const key = JSON.stringify([query.pipeline, filters]);
  const [board, setBoard] = useState<Board | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const [moreBusy, setMoreBusy] = useState<string | null>(null);
  const [lost, setLost] = useState<LostPrompt | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [workspaceEmpty, setWorkspaceEmpty] = useState(false);
  const boardState = useRef<Board | null>(null);
  boardState.current = board;
  const focusAfter = useRef<string | null>(null);
  const instructionsId = useId();
  const canWrite = can('deals:write');

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    getBoard(query.pipeline, filters, controller.signal).then(
      (b) => {
        setBoard(b);
        setLoading(false);
      },
      (err) => {
        if (controller.signal.aborted) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [key, tick]);

  // An empty workspace (not merely an empty filter or pipeline) offers the sample data.
  const boardIsEmpty = board !== null && board.columns.every((c) => c.count === 0);
  const unfiltered = !filters.ownerId && !filters.teamId && !filters.closeMonth && !filters.source;
  useEffect(() => {
    if (!boardIsEmpty || !unfiltered) return setWorkspaceEmpty(false);
    const controller = new AbortController();
    listDeals({}, undefined, controller.signal, 1).then((page) => setWorkspaceEmpty(page.items.length === 0), () => setWorkspaceEmpty(false));
    return () => controller.abort();
  }, [boardIsEmpty, unfiltered, board?.pipeline.id]);

  useEffect(() => {
    if (!focusAfter.current) return;
    const el = document.querySelector<HTMLElement>(`[data-deal-id="${CSS.escape(focusAfter.current)}"]`);
    focusAfter.current = null;
    el?.focus();
  }, [board]);

  const reload = () => setTick((n) => n + 1);
  const dealById = (id: string) => boardState.current?.columns.flatMap((c) => c.deals).find((d) => d.id === id);
  const stageById = (id: string) => boardState.current?.columns.find((c) => c.stage.id === id)?.stage;
  const announce = (message: string) => setAnnouncement(message);

  const move = async (deal: Deal, stage: Stage, lostReason?: string) => {
    setBoard((b) => (b ? placeDeal(b, inStage(deal, stage)) : b));
    try {
      const updated = await moveDeal(deal, stage.id, lostReason ? { lostReason } : {});
      setBoard((b) => (b ? placeDeal(b, updated) : b));
      toast(t('pl.board.moved', { name: deal.name, stage: stage.name }));
    } catch (err) {
      // Back where it was, then the server's view of the board.
      setBoard((b) => (b ? placeDeal(b, deal) : b));
      if (isStale(err)) toast(t('pl.board.stale', { name: deal.name }), 'error');
      else if (err instanceof ApiError && err.fieldError('lostReason')) setLost({ deal, stage, error: t('error.required') });
      else toast(messageFor(err), 'error');
      reload();
    }
  };

  const onDrop = (target: DragTarget, toStageId: string) => {
    const deal = dealById(target.dealId);
    const stage = stageById(toStageId);
    if (!deal || !stage || !canWrite) return;
    focusAfter.current = deal.id;
    if (stage.kind === 'lost') setLost({ deal, stage });
    else void move(deal, stage);
  };

  const drag = useBoardDrag({
    stageIds: board?.columns.map((c) => c.stage.id) ?? [],
    onDrop,
    announce,
    messages: {
      pickedUp: (dealId, stageId) => t('pl.dnd.pickedUp', { name: dealById(dealId)?.name ?? '', stage: stageById(stageId)?.name ?? '' }),
      over: (dealId, stageId) => t('pl.dnd.over', { name: dealById(dealId)?.name ?? '', stage: stageById(stageId)?.name ?? '' }),
      dropped: (dealId, stageId) => t('pl.dnd.dropped', { name: dealById(dealId)?.name ?? '', stage: stageById(stageId)?.name ?? '' }),
      cancelled: (dealId) => t('pl.dnd.cancelled', { name: dealById(dealId)?.name ?? '' }),
    },
  });

  const loadMore = async (column: Column) => {
    if (!board || !column.nextCursor) return;
    setMoreBusy(column.stage.id);
    try {
      const page = await listDeals({ ...filters, pipelineId: board.pipeline.id, stageId: column.stage.id }, column.nextCursor);
      setBoard((b) =>
        b ? { ...b, columns: b.columns.map((c) => (c.stage.id === column.stage.id ? { ...c, deals: [...c.deals, ...page.items.filter((d) => !c.deals.some((x) => x.id === d.id))], nextCursor: page.nextCursor } : c)) } : b,
      );
    } catch (err) {
      toast(messageFor(err), 'error');
    } finally {
      setMoreBusy(null);
    }
  };

  return (
    <>
      <AreaHeader view="board" pipelineId={board?.pipeline.id} lookups={lookups} />
      <FilterBar lookups={lookups} />
      {workspaceEmpty && <SampleDataPanel onLoaded={(pipelineId) => route(`/pipeline?pipeline=${encodeURIComponent(pipelineId)}`)} />}
      {error && !board ? (
        <Card>
          <ErrorState error={error} onRetry={reload} />
        </Card>
      ) : !board ? (
        <Loading />
      ) : (
        <div class={loading ? 'opacity-70 transition-opacity' : ''}>
          <p id={instructionsId} class="sr-only">
            {canWrite ? t('pl.dnd.instructions') : t('pl.dnd.readOnly')}
          </p>
          <div aria-live="assertive" class="sr-only">
            {announcement}
          </div>
          <div ref={drag.boardRef} class="-mx-4 flex gap-3 overflow-x-auto overscroll-x-contain px-4 pb-4 sm:mx-0 sm:px-0" role="group" aria-label={t('pl.board.label', { pipeline: board.pipeline.name })}>
            {board.columns.map((column) => (
              <ColumnView key={column.stage.id} column={column} currency={board.currency} isTarget={drag.targetStageId === column.stage.id} onMore={() => loadMore(column)} moreBusy={moreBusy === column.stage.id}>
                {column.deals.map((deal) => (
                  <DealCard
                    key={deal.id}
                    deal={deal}
                    held={drag.keyboard?.dealId === deal.id}
                    dragging={drag.draggingId === deal.id}
                    describedBy={instructionsId}
                    props={canWrite ? drag.cardProps({ dealId: deal.id, fromStageId: column.stage.id }, () => route(`/pipeline/${deal.id}`)) : { tabIndex: 0, 'data-deal-id': deal.id, onKeyDown: (e: KeyboardEvent) => e.key === 'Enter' && route(`/pipeline/${deal.id}`) }}
                  />
                ))}
              </ColumnView>
            ))}
          </div>
        </div>
      )}
      {lost && (
        <LostReasonDialog
          dealName={lost.deal.name}
          stageName={lost.stage.name}
          error={lost.error}
          onCancel={() => {
            announce(t('pl.dnd.cancelled', { name: lost.deal.name }));
            setLost(null);
          }}
          onConfirm={(reason) => {
            const { deal, stage } = lost;
            setLost(null);
            void move(deal, stage, reason);
          }}
        />
      )}
    </>
  );
}
