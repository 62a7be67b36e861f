import { api, type Page } from '../../lib/api';
import type { User } from '../../lib/session';

export type Team = { id: string; name: string; managerId: string | null; memberIds: string[]; version: number };
export type TeamInput = { name: string; managerId: string | null; memberIds: string[] };

export const listTeams = (signal?: AbortSignal) => api.get<Page<Team>>('/teams', undefined, signal);
export const listMembers = (signal?: AbortSignal) => api.get<Page<User>>('/users', { limit: 200 }, signal);
export const createTeam = (input: TeamInput) => api.post<Team>('/teams', input);
export const updateTeam = (team: Team, changes: Partial<TeamInput>) => api.patch<Team>(`/teams/${team.id}`, changes, team.version);
export const deleteTeam = (id: string) => api.del(`/teams/${id}`);
