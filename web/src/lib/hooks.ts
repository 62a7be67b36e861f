import { useCallback, useEffect, useState } from 'preact/hooks';
import { fieldMessage, messageFor } from './errors';
import type { Page } from './api';

export type AsyncState<T> = { data: T | undefined; error: unknown; loading: boolean; reload: () => void };

/** Loads data for a view and re-loads when `deps` change; stale answers are dropped. */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[] = []): AsyncState<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    load(controller.signal).then(
      (data) => !controller.signal.aborted && setState({ data, error: null, loading: false }),
      (error) => !controller.signal.aborted && setState((s) => ({ ...s, error, loading: false })),
    );
    return () => controller.abort();
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

/**
 * Cursor paging with Previous/Next: the API's cursors are opaque and forward-only, so the cursors
 * of the pages already seen are kept to step back.
 */
export function useCursorPages<T>(load: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>, deps: unknown[] = []) {
  const depsKey = JSON.stringify(deps);
  const [seen, setSeen] = useState<{ key: string; cursors: (string | undefined)[] }>({ key: depsKey, cursors: [undefined] });
  // New filters start again from the first page.
  const cursors = seen.key === depsKey ? seen.cursors : [undefined];
  const current = cursors[cursors.length - 1];
  const state = useAsync((signal) => load(current, signal), [depsKey, current]);
  return {
    ...state,
    pageNumber: cursors.length,
    hasPrevious: cursors.length > 1,
    hasNext: Boolean(state.data?.nextCursor),
    next: () => {
      const cursor = state.data?.nextCursor;
      if (cursor) setSeen({ key: depsKey, cursors: [...cursors, cursor] });
    },
    previous: () => setSeen({ key: depsKey, cursors: cursors.slice(0, -1) }),
  };
}

/** Runs a form action, keeping its busy flag and its error (field errors shown inline). */
export function useSubmit<A extends unknown[]>(action: (...args: A) => Promise<unknown>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (...args: A): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await action(...args);
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return {
    busy,
    error,
    run,
    reset: () => setError(null),
    field: (name: string) => fieldMessage(error, name),
    message: error ? messageFor(error) : null,
  };
}

/** Controlled form fields with initial values (edit forms); `bind(name)` spreads onto an input or select. */
export function useFields<T extends Record<string, string>>(initial: T) {
  const [values, setValues] = useState(initial);
  const bind = (name: keyof T & string) => ({
    name,
    value: values[name],
    onInput: (e: Event) => {
      const value = (e.currentTarget as HTMLInputElement | HTMLSelectElement).value;
      setValues((v) => ({ ...v, [name]: value }));
    },
  });
  return { values, bind, setValues };
}

/** The value once it has stopped changing for `ms` (search boxes). */
export function useDebounced<T>(value: T, ms = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
