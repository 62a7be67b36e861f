import { api, type Page } from '../../lib/api';

/** One entry of the bell (GET /notifications): the title and body are already in the reader's language. */
export type Notification = {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  recordType: string | null;
  recordId: string | null;
  readAt: string | null;
  createdAt: string;
};

export const listNotifications = (query: { cursor?: string; unread?: boolean; limit?: number }, signal?: AbortSignal) =>
  api.get<Page<Notification>>('/notifications', { cursor: query.cursor, unread: query.unread ? 1 : undefined, limit: query.limit }, signal);
export const fetchUnreadCount = (signal?: AbortSignal) => api.get<{ unread: number }>('/notifications/unread-count', undefined, signal);
export const markNotificationRead = (id: string) => api.post<Notification>(`/notifications/${encodeURIComponent(id)}/read`);
export const markAllNotificationsRead = () => api.post<{ updated: number }>('/notifications/read-all');
