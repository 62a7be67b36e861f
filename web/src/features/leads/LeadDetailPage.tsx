import { useState } from 'preact/hooks';
import { Button, ButtonLink } from '../../components/Button';
import { Badge, Card, CardHeader, PageHeader } from '../../components/Card';
import { confirmAction } from '../../components/Confirm';
import { Dialog } from '../../components/Dialog';
import { Checkbox, FormError, InputField, SelectField } from '../../components/Field';
import { ErrorState, EmptyState, Loading } from '../../components/States';
import { toast } from '../../components/Toast';
import { ApiError } from '../../lib/api';
import { messageFor } from '../../lib/errors';
import { formatDateTime, inputToMinor } from '../../lib/format';
import { useAsync, useSubmit } from '../../lib/hooks';
import { t } from '../../lib/i18n';
import { can, me } from '../../lib/session';
import {
  assignLead,
  claimLead,
  convertLead,
  getLead,
  markLeadNotSpam,
  markLeadSpam,
  qualifyLead,
  retrySubmission,
  type ConvertInput,
  type LeadDetail,
  type Submission,
} from './api';
import { AttributionFacts, display, Fact, Facts, LeadStatusBadge, RawPayload, RESERVED_FIELDS, ScoreBadge, SubmissionStatusBadge } from './common';
import { useLookups } from './lookups';

function AssignDialog({ lead, onClose, onDone }: { lead: LeadDetail; onClose: () => void; onDone: () => void }) {
  const { people } = useLookups();
  const [ownerId, setOwnerId] = useState(lead.ownerId ?? '');
  const submit = useSubmit(async () => {
    await assignLead(lead.id, ownerId);
    onDone();
  });
  return (
    <Dialog
      open
      onClose={onClose}
      title={t('leads.assignTitle')}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button tone="primary" busy={submit.busy} disabled={!ownerId} onClick={() => void submit.run()}>
            {t('leads.assign')}
          </Button>
        </>
      }
    >
      <div class="flex flex-col gap-4">
        <FormError message={submit.message} />
        <SelectField label={t('leads.owner')} value={ownerId} onChange={(e) => setOwnerId(e.currentTarget.value)} error={submit.field('ownerId')}>
          <option value="">{t('leads.choosePerson')}</option>
          {people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>
        <p class="text-sm text-slate-500 dark:text-slate-400">{t('leads.assignHint')}</p>
      </div>
    </Dialog>
  );
}

function ConvertDialog({ lead, onClose, onDone }: { lead: LeadDetail; onClose: () => void; onDone: () => void }) {
  const { pipelines, loaded } = useLookups();
  const [customer, setCustomer] = useState(true);
  const [deal, setDeal] = useState(false);
  const [pipelineId, setPipelineId] = useState('');
  const pipeline = pipelines.find((p) => p.id === (pipelineId || pipelines.find((x) => x.isDefault)?.id || pipelines[0]?.id));
  const openStages = pipeline?.stages.filter((s) => s.kind === 'open') ?? [];
  const [stageId, setStageId] = useState('');
  const [title, setTitle] = useState(lead.contact?.name ?? '');
  const [amount, setAmount] = useState('');
  const currency = me.value?.workspace.currency ?? 'CNY';
  const submit = useSubmit(async () => {
    const input: ConvertInput = { customer };
    if (deal && pipeline) {
      const minor = inputToMinor(amount, currency);
      input.deal = {
        pipelineId: pipeline.id,
        stageId: stageId || undefined,
        name: title.trim() || undefined,
        ...(minor !== null ? { amount: minor, currency } : {}),
      };
    }
    await convertLead(lead.id, input);
    onDone();
  });
  return (
    <Dialog
      open
      onClose={onClose}
      title={t('leads.convertTitle', { name: lead.contact?.name ?? '' })}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button tone="primary" busy={submit.busy} disabled={!customer && !deal} onClick={() => void submit.run()}>
            {t('leads.convert')}
          </Button>
        </>
      }
    >
      <div class="flex flex-col gap-4">
        <FormError message={submit.message} />
        <Checkbox label={t('leads.convertCustomer')} checked={customer} onChange={(e) => setCustomer(e.currentTarget.checked)} />
        {pipelines.length > 0 && <Checkbox label={t('leads.convertDeal')} checked={deal} onChange={(e) => setDeal(e.currentTarget.checked)} />}
        {loaded && pipelines.length === 0 && <p class="text-sm text-slate-500 dark:text-slate-400">{t('leads.noPipelines')}</p>}
        {deal && pipeline && (
          <div class="grid gap-4 sm:grid-cols-2">
            <SelectField label={t('leads.pipeline')} value={pipeline.id} onChange={(e) => { setPipelineId(e.currentTarget.value); setStageId(''); }} error={submit.field('deal.pipelineId')}>
              {pipelines.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </SelectField>
            <SelectField label={t('leads.stage')} value={stageId} onChange={(e) => setStageId(e.currentTarget.value)} error={submit.field('deal.stageId')}>
              <option value="">{t('leads.firstStage')}</option>
              {openStages.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </SelectField>
            <InputField label={t('leads.dealTitle')} value={title} onInput={(e) => setTitle(e.currentTarget.value)} error={submit.field('deal.name')} />
            <InputField label={t('leads.dealAmount', { currency })} inputMode="decimal" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} error={submit.field('deal.amount')} />
          </div>
        )}
      </div>
    </Dialog>
  );
}

function SubmissionCard({ submission, onRetried }: { submission: Submission; onRetried: () => void }) {
  const [busy, setBusy] = useState(false);
  const values = Object.entries(submission.payload ?? {}).filter(([k]) => !RESERVED_FIELDS.has(k));
  const failed = submission.status === 'failed' || submission.status === 'received';
  const retry = async () => {
    setBusy(true);
    try {
      await retrySubmission(submission.id);
      toast(t('leads.retryQueued'));
      onRetried();
    } catch (err) {
      toast(messageFor(err), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <li class="px-4 py-4 sm:px-5">
      <div class="mb-3 flex flex-wrap items-center gap-2">
        <h3 class="text-sm font-semibold">{formatDateTime(submission.receivedAt)}</h3>
        <SubmissionStatusBadge status={submission.status} />
        {submission.outcome && <Badge tone={submission.outcome === 'attached' ? 'amber' : 'accent'}>{t(submission.outcome === 'attached' ? 'leads.outcome.attached' : 'leads.outcome.created')}</Badge>}
        <ScoreBadge score={submission.score} />
        {submission.scoreReasons && submission.scoreReasons.length > 0 && (
          <span class="text-xs text-slate-500 dark:text-slate-400" aria-label={t('leads.scoreReasons')}>
            {submission.scoreReasons.join(' · ')}
          </span>
        )}
      </div>
      <div class="flex flex-col gap-4">
        <Facts label={t('leads.submittedValues')}>
          {values.map(([k, v]) => (
            <Fact key={k} label={k}>
              {display(v) || '—'}
            </Fact>
          ))}
        </Facts>
        {submission.conflicts.length > 0 && (
          <div>
            <h4 class="mb-1.5 text-sm font-medium">{t('leads.conflicts')}</h4>
            <p class="mb-2 text-xs text-slate-500 dark:text-slate-400">{t('leads.conflictsHint')}</p>
            <div class="overflow-x-auto">
              <table class="min-w-full text-left text-sm" aria-label={t('leads.conflicts')}>
                <thead class="text-xs text-slate-500 dark:text-slate-400">
                  <tr>
                    <th scope="col" class="py-1 pr-4 font-medium">{t('leads.conflictField')}</th>
                    <th scope="col" class="py-1 pr-4 font-medium">{t('leads.conflictExisting')}</th>
                    <th scope="col" class="py-1 font-medium">{t('leads.conflictSubmitted')}</th>
                  </tr>
                </thead>
                <tbody>
                  {submission.conflicts.map((c, i) => (
                    <tr key={i} class="border-t border-slate-100 dark:border-slate-800">
                      <td class="py-1.5 pr-4">{c.field}</td>
                      <td class="py-1.5 pr-4 break-words">{display(c.existing)}</td>
                      <td class="py-1.5 break-words">{display(c.submitted)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        )}
        {submission.consentText && (
          <div class="rounded-lg border border-slate-200 p-3 text-sm dark:border-slate-800">
            <div class="mb-1 font-medium">{t(submission.consentGranted ? 'leads.consentGranted' : 'leads.consentNotGranted')}</div>
            <blockquote class="text-slate-600 italic dark:text-slate-300">“{submission.consentText}”</blockquote>
          </div>
        )}
        <details>
          <summary class="cursor-pointer text-sm font-medium text-accent-text">{t('leads.sourceDetails')}</summary>
          <div class="mt-2 flex flex-col gap-3">
            <AttributionFacts a={submission} />
          </div>
        </details>
        {failed && (
          <div class="rounded-lg border border-red-200 bg-red-50 p-3 dark:border-red-900/60 dark:bg-red-950/40">
            <p class="text-sm text-red-800 dark:text-red-300">
              {t('leads.attempts', { count: submission.attempts })}
              {submission.lastError ? ` · ${submission.lastError}` : ''}
            </p>
            <div class="mt-2">
              <RawPayload value={submission.payload} label={t('leads.rawPayload')} />
            </div>
            {can('leads:write') && (
              <Button class="mt-2" size="sm" tone="primary" icon="refresh" busy={busy} onClick={retry}>
                {t('leads.retry')}
              </Button>
            )}
          </div>
        )}
      </div>
    </li>
  );
}

export function LeadDetailPage({ id }: { id: string }) {
  const [tick, setTick] = useState(0);
  const state = useAsync((signal) => getLead(id, signal), [id, tick]);
  const [dialog, setDialog] = useState<'assign' | 'convert' | null>(null);
  const [busy, setBusy] = useState('');
  const reload = () => setTick((n) => n + 1);

  if (state.error) {
    if (state.error instanceof ApiError && state.error.status === 404) {
      return (
        <>
          <PageHeader title={t('nav.leads')} />
          <Card>
            <EmptyState icon="leads" title={t('leads.notFoundTitle')} body={t('leads.notFoundBody')} action={<ButtonLink href="/leads" icon="left">{t('leads.backToInbox')}</ButtonLink>} />
          </Card>
        </>
      );
    }
    return <ErrorState error={state.error} onRetry={state.reload} />;
  }
  const lead = state.data;
  if (!lead) return <Loading />;

  const run = (key: string, action: () => Promise<unknown>, done: string) => async () => {
    setBusy(key);
    try {
      await action();
      toast(done);
      reload();
    } catch (err) {
      toast(messageFor(err), 'error');
    } finally {
      setBusy('');
    }
  };
  const markSpam = async () => {
    const ok = await confirmAction({ title: t('leads.spamTitle'), body: t('leads.spamBody'), confirmLabel: t('leads.markSpam') });
    if (ok) await run('spam', () => markLeadSpam(lead.id), t('leads.markedSpam'))();
  };
  const writable = can('leads:write');
  const name = lead.contact?.name || lead.contact?.emails[0] || lead.contact?.phones[0] || t('leads.unnamed');
  const open = lead.status === 'new' || lead.status === 'qualified';

  const actions = writable && (
    <>
      {!lead.ownerId && lead.status !== 'spam' && (
        <Button tone="primary" busy={busy === 'claim'} onClick={run('claim', () => claimLead(lead.id), t('leads.claimed', { name }))}>
          {t('leads.claim')}
        </Button>
      )}
      {open && (
        <Button icon="user" onClick={() => setDialog('assign')}>
          {t('leads.assign')}
        </Button>
      )}
      {lead.status === 'new' && (
        <Button icon="check" busy={busy === 'qualify'} onClick={run('qualify', () => qualifyLead(lead.id), t('leads.qualified'))}>
          {t('leads.qualify')}
        </Button>
      )}
      {open && (
        <Button icon="right" onClick={() => setDialog('convert')}>
          {t('leads.convert')}
        </Button>
      )}
      {lead.status === 'spam' ? (
        <Button icon="undo" busy={busy === 'spam'} onClick={run('spam', () => markLeadNotSpam(lead.id), t('leads.restored'))}>
          {t('leads.notSpam')}
        </Button>
      ) : (
        lead.status !== 'converted' && (
          <Button tone="ghost" icon="shield" busy={busy === 'spam'} onClick={markSpam}>
            {t('leads.markSpam')}
          </Button>
        )
      )}
    </>
  );

  return (
    <>
      <a href="/leads" class="mb-2 inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-800 dark:text-slate-400 dark:hover:text-slate-200">
        ← {t('leads.backToInbox')}
      </a>
      <PageHeader
        title={
          <span class="flex flex-wrap items-center gap-2">
            {name}
            <LeadStatusBadge status={lead.status} />
          </span>
        }
        description={t('leads.receivedFrom', { source: lead.formName ?? t(lead.source === 'hook' ? 'leads.sourceHook' : 'leads.sourceForm'), when: formatDateTime(lead.createdAt) })}
        actions={actions}
      />
      <div class="grid gap-5 lg:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
        <div class="flex flex-col gap-5">
          <Card>
            <CardHeader title={t('leads.who')} />
            <div class="px-4 py-4 sm:px-5">
              <Facts label={t('leads.who')}>
                <Fact label={t('field.name')}>
                  {lead.contact ? (
                    <a class="font-medium text-accent-text hover:underline" href={`/customers/${lead.contact.id}`}>
                      {lead.contact.name}
                    </a>
                  ) : null}
                </Fact>
                <Fact label={t('field.email')}>{lead.contact?.emails.join(', ')}</Fact>
                <Fact label={t('leads.phone')}>{lead.contact?.phones.join(', ')}</Fact>
                <Fact label={t('leads.owner')}>{lead.ownerName ?? t('leads.unowned')}</Fact>
                <Fact label={t('leads.score')}>
                  <ScoreBadge score={lead.score} />
                </Fact>
                <Fact label={t('leads.source')}>{t(lead.source === 'hook' ? 'leads.sourceHook' : 'leads.sourceForm')}</Fact>
                <Fact label={t('leads.form')}>{lead.formName}</Fact>
                <Fact label={t('leads.submissions')}>{String(lead.submissionCount)}</Fact>
                <Fact label={t('leads.deal')}>{lead.dealId ? <a class="text-accent-text hover:underline" href={`/pipeline/${lead.dealId}`}>{t('leads.openDeal')}</a> : null}</Fact>
              </Facts>
            </div>
          </Card>
          <Card>
            <CardHeader title={t('leads.attribution')} />
            <div class="px-4 py-4 sm:px-5">
              <AttributionFacts a={lead} />
            </div>
          </Card>
        </div>
        <Card>
          <CardHeader title={t('leads.submissions')} description={t('leads.submissionsHint')} />
          <ul class="divide-y divide-slate-100 dark:divide-slate-800" aria-label={t('leads.submissions')}>
            {lead.submissions.map((s) => (
              <SubmissionCard key={s.id} submission={s} onRetried={reload} />
            ))}
          </ul>
        </Card>
      </div>
      {dialog === 'assign' && (
        <AssignDialog
          lead={lead}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            toast(t('leads.assigned'));
            reload();
          }}
        />
      )}
      {dialog === 'convert' && (
        <ConvertDialog
          lead={lead}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            toast(t('leads.converted'));
            reload();
          }}
        />
      )}
    </>
  );
}
