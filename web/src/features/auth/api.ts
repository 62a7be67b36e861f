import { api } from '../../lib/api';
import type { Locale } from '../../lib/i18n';
import type { Me, Role } from '../../lib/session';

export type SignupInput = { workspaceName: string; name: string; email: string; password: string; locale: Locale; timezone: string };
export type LoginInput = { email: string; password: string; totp?: string };
export type InvitationPreview = { email: string; role: Role; workspaceName: string; locale: Locale };

export const signup = (input: SignupInput) => api.post<Me>('/auth/signup', input);
export const login = (input: LoginInput) => api.post<Me>('/auth/login', input);
export const requestPasswordReset = (email: string) => api.post<{ ok: true }>('/auth/password/forgot', { email });
export const resetPassword = (token: string, password: string) => api.post<void>('/auth/password/reset', { token, password });
export const previewInvitation = (token: string, signal?: AbortSignal) => api.get<InvitationPreview>(`/auth/invitations/${encodeURIComponent(token)}`, undefined, signal);
export const acceptInvitation = (input: { token: string; name: string; password: string }) => api.post<Me>('/auth/invitations/accept', input);
