import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import type { ReportRow } from './api';

// Only what a grouped bar chart needs: chart.js stays tree-shaken, and this module loads lazily.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const css = (name: string, fallback: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

/** Leads, customers and deals per source (or campaign, or form), as grouped bars. */
export default function SourceChart({ rows: all, labels, dark }: { rows: ReportRow[]; labels: { leads: string; customers: string; deals: string; title: string }; dark: boolean }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    // The fifteen biggest groups: more bars stop being readable on a phone; the table has them all.
    const rows = all.slice(0, 15);
    const text = dark ? '#cbd5e1' : '#334155';
    const grid = dark ? 'rgba(148,163,184,0.15)' : 'rgba(100,116,139,0.15)';
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: rows.map((r) => r.label),
        datasets: [
          { label: labels.leads, data: rows.map((r) => r.leads), backgroundColor: css('--accent', '#4f46e5') },
          { label: labels.customers, data: rows.map((r) => r.customers), backgroundColor: '#10b981' },
          { label: labels.deals, data: rows.map((r) => r.deals), backgroundColor: '#f59e0b' },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        datasets: { bar: { maxBarThickness: 40 } },
        plugins: { legend: { labels: { color: text } } },
        scales: {
          x: { ticks: { color: text, autoSkip: true, maxRotation: 45 }, grid: { display: false } },
          y: { beginAtZero: true, ticks: { color: text, precision: 0 }, grid: { color: grid } },
        },
      },
    });
    return () => chart.destroy();
  }, [all, dark, labels.leads]);
  return (
    <div class="relative h-72 w-full">
      <canvas ref={canvas} role="img" aria-label={labels.title} />
    </div>
  );
}
