import type { notificationsEn } from './notifications.en';

export const notificationsZhCN: Record<keyof typeof notificationsEn, string> = {
  'notifications.title': '通知',
  'notifications.description': '给您的提醒和动态，最新的在前。',
  'notifications.tabs': '显示哪些通知',
  'notifications.all': '全部',
  'notifications.unread': '未读',
  'notifications.emptyTitle': '暂无通知',
  'notifications.emptyBody': '任务提醒和您负责记录的动态会显示在这里。',
  'notifications.emptyUnreadTitle': '全部已读',
  'notifications.emptyUnreadBody': '您已读完所有通知。',
  'notifications.allRead': '所有通知已标为已读。',
  'customers.loadMore': '加载更多',
};
