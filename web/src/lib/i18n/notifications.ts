import { addMessages, t, type Locale, type MessageKey, type Params } from './index';
import { notificationsEn } from './notifications.en';
import { notificationsZhCN } from './notifications.zh-CN';

// Imported by the notification centre: its strings load with it.
addMessages({ en: notificationsEn, 'zh-CN': notificationsZhCN } as unknown as Record<Locale, Partial<Record<MessageKey, string>>>);

export type NotificationsKey = keyof typeof notificationsEn;
/** `t` for this catalog's keys (the main MessageKey type does not list lazily added catalogs). */
export const tn = (key: NotificationsKey, params?: Params) => t(key as string as MessageKey, params);
