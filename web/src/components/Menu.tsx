import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { buttonClass } from './Button';
import { Icon, type IconName } from './Icon';

/**
 * A small drop-down of actions (MenuItem), or with `panel` of other controls such as checkboxes.
 * It closes on a chosen action, Escape or a click elsewhere.
 */
export function Menu({ label, icon = 'more', showLabel, panel, children }: { label: string; icon?: IconName; showLabel?: boolean; panel?: boolean; children: ComponentChildren }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  useEffect(() => {
    if (!open) return;
    const onClick = (e: Event) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('click', onClick);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('click', onClick);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return (
    <div ref={root} class="relative">
      <button
        ref={button}
        type="button"
        class={buttonClass('secondary')}
        aria-haspopup={panel ? 'true' : 'menu'}
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={showLabel ? undefined : label}
        title={label}
        onClick={() => setOpen((o) => !o)}
      >
        <Icon name={icon} class="size-4" />
        {showLabel && label}
      </button>
      {open && (
        <div
          id={panelId}
          role={panel ? undefined : 'menu'}
          aria-label={label}
          class="absolute right-0 z-20 mt-1 min-w-52 overflow-hidden rounded-lg border border-slate-200 bg-white py-1 shadow-lg dark:border-slate-700 dark:bg-slate-900"
          // A chosen action closes the menu; other content (checkboxes) keeps it open.
          onClick={(e) => (e.target as HTMLElement).closest('[role="menuitem"]') && setOpen(false)}
        >
          {children}
        </div>
      )}
    </div>
  );
}

export function MenuItem({ icon, onClick, href, download, danger, disabled, children }: { icon?: IconName; onClick?: () => void; href?: string; /** A file name: the link downloads instead of navigating. */ download?: string; danger?: boolean; disabled?: boolean; children: ComponentChildren }) {
  const cls = `flex w-full items-center gap-2.5 px-3 py-2 text-left text-sm disabled:cursor-not-allowed disabled:opacity-50 ${
    danger ? 'text-red-600 hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950/50' : 'text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800'
  }`;
  const body = (
    <>
      {icon && <Icon name={icon} class="size-4 shrink-0" />}
      <span>{children}</span>
    </>
  );
  if (href) {
    return (
      <a role="menuitem" href={href} class={cls} download={download}>
        {body}
      </a>
    );
  }
  return (
    <button type="button" role="menuitem" class={cls} disabled={disabled} onClick={onClick}>
      {body}
    </button>
  );
}
