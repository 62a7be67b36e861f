import type { ComponentChildren } from 'preact';
import { messageFor } from '../lib/errors';
import { t } from '../lib/i18n';
import type { LoadMoreState } from '../lib/load-more';
import { Button } from './Button';
import { ErrorState, Loading } from './States';

/** "Load more" under a list, with the error of the last page if it failed. */
export function LoadMoreFooter<T>({ state }: { state: LoadMoreState<T> }) {
  if (!state.hasMore && !state.error) return null;
  return (
    <div class="flex flex-col items-center gap-2 border-t border-slate-200 p-4 dark:border-slate-800">
      {state.error ? <p class="text-sm text-red-600 dark:text-red-400">{messageFor(state.error)}</p> : null}
      <Button busy={state.loadingMore} onClick={state.more}>
        {t('customers.loadMore')}
      </Button>
    </div>
  );
}

/** Loading, error and empty states of a list read with useLoadMore; the list itself otherwise. */
export function ListStates<T>({ state, empty, children }: { state: LoadMoreState<T>; empty: ComponentChildren; children: ComponentChildren }) {
  if (state.error && state.items.length === 0) return <ErrorState error={state.error} onRetry={state.reload} />;
  if (!state.loaded) return <Loading />;
  if (state.items.length === 0) return <>{empty}</>;
  return (
    <div class={state.loading ? 'opacity-60 transition-opacity' : ''}>
      {children}
      <LoadMoreFooter state={state} />
    </div>
  );
}
