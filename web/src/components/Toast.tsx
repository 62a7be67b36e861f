import { signal } from '@preact/signals';
import { t } from '../lib/i18n';
import { Icon } from './Icon';

type ToastAction = { label: string; run: () => void };
type ToastItem = { id: number; message: string; tone: 'success' | 'error'; action?: ToastAction };
const toasts = signal<ToastItem[]>([]);
let nextId = 1;

/** A short message; with an action (Undo) it stays a little longer so that there is time to use it. */
export function toast(message: string, tone: ToastItem['tone'] = 'success', action?: ToastAction) {
  const id = nextId++;
  toasts.value = [...toasts.value, { id, message, tone, action }];
  setTimeout(() => dismiss(id), tone === 'error' || action ? 8000 : 4000);
}

function dismiss(id: number) {
  toasts.value = toasts.value.filter((item) => item.id !== id);
}

export function ToastHost() {
  return (
    <div class="pointer-events-none fixed inset-x-0 bottom-20 z-50 flex flex-col items-center gap-2 px-4 lg:bottom-6" aria-live="polite">
      {toasts.value.map((item) => (
        <div
          key={item.id}
          role="status"
          class={`pointer-events-auto flex max-w-md items-center gap-3 rounded-lg px-4 py-2.5 text-sm shadow-lg ${item.tone === 'error' ? 'bg-red-600 text-white' : 'bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900'}`}
        >
          <Icon name={item.tone === 'error' ? 'alert' : 'check'} class="size-4 shrink-0" />
          <span>{item.message}</span>
          {item.action && (
            <button
              type="button"
              class="rounded px-1.5 py-0.5 font-semibold underline-offset-2 hover:underline"
              onClick={() => {
                dismiss(item.id);
                item.action!.run();
              }}
            >
              {item.action.label}
            </button>
          )}
          <button type="button" class="ml-1 rounded p-0.5 opacity-70 hover:opacity-100" onClick={() => dismiss(item.id)} aria-label={t('common.close')}>
            <Icon name="close" class="size-4" />
          </button>
        </div>
      ))}
    </div>
  );
}
