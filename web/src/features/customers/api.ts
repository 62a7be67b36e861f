import { api, request, type Page } from '../../lib/api';
import type { OpenTask } from '../../components/OpenTasks';
import type { CustomValues } from '../../lib/custom-fields';
import type { User } from '../../lib/session';

export const LIFECYCLES = ['lead', 'prospect', 'customer', 'churned', 'other'] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];
export const SOURCES = ['manual', 'form', 'import', 'api', 'referral', 'event', 'social', 'other'] as const;
export type Source = (typeof SOURCES)[number];
export const RFM_SEGMENTS = ['champions', 'loyal', 'potential', 'new', 'at_risk', 'hibernating', 'lost', 'none'] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];
export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];
export const ADDRESS_PARTS = ['country', 'province', 'city', 'district', 'street', 'postcode'] as const;
export type Address = Partial<Record<(typeof ADDRESS_PARTS)[number], string | null>>;

export type Tag = { id: string; name: string; color: string };
export type Consent = { granted: boolean; at: string; source: string } | null;

export type ContactSummary = {
  id: string;
  name: string;
  title: string | null;
  companyId: string | null;
  companyName: string | null;
  emails: string[];
  phones: string[];
  ownerId: string | null;
  lifecycle: Lifecycle;
  source: Source;
  rfmSegment: RfmSegment;
  totalSpent: number;
  orderCount: number;
  lastPurchaseAt: string | null;
  lastContactedAt: string | null;
  address: Address;
  tags: Tag[];
  isArchived: boolean;
  deletedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
};

export type Contact = ContactSummary & {
  givenName: string | null;
  familyName: string | null;
  gender: Gender | null;
  birthday: string | null;
  company: { id: string; name: string } | null;
  owner: { id: string; name: string } | null;
  emailConsent: Consent;
  smsConsent: Consent;
  nationalId: string | null;
  bankAccount: string | null;
  customFields: CustomValues;
  firstPurchaseAt: string | null;
  averageOrderValue: number;
  rfmScore: string | null;
  erasedAt: string | null;
  archivedAt: string | null;
};

export type ContactInput = {
  name?: string;
  givenName?: string | null;
  familyName?: string | null;
  gender?: Gender | null;
  title?: string | null;
  birthday?: string | null;
  companyId?: string | null;
  emails?: string[];
  phones?: string[];
  address?: Address;
  source?: Source;
  lifecycle?: Lifecycle;
  ownerId?: string | null;
  tagIds?: string[];
  emailConsent?: boolean;
  smsConsent?: boolean;
  nationalId?: string | null;
  bankAccount?: string | null;
  customFields?: CustomValues;
  force?: boolean;
};

export type Duplicate = { id: string | null; name: string | null; matchedOn: ('email' | 'phone' | 'name_company')[]; visible: boolean };

/** The customer list's filters in their query-string form: what the URL, segments and bulk actions share. */
export type Filters = Record<string, string>;
/** The same filters in a JSON body (segments, bulk actions): custom fields as `custom: { key: value }`. */
export type FilterBody = Record<string, string | Record<string, string>>;

export const listContacts = (filters: Filters, sort: string, cursor: string | undefined, signal?: AbortSignal) =>
  api.get<Page<ContactSummary>>('/contacts', { ...filters, sort, cursor, limit: 50 }, signal);
/** `more`: a search matched further customers than the list reads (the newest are shown). */
export const countContacts = (filters: Filters, signal?: AbortSignal) => api.get<{ count: number; more: boolean }>('/contacts/count', filters, signal);
export const getContact = (id: string, signal?: AbortSignal) => api.get<Contact>(`/contacts/${id}`, undefined, signal);
export const createContact = (input: ContactInput) => api.post<Contact>('/contacts', input);
export const updateContact = (id: string, version: number, input: ContactInput) => api.patch<Contact>(`/contacts/${id}`, input, version);
export const findDuplicates = (probe: { email?: string; phone?: string; excludeId: string }, signal?: AbortSignal) =>
  api.get<{ items: Duplicate[] }>('/contacts/duplicates', probe, signal);
export const archiveContact = (id: string) => api.post<Contact>(`/contacts/${id}/archive`);
export const unarchiveContact = (id: string) => api.post<Contact>(`/contacts/${id}/unarchive`);
export const deleteContact = (id: string) => request<Contact>('DELETE', `/contacts/${id}`);
export const restoreContact = (id: string) => api.post<Contact>(`/contacts/${id}/restore`);
export const eraseContact = (id: string) => api.post<Contact>(`/contacts/${id}/erase`);
/** The surviving record is the one in the path; its version guards against a stale merge screen. */
export const mergeContacts = (targetId: string, targetVersion: number, sourceId: string) =>
  request<Contact>('POST', `/contacts/${targetId}/merge`, { body: { sourceId }, ifMatch: targetVersion });
export const exportUrl = (id: string) => `/api/v1/contacts/${id}/export`;

export const BULK_ACTIONS = ['tag', 'untag', 'assign', 'lifecycle', 'archive', 'unarchive', 'delete', 'restore'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
export type BulkInput = { action: BulkAction; ids?: string[]; filter?: FilterBody; tagIds?: string[]; ownerId?: string | null; lifecycle?: Lifecycle };
export type BulkResult = { matched: number; updated: number; skipped: number } | { jobId: string; status: 'queued'; matched: number; skipped: number };
export type Job = { id: string; status: 'queued' | 'running' | 'done' | 'failed'; total: number; processed: number; updated: number; skipped: number; error: string | null };
export const runBulk = (input: BulkInput) => api.post<BulkResult>('/contacts/bulk', input);
export const getJob = (id: string, signal?: AbortSignal) => api.get<Job>(`/jobs/${id}`, undefined, signal);

export type Segment = { id: string; name: string; filters: FilterBody; isShared: boolean; isMine: boolean; canEdit: boolean; count: number | null; version: number };
export const listSegments = (signal?: AbortSignal) => api.get<Page<Segment>>('/segments', { limit: 200 }, signal);
export const createSegment = (input: { name: string; filters: FilterBody; isShared: boolean }) => api.post<Segment>('/segments', input);
export const updateSegment = (segment: Segment, changes: { name?: string; filters?: FilterBody; isShared?: boolean }) => api.patch<Segment>(`/segments/${segment.id}`, changes, segment.version);
export const deleteSegment = (id: string) => api.del(`/segments/${id}`);

export const listTags = (signal?: AbortSignal) => api.get<Page<Tag>>('/tags', undefined, signal);
export const createTag = (name: string) => api.post<Tag>('/tags', { name });
export const listPeople = (signal?: AbortSignal) => api.get<Page<User>>('/users', { limit: 200 }, signal);
export type Team = { id: string; name: string };
export const listTeams = (signal?: AbortSignal) => api.get<Page<Team>>('/teams', undefined, signal);
export type CompanyRef = { id: string; name: string };
export const searchCompanies = (q: string, signal?: AbortSignal) => api.get<Page<CompanyRef>>('/companies', { q: q || undefined, limit: 200, sort: 'name' }, signal);

// ── history ──────────────────────────────────────────────────────────────────────────────

export const LOGGED_ACTIVITY_TYPES = ['note', 'call', 'email', 'meeting', 'visit', 'complaint'] as const;
export type ActivityType = (typeof LOGGED_ACTIVITY_TYPES)[number] | 'system';
export type Activity = {
  id: string;
  type: ActivityType;
  contactId: string | null;
  companyId: string | null;
  subject: string | null;
  body: string | null;
  outcome: string | null;
  occurredAt: string;
  userId: string | null;
  meta: Record<string, unknown> | null;
  summary: string | null;
  createdAt: string;
};
export const ORDER_STATUSES = ['pending', 'paid', 'fulfilled', 'cancelled', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type Order = { id: string; contactId: string | null; companyId: string | null; number: string | null; status: OrderStatus; orderedAt: string; currency: string; total: number; note: string | null; version: number };
export type OrderItem = { id: string; productId: string | null; name: string; quantity: number; unitPrice: number; amount: number };
export type OrderWithItems = Order & { items: OrderItem[] };
export const TICKET_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export type TicketKind = 'request' | 'complaint';
export type Ticket = {
  id: string;
  contactId: string | null;
  kind: TicketKind;
  subject: string;
  description: string | null;
  status: TicketStatus;
  priority: TicketPriority;
  resolution: string | null;
  ownerId: string | null;
  openedAt: string;
  resolvedAt: string | null;
  timeToResolveSeconds: number | null;
  version: number;
};

export type TimelineEntry =
  | { key: string; kind: 'activity'; at: string; activity: Activity }
  | { key: string; kind: 'order'; at: string; order: Order }
  | { key: string; kind: 'ticket_opened' | 'ticket_resolved'; at: string; ticket: Ticket };

export const timelineOf = (id: string, cursor: string | undefined, signal?: AbortSignal) => api.get<Page<TimelineEntry>>(`/contacts/${id}/timeline`, { cursor, limit: 20 }, signal);
export const createActivity = (input: { type: (typeof LOGGED_ACTIVITY_TYPES)[number]; contactId: string; subject?: string | null; body?: string | null; outcome?: string | null; occurredAt?: string }) =>
  api.post<Activity>('/activities', input);

export const listOrders = (contactId: string, cursor: string | undefined, signal?: AbortSignal) => api.get<Page<Order>>('/orders', { contactId, cursor, limit: 20 }, signal);
export const getOrder = (id: string, signal?: AbortSignal) => api.get<OrderWithItems>(`/orders/${id}`, undefined, signal);
export type OrderInput = { contactId: string; status: OrderStatus; orderedAt?: string; note?: string | null; items: { productId?: string; name?: string; quantity: number; unitPrice?: number }[] };
export const createOrder = (input: OrderInput) => api.post<OrderWithItems>('/orders', input);

export type Product = { id: string; name: string; sku: string | null; series: string | null; unitPrice: number; currency: string; isActive: boolean };
export const searchProducts = (q: string, signal?: AbortSignal) => api.get<Page<Product>>('/products', { q: q || undefined, isActive: 'true', limit: 50 }, signal);

export const listTickets = (contactId: string, cursor: string | undefined, signal?: AbortSignal) => api.get<Page<Ticket>>('/tickets', { contactId, cursor, limit: 20 }, signal);
export const createTicket = (input: { contactId: string; kind: TicketKind; subject: string; description?: string | null; priority: TicketPriority }) => api.post<Ticket>('/tickets', input);
export const updateTicket = (ticket: Ticket, changes: { status?: TicketStatus; resolution?: string | null }) => api.patch<Ticket>(`/tickets/${ticket.id}`, changes, ticket.version);

export type CustomerRules = { churnAfterDays: number; rfm: { recencyDays: number[]; frequency: number[]; monetary: number[] } };
export const getCustomerRules = (signal?: AbortSignal) => api.get<CustomerRules>('/settings/customer-rules', undefined, signal);
export const putCustomerRules = (rules: CustomerRules) => request<CustomerRules>('PUT', '/settings/customer-rules', { body: rules });

/** The customer's open follow-ups for the "Open tasks" card (the tasks area has the full task). */
export const listOpenTasks = (contactId: string, cursor: string | undefined, signal?: AbortSignal) =>
  api.get<Page<OpenTask>>('/tasks', { contactId, status: 'open', cursor, limit: 20 }, signal);
/** Done, with what happened (If-Match: a task changed meanwhile answers 412 and nothing is written). */
export const completeTask = (task: OpenTask, outcome: string) =>
  request<{ task: OpenTask; next: OpenTask | null }>('POST', `/tasks/${task.id}/complete`, { body: outcome ? { outcome } : {}, ifMatch: task.version });
/** Undo right after "Done" (no If-Match: the version this page holds is already one behind). */
export const reopenTask = (task: OpenTask) => request<OpenTask>('POST', `/tasks/${task.id}/uncomplete`, { body: {} });
