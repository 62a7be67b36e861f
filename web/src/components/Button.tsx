import type { ButtonHTMLAttributes, ComponentChildren } from 'preact';
import { Icon, type IconName } from './Icon';
import { Spinner } from './Spinner';

type Tone = 'primary' | 'secondary' | 'danger' | 'ghost';

const TONES: Record<Tone, string> = {
  primary: 'bg-accent text-accent-fg shadow-sm hover:brightness-110',
  secondary:
    'border border-slate-300 bg-white text-slate-800 shadow-sm hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800',
  danger: 'bg-red-600 text-white shadow-sm hover:bg-red-500',
  ghost: 'text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800',
};

type Props = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'icon' | 'size' | 'type'> & {
  tone?: Tone;
  size?: 'sm' | 'md';
  icon?: IconName;
  busy?: boolean;
  type?: 'button' | 'submit';
  disabled?: boolean;
  children?: ComponentChildren;
};

export function buttonClass(tone: Tone = 'secondary', size: 'sm' | 'md' = 'md') {
  return [
    'inline-flex shrink-0 items-center justify-center gap-2 rounded-lg font-medium whitespace-nowrap transition disabled:cursor-not-allowed disabled:opacity-50',
    size === 'sm' ? 'px-2.5 py-1.5 text-xs' : 'px-3.5 py-2 text-sm',
    TONES[tone],
  ].join(' ');
}

export function Button({ tone = 'secondary', size = 'md', icon, busy, type = 'button', disabled, children, class: extra, ...rest }: Props) {
  return (
    <button type={type} class={`${buttonClass(tone, size)} ${extra ?? ''}`} disabled={disabled || busy} aria-busy={busy || undefined} {...rest}>
      {busy ? <Spinner class="size-4" /> : icon ? <Icon name={icon} class="size-4" /> : null}
      {children}
    </button>
  );
}

/** A link that looks like a button (navigation stays a link for the router and for a11y). */
export function ButtonLink({ href, tone = 'secondary', size = 'md', icon, children }: { href: string; tone?: Tone; size?: 'sm' | 'md'; icon?: IconName; children: ComponentChildren }) {
  return (
    <a href={href} class={buttonClass(tone, size)}>
      {icon && <Icon name={icon} class="size-4" />}
      {children}
    </a>
  );
}
