import { api, request, type Page } from '../../lib/api';
import type { OpenTask } from '../../components/OpenTasks';
import type { TimelineEntry } from '../../components/Timeline';
import type { CustomValues } from '../../lib/custom-fields';
import type { User } from '../../lib/session';

export const COMPANY_SIZES = ['1-10', '11-50', '51-200', '201-500', '501-1000', '1000+'] as const;
export type CompanySize = (typeof COMPANY_SIZES)[number];
export const ADDRESS_PARTS = ['country', 'province', 'city', 'district', 'street', 'postcode'] as const;
export type Address = Partial<Record<(typeof ADDRESS_PARTS)[number], string | null>>;
export type Tag = { id: string; name: string; color: string };

export type Company = {
  id: string;
  name: string;
  industry: string | null;
  size: CompanySize | null;
  website: string | null;
  domain: string | null;
  phones: string[];
  address: Address;
  ownerId: string | null;
  contractEndsOn: string | null;
  tags: Tag[];
  isArchived: boolean;
  deletedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
};

export type Person = {
  id: string;
  name: string;
  title: string | null;
  phones: string[];
  emails: string[];
  lifecycle: 'lead' | 'prospect' | 'customer' | 'churned' | 'other';
  totalSpent: number;
  orderCount: number;
  lastPurchaseAt: string | null;
};

export type CompanyDetail = Company & {
  owner: { id: string; name: string } | null;
  customFields: CustomValues;
  archivedAt: string | null;
  contacts: Person[];
  totals: { contactCount: number; totalSpent: number; orderCount: number; lastPurchaseAt: string | null };
};

export type CompanyInput = {
  name?: string;
  industry?: string | null;
  size?: CompanySize | null;
  website?: string | null;
  address?: Address;
  phones?: string[];
  ownerId?: string | null;
  tagIds?: string[];
  customFields?: CustomValues;
  contractEndsOn?: string | null;
  force?: boolean;
};

export type CompanyDuplicate = { id: string | null; name: string | null; matchedOn: ('domain' | 'name')[]; visible: boolean };
export type CompanyFilters = { q?: string; archived?: string; deleted?: string };

export const listCompanies = (filters: CompanyFilters, cursor: string | undefined, signal: AbortSignal) =>
  api.get<Page<Company>>('/companies', { ...filters, cursor, limit: 50, sort: 'name' }, signal);
export const getCompany = (id: string, signal?: AbortSignal) => api.get<CompanyDetail>(`/companies/${id}`, undefined, signal);
/** The company's history (its own and its people's activities, orders and tickets), newest first. */
export const companyTimelineOf = (id: string, cursor: string | undefined, signal?: AbortSignal) =>
  api.get<Page<TimelineEntry>>(`/companies/${id}/timeline`, { cursor, limit: 20 }, signal);
export const createCompany = (input: CompanyInput) => api.post<CompanyDetail>('/companies', input);
export const updateCompany = (id: string, version: number, input: CompanyInput) => api.patch<CompanyDetail>(`/companies/${id}`, input, version);
export const archiveCompany = (id: string) => api.post<CompanyDetail>(`/companies/${id}/archive`);
export const unarchiveCompany = (id: string) => api.post<CompanyDetail>(`/companies/${id}/unarchive`);
export const deleteCompany = (id: string) => request<CompanyDetail>('DELETE', `/companies/${id}`);
export const restoreCompany = (id: string) => api.post<CompanyDetail>(`/companies/${id}/restore`);

export const listPeople = (signal?: AbortSignal) => api.get<Page<User>>('/users', { limit: 200 }, signal);
export const listTags = (signal?: AbortSignal) => api.get<Page<Tag>>('/tags', undefined, signal);
export const createTag = (name: string) => api.post<Tag>('/tags', { name });

/** The company's open follow-ups (its own and its people's) for the "Open tasks" card. */
export const listOpenTasks = (companyId: string, cursor: string | undefined, signal?: AbortSignal) =>
  api.get<Page<OpenTask>>('/tasks', { companyId, status: 'open', cursor, limit: 20 }, signal);
/** Done, with what happened (If-Match: a task changed meanwhile answers 412 and nothing is written). */
export const completeTask = (task: OpenTask, outcome: string) =>
  request<{ task: OpenTask; next: OpenTask | null }>('POST', `/tasks/${task.id}/complete`, { body: outcome ? { outcome } : {}, ifMatch: task.version });
/** Undo right after "Done" (no If-Match: the version this page holds is already one behind). */
export const reopenTask = (task: OpenTask) => request<OpenTask>('POST', `/tasks/${task.id}/uncomplete`, { body: {} });
