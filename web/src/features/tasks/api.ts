import { api, request, type Page } from '../../lib/api';
import type { User } from '../../lib/session';

export const TASK_TYPES = ['call', 'email', 'visit', 'meeting', 'todo'] as const;
export type TaskType = (typeof TASK_TYPES)[number];
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** A task as the API sends it: `dueAt` is an instant (UTC), `dueDate` an all-day local date; at most one is set. */
export type Task = {
  id: string;
  title: string;
  type: TaskType;
  dueAt: string | null;
  dueDate: string | null;
  timezone: string;
  reminderOffsets: number[];
  ownerId: string | null;
  contactId: string | null;
  companyId: string | null;
  dealId: string | null;
  contactName: string | null;
  companyName: string | null;
  dealName?: string | null;
  priority: Priority;
  notes: string | null;
  doneAt: string | null;
  outcome: string | null;
  recurrence: string | null;
  seriesId: string | null;
  isOverdue: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
};

export type TaskInput = {
  title?: string;
  type?: TaskType;
  dueAt?: string | null;
  dueDate?: string | null;
  timezone?: string;
  reminderOffsets?: number[];
  ownerId?: string | null;
  contactId?: string | null;
  companyId?: string | null;
  dealId?: string | null;
  priority?: Priority;
  notes?: string | null;
  recurrence?: string | null;
};

export type TaskFilters = Record<string, string>;

export type MyDay = { timezone: string; today: string; overdue: Task[]; dueToday: Task[]; upcoming: Task[] };

export const listTasks = (filters: TaskFilters, cursor: string | undefined, signal?: AbortSignal) => api.get<Page<Task>>('/tasks', { ...filters, cursor, limit: 50 }, signal);
export const getMyDay = (signal?: AbortSignal) => api.get<MyDay>('/tasks/my-day', undefined, signal);
export const getCalendar = (from: string, to: string, ownerId: string | undefined, signal?: AbortSignal) =>
  api.get<{ timezone: string; items: Task[] }>('/tasks/calendar', { from, to, ownerId }, signal);
export const getTask = (id: string, signal?: AbortSignal) => api.get<Task>(`/tasks/${encodeURIComponent(id)}`, undefined, signal);
export const createTask = (input: TaskInput) => api.post<Task>('/tasks', input);
export const updateTask = (task: Task, input: TaskInput) => api.patch<Task>(`/tasks/${task.id}`, input, task.version);
export const deleteTask = (task: Task) => request<void>('DELETE', `/tasks/${task.id}`, { ifMatch: task.version });
export const completeTask = (task: Task, outcome: string) =>
  request<{ task: Task; next: Task | null }>('POST', `/tasks/${task.id}/complete`, { body: outcome ? { outcome } : {}, ifMatch: task.version });
/** `checkVersion` false for Undo right after completing (the version the view holds is already one behind). */
export const uncompleteTask = (task: Task, checkVersion = true) =>
  request<Task>('POST', `/tasks/${task.id}/uncomplete`, { body: {}, ifMatch: checkVersion ? task.version : undefined });
export const snoozeTask = (task: Task, by: { minutes: number } | { until: string }) => api.post<Task>(`/tasks/${task.id}/snooze`, by);
export const rescheduleTask = (task: Task, due: { dueAt: string } | { dueDate: string }) => request<Task>('POST', `/tasks/${task.id}/reschedule`, { body: due, ifMatch: task.version });

// Names to pick from in the form and the filters (features do not share code, so these few calls live here too).
export type RecordRef = { id: string; name: string };
export const listPeople = (signal?: AbortSignal) => api.get<Page<User>>('/users', { limit: 200 }, signal);
export const searchContacts = (q: string, signal?: AbortSignal) => api.get<Page<RecordRef>>('/contacts', { q: q || undefined, limit: 10 }, signal);
export const searchCompanies = (q: string, signal?: AbortSignal) => api.get<Page<RecordRef>>('/companies', { q: q || undefined, limit: 10, sort: 'name' }, signal);
export const searchDeals = (q: string, signal?: AbortSignal) => api.get<Page<RecordRef>>('/deals', { q: q || undefined, limit: 10 }, signal);
export const getContactRef = (id: string, signal?: AbortSignal) => api.get<RecordRef>(`/contacts/${encodeURIComponent(id)}`, undefined, signal);
export const getCompanyRef = (id: string, signal?: AbortSignal) => api.get<RecordRef>(`/companies/${encodeURIComponent(id)}`, undefined, signal);
export const getDealRef = (id: string, signal?: AbortSignal) => api.get<RecordRef>(`/deals/${encodeURIComponent(id)}`, undefined, signal);

// ── Follow-up settings (admins): data reminders, follow-up plans, dead letters ──────────────

export const RULE_KINDS = ['contract_ending', 'deal_contract_ending', 'no_contact', 'birthday', 'deal_idle'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];
export type ReminderRule = { kind: RuleKind; isEnabled: boolean; days: number; segmentIds: string[] };
export const getReminderRules = (signal?: AbortSignal) => api.get<{ rules: ReminderRule[] }>('/settings/reminders', undefined, signal);
export const saveReminderRules = (rules: ReminderRule[]) => request<{ rules: ReminderRule[] }>('PUT', '/settings/reminders', { body: { rules } });
export const listSegments = (signal?: AbortSignal) => api.get<Page<RecordRef>>('/segments', { limit: 200 }, signal);
export const listTags = (signal?: AbortSignal) => api.get<Page<RecordRef>>('/tags', undefined, signal);

export const CADENCE_TRIGGERS = ['manual', 'lifecycle', 'tag'] as const;
export type CadenceTrigger = (typeof CADENCE_TRIGGERS)[number];
export const STOP_RULES = ['deal_closed', 'archived'] as const;
export type StopRule = (typeof STOP_RULES)[number];
export const LIFECYCLE_STAGES = ['lead', 'prospect', 'customer', 'churned', 'other'] as const;
export type CadenceStep = { id?: string; day: number; taskType: TaskType; title: string; notes?: string | null };
export type Cadence = {
  id: string;
  name: string;
  trigger: CadenceTrigger;
  triggerValue: string | null;
  stopOn: StopRule[];
  isActive: boolean;
  steps: CadenceStep[];
  version: number;
};
export type CadenceInput = Omit<Cadence, 'id' | 'version'>;
export type EnrollmentStatus = 'active' | 'paused' | 'stopped' | 'completed';
export type Enrollment = {
  id: string;
  cadenceId: string;
  cadenceName: string;
  contactId: string;
  contactName?: string | null;
  status: EnrollmentStatus;
  startedOn: string;
  nextStepAt: string | null;
  nextPosition: number | null;
  stoppedReason: string | null;
  version: number;
};

export const listCadences = (signal?: AbortSignal) => api.get<{ items: Cadence[] }>('/cadences', undefined, signal);
export const createCadence = (input: CadenceInput) => api.post<Cadence>('/cadences', input);
export const updateCadence = (cadence: Cadence, input: Partial<CadenceInput>) => api.patch<Cadence>(`/cadences/${cadence.id}`, input, cadence.version);
export const deleteCadence = (cadence: Cadence) => request<void>('DELETE', `/cadences/${cadence.id}`, { ifMatch: cadence.version });
export const enroll = (cadenceId: string, contactId: string) => api.post<Enrollment>(`/cadences/${cadenceId}/enroll`, { contactId });
export const listEnrollments = (cadenceId: string, signal?: AbortSignal) => api.get<{ items: Enrollment[] }>('/cadences/enrollments', { cadenceId }, signal);
export const changeEnrollment = (id: string, action: 'pause' | 'resume' | 'stop') => api.post<Enrollment>(`/cadences/enrollments/${id}/${action}`);

export type DeadLetter = { id: string; jobType: string; jobKey: string; payload: unknown; error: string | null; attempts: number; createdAt: string; retriedAt: string | null };
export const listDeadLetters = (cursor: string | undefined, signal: AbortSignal) => api.get<Page<DeadLetter>>('/dead-letters', { cursor, limit: 50 }, signal);
export const retryDeadLetter = (id: string) => api.post<{ id: string; retriedAt: string }>(`/dead-letters/${id}/retry`);
