import '../../lib/i18n/notifications';
import { useState } from 'preact/hooks';
import { Button } from '../../components/Button';
import { Card, PageHeader } from '../../components/Card';
import { ListStates } from '../../components/LoadMore';
import { EmptyState } from '../../components/States';
import { Tabs } from '../../components/Tabs';
import { toast } from '../../components/Toast';
import { t } from '../../lib/i18n';
import { tn } from '../../lib/i18n/notifications';
import { useLoadMore } from '../../lib/load-more';
import { listNotifications } from './api';
import { NotificationItem } from './Bell';
import { markAllRead, markRead, notificationsChanged, unreadCount } from './unread';

type Filter = 'all' | 'unread';

/** `/notifications`: every notification of the signed-in user, or only the unread ones. */
export function NotificationsPage() {
  const [filter, setFilter] = useState<Filter>('all');
  // A new notification (seen by the bell's poll) or "mark all read" elsewhere reads the list again.
  const changed = notificationsChanged.value;
  const list = useLoadMore((cursor, signal) => listNotifications({ cursor, unread: filter === 'unread', limit: 30 }, signal), [filter, changed]);
  const count = unreadCount.value;

  const readOne = (id: string) => {
    list.update((items) => (filter === 'unread' ? items.filter((n) => n.id !== id) : items.map((n) => (n.id === id ? { ...n, readAt: n.readAt ?? new Date().toISOString() } : n))));
    void markRead(id).catch(() => undefined);
  };

  return (
    <>
      <PageHeader
        title={tn('notifications.title')}
        description={tn('notifications.description')}
        actions={
          count ? (
            <Button icon="check" onClick={() => void markAllRead().then(() => toast(tn('notifications.allRead')))}>
              {t('bell.markAllRead')}
            </Button>
          ) : null
        }
      />
      <Card>
        <div class="border-b border-slate-200 px-2 sm:px-3 dark:border-slate-800">
          <Tabs
            label={tn('notifications.tabs')}
            active={filter}
            onChange={setFilter}
            tabs={[
              { id: 'all', label: tn('notifications.all') },
              { id: 'unread', label: tn('notifications.unread'), count: count || null },
            ]}
          />
        </div>
        <ListStates
          state={list}
          empty={
            filter === 'unread' ? (
              <EmptyState icon="check" title={tn('notifications.emptyUnreadTitle')} body={tn('notifications.emptyUnreadBody')} />
            ) : (
              <EmptyState icon="bell" title={tn('notifications.emptyTitle')} body={tn('notifications.emptyBody')} />
            )
          }
        >
          <ul class="flex flex-col divide-y divide-slate-100 p-2 sm:p-3 dark:divide-slate-800" aria-label={tn('notifications.title')}>
            {list.items.map((item) => (
              <NotificationItem key={item.id} item={item} onOpen={() => readOne(item.id)} onMarkRead={() => readOne(item.id)} />
            ))}
          </ul>
        </ListStates>
      </Card>
    </>
  );
}
