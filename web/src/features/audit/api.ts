import { api, type Page } from '../../lib/api';
import type { User } from '../../lib/session';

export type AuditEntry = {
  id: string;
  actorType: 'user' | 'api_key' | 'system' | 'anonymous';
  actorId: string | null;
  action: string;
  recordType: string | null;
  recordId: string | null;
  changes: Record<string, { before?: unknown; after?: unknown }> | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  createdAt: string;
};

export type AuditFilters = { action?: string; actorId?: string; recordType?: string; recordId?: string; from?: string; to?: string };

export const listAudit = (filters: AuditFilters, cursor: string | undefined, signal: AbortSignal) => api.get<Page<AuditEntry>>('/audit', { ...filters, cursor, limit: 50 }, signal);
export const listActors = (signal?: AbortSignal) => api.get<Page<User>>('/users', { limit: 200 }, signal);
