import { useEffect, useState } from 'preact/hooks';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { FormError, SelectField } from '../../components/Field';
import { TagPicker } from '../../components/TagPicker';
import { messageFor } from '../../lib/errors';
import { t } from '../../lib/i18n';
import { getJob, LIFECYCLES, runBulk, type BulkAction, type BulkInput, type FilterBody, type Job, type Lifecycle } from './api';
import { lifecycleLabel } from './labels';
import { addTag, type Lookups } from './lookups';

export type BulkTarget = { ids: string[] } | { filter: FilterBody };
type Outcome = { matched: number; updated: number; skipped: number; failed?: string | null };

const DESTRUCTIVE: BulkAction[] = ['archive', 'delete'];

/** Progress of a large bulk action that runs in the background, polled until it ends. */
function useJob(jobId: string | null, onEnd: (job: Job) => void) {
  const [job, setJob] = useState<Job | null>(null);
  useEffect(() => {
    if (!jobId) return;
    let stopped = false;
    const poll = async () => {
      while (!stopped) {
        try {
          const current = await getJob(jobId);
          if (stopped) return;
          setJob(current);
          if (current.status === 'done' || current.status === 'failed') return onEnd(current);
        } catch {
          /* a blip: try again */
        }
        await new Promise((r) => setTimeout(r, 800));
      }
    };
    void poll();
    return () => {
      stopped = true;
    };
  }, [jobId]);
  return job;
}

type Props = { action: BulkAction; target: BulkTarget; count: number; lookups: Lookups; onClose: () => void; onDone: () => void };

/** Asks what exactly to do to the chosen customers, does it, and says what changed. */
export function BulkDialog({ action, target, count, lookups, onClose, onDone }: Props) {
  const [tagIds, setTagIds] = useState<string[]>([]);
  const [ownerId, setOwnerId] = useState('');
  const [lifecycle, setLifecycle] = useState<Lifecycle>('customer');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const job = useJob(jobId, (j) => setOutcome({ matched: j.total, updated: j.updated, skipped: j.skipped, failed: j.status === 'failed' ? j.error : null }));

  const needsTags = action === 'tag' || action === 'untag';
  const submit = async () => {
    if (needsTags && tagIds.length === 0) return setError(new Error('tags'));
    const input: BulkInput = { action, ...target };
    if (needsTags) input.tagIds = tagIds;
    if (action === 'assign') input.ownerId = ownerId || null;
    if (action === 'lifecycle') input.lifecycle = lifecycle;
    setBusy(true);
    setError(null);
    try {
      const result = await runBulk(input);
      if ('jobId' in result) setJobId(result.jobId);
      else setOutcome(result);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const title = t(`bulk.title.${action}`, { count });
  const finished = outcome !== null;
  const running = jobId !== null && !finished;
  const footer = finished ? (
    <Button tone="primary" onClick={onDone}>
      {t('bulk.done')}
    </Button>
  ) : running ? null : (
    <>
      <Button onClick={onClose}>{t('common.cancel')}</Button>
      <Button tone={DESTRUCTIVE.includes(action) ? 'danger' : 'primary'} busy={busy} onClick={() => void submit()}>
        {t(`bulk.confirm.${action}`, { count })}
      </Button>
    </>
  );

  return (
    <Dialog open onClose={running ? () => undefined : finished ? onDone : onClose} title={title} footer={footer}>
      {finished ? (
        <div class="flex flex-col gap-2 text-sm" role="status">
          {outcome.failed ? <FormError message={t('bulk.failed')} /> : null}
          <p class="font-medium">{t('bulk.resultUpdated', { updated: outcome.updated, matched: outcome.matched })}</p>
          {outcome.matched > outcome.updated && <p class="text-slate-500 dark:text-slate-400">{t('bulk.resultUnchanged', { count: outcome.matched - outcome.updated })}</p>}
          {outcome.skipped > 0 && <p class="text-slate-500 dark:text-slate-400">{t('bulk.resultSkipped', { skipped: outcome.skipped })}</p>}
        </div>
      ) : running ? (
        <div class="flex flex-col gap-3" role="status">
          <p class="text-sm">{t('bulk.running')}</p>
          <div class="h-2 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800">
            <div class="h-full rounded-full bg-accent transition-all" style={{ width: `${job && job.total ? Math.round((job.processed / job.total) * 100) : 5}%` }} />
          </div>
          <p class="text-xs text-slate-500 dark:text-slate-400">{t('bulk.progress', { processed: job?.processed ?? 0, total: job?.total ?? count })}</p>
        </div>
      ) : (
        <div class="flex flex-col gap-4">
          <p class="text-sm text-slate-600 dark:text-slate-300">{t(`bulk.body.${action}`, { count })}</p>
          <FormError message={error && !(error instanceof Error && error.message === 'tags') ? messageFor(error) : null} />
          {needsTags && (
            <div>
              <TagPicker label={t('customers.col.tags')} tags={lookups.tags} selected={tagIds} onChange={setTagIds} onCreate={action === 'tag' ? addTag : undefined} />
              {error instanceof Error && error.message === 'tags' && (
                <p role="alert" class="mt-1.5 text-xs font-medium text-red-600 dark:text-red-400">
                  {t('bulk.chooseTags')}
                </p>
              )}
            </div>
          )}
          {action === 'assign' && (
            <SelectField label={t('customers.col.owner')} value={ownerId} onChange={(e) => setOwnerId(e.currentTarget.value)}>
              <option value="">{t('customers.unassigned')}</option>
              {lookups.people
                .filter((p) => p.isActive)
                .map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
            </SelectField>
          )}
          {action === 'lifecycle' && (
            <SelectField label={t('customers.col.lifecycle')} value={lifecycle} onChange={(e) => setLifecycle(e.currentTarget.value as Lifecycle)}>
              {LIFECYCLES.map((l) => (
                <option key={l} value={l}>
                  {lifecycleLabel(l)}
                </option>
              ))}
            </SelectField>
          )}
        </div>
      )}
    </Dialog>
  );
}
