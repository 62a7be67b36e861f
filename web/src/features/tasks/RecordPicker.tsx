import { useEffect, useId, useState } from 'preact/hooks';
import { inputClass } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { useDebounced } from '../../lib/hooks';
import { tt } from '../../lib/i18n/tasks';
import type { Page } from '../../lib/api';
import type { RecordRef } from './api';

/**
 * Picks one customer, company or deal by typing part of its name: the chosen one shows as a chip
 * that can be cleared. Only records the person may see are offered (the API filters them).
 */
export function RecordPicker({
  label,
  value,
  onChange,
  search,
  error,
}: {
  label: string;
  value: RecordRef | null;
  onChange: (value: RecordRef | null) => void;
  search: (q: string, signal: AbortSignal) => Promise<Page<RecordRef>>;
  error?: string;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [results, setResults] = useState<RecordRef[] | null>(null);
  const q = useDebounced(text.trim(), 250);
  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    search(q, controller.signal).then(
      (page) => setResults(page.items),
      () => !controller.signal.aborted && setResults([]),
    );
    return () => controller.abort();
  }, [q, open]);

  return (
    <div>
      <label for={id} class="mb-1.5 block text-sm font-medium text-slate-700 dark:text-slate-300">
        {label}
      </label>
      {value ? (
        <div class="flex min-h-9.5 items-center justify-between gap-2 rounded-lg border border-slate-300 px-3 py-1.5 text-sm dark:border-slate-700">
          <span class="min-w-0 truncate font-medium">{value.name}</span>
          <button type="button" id={id} class="shrink-0 rounded p-1 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800" aria-label={tt('tasks.clearChoice', { name: value.name })} onClick={() => onChange(null)}>
            <Icon name="close" class="size-4" />
          </button>
        </div>
      ) : (
        <div class="relative">
          <input
            id={id}
            type="search"
            role="combobox"
            aria-expanded={open}
            aria-controls={`${id}-list`}
            aria-autocomplete="list"
            aria-invalid={Boolean(error)}
            class={inputClass}
            placeholder={tt('tasks.searchPlaceholder')}
            value={text}
            autoComplete="off"
            onInput={(e) => {
              setText(e.currentTarget.value);
              setOpen(true);
            }}
            onFocus={() => setOpen(true)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setOpen(false);
              if (e.key === 'ArrowDown') {
                e.preventDefault();
                (document.getElementById(`${id}-list`)?.querySelector('button') as HTMLButtonElement | null)?.focus();
              }
            }}
            onBlur={(e) => {
              const next = e.relatedTarget as Node | null;
              if (!next || !document.getElementById(`${id}-list`)?.contains(next)) setOpen(false);
            }}
          />
          {open && results && (
            <ul id={`${id}-list`} role="listbox" aria-label={label} class="absolute inset-x-0 top-full z-20 mt-1 max-h-60 overflow-y-auto rounded-lg border border-slate-200 bg-white py-1 shadow-lg dark:border-slate-700 dark:bg-slate-900">
              {results.length === 0 ? (
                <li class="px-3 py-2 text-sm text-slate-500 dark:text-slate-400">{tt('tasks.noMatches')}</li>
              ) : (
                results.map((r) => (
                  <li key={r.id} role="option" aria-selected={false}>
                    <button
                      type="button"
                      class="block w-full truncate px-3 py-2 text-left text-sm hover:bg-slate-100 focus:bg-slate-100 focus:outline-none dark:hover:bg-slate-800 dark:focus:bg-slate-800"
                      onClick={() => {
                        onChange({ id: r.id, name: r.name });
                        setText('');
                        setOpen(false);
                      }}
                      onKeyDown={(e) => {
                        const li = (e.currentTarget as HTMLElement).parentElement;
                        if (e.key === 'ArrowDown') (li?.nextElementSibling?.querySelector('button') as HTMLButtonElement | null)?.focus();
                        if (e.key === 'ArrowUp') {
                          const previous = li?.previousElementSibling?.querySelector('button') as HTMLButtonElement | null;
                          (previous ?? document.getElementById(id))?.focus();
                        }
                        if (e.key === 'Escape') {
                          setOpen(false);
                          document.getElementById(id)?.focus();
                        }
                      }}
                    >
                      {r.name}
                    </button>
                  </li>
                ))
              )}
            </ul>
          )}
        </div>
      )}
      {error && (
        <p role="alert" class="mt-1.5 text-xs font-medium text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}
