import { effect } from '@preact/signals';
import { accountLocale, browserTimeZone, locale, t, timeZone } from '../lib/i18n';
import { me } from '../lib/session';
import { startTheme } from '../lib/theme';

const DEFAULT_ACCENT = '#4f46e5';

/** Black or white text, whichever reads better on the accent colour. */
function foregroundFor(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.45 ? '#0f172a' : '#ffffff';
}

export function applyAccent(hex: string) {
  const color = /^#[0-9a-fA-F]{6}$/.test(hex) ? hex : DEFAULT_ACCENT;
  const root = document.documentElement.style;
  root.setProperty('--accent', color);
  root.setProperty('--accent-fg', foregroundFor(color));
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', color);
}

/** Keeps language, time zone, accent colour and <html lang> in step with the signed-in user. */
export function startProviders() {
  startTheme();
  effect(() => {
    const session = me.value;
    accountLocale.value = session?.user.locale ?? null;
    timeZone.value = session?.user.timezone ?? session?.workspace.timezone ?? browserTimeZone();
    applyAccent(session?.workspace.accentColor ?? DEFAULT_ACCENT);
  });
  effect(() => {
    document.documentElement.lang = locale.value;
    document.title = t('app.name');
  });
}
