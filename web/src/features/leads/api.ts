import { api, request, type Page } from '../../lib/api';

const del = (path: string, version: number) => request<void>('DELETE', path, { ifMatch: version });

// ── forms ────────────────────────────────────────────────────────────────────────────────────
export const FIELD_TYPES = ['text', 'email', 'tel', 'textarea', 'select', 'checkbox', 'hidden'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export const CONTACT_TARGETS = ['contact.name', 'contact.givenName', 'contact.familyName', 'contact.email', 'contact.phone', 'contact.title', 'contact.city', 'company.name', 'note', 'none'] as const;
export type FieldTarget = (typeof CONTACT_TARGETS)[number] | `custom.${string}`;

export type FormField = { name: string; label: string; type: FieldType; mapTo: FieldTarget; required: boolean; options?: string[] };

export type OwnerRule =
  | { kind: 'none' }
  | { kind: 'fixed'; userId: string }
  | { kind: 'round_robin'; teamId: string }
  | { kind: 'field_match'; field: string; map: Record<string, string>; fallback?: OwnerRule | null };

export const SCORING_KINDS = ['field_equals', 'field_present', 'utm_source', 'utm_medium', 'utm_campaign', 'source', 'repeat'] as const;
export type ScoringKind = (typeof SCORING_KINDS)[number];
export type ScoringRule =
  | { when: 'field_equals'; field: string; value: string; points: number }
  | { when: 'field_present'; field: string; points: number }
  | { when: 'utm_source' | 'utm_medium' | 'utm_campaign'; value: string; points: number }
  | { when: 'source'; value: 'form' | 'hook'; points: number }
  | { when: 'repeat'; points: number };

/** What a form and an inbound hook source share: where their leads go and how they are scored. */
export type Routing = {
  ownerRule: OwnerRule;
  pipelineId: string | null;
  createDeal: boolean;
  tagIds: string[];
  notifyUserIds: string[];
  scoringRules: ScoringRule[];
};

export type FormInput = Routing & {
  name: string;
  locale: 'zh-CN' | 'en';
  fields: FormField[];
  consentText: string | null;
  consentRequired: boolean;
  thankYouUrl: string | null;
  thankYouMessage: string | null;
  allowedOrigins: string[];
  ackEmail: boolean;
  turnstile: boolean;
  turnstileSiteKey: string | null;
  minFillSeconds: number;
  ipLimitPerMinute: number;
  formLimitPerMinute: number;
  isActive: boolean;
};

export type Form = FormInput & {
  id: string;
  key: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  publicUrl: string;
  embedSnippet: string;
  submissionCount?: number;
};

export const listForms = (signal?: AbortSignal) => api.get<Page<Form>>('/forms', { limit: 200 }, signal);
export const getForm = (id: string, signal?: AbortSignal) => api.get<Form>(`/forms/${id}`, undefined, signal);
export const createForm = (input: FormInput) => api.post<Form>('/forms', input);
export const updateForm = (id: string, input: Partial<FormInput>, version: number) => api.patch<Form>(`/forms/${id}`, input, version);
export const deleteForm = (id: string, version: number) => del(`/forms/${id}`, version);
export const rotateFormKey = (id: string) => api.post<Form>(`/forms/${id}/rotate-key`);

// ── leads ────────────────────────────────────────────────────────────────────────────────────
export type LeadStatus = 'new' | 'qualified' | 'converted' | 'spam';
export type Attribution = {
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  utmTerm: string | null;
  utmContent: string | null;
  referrer: string | null;
  landingPage: string | null;
};

export type Lead = Attribution & {
  id: string;
  status: LeadStatus;
  source: 'form' | 'hook';
  formId: string | null;
  formName: string | null;
  hookSourceId: string | null;
  ownerId: string | null;
  ownerName: string | null;
  score: number;
  submissionCount: number;
  contact: { id: string; name: string; emails: string[]; phones: string[]; lifecycle: string } | null;
  dealId: string | null;
  qualifiedAt: string | null;
  convertedAt: string | null;
  assignedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
};

export type SubmissionStatus = 'received' | 'processing' | 'processed' | 'failed' | 'spam';
export type Conflict = { field: string; existing: unknown; submitted: unknown };
export type Submission = Attribution & {
  id: string;
  channel: 'form' | 'hook';
  formId: string | null;
  hookSourceId: string | null;
  status: SubmissionStatus;
  payload: Record<string, unknown>;
  headers: Record<string, string>;
  attempts: number;
  lastError: string | null;
  spamReason: string | null;
  contactId: string | null;
  leadId: string | null;
  outcome: 'created' | 'attached' | null;
  conflicts: Conflict[];
  score: number | null;
  /** Why the score is what it is, e.g. `+20 budget=high`. */
  scoreReasons?: string[];
  consentText: string | null;
  consentGranted: boolean | null;
  receivedAt: string;
  processedAt: string | null;
};

export type LeadDetail = Lead & { submissions: Submission[] };
/** Badge counts; `spam` counts spam submissions (marking a lead as spam moves its submissions there). */
export type LeadCounts = { new: number; mine: number; attention: number; spam: number };

export const listLeads = (query: { view?: 'new' | 'mine' | 'all'; status?: LeadStatus; cursor?: string }, signal?: AbortSignal) =>
  api.get<Page<Lead>>('/leads', { limit: 50, ...query }, signal);
export const leadCounts = (signal?: AbortSignal) => api.get<LeadCounts>('/leads/counts', undefined, signal);
export const getLead = (id: string, signal?: AbortSignal) => api.get<LeadDetail>(`/leads/${id}`, undefined, signal);
export const claimLead = (id: string) => api.post<Lead>(`/leads/${id}/claim`);
export const assignLead = (id: string, ownerId: string) => api.post<Lead>(`/leads/${id}/assign`, { ownerId });
export const qualifyLead = (id: string) => api.post<Lead>(`/leads/${id}/qualify`);
export type ConvertInput = { customer?: boolean; deal?: { pipelineId?: string; stageId?: string; name?: string; amount?: number; currency?: string } };
export const convertLead = (id: string, input: ConvertInput) => api.post<Lead>(`/leads/${id}/convert`, input);
export const markLeadSpam = (id: string) => api.post<Lead>(`/leads/${id}/spam`);
export const markLeadNotSpam = (id: string) => api.post<Lead>(`/leads/${id}/not-spam`);

export const listSubmissions = (query: { status: SubmissionStatus; cursor?: string }, signal?: AbortSignal) =>
  api.get<Page<Submission>>('/lead-submissions', { limit: 50, ...query }, signal);
export const retrySubmission = (id: string) => api.post<Submission>(`/lead-submissions/${id}/retry`);
export const submissionNotSpam = (id: string) => api.post<Submission>(`/lead-submissions/${id}/not-spam`);
export const submissionSpam = (id: string) => api.post<Submission>(`/lead-submissions/${id}/spam`);

// ── lead-source report ───────────────────────────────────────────────────────────────────────
export type ReportBy = 'source' | 'campaign' | 'form';
export type ReportRow = { key: string; label: string; leads: number; customers: number; deals: number; customerRate: number | null; dealRate: number | null };
export const leadSourceReport = (query: { by: ReportBy; from?: string; to?: string }, signal?: AbortSignal) =>
  api.get<{ by: ReportBy; rows: ReportRow[] }>('/leads/report', query, signal);

// ── inbound hook sources ─────────────────────────────────────────────────────────────────────
export type HookSourceInput = Routing & { name: string; fieldMapping: Record<string, string>; isActive: boolean };
export type HookSource = HookSourceInput & { id: string; key: string; url: string; version: number; createdAt: string; updatedAt: string };
export const listHookSources = (signal?: AbortSignal) => api.get<Page<HookSource>>('/hook-sources', { limit: 200 }, signal);
export const createHookSource = (input: HookSourceInput) => api.post<HookSource & { secret: string }>('/hook-sources', input);
export const updateHookSource = (id: string, input: Partial<HookSourceInput>, version: number) => api.patch<HookSource>(`/hook-sources/${id}`, input, version);
export const deleteHookSource = (id: string, version: number) => del(`/hook-sources/${id}`, version);
export const rotateHookSecret = (id: string) => api.post<HookSource & { secret: string }>(`/hook-sources/${id}/rotate-secret`);

// ── outgoing webhooks ────────────────────────────────────────────────────────────────────────
export const WEBHOOK_EVENTS = ['lead.created', 'contact.created', 'contact.updated', 'deal.stage_changed', 'deal.won', 'deal.lost'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export type WebhookInput = { url: string; description: string | null; events: WebhookEvent[]; isActive: boolean };
export type Webhook = WebhookInput & { id: string; version: number; createdAt: string };
export type Delivery = {
  id: string;
  event: string;
  eventKey: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  responseStatus: number | null;
  responseBody: string | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  payload: unknown;
};
export const listWebhooks = (signal?: AbortSignal) => api.get<Page<Webhook>>('/webhooks', { limit: 200 }, signal);
export const createWebhook = (input: WebhookInput) => api.post<Webhook & { secret: string }>('/webhooks', input);
export const updateWebhook = (id: string, input: Partial<WebhookInput>, version: number) => api.patch<Webhook>(`/webhooks/${id}`, input, version);
export const deleteWebhook = (id: string, version: number) => del(`/webhooks/${id}`, version);
export const rotateWebhookSecret = (id: string) => api.post<Webhook & { secret: string }>(`/webhooks/${id}/rotate-secret`);
export const listDeliveries = (id: string, cursor: string | undefined, signal?: AbortSignal) =>
  api.get<Page<Delivery>>(`/webhooks/${id}/deliveries`, { limit: 50, cursor }, signal);
export const replayDelivery = (deliveryId: string) => api.post<Delivery>(`/webhooks/deliveries/${deliveryId}/replay`);

// ── look-ups: people, teams, tags, pipelines, custom fields ─────────────────────────────────
export type Person = { id: string; name: string; email: string; role: string; isActive: boolean };
export type Team = { id: string; name: string };
export type Tag = { id: string; name: string; color: string };
export type Pipeline = { id: string; name: string; isDefault?: boolean; stages: { id: string; name: string; kind: 'open' | 'won' | 'lost' }[] };
export const listPeople = (signal?: AbortSignal) => api.get<Page<Person>>('/users', { limit: 200 }, signal);
export const listTeams = (signal?: AbortSignal) => api.get<Page<Team>>('/teams', undefined, signal);
export const listTags = (signal?: AbortSignal) => api.get<Page<Tag>>('/tags', { limit: 200 }, signal);
export const listPipelines = (signal?: AbortSignal) => api.get<{ items: Pipeline[] }>('/pipelines', undefined, signal);
