import type { ComponentChildren } from 'preact';
import { Icon } from '../../components/Icon';
import { locale, LOCALES, setDeviceLocale, t, type Locale } from '../../lib/i18n';


/** The centred card around the sign-in, sign-up and link pages, with a language switch. */
export function AuthLayout({ title, subtitle, children, footer, languagePicker = true }: { title: ComponentChildren; subtitle?: ComponentChildren; children: ComponentChildren; footer?: ComponentChildren; languagePicker?: boolean }) {
  return (
    <div class="flex min-h-dvh flex-col items-center justify-center bg-gradient-to-b from-accent-soft to-transparent px-4 py-10">
      <div class="w-full max-w-sm">
        <div class="mb-6 flex flex-col items-center text-center">
          <span class="mb-3 grid size-11 place-items-center rounded-xl bg-accent text-accent-fg shadow-sm">
            <Icon name="flame" class="size-6" />
          </span>
          <h1 class="text-xl font-semibold tracking-tight">{title}</h1>
          {subtitle && <p class="mt-1.5 text-sm text-slate-500 dark:text-slate-400">{subtitle}</p>}
        </div>
        <div class="rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6 dark:border-slate-800 dark:bg-slate-900">{children}</div>
        {footer && <div class="mt-5 text-center text-sm text-slate-600 dark:text-slate-400">{footer}</div>}
        {languagePicker && (
          <div class="mt-6 flex justify-center">
            <label class="flex items-center gap-2 text-xs text-slate-500 dark:text-slate-400">
              <span>{t('auth.language')}</span>
              <select
                class="rounded-md border border-slate-300 bg-transparent px-2 py-1 text-xs dark:border-slate-700"
                value={locale.value}
                onChange={(e) => setDeviceLocale(e.currentTarget.value as Locale)}
              >
                {LOCALES.map((l) => (
                  <option key={l} value={l}>
                    {t(`lang.${l}`)}
                  </option>
                ))}
              </select>
            </label>
          </div>
        )}
      </div>
    </div>
  );
}

export const linkClass = 'font-medium text-accent-text hover:underline';
