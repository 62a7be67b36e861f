import '../../lib/i18n/tasks';
import { Button } from '../../components/Button';
import { Badge, Card, PageHeader } from '../../components/Card';
import { ListStates } from '../../components/LoadMore';
import { EmptyState } from '../../components/States';
import { toast } from '../../components/Toast';
import { messageFor } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { tt } from '../../lib/i18n/tasks';
import { useLoadMore } from '../../lib/load-more';
import { can } from '../../lib/session';
import { listDeadLetters, retryDeadLetter } from './api';

/** Settings → Failed jobs: work that failed after all its retries (reminders, emails…), with Retry. */
export function DeadLettersPage() {
  const list = useLoadMore((cursor, signal) => listDeadLetters(cursor, signal), []);
  const writable = can('settings:write');
  const retry = async (id: string) => {
    try {
      const { retriedAt } = await retryDeadLetter(id);
      list.update((items) => items.map((d) => (d.id === id ? { ...d, retriedAt } : d)));
      toast(tt('deadLetters.retried'));
    } catch (err) {
      toast(messageFor(err), 'error');
    }
  };
  return (
    <>
      <PageHeader title={tt('deadLetters.title')} description={tt('deadLetters.description')} />
      <Card>
        <ListStates state={list} empty={<EmptyState icon="check" title={tt('deadLetters.emptyTitle')} body={tt('deadLetters.emptyBody')} />}>
          <ul class="divide-y divide-slate-100 dark:divide-slate-800" aria-label={tt('deadLetters.title')}>
            {list.items.map((d) => (
              <li key={d.id} class="flex flex-wrap items-start justify-between gap-3 px-4 py-3 sm:px-5">
                <div class="min-w-0 flex-1">
                  <p class="flex flex-wrap items-center gap-2 text-sm font-medium">
                    <code class="font-mono text-xs">{d.jobType}</code>
                    <Badge tone="red">{tt('deadLetters.attempts', { n: d.attempts })}</Badge>
                    {d.retriedAt && <Badge tone="amber">{tt('deadLetters.retriedAt', { at: formatDateTime(d.retriedAt) })}</Badge>}
                  </p>
                  <p class="mt-0.5 truncate font-mono text-xs text-slate-500 dark:text-slate-400" title={d.jobKey}>
                    {d.jobKey}
                  </p>
                  {d.error && <p class="mt-1 text-xs break-words text-red-700 dark:text-red-300">{d.error}</p>}
                  <p class="mt-1 text-xs text-slate-500 dark:text-slate-400">{formatDateTime(d.createdAt)}</p>
                </div>
                {writable && (
                  <Button size="sm" icon="refresh" onClick={() => void retry(d.id)}>
                    {tt('deadLetters.retry')}
                  </Button>
                )}
              </li>
            ))}
          </ul>
        </ListStates>
      </Card>
    </>
  );
}
