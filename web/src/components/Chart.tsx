import type { Chart as ChartJs, ChartConfiguration, ChartType } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import { isDark } from '../lib/theme';

/** The chart constructor after the caller registered what it uses (tree-shaking keeps only that). */
type ChartConstructor = new <T extends ChartType>(item: HTMLCanvasElement, config: ChartConfiguration<T>) => ChartJs<T>;

/** Text and grid colours that read on the current light or dark page. */
export function chartColors(dark: boolean) {
  return { text: dark ? '#cbd5e1' : '#334155', grid: dark ? 'rgba(148,163,184,0.18)' : 'rgba(100,116,139,0.18)' };
}

/**
 * A Chart.js chart in a box of fixed height that follows its width. The chart is a picture for
 * sighted readers; `label` names it and the page shows the same figures in a table.
 */
export function ChartCanvas<T extends ChartType>({ Chart, config, label, height = 280 }: { Chart: ChartConstructor; config: ChartConfiguration<T>; label: string; height?: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<ChartJs<T> | null>(null);
  const dark = isDark();
  useEffect(() => {
    if (!canvas.current) return;
    const { text, grid } = chartColors(dark);
    const themed = {
      ...config,
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        color: text,
        ...config.options,
        scales: Object.fromEntries(
          Object.entries((config.options as { scales?: Record<string, object> } | undefined)?.scales ?? {}).map(([axis, scale]) => [
            axis,
            { ...scale, ticks: { color: text, ...(scale as { ticks?: object }).ticks }, grid: { color: grid, ...(scale as { grid?: object }).grid } },
          ]),
        ),
      },
    } as ChartConfiguration<T>;
    chart.current?.destroy();
    chart.current = new Chart(canvas.current, themed);
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [config, dark]);
  return (
    <div class="relative w-full" style={{ height: `${height}px` }}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
