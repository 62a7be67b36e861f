import type { ComponentChildren } from 'preact';

/** A table that scrolls sideways inside its card on narrow screens instead of widening the page. */
export function Table({ columns, children, label }: { columns: ComponentChildren[]; children: ComponentChildren; label?: string }) {
  return (
    <div class="relative overflow-x-auto">
      <table class="min-w-full text-left text-sm" aria-label={label}>
        <thead class="border-b border-slate-200 text-xs font-medium tracking-wide text-slate-500 uppercase dark:border-slate-800 dark:text-slate-400">
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" class="px-4 py-2.5 font-medium whitespace-nowrap first:pl-4 last:pr-4 sm:first:pl-5 sm:last:pr-5">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody class="divide-y divide-slate-100 dark:divide-slate-800">{children}</tbody>
      </table>
    </div>
  );
}

export const td = 'px-4 py-3 align-middle whitespace-nowrap first:pl-4 last:pr-4 sm:first:pl-5 sm:last:pr-5';
