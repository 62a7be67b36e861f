import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { recordColumns } from './columns';

export type { CustomValues } from './columns';
// Later areas keep their tables in their own files (one owner per file); drizzle-kit reads them
// through these re-exports.
export * from './tables/notifications';
export * from './tables/pipeline';
export * from './tables/leads';
export * from './tables/followups';

// Times are UTC ISO-8601 strings; time zones are applied at the edges (UI, emails, schedules).
const createdAt = () => text('created_at').notNull();
const updatedAt = () => text('updated_at').notNull();

export const workspaces = sqliteTable('workspaces', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  currency: text('currency').notNull().default('CNY'),
  timezone: text('timezone').notNull().default('Asia/Shanghai'),
  locale: text('locale').notNull().default('zh-CN'),
  defaultCountry: text('default_country').notNull().default('CN'),
  accentColor: text('accent_color').notNull().default('#4f46e5'),
  version: integer('version').notNull().default(1),
  /**
   * Bumped by triggers on every change to the workspace's custom field definitions. Read with the
   * session, it tells an isolate whether its cached definitions are current (no extra round trip).
   */
  customFieldsVersion: integer('custom_fields_version').notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const ROLES = ['owner', 'admin', 'manager', 'rep', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash'),
    role: text('role', { enum: ROLES }).notNull(),
    teamId: text('team_id'),
    locale: text('locale'),
    timezone: text('timezone'),
    isActive: integer('is_active', { mode: 'boolean' }).notNull().default(true),
    totpSecret: text('totp_secret'),
    /** The last 30-second step a TOTP code was accepted for: a code works once. */
    totpLastStep: integer('totp_last_step'),
    lastLoginAt: text('last_login_at'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // One person, one workspace: login is by email alone, so emails are unique across workspaces.
    uniqueIndex('users_email_unique').on(t.email),
    index('users_workspace_idx').on(t.workspaceId, t.teamId),
  ],
);

export const teams = sqliteTable(
  'teams',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id),
    name: text('name').notNull(),
    managerId: text('manager_id'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('teams_workspace_name_unique').on(t.workspaceId, t.name)],
);

export const sessions = sqliteTable(
  'sessions',
  {
    // SHA-256 of the cookie token: a leaked table does not yield usable sessions.
    id: text('id').primaryKey(),
    userId: text('user_id').notNull().references(() => users.id),
    workspaceId: text('workspace_id').notNull(),
    expiresAt: text('expires_at').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    lastSeenAt: text('last_seen_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const invitations = sqliteTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id),
    email: text('email').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    teamId: text('team_id'),
    tokenHash: text('token_hash').notNull(),
    invitedBy: text('invited_by').notNull(),
    expiresAt: text('expires_at').notNull(),
    acceptedAt: text('accepted_at'),
    revokedAt: text('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('invitations_token_unique').on(t.tokenHash), index('invitations_workspace_idx').on(t.workspaceId)],
);

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    scopes: text('scopes', { mode: 'json' }).$type<string[]>().notNull(),
    createdBy: text('created_by').notNull(),
    lastUsedAt: text('last_used_at'),
    expiresAt: text('expires_at'),
    revokedAt: text('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('api_keys_hash_unique').on(t.keyHash), index('api_keys_workspace_idx').on(t.workspaceId)],
);

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    actorType: text('actor_type', { enum: ['user', 'api_key', 'system', 'anonymous'] }).notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    recordType: text('record_type'),
    recordId: text('record_id'),
    changes: text('changes', { mode: 'json' }).$type<Record<string, { before?: unknown; after?: unknown }>>(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    requestId: text('request_id'),
    createdAt: createdAt(),
  },
  (t) => [
    index('audit_workspace_time_idx').on(t.workspaceId, t.createdAt),
    index('audit_record_idx').on(t.workspaceId, t.recordType, t.recordId),
  ],
);

export const OUTBOX_STATUSES = ['queued', 'sent', 'kept', 'failed'] as const;

export const outbox = sqliteTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id'),
    kind: text('kind').notNull(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body'),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull(),
    transport: text('transport').notNull(),
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    createdAt: createdAt(),
    sentAt: text('sent_at'),
  },
  (t) => [index('outbox_workspace_time_idx').on(t.workspaceId, t.createdAt)],
);

export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').primaryKey(),
  count: integer('count').notNull(),
  resetAt: integer('reset_at').notNull(),
});

export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    workspaceId: text('workspace_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    status: integer('status').notNull(),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.key] })],
);

export const usedTokens = sqliteTable('used_tokens', {
  jti: text('jti').primaryKey(),
  expiresAt: text('expires_at').notNull(),
});

// ── Customers 360 ────────────────────────────────────────────────────────────────────────────

export const LIFECYCLE_STAGES = ['lead', 'prospect', 'customer', 'churned', 'other'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];
export const CONTACT_SOURCES = ['manual', 'form', 'import', 'api', 'referral', 'event', 'social', 'other'] as const;
export const RFM_SEGMENTS = ['champions', 'loyal', 'potential', 'new', 'at_risk', 'hibernating', 'lost', 'none'] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

export type Address = {
  country?: string | null;
  province?: string | null;
  city?: string | null;
  district?: string | null;
  street?: string | null;
  postcode?: string | null;
};
export type Consent = { granted: boolean; at: string; source: string };

// Companies, contacts and deals also have a `tags_json` column that only triggers write (migration
// 0019; read through `tagsJsonColumn`), and contacts feed the search index through triggers (0002).
// Neither is visible here. A migration that rebuilds one of these tables (drizzle-kit does, for
// some column changes) must carry `tags_json` over and re-create the table's triggers.
export const companies = sqliteTable(
  'companies',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id),
    name: text('name').notNull(),
    industry: text('industry'),
    size: text('size'),
    website: text('website'),
    domain: text('domain'),
    phones: text('phones', { mode: 'json' }).$type<string[]>().notNull().default([]),
    address: text('address', { mode: 'json' }).$type<Address>().notNull().default({}),
    contractEndsOn: text('contract_ends_on'),
    ...recordColumns(),
  },
  (t) => [
    index('companies_ws_name_idx').on(t.workspaceId, t.name),
    index('companies_ws_domain_idx').on(t.workspaceId, t.domain),
    index('companies_ws_owner_idx').on(t.workspaceId, t.ownerId, t.updatedAt),
    // Partial indexes: the nightly purge and merge lookups read only the few rows that qualify.
    index('companies_deleted_idx').on(t.deletedAt).where(sql`${t.deletedAt} is not null`),
    index('companies_merged_into_idx').on(t.mergedIntoId).where(sql`${t.mergedIntoId} is not null`),
  ],
);

export const contacts = sqliteTable(
  'contacts',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id),
    name: text('name').notNull(),
    givenName: text('given_name'),
    familyName: text('family_name'),
    gender: text('gender', { enum: ['female', 'male', 'other', 'unknown'] }),
    title: text('title'),
    birthday: text('birthday'),
    companyId: text('company_id'),
    emails: text('emails', { mode: 'json' }).$type<string[]>().notNull().default([]),
    phones: text('phones', { mode: 'json' }).$type<string[]>().notNull().default([]),
    address: text('address', { mode: 'json' }).$type<Address>().notNull().default({}),
    source: text('source').notNull().default('manual'),
    lifecycle: text('lifecycle', { enum: LIFECYCLE_STAGES }).notNull().default('lead'),
    emailConsent: text('email_consent', { mode: 'json' }).$type<Consent | null>(),
    smsConsent: text('sms_consent', { mode: 'json' }).$type<Consent | null>(),
    // Sensitive fields: AES-GCM ciphertext, and a keyed hash for exact-match search only.
    nationalIdEnc: text('national_id_enc'),
    nationalIdHash: text('national_id_hash'),
    bankAccountEnc: text('bank_account_enc'),
    bankAccountHash: text('bank_account_hash'),
    // Derived from orders (kept current by the orders service), used by filters and RFM.
    totalSpent: integer('total_spent').notNull().default(0),
    orderCount: integer('order_count').notNull().default(0),
    firstPurchaseAt: text('first_purchase_at'),
    lastPurchaseAt: text('last_purchase_at'),
    rfmScore: text('rfm_score'),
    rfmSegment: text('rfm_segment', { enum: RFM_SEGMENTS }).notNull().default('none'),
    lastContactedAt: text('last_contacted_at'),
    erasedAt: text('erased_at'),
    ...recordColumns(),
  },
  (t) => [
    index('contacts_ws_updated_idx').on(t.workspaceId, t.updatedAt),
    index('contacts_ws_owner_idx').on(t.workspaceId, t.ownerId, t.updatedAt),
    index('contacts_ws_name_idx').on(t.workspaceId, t.name),
    index('contacts_ws_company_idx').on(t.workspaceId, t.companyId),
    index('contacts_ws_lifecycle_idx').on(t.workspaceId, t.lifecycle, t.updatedAt),
    index('contacts_ws_national_id_idx').on(t.workspaceId, t.nationalIdHash),
    index('contacts_deleted_idx').on(t.deletedAt).where(sql`${t.deletedAt} is not null`),
    index('contacts_merged_into_idx').on(t.mergedIntoId).where(sql`${t.mergedIntoId} is not null`),
  ],
);

/** Normalized emails and phones of contacts, for duplicate detection and exact lookups. */
export const contactChannels = sqliteTable(
  'contact_channels',
  {
    workspaceId: text('workspace_id').notNull(),
    kind: text('kind', { enum: ['email', 'phone'] }).notNull(),
    value: text('value').notNull(),
    contactId: text('contact_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.kind, t.value, t.contactId] }), index('contact_channels_contact_idx').on(t.contactId)],
);

export const tags = sqliteTable(
  'tags',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id),
    name: text('name').notNull(),
    color: text('color').notNull().default('#64748b'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('tags_ws_name_unique').on(t.workspaceId, t.name)],
);

export const recordTags = sqliteTable(
  'record_tags',
  {
    workspaceId: text('workspace_id').notNull(),
    tagId: text('tag_id').notNull(),
    recordType: text('record_type', { enum: ['contact', 'company', 'deal'] }).notNull(),
    recordId: text('record_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.recordType, t.recordId, t.tagId] }),
    index('record_tags_tag_idx').on(t.workspaceId, t.tagId, t.recordType),
    // The tags of a page of records (`tagsOf`): without it SQLite prefers record_tags_tag_idx on
    // workspace_id alone and reads every tag row of the workspace (see bench/).
    index('record_tags_record_idx').on(t.workspaceId, t.recordType, t.recordId, t.tagId),
  ],
);

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'select', 'multiselect', 'boolean', 'url'] as const;
export const customFieldDefs = sqliteTable(
  'custom_field_defs',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id),
    entity: text('entity', { enum: ['contact', 'company', 'deal'] }).notNull(),
    key: text('key').notNull(),
    label: text('label').notNull(),
    type: text('type', { enum: CUSTOM_FIELD_TYPES }).notNull(),
    options: text('options', { mode: 'json' }).$type<string[]>().notNull().default([]),
    isRequired: integer('is_required', { mode: 'boolean' }).notNull().default(false),
    position: integer('position').notNull().default(0),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('custom_field_defs_key_unique').on(t.workspaceId, t.entity, t.key)],
);

export const ACTIVITY_TYPES = ['note', 'call', 'email', 'meeting', 'visit', 'complaint', 'system'] as const;
export const activities = sqliteTable(
  'activities',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    type: text('type', { enum: ACTIVITY_TYPES }).notNull(),
    contactId: text('contact_id'),
    companyId: text('company_id'),
    dealId: text('deal_id'),
    subject: text('subject'),
    body: text('body'),
    outcome: text('outcome'),
    occurredAt: text('occurred_at').notNull(),
    userId: text('user_id'),
    meta: text('meta', { mode: 'json' }).$type<Record<string, unknown>>(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    deletedAt: text('deleted_at'),
  },
  (t) => [
    index('activities_contact_time_idx').on(t.contactId, t.occurredAt),
    index('activities_company_time_idx').on(t.companyId, t.occurredAt),
    index('activities_ws_time_idx').on(t.workspaceId, t.occurredAt),
  ],
);

export const products = sqliteTable(
  'products',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id),
    name: text('name').notNull(),
    sku: text('sku'),
    series: text('series'),
    unitPrice: integer('unit_price').notNull(),
    currency: text('currency').notNull(),
    isActive: integer('is_active', { mode: 'boolean' }).notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('products_ws_name_unique').on(t.workspaceId, t.name)],
);

export const ORDER_STATUSES = ['pending', 'paid', 'fulfilled', 'cancelled', 'refunded'] as const;
export const orders = sqliteTable(
  'orders',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    contactId: text('contact_id'),
    companyId: text('company_id'),
    number: text('number'),
    status: text('status', { enum: ORDER_STATUSES }).notNull(),
    orderedAt: text('ordered_at').notNull(),
    currency: text('currency').notNull(),
    total: integer('total').notNull(),
    note: text('note'),
    createdBy: text('created_by'),
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    deletedAt: text('deleted_at'),
  },
  (t) => [index('orders_contact_idx').on(t.contactId, t.orderedAt), index('orders_company_idx').on(t.companyId, t.orderedAt), index('orders_ws_time_idx').on(t.workspaceId, t.orderedAt)],
);

export const orderItems = sqliteTable(
  'order_items',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    productId: text('product_id'),
    name: text('name').notNull(),
    quantity: integer('quantity').notNull(),
    unitPrice: integer('unit_price').notNull(),
  },
  (t) => [index('order_items_order_idx').on(t.orderId)],
);

export const TICKET_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const;
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const tickets = sqliteTable(
  'tickets',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    contactId: text('contact_id'),
    companyId: text('company_id'),
    kind: text('kind', { enum: ['request', 'complaint'] }).notNull(),
    subject: text('subject').notNull(),
    description: text('description'),
    status: text('status', { enum: TICKET_STATUSES }).notNull(),
    priority: text('priority', { enum: TICKET_PRIORITIES }).notNull(),
    resolution: text('resolution'),
    ownerId: text('owner_id'),
    openedAt: text('opened_at').notNull(),
    resolvedAt: text('resolved_at'),
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    deletedAt: text('deleted_at'),
  },
  (t) => [index('tickets_contact_idx').on(t.contactId, t.openedAt), index('tickets_ws_status_idx').on(t.workspaceId, t.status), index('tickets_company_idx').on(t.companyId, t.openedAt)],
);

export const segments = sqliteTable(
  'segments',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id),
    entity: text('entity', { enum: ['contact', 'company'] }).notNull(),
    name: text('name').notNull(),
    filters: text('filters', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    isShared: integer('is_shared', { mode: 'boolean' }).notNull().default(false),
    ownerId: text('owner_id').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('segments_ws_idx').on(t.workspaceId, t.entity)],
);

/** Workspace-tunable rules: RFM thresholds, churn after N days without a purchase. */
export type CustomerRules = {
  churnAfterDays: number;
  rfm: { recencyDays: [number, number, number, number]; frequency: [number, number, number, number]; monetary: [number, number, number, number] };
};

export const workspaceSettings = sqliteTable('workspace_settings', {
  workspaceId: text('workspace_id').primaryKey().references(() => workspaces.id),
  customerRules: text('customer_rules', { mode: 'json' }).$type<CustomerRules>(),
  updatedAt: text('updated_at').notNull(),
});

/** One searchable document per contact and per note-bearing activity (maintained by triggers). */
export const searchDocs = sqliteTable(
  'search_docs',
  {
    id: integer('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    contactId: text('contact_id').notNull(),
    source: text('source').notNull(),
    body: text('body').notNull(),
  },
  (t) => [uniqueIndex('search_docs_source_unique').on(t.source), index('search_docs_contact_idx').on(t.contactId)],
);

/**
 * Every consent decision ever taken (email/SMS marketing), so that the history survives later
 * changes, merges and erasure. The contact row keeps only the current decision per channel.
 */
export const CONSENT_CHANNELS = ['email', 'sms'] as const;
export const consentEvents = sqliteTable(
  'consent_events',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    contactId: text('contact_id').notNull(),
    channel: text('channel', { enum: CONSENT_CHANNELS }).notNull(),
    granted: integer('granted', { mode: 'boolean' }).notNull(),
    source: text('source').notNull(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    occurredAt: text('occurred_at').notNull(),
  },
  (t) => [index('consent_events_contact_idx').on(t.contactId, t.occurredAt)],
);

/** Progress of long background work (bulk actions, imports…) that the UI polls. */
export const JOB_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export const jobs = sqliteTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    type: text('type').notNull(),
    status: text('status', { enum: JOB_STATUSES }).notNull(),
    total: integer('total').notNull().default(0),
    processed: integer('processed').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
    error: text('error'),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    finishedAt: text('finished_at'),
  },
  (t) => [index('jobs_ws_time_idx').on(t.workspaceId, t.createdAt)],
);

/** One row per finished chunk of a job: a redelivered queue message finds its chunk done. */
export const jobChunks = sqliteTable(
  'job_chunks',
  {
    jobId: text('job_id').notNull(),
    chunk: integer('chunk').notNull(),
    updated: integer('updated').notNull(),
    doneAt: text('done_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.chunk] })],
);
