import { api, type Page } from '../../lib/api';
import type { Role, User } from '../../lib/session';

export type Team = { id: string; name: string };
export type Invitation = { id: string; email: string; role: Role; teamId: string | null; invitedBy: string; status: 'pending' | 'accepted' | 'revoked' | 'expired'; expiresAt: string; createdAt: string };
export type UserFilters = { q?: string; role?: string; active?: string };

export const listUsers = (filters: UserFilters, cursor: string | undefined, signal: AbortSignal) => api.get<Page<User>>('/users', { ...filters, cursor, limit: 25 }, signal);
export const updateUser = (user: User, changes: { name?: string; role?: Role; teamId?: string | null }) => api.patch<User>(`/users/${user.id}`, changes, user.version);
export const deactivateUser = (id: string) => api.post<User>(`/users/${id}/deactivate`);
export const reactivateUser = (id: string) => api.post<User>(`/users/${id}/reactivate`);
export const listTeams = (signal?: AbortSignal) => api.get<Page<Team>>('/teams', undefined, signal);
export const listInvitations = (signal?: AbortSignal) => api.get<Page<Invitation>>('/invitations', undefined, signal);
export const createInvitation = (input: { email: string; role: Role; teamId: string | null }) => api.post<Invitation>('/invitations', input);
export const revokeInvitation = (id: string) => api.del(`/invitations/${id}`);
