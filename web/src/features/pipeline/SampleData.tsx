import { useEffect, useState } from 'preact/hooks';
import { Button, ButtonLink } from '../../components/Button';
import { Card } from '../../components/Card';
import { EmptyState } from '../../components/States';
import { messageFor } from '../../lib/errors';
import { t } from '../../lib/i18n';
import { can } from '../../lib/session';
import { getJob, loadSampleData, type Job } from './api';
import { refreshLookups } from './lookups';

/**
 * An empty workspace: a first deal, or (admins) the Maven CRM sample, loaded by a queued job whose
 * progress shows here until the living board replaces it.
 */
export function SampleDataPanel({ onLoaded }: { onLoaded: (pipelineId: string) => void }) {
  const [job, setJob] = useState<{ id: string; pipelineId: string; state: Job | null } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const isAdmin = can('settings:write');

  useEffect(() => {
    if (!job) return;
    let stopped = false;
    let failures = 0;
    const poll = async () => {
      try {
        // A poll that hangs (the server restarting) is dropped and asked again.
        const state = await getJob(job.id, AbortSignal.timeout(10_000));
        failures = 0;
        if (stopped) return;
        setJob((j) => (j ? { ...j, state } : j));
        if (state.status === 'done') {
          await refreshLookups();
          onLoaded(job.pipelineId);
          return;
        }
        if (state.status === 'failed') return setError(new Error(state.error ?? ''));
      } catch (err) {
        if (stopped) return;
        // The job runs on the server whatever happens here: a few failed polls only wait longer.
        if (++failures >= 5) return setError(err);
      }
      setTimeout(() => !stopped && void poll(), 800 * (failures + 1));
    };
    void poll();
    return () => {
      stopped = true;
    };
  }, [job?.id]);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const started = await loadSampleData();
      setJob({ id: started.jobId, pipelineId: started.pipelineId, state: null });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const state = job?.state;
  const percent = state && state.total > 0 ? Math.round((state.processed / state.total) * 100) : 0;
  return (
    <Card class="mb-4">
      <EmptyState
        icon="pipeline"
        title={t('pipeline.emptyTitle')}
        body={isAdmin ? t('pl.sample.bodyAdmin') : t('pl.sample.body')}
        action={
          job ? (
            <div class="w-72 max-w-full" role="status">
              <p class="mb-2 text-sm">{t('pl.sample.loading', { processed: state?.processed ?? 0, total: state?.total ?? 0 })}</p>
              <div class="h-2 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label={t('pl.sample.progress')}>
                <div class="h-full bg-accent transition-all" style={{ width: `${percent}%` }} />
              </div>
              {error ? <p class="mt-2 text-sm text-red-600 dark:text-red-400">{messageFor(error)}</p> : null}
            </div>
          ) : (
            <div class="flex flex-col items-center gap-2">
              <div class="flex flex-wrap justify-center gap-2">
                {can('deals:write') && (
                  <ButtonLink href="/pipeline/new" tone={isAdmin ? 'secondary' : 'primary'} icon="plus">
                    {t('pl.newDeal')}
                  </ButtonLink>
                )}
                {isAdmin && (
                  <Button tone="primary" icon="download" busy={busy} onClick={start}>
                    {t('pl.sample.load')}
                  </Button>
                )}
              </div>
              {error ? <p class="text-sm text-red-600 dark:text-red-400">{messageFor(error)}</p> : null}
            </div>
          )
        }
      />
    </Card>
  );
}
