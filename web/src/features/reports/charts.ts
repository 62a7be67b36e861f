import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

// Only what the sales reports draw: bar charts (vertical and horizontal) with a legend and tooltips.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

export { Chart };

/** Series colours that read on light and dark pages. */
export const SERIES = { won: '#10b981', weighted: '#6366f1', bestCase: '#a5b4fc', lost: '#ef4444', neutral: '#64748b' };

// A report with one or two categories should not draw slabs.
Chart.defaults.datasets.bar.maxBarThickness = 48;
