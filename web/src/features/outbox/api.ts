import { api, type Page } from '../../lib/api';

export type OutboxMessage = {
  id: string;
  kind: string;
  toAddress: string;
  subject: string;
  textBody: string;
  htmlBody: string | null;
  status: 'queued' | 'sent' | 'kept' | 'failed';
  transport: string;
  attempts: number;
  error: string | null;
  createdAt: string;
  sentAt: string | null;
};

export const listOutbox = (cursor: string | undefined, signal: AbortSignal) => api.get<Page<OutboxMessage>>('/outbox', { cursor, limit: 25 }, signal);
export const getOutboxMessage = (id: string, signal: AbortSignal) => api.get<OutboxMessage>(`/outbox/${encodeURIComponent(id)}`, undefined, signal);
