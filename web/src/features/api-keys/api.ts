import { api, type Page } from '../../lib/api';
import type { Permission } from '../../lib/session';

export type ApiKey = {
  id: string;
  name: string;
  prefix: string;
  scopes: Permission[];
  createdBy: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  createdAt: string;
};

export const listApiKeys = (signal?: AbortSignal) => api.get<Page<ApiKey>>('/api-keys', undefined, signal);
export const createApiKey = (input: { name: string; scopes: Permission[]; expiresAt: string | null }) => api.post<ApiKey & { key: string }>('/api-keys', input);
export const revokeApiKey = (id: string) => api.del(`/api-keys/${id}`);
