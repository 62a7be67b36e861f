import type { ComponentChildren } from 'preact';

export type TabItem<K extends string> = { id: K; label: ComponentChildren; count?: number | null };

/** A row of tabs that scrolls sideways on a phone rather than wrapping. */
export function Tabs<K extends string>({ tabs, active, onChange, label }: { tabs: TabItem<K>[]; active: K; onChange: (id: K) => void; label: string }) {
  return (
    <div role="tablist" aria-label={label} class="-mb-px flex gap-1 overflow-x-auto">
      {tabs.map((tab) => {
        const selected = tab.id === active;
        return (
          <button
            key={tab.id}
            type="button"
            role="tab"
            aria-selected={selected}
            onClick={() => onChange(tab.id)}
            class={`flex shrink-0 items-center gap-1.5 border-b-2 px-3 py-2.5 text-sm font-medium whitespace-nowrap transition ${
              selected
                ? 'border-accent text-accent-text'
                : 'border-transparent text-slate-500 hover:border-slate-300 hover:text-slate-800 dark:text-slate-400 dark:hover:border-slate-600 dark:hover:text-slate-200'
            }`}
          >
            {tab.label}
            {tab.count !== undefined && tab.count !== null && (
              <span class="rounded-full bg-slate-100 px-1.5 text-xs text-slate-600 dark:bg-slate-800 dark:text-slate-300">{tab.count}</span>
            )}
          </button>
        );
      })}
    </div>
  );
}
