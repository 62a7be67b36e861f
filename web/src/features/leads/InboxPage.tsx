import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Button, ButtonLink } from '../../components/Button';
import { Badge, Card, PageHeader } from '../../components/Card';
import { ListStates } from '../../components/LoadMore';
import { EmptyState } from '../../components/States';
import { Tabs } from '../../components/Tabs';
import { toast } from '../../components/Toast';
import { messageFor } from '../../lib/errors';
import { formatDateTime, formatRelative } from '../../lib/format';
import { useAsync } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { useLoadMore } from '../../lib/load-more';
import { can, me } from '../../lib/session';
import {
  claimLead,
  leadCounts,
  listLeads,
  listSubmissions,
  retrySubmission,
  submissionNotSpam,
  type Lead,
  type Submission,
} from './api';
import { display, LeadStatusBadge, RawPayload, RESERVED_FIELDS, ScoreBadge, SubmissionStatusBadge } from './common';

const VIEWS = ['new', 'mine', 'attention', 'spam', 'all'] as const;
type View = (typeof VIEWS)[number];

/** Who a lead is, in one line: the contact's name, else what was typed. */
const leadName = (lead: Lead) => lead.contact?.name || lead.contact?.emails[0] || lead.contact?.phones[0] || t('leads.unnamed');

function LeadRow({ lead, onClaimed }: { lead: Lead; onClaimed: (lead: Lead) => void }) {
  const [busy, setBusy] = useState(false);
  const canClaim = can('leads:write') && !lead.ownerId && lead.status !== 'spam';
  const claim = async () => {
    setBusy(true);
    try {
      const claimed = await claimLead(lead.id);
      toast(t('leads.claimed', { name: leadName(lead) }));
      onClaimed(claimed);
    } catch (err) {
      toast(messageFor(err), 'error');
    } finally {
      setBusy(false);
    }
  };
  const campaign = lead.utmCampaign || lead.utmSource;
  return (
    <li class="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 sm:px-5">
      <div class="min-w-0 flex-1 basis-56">
        <div class="flex flex-wrap items-center gap-2">
          <a href={`/leads/${lead.id}`} class="font-medium text-slate-900 hover:underline dark:text-slate-100">
            {leadName(lead)}
          </a>
          <ScoreBadge score={lead.score} />
          {lead.status !== 'new' && <LeadStatusBadge status={lead.status} />}
          {lead.submissionCount > 1 && <Badge>{t('leads.submissionCount', { count: lead.submissionCount })}</Badge>}
        </div>
        <div class="mt-0.5 truncate text-sm text-slate-500 dark:text-slate-400">
          {[lead.contact?.emails[0], lead.contact?.phones[0]].filter(Boolean).join(' · ')}
        </div>
      </div>
      <div class="min-w-0 basis-48 text-sm text-slate-600 dark:text-slate-300">
        <div class="truncate">{lead.formName ?? t(lead.source === 'hook' ? 'leads.sourceHook' : 'leads.sourceForm')}</div>
        {campaign && <div class="truncate text-xs text-slate-500 dark:text-slate-400">{campaign}</div>}
      </div>
      <div class="basis-32 text-sm">
        {lead.ownerName ? <span>{lead.ownerName}</span> : <span class="text-slate-500 dark:text-slate-400">{t('leads.unowned')}</span>}
        <div class="text-xs text-slate-500 dark:text-slate-400" title={formatDateTime(lead.createdAt)}>
          {formatRelative(lead.createdAt)}
        </div>
      </div>
      {canClaim && (
        <Button size="sm" tone="primary" busy={busy} onClick={claim} aria-label={t('leads.claimNamed', { name: leadName(lead) })}>
          {t('leads.claim')}
        </Button>
      )}
    </li>
  );
}

function LeadList({ view, onChanged }: { view: 'new' | 'mine' | 'all'; onChanged: () => void }) {
  const state = useLoadMore(
    (cursor, signal) => listLeads({ view, cursor }, signal),
    [view],
  );
  const emptyKey = view === 'new' ? 'leads.empty.new' : view === 'mine' ? 'leads.empty.mine' : 'leads.empty.all';
  return (
    <ListStates state={state} empty={<EmptyState icon="leads" title={t(emptyKey)} body={view === 'new' || view === 'all' ? t('leads.emptyBody') : undefined} />}>
      <ul class="divide-y divide-slate-100 dark:divide-slate-800" aria-label={t('leads.listLabel')}>
        {state.items.map((lead) => (
          <LeadRow
            key={lead.id}
            lead={lead}
            onClaimed={(claimed) => {
              state.update((items) => (view === 'new' ? items.filter((l) => l.id !== lead.id) : items.map((l) => (l.id === lead.id ? claimed : l))));
              onChanged();
            }}
          />
        ))}
      </ul>
    </ListStates>
  );
}

/** What was typed into a submission, without the reserved fields. */
function typedSummary(s: Submission): string {
  const entries = Object.entries(s.payload ?? {}).filter(([k, v]) => !RESERVED_FIELDS.has(k) && v !== '' && v !== null && v !== undefined);
  return entries.slice(0, 3).map(([, v]) => display(v)).join(' · ') || t('leads.emptySubmission');
}

/** A failed or spam submission: what was posted, why it is here, and the way back. */
function SubmissionRow({ submission, onDone }: { submission: Submission; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const failed = submission.status === 'failed' || submission.status === 'received';
  const act = async () => {
    setBusy(true);
    try {
      if (failed) await retrySubmission(submission.id);
      else await submissionNotSpam(submission.id);
      toast(t(failed ? 'leads.retryQueued' : 'leads.restored'));
      onDone();
    } catch (err) {
      toast(messageFor(err), 'error');
      setBusy(false);
    }
  };
  return (
    <li class="px-4 py-3 sm:px-5">
      <div class="flex flex-wrap items-start gap-3">
        <div class="min-w-0 flex-1 basis-56">
          <div class="flex flex-wrap items-center gap-2">
            {submission.leadId ? (
              <a href={`/leads/${submission.leadId}`} class="font-medium break-words hover:underline">
                {typedSummary(submission)}
              </a>
            ) : (
              <span class="font-medium break-words">{typedSummary(submission)}</span>
            )}
            <SubmissionStatusBadge status={submission.status} />
          </div>
          <div class="mt-0.5 text-sm text-slate-500 dark:text-slate-400">
            <span title={formatDateTime(submission.receivedAt)}>{formatRelative(submission.receivedAt)}</span>
            {failed && <> · {t('leads.attempts', { count: submission.attempts })}</>}
            {submission.spamReason && <> · {t(`leads.spamReason.${submission.spamReason}` as 'leads.spamReason.honeypot')}</>}
          </div>
          {submission.lastError && (
            <p class="mt-1 text-sm break-words text-red-700 dark:text-red-400">
              {t('leads.lastError')}: {submission.lastError}
            </p>
          )}
        </div>
        {can('leads:write') && (
          <Button size="sm" tone={failed ? 'primary' : 'secondary'} icon={failed ? 'refresh' : 'undo'} busy={busy} onClick={act}>
            {t(failed ? 'leads.retry' : 'leads.notSpam')}
          </Button>
        )}
      </div>
      <details class="mt-2">
        <summary class="cursor-pointer text-sm font-medium text-accent-text">{t('leads.rawPayload')}</summary>
        <div class="mt-2">
          <RawPayload value={submission.payload} label={t('leads.rawPayload')} />
        </div>
      </details>
    </li>
  );
}

function SubmissionList({ status, onChanged }: { status: 'failed' | 'spam'; onChanged: () => void }) {
  const state = useLoadMore((cursor, signal) => listSubmissions({ status, cursor }, signal), [status]);
  return (
    <ListStates
      state={state}
      empty={<EmptyState icon={status === 'failed' ? 'check' : 'shield'} title={t(status === 'failed' ? 'leads.empty.attention' : 'leads.empty.spam')} body={t(status === 'failed' ? 'leads.empty.attentionBody' : 'leads.empty.spamBody')} />}
    >
      <ul class="divide-y divide-slate-100 dark:divide-slate-800" aria-label={t(status === 'failed' ? 'leads.view.attention' : 'leads.spamSubmissions')}>
        {state.items.map((s) => (
          <SubmissionRow
            key={s.id}
            submission={s}
            onDone={() => {
              state.update((items) => items.filter((x) => x.id !== s.id));
              onChanged();
            }}
          />
        ))}
      </ul>
    </ListStates>
  );
}

export function InboxPage() {
  const { query, route } = useLocation();
  const view: View = (VIEWS as readonly string[]).includes(query.view) ? (query.view as View) : 'new';
  const [tick, setTick] = useState(0);
  const counts = useAsync((signal) => leadCounts(signal), [tick]);
  const refreshCounts = () => setTick((n) => n + 1);
  const c = counts.data;
  const tabs = [
    { id: 'new' as const, label: t('leads.view.new'), count: c?.new },
    { id: 'mine' as const, label: t('leads.view.mine'), count: c?.mine },
    { id: 'attention' as const, label: t('leads.view.attention'), count: c?.attention },
    { id: 'spam' as const, label: t('leads.view.spam'), count: c?.spam },
    { id: 'all' as const, label: t('leads.view.all') },
  ];
  const actions = (
    <>
      <ButtonLink href="/leads/report" icon="reports">
        {t('leads.report.title')}
      </ButtonLink>
      {can('forms:write') && (
        <ButtonLink href="/settings/forms" icon="list">
          {t('leads.forms.title')}
        </ButtonLink>
      )}
    </>
  );
  const description = view === 'mine' && me.value ? t('leads.mineDescription', { name: me.value.user.name }) : t('leads.description');
  return (
    <>
      <PageHeader title={t('nav.leads')} description={description} actions={actions} />
      <Card>
        <div class="border-b border-slate-200 px-2 sm:px-3 dark:border-slate-800">
          <Tabs label={t('leads.views')} tabs={tabs} active={view} onChange={(id) => route(`/leads?view=${id}`, true)} />
        </div>
        {view === 'attention' ? (
          <SubmissionList key="failed" status="failed" onChanged={refreshCounts} />
        ) : view === 'spam' ? (
          // Marking a lead as spam moves its submissions here too: one folder, restored from one place.
          <SubmissionList key="spam" status="spam" onChanged={refreshCounts} />
        ) : (
          <LeadList key={view} view={view} onChanged={refreshCounts} />
        )}
      </Card>
    </>
  );
}
