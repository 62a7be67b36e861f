import { useEffect, useRef, useState } from 'preact/hooks';
import type { Page } from './api';

export type LoadMoreState<T> = {
  items: T[];
  /** Nothing has arrived yet for the current filters. */
  loaded: boolean;
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
  hasMore: boolean;
  more: () => void;
  reload: () => void;
  /** Changes rows in place (after an edit) without loading again. */
  update: (fn: (items: T[]) => T[]) => void;
};

/**
 * A list read page by page with "Load more": the API's cursors only go forward, and a long list
 * on a phone reads better as one growing column than as numbered pages. New `deps` start over;
 * answers for old ones are dropped.
 */
export function useLoadMore<T>(load: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>, deps: unknown[]): LoadMoreState<T> {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    const mine = ++generation.current;
    setLoading(true);
    setError(null);
    loadRef.current(undefined, controller.signal).then(
      (page) => {
        if (mine !== generation.current) return;
        setItems(page.items);
        setNext(page.nextCursor);
        setLoaded(true);
        setLoading(false);
      },
      (err) => {
        if (mine !== generation.current || controller.signal.aborted) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [...deps, tick]);

  const more = () => {
    if (!next || loadingMore) return;
    const mine = generation.current;
    setLoadingMore(true);
    loadRef.current(next, new AbortController().signal).then(
      (page) => {
        if (mine !== generation.current) return;
        setItems((current) => [...current, ...page.items]);
        setNext(page.nextCursor);
        setLoadingMore(false);
      },
      (err) => {
        if (mine !== generation.current) return;
        setError(err);
        setLoadingMore(false);
      },
    );
  };

  return {
    items,
    loaded,
    loading,
    loadingMore,
    error,
    hasMore: Boolean(next),
    more,
    reload: () => setTick((n) => n + 1),
    update: (fn) => setItems(fn),
  };
}
