import { signal } from '@preact/signals';
import { fetchUnreadCount, markAllNotificationsRead, markNotificationRead } from './api';

/** Unread notifications of the signed-in user; null until the first answer. */
export const unreadCount = signal<number | null>(null);
/** Bumped whenever the count is known to have changed, so that open lists read again. */
export const notificationsChanged = signal(0);

const POLL_MS = 30_000;
let inFlight: Promise<void> | null = null;

/** Reads the count now (one request at a time); a failure keeps the last known count. */
export function refreshUnread(): Promise<void> {
  inFlight ??= fetchUnreadCount()
    .then(({ unread }) => {
      if (unread !== unreadCount.value) notificationsChanged.value++;
      unreadCount.value = unread;
    })
    .catch(() => undefined)
    .finally(() => {
      inFlight = null;
    });
  return inFlight;
}

/**
 * Keeps the count fresh without reloads: every 30 s while the page is visible, at once when the
 * tab or window comes back, and not at all while hidden (no requests from a background tab).
 * Returns the stop function.
 */
export function startUnreadPolling(): () => void {
  let timer: ReturnType<typeof setInterval> | null = null;
  const stopTimer = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };
  const resume = () => {
    if (document.visibilityState !== 'visible') return stopTimer();
    void refreshUnread();
    stopTimer();
    timer = setInterval(() => void refreshUnread(), POLL_MS);
  };
  const onVisibility = () => (document.visibilityState === 'visible' ? resume() : stopTimer());
  document.addEventListener('visibilitychange', onVisibility);
  addEventListener('focus', resume);
  resume();
  return () => {
    stopTimer();
    document.removeEventListener('visibilitychange', onVisibility);
    removeEventListener('focus', resume);
    unreadCount.value = null;
  };
}

export async function markRead(id: string) {
  await markNotificationRead(id);
  await refreshUnread();
}

export async function markAllRead() {
  await markAllNotificationsRead();
  unreadCount.value = 0;
  notificationsChanged.value++;
}
