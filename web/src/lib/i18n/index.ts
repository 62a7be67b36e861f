import { computed, signal } from '@preact/signals';
import { en } from './en';
import { zhCN } from './zh-CN';
import type { customersEn } from './customers.en';
import type { leadsEn } from './leads.en';
import type { pipelineEn } from './pipeline.en';

/** The UI speaks the languages the API knows; every string comes from these two catalogs. */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
/** The main catalogs' keys, and those of catalogs that load with their pages (see addMessages). */
export type MessageKey = keyof typeof en | keyof typeof customersEn | keyof typeof leadsEn | keyof typeof pipelineEn;
export type Params = Record<string, string | number>;

const catalogs: Record<Locale, Partial<Record<MessageKey, string>>> = { en: { ...en }, 'zh-CN': { ...zhCN } };

/**
 * Pages loaded on demand bring their own strings (the customer pages' catalogs are larger than
 * the rest of the app), so that the first load stays small. Their code calls this before it renders.
 */
export function addMessages(messages: Record<Locale, Partial<Record<MessageKey, string>>>) {
  for (const l of LOCALES) Object.assign(catalogs[l], messages[l]);
}

/** zh, zh-CN, zh-Hans… → zh-CN; anything else → en. */
export function localeFromLanguages(languages: readonly string[]): Locale {
  for (const lang of languages) {
    const lower = lang.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

export function browserLocale(): Locale {
  const langs = typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language];
  return localeFromLanguages(langs);
}

export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const DEVICE_LOCALE_KEY = 'hearth.locale';

function storedDeviceLocale(): Locale | null {
  try {
    const value = localStorage.getItem(DEVICE_LOCALE_KEY);
    return LOCALES.includes(value as Locale) ? (value as Locale) : null;
  } catch {
    return null;
  }
}

/** The account's saved language (set from /me), or null to follow this device. */
export const accountLocale = signal<Locale | null>(null);
/** A language picked on this device while signed out (sign-in pages). */
export const deviceLocale = signal<Locale | null>(storedDeviceLocale());

/** The account's choice, then this device's, then the browser's languages. */
export const locale = computed<Locale>(() => accountLocale.value ?? deviceLocale.value ?? browserLocale());
/** The time zone dates render in; the session sets it from the user's and workspace's choices. */
export const timeZone = signal<string>(browserTimeZone());

export function setDeviceLocale(value: Locale | null) {
  deviceLocale.value = value;
  try {
    if (value) localStorage.setItem(DEVICE_LOCALE_KEY, value);
    else localStorage.removeItem(DEVICE_LOCALE_KEY);
  } catch {
    /* private mode: the choice lasts for this visit */
  }
}

export function t(key: MessageKey, params?: Params): string {
  const text = catalogs[locale.value][key] ?? catalogs.en[key] ?? key;
  return params ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`)) : text;
}

/** For keys built at run time (`role.rep`, `audit.action.user.invited`): the fallback when unknown. */
export function tMaybe(key: string, fallback: string, params?: Params): string {
  return key in catalogs.en ? t(key as MessageKey, params) : fallback;
}
