import type { ChartConfiguration } from 'chart.js';
import { useMemo } from 'preact/hooks';
import { Card, CardHeader } from '../../components/Card';
import { ChartCanvas } from '../../components/Chart';
import { ErrorState, Loading } from '../../components/States';
import { useAsync } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { getFunnel, getWinRates, type Funnel, type WinRates } from './api';
import { Chart, SERIES } from './charts';
import { Controls, FiguresTable, formatNumber, formatPercent, PeriodControls, ReportHeader, ScopeControls, tdNum, useReportLookups, useReportQuery } from './common';

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

function chartOf(f: Funnel): ChartConfiguration<'bar'> {
  return {
    type: 'bar',
    data: {
      labels: f.stages.map((s) => s.name),
      datasets: [
        { label: t('pl.report.reached'), data: f.stages.map((s) => s.reached), backgroundColor: f.stages.map((s) => (s.kind === 'won' ? SERIES.won : s.kind === 'lost' ? SERIES.lost : SERIES.weighted)) },
        { label: t('pl.report.current'), data: f.stages.map((s) => s.current), backgroundColor: SERIES.neutral },
      ],
    },
    options: { indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: {} } },
  };
}

/** Funnel of the deals created in a period, with the historical win rate of each stage beside it. */
export function FunnelPage() {
  const lookups = useReportLookups();
  const { query } = useReportQuery();
  const from = query.from ?? daysAgo(90);
  const to = query.to ?? daysAgo(0);
  const q = { pipelineId: query.pipeline, ownerId: query.owner, teamId: query.team, source: query.source, from, to };
  const funnel = useAsync((signal) => getFunnel(q, signal), [JSON.stringify(q)]);
  const rates = useAsync((signal) => getWinRates({ pipelineId: query.pipeline, from, to }, signal), [query.pipeline, from, to]);
  const f = funnel.data;
  const config = useMemo(() => (f ? chartOf(f) : null), [f]);
  const rateOf = (stageId: string, r: WinRates | undefined) => r?.stages.find((s) => s.stageId === stageId);
  return (
    <>
      <ReportHeader title={t('pl.report.funnel')} description={t('pl.report.funnelBody')} />
      <Controls>
        <ScopeControls lookups={lookups} allPipelines={false} withSource />
        <PeriodControls type="date" from={from} to={to} />
      </Controls>
      {funnel.error ? (
        <Card>
          <ErrorState error={funnel.error} onRetry={funnel.reload} />
        </Card>
      ) : !f || !config ? (
        <Loading />
      ) : (
        <Card class={funnel.loading ? 'opacity-60' : ''}>
          <CardHeader title={t('pl.report.funnelTitle', { count: f.total })} description={t('pl.report.cohortNote')} />
          <div class="p-4 sm:p-5">
            <ChartCanvas Chart={Chart} config={config} label={t('pl.report.funnelChart')} height={Math.max(200, f.stages.length * 48)} />
          </div>
          <FiguresTable label={t('pl.report.funnel')} head={[t('pl.field.stage'), t('pl.report.reached'), t('pl.report.current'), t('pl.report.conversion'), t('pl.report.avgDays'), t('pl.report.winRate')]}>
            {f.stages.map((s) => (
              <tr key={s.stageId}>
                <th scope="row" class={`${tdNum} font-normal`}>
                  {s.name}
                </th>
                <td class={tdNum}>{s.reached}</td>
                <td class={tdNum}>{s.current}</td>
                <td class={tdNum}>{formatPercent(s.conversion)}</td>
                <td class={tdNum}>{formatNumber(s.avgDays, 1)}</td>
                <td class={tdNum}>{s.kind === 'open' ? formatPercent(rateOf(s.stageId, rates.data)?.winRate ?? null) : '—'}</td>
              </tr>
            ))}
          </FiguresTable>
          {rates.error ? <p class="px-4 py-2 text-sm text-red-600 sm:px-5">{t('pl.report.winRateFailed')}</p> : null}
        </Card>
      )}
    </>
  );
}
