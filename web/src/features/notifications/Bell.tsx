import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { Icon } from '../../components/Icon';
import { Spinner } from '../../components/Spinner';
import { formatRelative } from '../../lib/format';
import { t } from '../../lib/i18n';
import { listNotifications, type Notification } from './api';
import { markAllRead, markRead, notificationsChanged, startUnreadPolling, unreadCount } from './unread';

// Two bells can be mounted at once (the desktop sidebar and the phone's top bar); they share one poller.
let mounted = 0;
let stopPolling: (() => void) | null = null;

function useSharedPolling() {
  useEffect(() => {
    if (mounted++ === 0) stopPolling = startUnreadPolling();
    return () => {
      if (--mounted === 0) {
        stopPolling?.();
        stopPolling = null;
      }
    };
  }, []);
}

/** The newest few, read when the drop-down opens and again when the count changes while it is open. */
function useLatest(open: boolean) {
  const [items, setItems] = useState<Notification[] | null>(null);
  const [failed, setFailed] = useState(false);
  const changed = notificationsChanged.value;
  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    setFailed(false);
    listNotifications({ limit: 8 }, controller.signal).then(
      (page) => setItems(page.items),
      () => !controller.signal.aborted && setFailed(true),
    );
    return () => controller.abort();
  }, [open, changed]);
  return { items, failed, setItems };
}

export function NotificationItem({ item, onOpen, onMarkRead }: { item: Notification; onOpen: () => void; onMarkRead: () => void }) {
  const unread = !item.readAt;
  const text = (
    <>
      <span class="flex items-start gap-2">
        <span class={`mt-1.5 size-2 shrink-0 rounded-full ${unread ? 'bg-accent' : 'bg-transparent'}`} aria-hidden="true" />
        <span class="min-w-0 flex-1">
          <span class={`block text-sm break-words ${unread ? 'font-semibold' : 'font-medium text-slate-600 dark:text-slate-300'}`}>{item.title}</span>
          {item.body && <span class="mt-0.5 line-clamp-2 block text-xs break-words text-slate-500 dark:text-slate-400">{item.body}</span>}
          <time dateTime={item.createdAt} class="mt-0.5 block text-xs text-slate-400 dark:text-slate-500">
            {formatRelative(item.createdAt)}
          </time>
        </span>
      </span>
    </>
  );
  const rowClass = 'block min-w-0 flex-1 rounded-md px-2 py-2 text-left hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-accent dark:hover:bg-slate-800';
  return (
    <li class="flex items-start gap-1" data-unread={unread || undefined}>
      {item.link ? (
        <a href={item.link} class={rowClass} onClick={onOpen}>
          {text}
        </a>
      ) : (
        <div class={`${rowClass} hover:bg-transparent dark:hover:bg-transparent`}>{text}</div>
      )}
      {unread && (
        <button
          type="button"
          class="mt-1.5 shrink-0 rounded-md p-1.5 text-slate-400 hover:bg-slate-100 hover:text-slate-700 dark:hover:bg-slate-800 dark:hover:text-slate-200"
          title={t('bell.markRead')}
          aria-label={`${t('bell.markRead')}: ${item.title}`}
          onClick={onMarkRead}
        >
          <Icon name="check" class="size-4" />
        </button>
      )}
    </li>
  );
}

/** The bell in the app header: unread count, the latest notifications, mark read, a way to all of them. */
export function NotificationBell({ align = 'right' }: { align?: 'left' | 'right' }) {
  useSharedPolling();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const { items, failed, setItems } = useLatest(open);
  const count = unreadCount.value ?? 0;

  useEffect(() => {
    if (!open) return;
    const onClick = (e: Event) => !root.current?.contains(e.target as Node) && setOpen(false);
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

  const readOne = (item: Notification) => {
    if (item.readAt) return;
    setItems((list) => list?.map((n) => (n.id === item.id ? { ...n, readAt: new Date().toISOString() } : n)) ?? null);
    void markRead(item.id).catch(() => undefined);
  };
  const label = count > 0 ? t('bell.labelUnread', { count }) : t('bell.label');

  return (
    <div ref={root} class="relative">
      <button
        ref={button}
        type="button"
        class="relative rounded-lg p-2 text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-slate-100"
        aria-label={label}
        title={label}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
      >
        <Icon name="bell" class="size-5" />
        {count > 0 && (
          <span class="absolute -top-0.5 -right-0.5 grid h-4.5 min-w-4.5 place-items-center rounded-full bg-red-600 px-1 text-[10px] leading-none font-semibold text-white" data-testid="unread-count" aria-hidden="true">
            {count > 99 ? '99+' : count}
          </span>
        )}
      </button>
      {open && (
        <div
          id={panelId}
          role="region"
          aria-label={t('bell.title')}
          class={`absolute top-full z-40 mt-2 w-80 max-w-[calc(100vw-1.5rem)] overflow-hidden rounded-xl border border-slate-200 bg-white shadow-xl dark:border-slate-700 dark:bg-slate-900 ${align === 'left' ? 'left-0' : 'right-0'}`}
        >
          <div class="flex items-center justify-between gap-2 border-b border-slate-200 px-3 py-2 dark:border-slate-800">
            <h2 class="text-sm font-semibold">{t('bell.title')}</h2>
            {count > 0 && (
              <button type="button" class="rounded-md px-2 py-1 text-xs font-medium text-accent-text hover:bg-accent-soft" onClick={() => void markAllRead().then(() => setItems((list) => list?.map((n) => ({ ...n, readAt: n.readAt ?? new Date().toISOString() })) ?? null))}>
                {t('bell.markAllRead')}
              </button>
            )}
          </div>
          <div class="max-h-[60dvh] overflow-y-auto p-1.5">
            {failed ? (
              <p class="px-2 py-6 text-center text-sm text-red-600 dark:text-red-400">{t('bell.failed')}</p>
            ) : items === null ? (
              <div class="flex justify-center py-6 text-slate-400" role="status" aria-label={t('common.loading')}>
                <Spinner />
              </div>
            ) : items.length === 0 ? (
              <p class="px-2 py-6 text-center text-sm text-slate-500 dark:text-slate-400">{t('bell.empty')}</p>
            ) : (
              <ul class="flex flex-col" aria-label={t('bell.latest')}>
                {items.map((item) => (
                  <NotificationItem
                    key={item.id}
                    item={item}
                    onOpen={() => {
                      readOne(item);
                      setOpen(false);
                    }}
                    onMarkRead={() => readOne(item)}
                  />
                ))}
              </ul>
            )}
          </div>
          <a href="/notifications" class="block border-t border-slate-200 px-3 py-2.5 text-center text-sm font-medium text-accent-text hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-800/60" onClick={() => setOpen(false)}>
            {t('bell.seeAll')}
          </a>
        </div>
      )}
    </div>
  );
}
