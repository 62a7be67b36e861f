import type { ChartConfiguration } from 'chart.js';
import { useMemo } from 'preact/hooks';
import { Card, CardHeader } from '../../components/Card';
import { ChartCanvas } from '../../components/Chart';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { formatMoney } from '../../lib/format';
import { useAsync } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { getWonLost, type WonLost } from './api';
import { Chart, SERIES } from './charts';
import { Controls, FiguresTable, formatPercent, PeriodControls, ReportHeader, ScopeControls, tdNum, useReportLookups, useReportQuery } from './common';

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

function reasonChart(w: WonLost): ChartConfiguration<'bar'> {
  return {
    type: 'bar',
    data: { labels: w.byReason.map((r) => r.reason || t('pl.report.none')), datasets: [{ label: t('pl.report.lostDeals'), data: w.byReason.map((r) => r.count), backgroundColor: SERIES.lost }] },
    options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: {} } },
  };
}

function sourceChart(w: WonLost): ChartConfiguration<'bar'> {
  return {
    type: 'bar',
    data: {
      labels: w.bySource.map((s) => s.source || t('pl.report.none')),
      datasets: [
        { label: t('pl.status.won'), data: w.bySource.map((s) => s.won), backgroundColor: SERIES.won },
        { label: t('pl.status.lost'), data: w.bySource.map((s) => s.lost), backgroundColor: SERIES.lost },
      ],
    },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
  };
}

function Summary({ w }: { w: WonLost }) {
  const closed = w.won.count + w.lost.count;
  const items = [
    [t('pl.report.wonDeals'), `${w.won.count} · ${formatMoney(w.won.amount, w.currency)}`],
    [t('pl.report.lostDeals'), `${w.lost.count} · ${formatMoney(w.lost.amount, w.currency)}`],
    [t('pl.report.winRate'), formatPercent(closed ? w.won.count / closed : null)],
  ];
  return (
    <dl class="grid gap-4 p-4 sm:grid-cols-3 sm:p-5">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt class="text-xs font-medium text-slate-500 dark:text-slate-400">{label}</dt>
          <dd class="mt-0.5 text-lg font-semibold tabular-nums">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Deals closed in a period: why they were lost, and how each source converts. */
export function WinLossPage() {
  const lookups = useReportLookups();
  const { query } = useReportQuery();
  const from = query.from ?? daysAgo(90);
  const to = query.to ?? daysAgo(0);
  const q = { pipelineId: query.pipeline, ownerId: query.owner, teamId: query.team, currency: query.currency, from, to };
  const state = useAsync((signal) => getWonLost(q, signal), [JSON.stringify(q)]);
  const w = state.data;
  const charts = useMemo(() => (w ? { reason: reasonChart(w), source: sourceChart(w) } : null), [w]);
  return (
    <>
      <ReportHeader title={t('pl.report.winLoss')} description={t('pl.report.winLossBody')} />
      <Controls>
        <ScopeControls lookups={lookups} withCurrency />
        <PeriodControls type="date" from={from} to={to} />
      </Controls>
      {state.error ? (
        <Card>
          <ErrorState error={state.error} onRetry={state.reload} />
        </Card>
      ) : !w || !charts ? (
        <Loading />
      ) : (
        <div class={`space-y-4 ${state.loading ? 'opacity-60' : ''}`}>
          <Card>
            <Summary w={w} />
          </Card>
          <Card>
            <CardHeader title={t('pl.report.byReason')} />
            {w.byReason.length === 0 ? (
              <EmptyState icon="reports" title={t('pl.report.noLost')} />
            ) : (
              <>
                <div class="p-4 sm:p-5">
                  <ChartCanvas Chart={Chart} config={charts.reason} label={t('pl.report.byReason')} height={Math.max(160, w.byReason.length * 36)} />
                </div>
                <FiguresTable label={t('pl.report.byReason')} head={[t('pl.field.lostReason'), t('pl.report.deals'), t('pl.field.amount')]}>
                  {w.byReason.map((r) => (
                    <tr key={r.reason}>
                      <th scope="row" class={`${tdNum} font-normal`}>
                        {r.reason || t('pl.report.none')}
                      </th>
                      <td class={tdNum}>{r.count}</td>
                      <td class={tdNum}>{formatMoney(r.amount, w.currency)}</td>
                    </tr>
                  ))}
                </FiguresTable>
              </>
            )}
          </Card>
          <Card>
            <CardHeader title={t('pl.report.bySource')} />
            {w.bySource.length === 0 ? (
              <EmptyState icon="reports" title={t('pl.report.noClosed')} />
            ) : (
              <>
                <div class="p-4 sm:p-5">
                  <ChartCanvas Chart={Chart} config={charts.source} label={t('pl.report.bySource')} />
                </div>
                <FiguresTable label={t('pl.report.bySource')} head={[t('pl.field.source'), t('pl.status.won'), t('pl.status.lost'), t('pl.report.wonAmount'), t('pl.report.lostAmount'), t('pl.report.winRate')]}>
                  {w.bySource.map((s) => (
                    <tr key={s.source}>
                      <th scope="row" class={`${tdNum} font-normal`}>
                        {s.source || t('pl.report.none')}
                      </th>
                      <td class={tdNum}>{s.won}</td>
                      <td class={tdNum}>{s.lost}</td>
                      <td class={tdNum}>{formatMoney(s.wonAmount, w.currency)}</td>
                      <td class={tdNum}>{formatMoney(s.lostAmount, w.currency)}</td>
                      <td class={tdNum}>{formatPercent(s.winRate)}</td>
                    </tr>
                  ))}
                </FiguresTable>
              </>
            )}
          </Card>
        </div>
      )}
    </>
  );
}
