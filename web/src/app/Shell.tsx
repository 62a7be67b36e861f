import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Icon, type IconName } from '../components/Icon';
import { NotificationBell } from '../features/notifications/Bell';
import { t, type MessageKey } from '../lib/i18n';
import { me, signOut } from '../lib/session';
import { setTheme, theme, type ThemeChoice } from '../lib/theme';
import { ErrorBoundary } from './ErrorBoundary';

/** `sub` items sit indented under the one before them in the sidebar and stay out of the phone's bottom bar. */
type NavItem = { href: string; label: MessageKey; icon: IconName; sub?: boolean };

const MAIN_NAV: NavItem[] = [
  { href: '/customers', label: 'nav.customers', icon: 'customers' },
  { href: '/companies', label: 'nav.companies', icon: 'building', sub: true },
  { href: '/pipeline', label: 'nav.pipeline', icon: 'pipeline' },
  { href: '/tasks', label: 'nav.tasks', icon: 'tasks' },
  { href: '/leads', label: 'nav.leads', icon: 'leads' },
  { href: '/reports', label: 'nav.reports', icon: 'reports' },
];
const SETTINGS_NAV: NavItem = { href: '/settings', label: 'nav.settings', icon: 'settings' };

const isActive = (path: string, href: string) => path === href || path.startsWith(`${href}/`);

function Brand() {
  const workspace = me.value?.workspace;
  return (
    <a href="/customers" class="flex min-w-0 items-center gap-2.5">
      <span class="grid size-8 shrink-0 place-items-center rounded-lg bg-accent text-accent-fg">
        <Icon name="flame" class="size-5" />
      </span>
      <span class="min-w-0">
        <span class="block text-sm leading-tight font-semibold">{t('app.name')}</span>
        {workspace && <span class="block truncate text-xs leading-tight text-slate-500 dark:text-slate-400">{workspace.name}</span>}
      </span>
    </a>
  );
}

function NavLink({ item, path }: { item: NavItem; path: string }) {
  const active = isActive(path, item.href);
  return (
    <a
      href={item.href}
      aria-current={active ? 'page' : undefined}
      class={`flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium transition ${item.sub ? 'ml-5' : ''} ${
        active ? 'bg-accent-soft text-accent-text' : 'text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-slate-100'
      }`}
    >
      <Icon name={item.icon} class="size-5 shrink-0" />
      {t(item.label)}
    </a>
  );
}

const THEME_ORDER: ThemeChoice[] = ['system', 'light', 'dark'];
const THEME_ICON: Record<ThemeChoice, IconName> = { system: 'monitor', light: 'sun', dark: 'moon' };
const THEME_LABEL: Record<ThemeChoice, MessageKey> = { system: 'theme.system', light: 'theme.light', dark: 'theme.dark' };

function ThemeToggle({ withLabel }: { withLabel?: boolean }) {
  const current = theme.value;
  const next = THEME_ORDER[(THEME_ORDER.indexOf(current) + 1) % THEME_ORDER.length];
  const label = t('theme.toggle', { current: t(THEME_LABEL[current]) });
  return (
    <button
      type="button"
      onClick={() => setTheme(next)}
      title={label}
      aria-label={label}
      class="flex items-center gap-2 rounded-lg p-2 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-slate-100"
    >
      <Icon name={THEME_ICON[current]} class="size-5" />
      {withLabel && <span>{t(THEME_LABEL[current])}</span>}
    </button>
  );
}

function UserCard() {
  const user = me.value?.user;
  if (!user) return null;
  return (
    <div class="flex items-center gap-3 rounded-lg px-2 py-2">
      <span class="grid size-9 shrink-0 place-items-center rounded-full bg-slate-200 text-sm font-semibold text-slate-700 dark:bg-slate-800 dark:text-slate-200" aria-hidden="true">
        {user.name.trim().slice(0, 1).toUpperCase()}
      </span>
      <span class="min-w-0 flex-1">
        <span class="block truncate text-sm font-medium">
          {user.name}
        </span>
        <span class="block truncate text-xs text-slate-500 dark:text-slate-400">{t(`role.${user.role}`)}</span>
      </span>
    </div>
  );
}

function SignOutButton() {
  const { route } = useLocation();
  return (
    <button
      type="button"
      onClick={async () => {
        await signOut().catch(() => undefined);
        route('/login', true);
      }}
      class="flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-slate-100"
    >
      <Icon name="logout" class="size-5" />
      {t('nav.signOut')}
    </button>
  );
}

/** `withBell`: the desktop sidebar carries the bell; the phone's drawer does not (its top bar has one). */
function SidebarContent({ path, withBell }: { path: string; withBell?: boolean }) {
  return (
    <div class="flex h-full flex-col gap-6 px-3 py-4">
      <div class="flex items-center justify-between gap-2 px-2">
        <Brand />
        {withBell && <NotificationBell align="left" />}
      </div>
      <nav aria-label={t('nav.main')} class="flex flex-col gap-1">
        {MAIN_NAV.map((item) => (
          <NavLink key={item.href} item={item} path={path} />
        ))}
      </nav>
      <div class="mt-auto flex flex-col gap-1 border-t border-slate-200 pt-4 dark:border-slate-800">
        <NavLink item={SETTINGS_NAV} path={path} />
        <SignOutButton />
        <div class="flex items-center justify-between gap-2">
          <UserCard />
          <ThemeToggle />
        </div>
      </div>
    </div>
  );
}

/** The signed-in layout: a sidebar on desktop; a top bar, a drawer and a bottom bar on phones. */
export function Shell({ children }: { children: ComponentChildren }) {
  const { path } = useLocation();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => setDrawerOpen(false), [path]);
  const section = [...MAIN_NAV, SETTINGS_NAV].find((item) => isActive(path, item.href));
  const sectionTitle = section ? t(section.label) : null;
  useEffect(() => {
    document.title = sectionTitle ? `${sectionTitle} · ${t('app.name')}` : t('app.name');
  }, [sectionTitle]);
  useEffect(() => {
    if (!drawerOpen) return;
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setDrawerOpen(false);
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [drawerOpen]);

  return (
    <div class="min-h-dvh">
      <a href="#main" class="sr-only z-50 rounded-lg bg-white px-3 py-2 focus:not-sr-only focus:fixed focus:top-2 focus:left-2 dark:bg-slate-900">
        {t('nav.skip')}
      </a>

      <aside class="fixed inset-y-0 left-0 z-30 hidden w-64 border-r border-slate-200 bg-white lg:block dark:border-slate-800 dark:bg-slate-900">
        <SidebarContent path={path} withBell />
      </aside>

      <header class="sticky top-0 z-30 flex h-14 items-center gap-2 border-b border-slate-200 bg-white/90 px-3 backdrop-blur lg:hidden dark:border-slate-800 dark:bg-slate-900/90">
        <button
          type="button"
          class="rounded-lg p-2 text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
          aria-label={t('nav.openMenu')}
          aria-expanded={drawerOpen}
          onClick={() => setDrawerOpen(true)}
        >
          <Icon name="menu" class="size-5" />
        </button>
        <div class="min-w-0 flex-1">
          <Brand />
        </div>
        <NotificationBell />
        <ThemeToggle />
      </header>

      {drawerOpen && (
        <div class="fixed inset-0 z-40 lg:hidden" role="dialog" aria-modal="true" aria-label={t('nav.menu')}>
          <div class="absolute inset-0 bg-slate-900/50" onClick={() => setDrawerOpen(false)} />
          <aside class="absolute inset-y-0 left-0 w-72 max-w-[85vw] bg-white shadow-xl dark:bg-slate-900">
            <button
              type="button"
              ref={closeRef}
              class="absolute top-3 right-3 rounded-lg p-2 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800"
              aria-label={t('nav.closeMenu')}
              onClick={() => setDrawerOpen(false)}
            >
              <Icon name="close" class="size-5" />
            </button>
            <SidebarContent path={path} />
          </aside>
        </div>
      )}

      <main id="main" class="pb-24 lg:pb-0 lg:pl-64">
        <div class="mx-auto max-w-6xl px-4 py-6 sm:px-6 lg:px-8 lg:py-8">
          <ErrorBoundary key={path}>{children}</ErrorBoundary>
        </div>
      </main>

      <nav
        aria-label={t('nav.main')}
        class="fixed inset-x-0 bottom-0 z-30 grid grid-cols-6 border-t border-slate-200 bg-white/95 pb-[env(safe-area-inset-bottom)] backdrop-blur lg:hidden dark:border-slate-800 dark:bg-slate-900/95"
      >
        {[...MAIN_NAV, SETTINGS_NAV].filter((item) => !item.sub).map((item) => {
          const active = isActive(path, item.href);
          return (
            <a
              key={item.href}
              href={item.href}
              aria-current={active ? 'page' : undefined}
              class={`flex min-w-0 flex-col items-center gap-0.5 py-2 text-[10px] font-medium tracking-tight sm:text-xs ${active ? 'text-accent-text' : 'text-slate-500 dark:text-slate-400'}`}
            >
              <Icon name={item.icon} class="size-5" />
              <span class="max-w-full truncate">{t(item.label)}</span>
            </a>
          );
        })}
      </nav>
    </div>
  );
}
