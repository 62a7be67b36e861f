import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Tables of the leads area: forms, inbound hook sources, submissions, leads, outgoing webhooks.
// Import column helpers from '../columns', never from '../schema' (schema.ts re-exports this file;
// importing it back would be a cycle).

/** Where a form field's value goes: a contact field, the company name, a custom field, or nowhere (kept on the submission). */
export type FormFieldTarget =
  | 'contact.name'
  | 'contact.givenName'
  | 'contact.familyName'
  | 'contact.email'
  | 'contact.phone'
  | 'contact.title'
  | 'contact.city'
  | 'company.name'
  | `custom.${string}`
  | 'note'
  | 'none';

export type FormField = {
  /** The input's `name` in the posted body. */
  name: string;
  label: string;
  type: 'text' | 'email' | 'tel' | 'textarea' | 'select' | 'checkbox' | 'hidden';
  mapTo: FormFieldTarget;
  required: boolean;
  options?: string[];
};

/** Who a new lead goes to (handed to `pickOwner()` of the assignment module). */
export type OwnerRule =
  | { kind: 'none' }
  | { kind: 'fixed'; userId: string }
  | { kind: 'round_robin'; teamId: string }
  | { kind: 'field_match'; field: string; map: Record<string, string>; fallback?: OwnerRule | null };

/** Points added to a lead's score when a condition holds. */
export type ScoringRule =
  | { when: 'field_equals'; field: string; value: string; points: number }
  | { when: 'field_present'; field: string; points: number }
  | { when: 'utm_source' | 'utm_medium' | 'utm_campaign'; value: string; points: number }
  | { when: 'source'; value: 'form' | 'hook'; points: number }
  | { when: 'repeat'; points: number };

export const SUBMISSION_STATUSES = ['received', 'processing', 'processed', 'failed', 'spam'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];
export const LEAD_STATUSES = ['new', 'qualified', 'converted', 'spam'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** Settings a submission is processed with: shared by forms and inbound hook sources. */
const routingColumns = () => ({
  ownerRule: text('owner_rule', { mode: 'json' }).$type<OwnerRule>().notNull().default({ kind: 'none' }),
  pipelineId: text('pipeline_id'),
  createDeal: integer('create_deal', { mode: 'boolean' }).notNull().default(false),
  tagIds: text('tag_ids', { mode: 'json' }).$type<string[]>().notNull().default([]),
  notifyUserIds: text('notify_user_ids', { mode: 'json' }).$type<string[]>().notNull().default([]),
  scoringRules: text('scoring_rules', { mode: 'json' }).$type<ScoringRule[]>().notNull().default([]),
});

export const forms = sqliteTable(
  'forms',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    /** The public key in `/f/:formKey`. */
    key: text('key').notNull(),
    name: text('name').notNull(),
    /** Language of the hosted page, error page and acknowledgement email. */
    locale: text('locale', { enum: ['zh-CN', 'en'] }).notNull().default('zh-CN'),
    fields: text('fields', { mode: 'json' }).$type<FormField[]>().notNull(),
    consentText: text('consent_text'),
    consentRequired: integer('consent_required', { mode: 'boolean' }).notNull().default(false),
    thankYouUrl: text('thank_you_url'),
    thankYouMessage: text('thank_you_message'),
    allowedOrigins: text('allowed_origins', { mode: 'json' }).$type<string[]>().notNull().default([]),
    ...routingColumns(),
    ackEmail: integer('ack_email', { mode: 'boolean' }).notNull().default(false),
    turnstile: integer('turnstile', { mode: 'boolean' }).notNull().default(false),
    turnstileSiteKey: text('turnstile_site_key'),
    /** Seconds a person needs at least to fill the form; faster posts are treated as bots. 0 turns it off. */
    minFillSeconds: integer('min_fill_seconds').notNull().default(3),
    /** Posts accepted per minute from one address to this form, and in all to this form (429 beyond). */
    ipLimitPerMinute: integer('ip_limit_per_minute').notNull().default(10),
    formLimitPerMinute: integer('form_limit_per_minute').notNull().default(600),
    isActive: integer('is_active', { mode: 'boolean' }).notNull().default(true),
    createdBy: text('created_by'),
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    deletedAt: text('deleted_at'),
  },
  (t) => [uniqueIndex('forms_key_unique').on(t.key), index('forms_ws_idx').on(t.workspaceId, t.createdAt)],
);

/** Server-to-server lead sources (`POST /hooks/:key`, HMAC-signed). */
export const hookSources = sqliteTable(
  'hook_sources',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    key: text('key').notNull(),
    name: text('name').notNull(),
    /** AES-GCM ciphertext of the signing secret (shown once when created or rotated). */
    secretEnc: text('secret_enc').notNull(),
    /** Incoming JSON path (dot separated) → target, like a form field's `mapTo`. */
    fieldMapping: text('field_mapping', { mode: 'json' }).$type<Record<string, FormFieldTarget>>().notNull().default({}),
    ...routingColumns(),
    isActive: integer('is_active', { mode: 'boolean' }).notNull().default(true),
    createdBy: text('created_by'),
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    deletedAt: text('deleted_at'),
  },
  (t) => [uniqueIndex('hook_sources_key_unique').on(t.key), index('hook_sources_ws_idx').on(t.workspaceId)],
);

export type SubmissionConflict = { field: string; existing: unknown; submitted: unknown };
export type Attribution = {
  utmSource?: string | null;
  utmMedium?: string | null;
  utmCampaign?: string | null;
  utmTerm?: string | null;
  utmContent?: string | null;
  referrer?: string | null;
  landingPage?: string | null;
};

/**
 * Every post to a form or hook, stored raw before anything else. `dedupeKey` is unique: a double
 * submit (same Idempotency-Key, same hook delivery id, or the same payload within a short window)
 * finds the first row instead of making a second one.
 */
export const formSubmissions = sqliteTable(
  'form_submissions',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    formId: text('form_id'),
    hookSourceId: text('hook_source_id'),
    channel: text('channel', { enum: ['form', 'hook'] }).notNull(),
    status: text('status', { enum: SUBMISSION_STATUSES }).notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    headers: text('headers', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
    ipHash: text('ip_hash'),
    dedupeKey: text('dedupe_key').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    spamReason: text('spam_reason'),
    contactId: text('contact_id'),
    leadId: text('lead_id'),
    /** What processing did: a new contact, or attached to an existing one. */
    outcome: text('outcome', { enum: ['created', 'attached'] }),
    conflicts: text('conflicts', { mode: 'json' }).$type<SubmissionConflict[]>().notNull().default([]),
    score: integer('score'),
    /** Why the score is what it is ("+10 email", "+20 budget=high"). */
    scoreReasons: text('score_reasons', { mode: 'json' }).$type<string[]>().notNull().default([]),
    consentText: text('consent_text'),
    consentGranted: integer('consent_granted', { mode: 'boolean' }),
    utmSource: text('utm_source'),
    utmMedium: text('utm_medium'),
    utmCampaign: text('utm_campaign'),
    utmTerm: text('utm_term'),
    utmContent: text('utm_content'),
    referrer: text('referrer'),
    landingPage: text('landing_page'),
    /** The lead's owner once routed (null before): the visibility column of submissions. */
    ownerId: text('owner_id'),
    receivedAt: text('received_at').notNull(),
    processedAt: text('processed_at'),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('form_submissions_dedupe_unique').on(t.workspaceId, t.dedupeKey),
    index('form_submissions_ws_status_idx').on(t.workspaceId, t.status, t.receivedAt),
    index('form_submissions_form_idx').on(t.formId, t.receivedAt),
    index('form_submissions_contact_idx').on(t.contactId, t.receivedAt),
    index('form_submissions_stuck_idx').on(t.receivedAt).where(sql`${t.status} in ('received', 'processing')`),
  ],
);

/**
 * A person who came in through a form or hook, until they are worked: claimed or assigned,
 * qualified, converted. One lead per submission that created it (`submissionId` unique, so a
 * redelivered queue message cannot make a second); later submissions of the same person attach to
 * their open lead and raise its score.
 */
export const leads = sqliteTable(
  'leads',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    contactId: text('contact_id').notNull(),
    submissionId: text('submission_id').notNull(),
    lastSubmissionId: text('last_submission_id').notNull(),
    submissionCount: integer('submission_count').notNull().default(1),
    formId: text('form_id'),
    hookSourceId: text('hook_source_id'),
    source: text('source', { enum: ['form', 'hook'] }).notNull(),
    status: text('status', { enum: LEAD_STATUSES }).notNull().default('new'),
    ownerId: text('owner_id'),
    score: integer('score').notNull().default(0),
    utmSource: text('utm_source'),
    utmMedium: text('utm_medium'),
    utmCampaign: text('utm_campaign'),
    utmTerm: text('utm_term'),
    utmContent: text('utm_content'),
    referrer: text('referrer'),
    landingPage: text('landing_page'),
    dealId: text('deal_id'),
    qualifiedAt: text('qualified_at'),
    convertedAt: text('converted_at'),
    assignedAt: text('assigned_at'),
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('leads_submission_unique').on(t.submissionId),
    index('leads_ws_status_idx').on(t.workspaceId, t.status, t.createdAt),
    index('leads_ws_owner_idx').on(t.workspaceId, t.ownerId, t.createdAt),
    index('leads_contact_idx').on(t.contactId, t.status),
  ],
);

/**
 * The people lead processing is creating right now, by normalized email or phone and minute. A new
 * contact's keys are written in its creation batch, for its minute and the next: a second creation
 * of the same person within a minute (two submissions processed at once) breaks the primary key,
 * its batch rolls back, and its retry finds the first contact. Rows older than a day are purged.
 */
export const leadPersonKeys = sqliteTable(
  'lead_person_keys',
  {
    workspaceId: text('workspace_id').notNull(),
    key: text('key').notNull(),
    minute: integer('minute').notNull(),
    submissionId: text('submission_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.key, t.minute] }), index('lead_person_keys_minute_idx').on(t.minute)],
);

export const WEBHOOK_EVENTS = ['lead.created', 'contact.created', 'contact.updated', 'deal.created', 'deal.stage_changed', 'deal.won', 'deal.lost'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const webhookSubscriptions = sqliteTable(
  'webhook_subscriptions',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    url: text('url').notNull(),
    description: text('description'),
    events: text('events', { mode: 'json' }).$type<string[]>().notNull(),
    /** AES-GCM ciphertext of the signing secret (shown once). */
    secretEnc: text('secret_enc').notNull(),
    isActive: integer('is_active', { mode: 'boolean' }).notNull().default(true),
    createdBy: text('created_by'),
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    deletedAt: text('deleted_at'),
  },
  (t) => [index('webhook_subscriptions_ws_idx').on(t.workspaceId)],
);

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

/** One row per event per subscription (unique on the event key): the delivery log and its replay. */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    subscriptionId: text('subscription_id').notNull(),
    event: text('event').notNull(),
    eventKey: text('event_key').notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    responseStatus: integer('response_status'),
    responseBody: text('response_body'),
    lastError: text('last_error'),
    deliveredAt: text('delivered_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_event_unique').on(t.subscriptionId, t.eventKey),
    index('webhook_deliveries_sub_time_idx').on(t.subscriptionId, t.createdAt),
    index('webhook_deliveries_pending_idx').on(t.createdAt).where(sql`${t.status} = 'pending'`),
  ],
);
