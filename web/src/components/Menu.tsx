import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { buttonClass } from './Button';
import { Icon, type IconName } from './Icon';

/** A small drop-down of actions on <details>: it opens without script and closes on a choice, Escape or a click elsewhere. */
export function Menu({ label, icon = 'more', showLabel, children }: { label: string; icon?: IconName; showLabel?: boolean; children: ComponentChildren }) {
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const close = (e: Event) => {
      const details = ref.current;
      if (details?.open && !details.contains(e.target as Node)) details.open = false;
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && ref.current?.open) {
        ref.current.open = false;
        ref.current.querySelector('summary')?.focus();
      }
    };
    document.addEventListener('click', close);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('click', close);
      document.removeEventListener('keydown', onKey);
    };
  }, []);
  return (
    <details ref={ref} class="relative">
      <summary class={`${buttonClass('secondary')} cursor-pointer list-none [&::-webkit-details-marker]:hidden`} aria-label={showLabel ? undefined : label} title={label}>
        <Icon name={icon} class="size-4" />
        {showLabel && label}
      </summary>
      <div role="menu" class="absolute right-0 z-20 mt-1 min-w-52 overflow-hidden rounded-lg border border-slate-200 bg-white py-1 shadow-lg dark:border-slate-700 dark:bg-slate-900">
        {children}
      </div>
    </details>
  );
}

export function MenuItem({ icon, onClick, href, download, danger, disabled, children }: { icon?: IconName; onClick?: () => void; href?: string; /** A file name: the link downloads instead of navigating. */ download?: string; danger?: boolean; disabled?: boolean; children: ComponentChildren }) {
  const cls = `flex w-full items-center gap-2.5 px-3 py-2 text-left text-sm disabled:cursor-not-allowed disabled:opacity-50 ${
    danger ? 'text-red-600 hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950/50' : 'text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800'
  }`;
  const closeMenu = (e: Event) => {
    const details = (e.currentTarget as HTMLElement).closest('details');
    if (details) details.open = false;
  };
  const body = (
    <>
      {icon && <Icon name={icon} class="size-4 shrink-0" />}
      <span>{children}</span>
    </>
  );
  if (href) {
    return (
      <a role="menuitem" href={href} class={cls} onClick={closeMenu} download={download}>
        {body}
      </a>
    );
  }
  return (
    <button
      type="button"
      role="menuitem"
      class={cls}
      disabled={disabled}
      onClick={(e) => {
        closeMenu(e);
        onClick?.();
      }}
    >
      {body}
    </button>
  );
}
