import type { IconName } from '../../components/Icon';
import type { MessageKey } from '../../lib/i18n';
import type { Permission } from '../../lib/session';

/**
 * The reports the hub links to. Another report joins by adding an entry here and a route in
 * ReportsPage.tsx. Its title and description must be keys of a catalog loaded by the time the hub
 * renders: the pipeline catalog (imported by ReportsPage) or the main one.
 */
export type ReportLink = { href: string; title: MessageKey; description: MessageKey; icon: IconName; permission: Permission };

export const REPORTS: ReportLink[] = [
  { href: '/reports/forecast', title: 'pl.report.forecast', description: 'pl.report.forecastBody', icon: 'reports', permission: 'reports:read' },
  { href: '/reports/funnel', title: 'pl.report.funnel', description: 'pl.report.funnelBody', icon: 'pipeline', permission: 'reports:read' },
  { href: '/reports/win-loss', title: 'pl.report.winLoss', description: 'pl.report.winLossBody', icon: 'check', permission: 'reports:read' },
  { href: '/leads/report', title: 'reports.leadSources', description: 'reports.leadSourcesBody', icon: 'leads', permission: 'reports:read' },
];
