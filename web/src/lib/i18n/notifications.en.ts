/** English strings of the notification centre (the bell's own few live in the main catalogs). */
export const notificationsEn = {
  'notifications.title': 'Notifications',
  'notifications.description': 'Reminders and updates for you, newest first.',
  'notifications.tabs': 'Which notifications',
  'notifications.all': 'All',
  'notifications.unread': 'Unread',
  'notifications.emptyTitle': 'No notifications',
  'notifications.emptyBody': 'Reminders for your tasks and updates on your records will show up here.',
  'notifications.emptyUnreadTitle': 'All caught up',
  'notifications.emptyUnreadBody': 'You have read every notification.',
  'notifications.allRead': 'All notifications marked as read.',
  // The shared "Load more" footer reads this key.
  'customers.loadMore': 'Load more',
} as const;
