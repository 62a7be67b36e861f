import type { ChartConfiguration } from 'chart.js';
import { useMemo } from 'preact/hooks';
import { Card, CardHeader } from '../../components/Card';
import { ChartCanvas } from '../../components/Chart';
import { Tabs } from '../../components/Tabs';
import { ErrorState, Loading } from '../../components/States';
import { currencyDigits, formatMoney } from '../../lib/format';
import { useAsync } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { getForecast, type Forecast, type ForecastRow } from './api';
import { Chart, SERIES } from './charts';
import { compactMoney, Controls, FiguresTable, monthLabel, PeriodControls, ReportHeader, ScopeControls, tdNum, toMajor, useReportLookups, useReportQuery } from './common';

function monthsAhead(n: number) {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1)).toISOString().slice(0, 7);
}

function chartOf(f: Forecast): ChartConfiguration<'bar'> {
  const money = (v: number) => toMajor(v, f.currency);
  return {
    type: 'bar',
    data: {
      labels: f.totals.map((r) => monthLabel(r.month)),
      datasets: [
        { label: t('pl.report.won'), data: f.totals.map((r) => money(r.won)), backgroundColor: SERIES.won },
        { label: t('pl.report.weighted'), data: f.totals.map((r) => money(r.weighted)), backgroundColor: SERIES.weighted },
        { label: t('pl.report.bestCase'), data: f.totals.map((r) => money(r.bestCase)), backgroundColor: SERIES.bestCase },
      ],
    },
    options: {
      plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${formatMoney(Math.round(Number(c.raw) * 10 ** currencyDigits(f.currency)), f.currency)}` } } },
      scales: { x: {}, y: { beginAtZero: true, ticks: { callback: (v) => compactMoney(Number(v), f.currency) } } },
    },
  };
}

function Cells({ row, currency }: { row: ForecastRow; currency: string }) {
  return (
    <>
      <td class={tdNum}>{formatMoney(row.won, currency)}</td>
      <td class={tdNum}>{formatMoney(row.weighted, currency)}</td>
      <td class={tdNum}>{formatMoney(row.bestCase, currency)}</td>
      <td class={tdNum}>{row.wonCount}</td>
      <td class={tdNum}>{row.openCount}</td>
    </>
  );
}

export function ForecastPage() {
  const lookups = useReportLookups();
  const { query, set } = useReportQuery();
  const from = query.from ?? monthsAhead(0);
  const to = query.to ?? monthsAhead(5);
  const split = query.split === 'team' ? 'team' : 'rep';
  const q = { pipelineId: query.pipeline, ownerId: query.owner, teamId: query.team, currency: query.currency, from, to };
  const state = useAsync((signal) => getForecast(q, signal), [JSON.stringify(q)]);
  const f = state.data;
  const config = useMemo(() => (f ? chartOf(f) : null), [f]);
  const head = [t('pl.report.month'), t('pl.report.won'), t('pl.report.weighted'), t('pl.report.bestCase'), t('pl.report.wonCount'), t('pl.report.openCount')];
  const groups = f ? (split === 'rep' ? f.byRep.map((r) => ({ key: r.ownerId ?? '-', name: r.ownerName ?? t('pl.card.noOwner'), total: r.total })) : f.byTeam.map((r) => ({ key: r.teamId ?? '-', name: r.teamName ?? t('pl.report.noTeam'), total: r.total }))) : [];
  return (
    <>
      <ReportHeader title={t('pl.report.forecast')} description={t('pl.report.forecastBody')} />
      <Controls>
        <ScopeControls lookups={lookups} withCurrency />
        <PeriodControls type="month" from={from} to={to} />
      </Controls>
      {state.error ? (
        <Card>
          <ErrorState error={state.error} onRetry={state.reload} />
        </Card>
      ) : !f || !config ? (
        <Loading />
      ) : (
        <div class={`space-y-4 ${state.loading ? 'opacity-60' : ''}`}>
          <Card>
            <CardHeader title={t('pl.report.byMonth')} description={t('pl.report.currencyNote', { currency: f.currency })} />
            <div class="p-4 sm:p-5">
              <ChartCanvas Chart={Chart} config={config} label={t('pl.report.forecastChart')} />
            </div>
            <FiguresTable
              label={t('pl.report.byMonth')}
              head={head}
              foot={
                <tr>
                  <th scope="row" class={tdNum}>
                    {t('pl.report.total')}
                  </th>
                  <Cells row={f.total} currency={f.currency} />
                </tr>
              }
            >
              {f.totals.map((row) => (
                <tr key={row.month}>
                  <th scope="row" class={`${tdNum} font-normal`}>
                    {monthLabel(row.month)}
                  </th>
                  <Cells row={row} currency={f.currency} />
                </tr>
              ))}
            </FiguresTable>
          </Card>
          <Card>
            <div class="border-b border-slate-200 px-4 sm:px-5 dark:border-slate-800">
              <Tabs
                label={t('pl.report.split')}
                active={split}
                onChange={(id) => set({ split: id === 'rep' ? undefined : id })}
                tabs={[
                  { id: 'rep', label: t('pl.report.byRep') },
                  { id: 'team', label: t('pl.report.byTeam') },
                ]}
              />
            </div>
            <FiguresTable label={split === 'rep' ? t('pl.report.byRep') : t('pl.report.byTeam')} head={[split === 'rep' ? t('pl.field.owner') : t('pl.filter.team'), ...head.slice(1)]}>
              {groups.map((g) => (
                <tr key={g.key}>
                  <th scope="row" class={`${tdNum} font-normal`}>
                    {g.name}
                  </th>
                  <Cells row={g.total} currency={f.currency} />
                </tr>
              ))}
            </FiguresTable>
          </Card>
        </div>
      )}
    </>
  );
}
