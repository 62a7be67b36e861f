import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { t } from '../lib/i18n';
import { Icon } from './Icon';

type Props = { open: boolean; onClose: () => void; title: ComponentChildren; children: ComponentChildren; footer?: ComponentChildren; wide?: boolean };

/** A modal on the native <dialog>: focus trapping, Escape and the backdrop come from the browser. */
export function Dialog({ open, onClose, title, children, footer, wide }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      class={`m-auto max-h-[calc(100dvh-2rem)] w-[calc(100vw-2rem)] overflow-hidden rounded-xl border border-slate-200 bg-white p-0 text-slate-900 shadow-xl dark:border-slate-800 dark:bg-slate-900 dark:text-slate-100 ${wide ? 'max-w-2xl' : 'max-w-lg'}`}
    >
      {open && (
        <div class="flex max-h-[calc(100dvh-2rem)] flex-col">
          <div class="flex items-center justify-between gap-3 border-b border-slate-200 px-5 py-3.5 dark:border-slate-800">
            <h2 id={titleId} class="text-base font-semibold">
              {title}
            </h2>
            <button type="button" class="rounded-md p-1 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800" onClick={onClose} aria-label={t('common.close')}>
              <Icon name="close" class="size-5" />
            </button>
          </div>
          <div class="overflow-y-auto px-5 py-4">{children}</div>
          {footer && <div class="flex flex-wrap justify-end gap-2 border-t border-slate-200 bg-slate-50 px-5 py-3 dark:border-slate-800 dark:bg-slate-900/60">{footer}</div>}
        </div>
      )}
    </dialog>
  );
}
