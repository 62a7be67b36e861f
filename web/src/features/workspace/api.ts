import { api } from '../../lib/api';
import type { Workspace } from '../../lib/session';

export type WorkspaceChanges = Partial<Pick<Workspace, 'name' | 'currency' | 'timezone' | 'locale' | 'defaultCountry' | 'accentColor'>>;

export const getWorkspace = (signal?: AbortSignal) => api.get<Workspace>('/workspace', undefined, signal);
export const updateWorkspace = (version: number, changes: WorkspaceChanges) => api.patch<Workspace>('/workspace', changes, version);
