import { api, request } from '../../lib/api';
import type { Locale } from '../../lib/i18n';
import type { Me } from '../../lib/session';

export type ProfileChanges = { name?: string; locale?: Locale | null; timezone?: string | null };

export const updateProfile = (changes: ProfileChanges) => api.patch<Me>('/me', changes);
export const changePassword = (currentPassword: string, newPassword: string) => api.post<void>('/me/password', { currentPassword, newPassword });
export const startTotp = () => api.post<{ secret: string; uri: string }>('/me/totp');
export const confirmTotp = (secret: string, code: string) => api.post<void>('/me/totp/confirm', { secret, code });
export const disableTotp = (password: string) => api.post<void>('/me/totp/disable', { password });

export type ReminderPrefs = {
  emailMode: 'each' | 'digest' | 'off';
  digestHour: number;
  quietStart: string | null;
  quietEnd: string | null;
  timezone: string | null;
  effectiveTimezone: string;
  version: number;
};
export type ReminderPrefsChanges = Partial<Pick<ReminderPrefs, 'emailMode' | 'digestHour' | 'quietStart' | 'quietEnd'>>;

export const getReminderPrefs = (signal?: AbortSignal) => api.get<ReminderPrefs>('/me/reminder-preferences', undefined, signal);
export const saveReminderPrefs = (changes: ReminderPrefsChanges) => request<ReminderPrefs>('PUT', '/me/reminder-preferences', { body: changes });
