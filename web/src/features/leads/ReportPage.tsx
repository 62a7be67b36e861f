import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Card, CardHeader, PageHeader } from '../../components/Card';
import { InputField, SelectField } from '../../components/Field';
import { AsyncList, EmptyState, Loading } from '../../components/States';
import { td, Table } from '../../components/Table';
import { addDays } from '../../lib/format';
import { useAsync } from '../../lib/hooks';
import { locale, t, timeZone } from '../../lib/i18n';
import { isDark } from '../../lib/theme';
import { leadSourceReport, type ReportBy, type ReportRow } from './api';

type ChartComponent = ComponentType<{ rows: ReportRow[]; dark: boolean; labels: { leads: string; customers: string; deals: string; title: string } }>;

/** chart.js arrives only when the report opens (its own chunk). */
function useChartComponent() {
  const [component, setComponent] = useState<ChartComponent | null>(null);
  useEffect(() => {
    void import('./SourceChart').then((m) => setComponent(() => m.default));
  }, []);
  return component;
}

const BYS: ReportBy[] = ['source', 'campaign', 'form'];
/** Today in the person's time zone, as YYYY-MM-DD (en-CA writes dates that way). */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: timeZone.value, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

const percent = (rate: number | null) =>
  rate === null || rate === undefined ? '—' : new Intl.NumberFormat(locale.value, { style: 'percent', maximumFractionDigits: 1 }).format(rate);

function Totals({ rows }: { rows: ReportRow[] }) {
  const sum = (k: 'leads' | 'customers' | 'deals') => rows.reduce((s, r) => s + r[k], 0);
  const leads = sum('leads');
  const items = [
    { label: t('leads.report.leads'), value: String(leads) },
    { label: t('leads.report.customers'), value: `${sum('customers')} · ${percent(leads ? sum('customers') / leads : null)}` },
    { label: t('leads.report.deals'), value: `${sum('deals')} · ${percent(leads ? sum('deals') / leads : null)}` },
  ];
  return (
    <div class="grid grid-cols-1 gap-3 sm:grid-cols-3">
      {items.map((i) => (
        <Card key={i.label} class="px-4 py-3">
          <div class="text-xs font-medium text-slate-500 uppercase dark:text-slate-400">{i.label}</div>
          <div class="mt-1 text-xl font-semibold">{i.value}</div>
        </Card>
      ))}
    </div>
  );
}

export function ReportPage() {
  const { query, route } = useLocation();
  const by: ReportBy = BYS.includes(query.by as ReportBy) ? (query.by as ReportBy) : 'source';
  const to = /^\d{4}-\d{2}-\d{2}$/.test(query.to ?? '') ? query.to : today();
  const from = /^\d{4}-\d{2}-\d{2}$/.test(query.from ?? '') ? query.from : addDays(to, -89);
  const go = (changes: Record<string, string>) => route(`/leads/report?${new URLSearchParams({ by, from, to, ...changes })}`, true);
  const state = useAsync((signal) => leadSourceReport({ by, from, to }, signal), [by, from, to]);
  const data = state.data ? { items: state.data.rows } : undefined;
  const byLabel = t(`leads.report.by.${by}`);
  const SourceChart = useChartComponent();
  return (
    <>
      <a href="/leads" class="mb-2 inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-800 dark:text-slate-400 dark:hover:text-slate-200">
        ← {t('leads.backToInbox')}
      </a>
      <PageHeader title={t('leads.report.title')} description={t('leads.report.description')} />
      <Card class="mb-5">
        <div class="grid gap-4 px-4 py-4 sm:grid-cols-3 sm:px-5">
          <SelectField label={t('leads.report.groupBy')} value={by} onChange={(e) => go({ by: e.currentTarget.value })}>
            {BYS.map((b) => (
              <option key={b} value={b}>
                {t(`leads.report.by.${b}`)}
              </option>
            ))}
          </SelectField>
          <InputField label={t('leads.report.from')} type="date" value={from} max={to} onChange={(e) => e.currentTarget.value && go({ from: e.currentTarget.value })} />
          <InputField label={t('leads.report.to')} type="date" value={to} min={from} onChange={(e) => e.currentTarget.value && go({ to: e.currentTarget.value })} />
        </div>
      </Card>
      <AsyncList state={{ ...state, data }} empty={<Card><EmptyState icon="reports" title={t('leads.report.empty')} body={t('leads.report.emptyBody')} /></Card>}>
        {({ items: rows }) => (
          <div class="flex flex-col gap-5">
            <Totals rows={rows} />
            <Card>
              <CardHeader title={t('leads.report.chartTitle', { by: byLabel })} />
              <div class="px-2 py-4 sm:px-4">
                {SourceChart ? (
                  <SourceChart
                    rows={rows}
                    dark={isDark()}
                    labels={{ leads: t('leads.report.leads'), customers: t('leads.report.customers'), deals: t('leads.report.deals'), title: t('leads.report.chartTitle', { by: byLabel }) }}
                  />
                ) : (
                  <Loading />
                )}
              </div>
            </Card>
            <Card>
              <Table
                label={t('leads.report.tableLabel', { by: byLabel })}
                columns={[byLabel, t('leads.report.leads'), t('leads.report.customers'), t('leads.report.customerRate'), t('leads.report.deals'), t('leads.report.dealRate')]}
              >
                {rows.map((r) => (
                  <tr key={r.key}>
                    <th scope="row" class={`${td} font-medium`}>
                      {r.label || t('leads.report.none')}
                    </th>
                    <td class={`${td} tabular-nums`}>{r.leads}</td>
                    <td class={`${td} tabular-nums`}>{r.customers}</td>
                    <td class={`${td} tabular-nums`}>{percent(r.customerRate)}</td>
                    <td class={`${td} tabular-nums`}>{r.deals}</td>
                    <td class={`${td} tabular-nums`}>{percent(r.dealRate)}</td>
                  </tr>
                ))}
              </Table>
            </Card>
          </div>
        )}
      </AsyncList>
    </>
  );
}
