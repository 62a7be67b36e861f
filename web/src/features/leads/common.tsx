import type { ComponentChildren } from 'preact';
import { Badge } from '../../components/Card';
import { t, tMaybe } from '../../lib/i18n';
import type { Attribution, LeadStatus, SubmissionStatus } from './api';

const LEAD_TONES: Record<LeadStatus, 'accent' | 'green' | 'gray' | 'red'> = { new: 'accent', qualified: 'green', converted: 'gray', spam: 'red' };
export const LeadStatusBadge = ({ status }: { status: LeadStatus }) => <Badge tone={LEAD_TONES[status]}>{tMaybe(`leads.status.${status}`, status)}</Badge>;

const SUBMISSION_TONES: Record<SubmissionStatus, 'accent' | 'green' | 'gray' | 'red' | 'amber'> = { received: 'gray', processing: 'accent', processed: 'green', failed: 'red', spam: 'amber' };
export const SubmissionStatusBadge = ({ status }: { status: SubmissionStatus }) => <Badge tone={SUBMISSION_TONES[status]}>{tMaybe(`leads.submission.${status}`, status)}</Badge>;

/** A score out of a rough 100: hot leads stand out in the list. */
export function ScoreBadge({ score }: { score: number | null }) {
  if (score === null || score === undefined) return null;
  const tone = score >= 50 ? 'green' : score >= 20 ? 'amber' : 'gray';
  return (
    <Badge tone={tone}>
      <span class="sr-only">{t('leads.score')} </span>
      {score}
    </Badge>
  );
}

/** Label/value rows that stack on a phone. */
export function Facts({ children, label }: { children: ComponentChildren; label?: string }) {
  return (
    <dl aria-label={label} class="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-2 text-sm">
      {children}
    </dl>
  );
}

export function Fact({ label, children }: { label: ComponentChildren; children: ComponentChildren }) {
  if (children === null || children === undefined || children === '') return null;
  return (
    <>
      <dt class="font-medium text-slate-500 dark:text-slate-400">{label}</dt>
      <dd class="min-w-0 break-words text-slate-900 dark:text-slate-100">{children}</dd>
    </>
  );
}

/** UTM parameters, referrer and landing page: where a lead came from. */
export function AttributionFacts({ a }: { a: Attribution }) {
  const empty = !a.utmSource && !a.utmMedium && !a.utmCampaign && !a.utmTerm && !a.utmContent && !a.referrer && !a.landingPage;
  if (empty) return <p class="text-sm text-slate-500 dark:text-slate-400">{t('leads.noAttribution')}</p>;
  return (
    <Facts label={t('leads.attribution')}>
      <Fact label="utm_source">{a.utmSource}</Fact>
      <Fact label="utm_medium">{a.utmMedium}</Fact>
      <Fact label="utm_campaign">{a.utmCampaign}</Fact>
      <Fact label="utm_term">{a.utmTerm}</Fact>
      <Fact label="utm_content">{a.utmContent}</Fact>
      <Fact label={t('leads.referrer')}>{a.referrer}</Fact>
      <Fact label={t('leads.landingPage')}>{a.landingPage}</Fact>
    </Facts>
  );
}

/** A payload as posted, readable and copyable: it wraps instead of widening the page. */
export function RawPayload({ value, label }: { value: unknown; label: string }) {
  return (
    <pre aria-label={label} class="max-h-72 overflow-auto rounded-lg bg-slate-900 p-3 font-mono text-xs whitespace-pre-wrap break-all text-slate-100">
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

/** Field names the public endpoint reserves (attribution, guards): not "what the person wrote". */
export const RESERVED_FIELDS = new Set(['consent', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'referrer', 'landing_page', '_hearth_ts', '_hearth_hp', 'cf-turnstile-response']);

export const display = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(display).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};
