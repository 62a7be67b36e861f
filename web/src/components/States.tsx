import type { ComponentChildren } from 'preact';
import { t } from '../lib/i18n';
import { messageFor } from '../lib/errors';
import { Button } from './Button';
import { Icon, type IconName } from './Icon';
import { Spinner } from './Spinner';

export function EmptyState({ icon = 'search', title, body, action }: { icon?: IconName; title: ComponentChildren; body?: ComponentChildren; action?: ComponentChildren }) {
  return (
    <div class="flex flex-col items-center px-4 py-12 text-center">
      <div class="mb-4 grid size-12 place-items-center rounded-full bg-accent-soft text-accent-text">
        <Icon name={icon} class="size-6" />
      </div>
      <h3 class="text-base font-semibold">{title}</h3>
      {body && <p class="mt-1 max-w-md text-sm text-slate-500 dark:text-slate-400">{body}</p>}
      {action && <div class="mt-5">{action}</div>}
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  return (
    <div class="flex items-center justify-center gap-2 px-4 py-12 text-sm text-slate-500 dark:text-slate-400" role="status">
      <Spinner />
      <span>{label ?? t('common.loading')}</span>
    </div>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div class="flex flex-col items-center px-4 py-12 text-center" role="alert">
      <div class="mb-4 grid size-12 place-items-center rounded-full bg-red-50 text-red-600 dark:bg-red-950 dark:text-red-400">
        <Icon name="alert" class="size-6" />
      </div>
      <h3 class="text-base font-semibold">{t('common.loadFailed')}</h3>
      <p class="mt-1 max-w-md text-sm text-slate-500 dark:text-slate-400">{messageFor(error)}</p>
      {onRetry && (
        <Button class="mt-5" icon="refresh" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      )}
    </div>
  );
}

type AsyncLike<T> = { data: T | undefined; error: unknown; loading: boolean; reload: () => void };

/**
 * The four states of every list: loading, failed (with retry), empty, and the rows. Keeps showing
 * the previous rows while a reload is in flight.
 */
export function AsyncList<T extends { items: unknown[] }>({ state, empty, children }: { state: AsyncLike<T>; empty: ComponentChildren; children: (data: T) => ComponentChildren }) {
  if (state.error) return <ErrorState error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading />;
  if (state.data.items.length === 0) return <>{empty}</>;
  return <div class={state.loading ? 'opacity-60 transition-opacity' : ''}>{children(state.data)}</div>;
}
