import { addMessages, t, type Locale, type MessageKey, type Params } from './index';
import { tasksEn } from './tasks.en';
import { tasksZhCN } from './tasks.zh-CN';

// Imported by the tasks pages and the follow-up settings: their strings load with them.
addMessages({ en: tasksEn, 'zh-CN': tasksZhCN } as unknown as Record<Locale, Partial<Record<MessageKey, string>>>);

export type TasksKey = keyof typeof tasksEn;
/** `t` for this catalog's keys (the main MessageKey type does not list lazily added catalogs). */
export const tt = (key: TasksKey, params?: Params) => t(key as string as MessageKey, params);
