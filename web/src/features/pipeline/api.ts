import { api, request, type Page } from '../../lib/api';
import type { OpenTask } from '../../components/OpenTasks';
import type { User } from '../../lib/session';
import type { TimelineEntry } from '../../components/Timeline';

export type StageKind = 'open' | 'won' | 'lost';
export const STAGE_KINDS: StageKind[] = ['open', 'won', 'lost'];
export type Stage = { id: string; pipelineId: string; name: string; position: number; probability: number; kind: StageKind; rottingDays: number | null };
export type Pipeline = { id: string; name: string; position: number; isDefault: boolean; version: number; createdAt: string; updatedAt: string; stages: Stage[] };

export type Deal = {
  id: string;
  pipelineId: string;
  stageId: string;
  status: StageKind;
  name: string;
  contactId: string | null;
  contactName: string | null;
  companyId: string | null;
  companyName: string | null;
  amount: number;
  currency: string;
  expectedCloseOn: string | null;
  source: string | null;
  nextStep: string | null;
  lostReason: string | null;
  wonAt: string | null;
  lostAt: string | null;
  closedAt: string | null;
  contractStartOn: string | null;
  contractEndOn: string | null;
  stageEnteredAt: string;
  lastActivityAt: string;
  probability: number;
  weightedAmount: number;
  rotting: boolean;
  ownerId: string | null;
  ownerName: string | null;
  customFields: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
};
export type DealItem = { id: string; productId: string | null; name: string; quantity: number; unitPrice: number; total: number };
export type DealDetail = Deal & { items: DealItem[] };

export type DealFilters = { ownerId?: string; teamId?: string; closeMonth?: string; source?: string; q?: string };

export type Column = { stage: Stage; count: number; amount: number; weightedAmount: number; deals: Deal[]; nextCursor: string | null };
export type Board = { pipeline: Pipeline; currency: string; columns: Column[] };

export type ItemInput = { productId?: string; name?: string; quantity: number; unitPrice?: number };
export type DealInput = {
  name?: string;
  pipelineId?: string;
  stageId?: string;
  contactId?: string | null;
  companyId?: string | null;
  amount?: number;
  currency?: string;
  expectedCloseOn?: string | null;
  source?: string | null;
  nextStep?: string | null;
  lostReason?: string | null;
  contractStartOn?: string | null;
  contractEndOn?: string | null;
  ownerId?: string | null;
  items?: ItemInput[];
};

export type StageMove = { id: string; fromStageId: string | null; fromStageName: string | null; toStageId: string; toStageName: string; movedBy: string | null; movedByName: string | null; movedAt: string; secondsInPrevious: number | null };
export type DealHistory = { items: StageMove[]; timeInStage: { stageId: string; stageName: string; seconds: number }[] };

// ── pipelines ─────────────────────────────────────────────────────────────────────────────

export const listPipelines = (signal?: AbortSignal) => api.get<{ items: Pipeline[] }>('/pipelines', undefined, signal);
export const createPipeline = (name: string) => api.post<Pipeline>('/pipelines', { name });
export const updatePipeline = (p: Pipeline, changes: { name?: string; isDefault?: boolean }) => api.patch<Pipeline>(`/pipelines/${p.id}`, changes, p.version);
export const deletePipeline = (p: Pipeline) => request<void>('DELETE', `/pipelines/${p.id}`, { ifMatch: p.version });

export type StageInput = { name?: string; probability?: number; kind?: StageKind; rottingDays?: number | null };
export const addStage = (p: Pipeline, input: StageInput) => api.post<Pipeline>(`/pipelines/${p.id}/stages`, input);
export const updateStage = (p: Pipeline, stageId: string, changes: StageInput) => api.patch<Pipeline>(`/pipelines/${p.id}/stages/${stageId}`, changes, p.version);
export const reorderStages = (p: Pipeline, stageIds: string[]) => request<Pipeline>('POST', `/pipelines/${p.id}/stages/reorder`, { body: { stageIds }, ifMatch: p.version });
export const removeStage = (p: Pipeline, stageId: string, moveTo: string | null) =>
  request<Pipeline>('DELETE', `/pipelines/${p.id}/stages/${stageId}`, { query: { moveTo }, ifMatch: p.version });

// ── deals ─────────────────────────────────────────────────────────────────────────────────

/** The first cards of each column; "Show more" reads the next ones from the list. */
export const getBoard = (pipelineId: string | undefined, filters: DealFilters, signal?: AbortSignal) => api.get<Board>('/deals/board', { pipelineId, ...filters, cardsPerStage: 25 }, signal);
export const listDeals = (query: DealFilters & { pipelineId?: string; stageId?: string; status?: string; contactId?: string; companyId?: string }, cursor: string | undefined, signal?: AbortSignal, limit = 50) =>
  api.get<Page<Deal>>('/deals', { ...query, cursor, limit }, signal);
export const getDeal = (id: string, signal?: AbortSignal) => api.get<DealDetail>(`/deals/${id}`, undefined, signal);
export const createDeal = (input: DealInput) => api.post<DealDetail>('/deals', input);
export const updateDeal = (deal: Pick<Deal, 'id' | 'version'>, changes: DealInput) => api.patch<DealDetail>(`/deals/${deal.id}`, changes, deal.version);
export const deleteDeal = (deal: Pick<Deal, 'id' | 'version'>) => request<void>('DELETE', `/deals/${deal.id}`, { ifMatch: deal.version });
export const moveDeal = (deal: Pick<Deal, 'id' | 'version'>, stageId: string, extra: { pipelineId?: string; lostReason?: string } = {}) =>
  request<DealDetail>('POST', `/deals/${deal.id}/move`, { body: { stageId, ...extra }, ifMatch: deal.version });
export const dealHistory = (id: string, signal?: AbortSignal) => api.get<DealHistory>(`/deals/${id}/history`, undefined, signal);
export const dealTimeline = (id: string, cursor: string | undefined, signal?: AbortSignal) => api.get<Page<TimelineEntry>>(`/deals/${id}/timeline`, { cursor, limit: 20 }, signal);
export const bulkReassign = (ids: string[], ownerId: string) => api.post<{ updated: number; skipped: string[] }>('/deals/bulk/reassign', { ids, ownerId });

// ── lookups ───────────────────────────────────────────────────────────────────────────────

export type Team = { id: string; name: string };
export type Product = { id: string; name: string; unitPrice: number; currency: string };
export type Ref = { id: string; name: string };
export const listPeople = (signal?: AbortSignal) => api.get<Page<User>>('/users', { limit: 200 }, signal);
export const listTeams = (signal?: AbortSignal) => api.get<Page<Team>>('/teams', undefined, signal);
export const searchProducts = (q: string, signal?: AbortSignal) => api.get<Page<Product>>('/products', { q: q || undefined, isActive: 'true', limit: 50 }, signal);
export const searchContacts = (q: string, signal?: AbortSignal) => api.get<Page<Ref>>('/contacts', { q: q || undefined, limit: 20 }, signal);
export const searchCompanies = (q: string, signal?: AbortSignal) => api.get<Page<Ref>>('/companies', { q: q || undefined, limit: 20, sort: 'name' }, signal);

// ── assignment rules ──────────────────────────────────────────────────────────────────────

export type RuleBody =
  | { kind: 'fixed'; userId: string }
  | { kind: 'round_robin'; teamId: string }
  | { kind: 'field_match'; field: string; map: Record<string, string>; fallback?: RuleBody | null };
export type AssignmentRule = { id: string; name: string; scopeType: 'pipeline' | 'lead_source'; scopeId: string; kind: RuleBody['kind']; rule: RuleBody; position: number; isActive: boolean; version: number; createdAt: string; updatedAt: string };
export type RuleInput = { name?: string; scopeType?: AssignmentRule['scopeType']; scopeId?: string; rule?: RuleBody; isActive?: boolean };
export const listRules = (signal?: AbortSignal) => api.get<{ items: AssignmentRule[] }>('/assignment-rules', undefined, signal);
export const createRule = (input: RuleInput) => api.post<AssignmentRule>('/assignment-rules', input);
export const updateRule = (r: AssignmentRule, changes: RuleInput) => api.patch<AssignmentRule>(`/assignment-rules/${r.id}`, changes, r.version);
export const deleteRule = (r: AssignmentRule) => request<void>('DELETE', `/assignment-rules/${r.id}`, { ifMatch: r.version });

// ── sample data ───────────────────────────────────────────────────────────────────────────

export type Job = { status: 'queued' | 'running' | 'done' | 'failed'; total: number; processed: number; error: string | null };
export const loadSampleData = () => api.post<{ jobId: string; pipelineId: string }>('/samples/maven-crm', {});
export const getJob = (id: string, signal?: AbortSignal) => api.get<Job>(`/jobs/${id}`, undefined, signal);

/** The deal's open follow-ups for the "Open tasks" card (the tasks area has the full task). */
export const listOpenTasks = (dealId: string, cursor: string | undefined, signal?: AbortSignal) =>
  api.get<Page<OpenTask>>('/tasks', { dealId, status: 'open', cursor, limit: 20 }, signal);
/** Done, with what happened (If-Match: a task changed meanwhile answers 412 and nothing is written). */
export const completeTask = (task: OpenTask, outcome: string) =>
  request<{ task: OpenTask; next: OpenTask | null }>('POST', `/tasks/${task.id}/complete`, { body: outcome ? { outcome } : {}, ifMatch: task.version });
/** Undo right after "Done" (no If-Match: the version this page holds is already one behind). */
export const reopenTask = (task: OpenTask) => request<OpenTask>('POST', `/tasks/${task.id}/uncomplete`, { body: {} });
