import type { ComponentChildren } from 'preact';

export function Card({ children, class: className = '' }: { children: ComponentChildren; class?: string }) {
  return <section class={`rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900 ${className}`}>{children}</section>;
}

export function CardHeader({ title, description, actions }: { title: ComponentChildren; description?: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <div class="flex flex-wrap items-start justify-between gap-3 border-b border-slate-200 px-4 py-3 sm:px-5 dark:border-slate-800">
      <div class="min-w-0">
        <h2 class="text-base font-semibold">{title}</h2>
        {description && <p class="mt-0.5 text-sm text-slate-500 dark:text-slate-400">{description}</p>}
      </div>
      {actions && <div class="flex flex-wrap gap-2">{actions}</div>}
    </div>
  );
}

export function PageHeader({ title, description, actions }: { title: ComponentChildren; description?: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <header class="mb-5 flex flex-wrap items-end justify-between gap-3">
      <div class="min-w-0">
        <h1 class="text-xl font-semibold tracking-tight sm:text-2xl">{title}</h1>
        {description && <p class="mt-1 text-sm text-slate-500 dark:text-slate-400">{description}</p>}
      </div>
      {actions && <div class="flex flex-wrap gap-2">{actions}</div>}
    </header>
  );
}

const BADGE_TONES = {
  gray: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300',
  green: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20 dark:bg-emerald-950 dark:text-emerald-300',
  amber: 'bg-amber-50 text-amber-800 dark:bg-amber-950 dark:text-amber-300',
  red: 'bg-red-50 text-red-700 dark:bg-red-950 dark:text-red-300',
  accent: 'bg-accent-soft text-accent-text',
} as const;

export function Badge({ tone = 'gray', children }: { tone?: keyof typeof BADGE_TONES; children: ComponentChildren }) {
  return <span class={`inline-flex items-center rounded-md px-2 py-0.5 text-xs font-medium whitespace-nowrap ${BADGE_TONES[tone]}`}>{children}</span>;
}
