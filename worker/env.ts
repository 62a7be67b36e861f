import type { Role } from './db/schema';

/** Bindings and variables of the Worker, as declared in wrangler.toml and .dev.vars. */
export interface Env {
  DB: D1Database;
  FILES: R2Bucket;
  JOBS: Queue<JobMessage>;
  EMAIL?: SendEmail;
  ASSETS?: Fetcher;
  APP_NAME: string;
  MAIL_TRANSPORT: 'outbox' | 'cloudflare' | 'resend' | 'postmark';
  MAIL_FROM: string;
  MAIL_API_KEY?: string;
  SESSION_SECRET?: string;
  FIELD_ENCRYPTION_KEY?: string;
  LIBSQL_URL?: string;
  LIBSQL_AUTH_TOKEN?: string;
  /** Public origin used in emailed links; defaults to the request's origin. */
  APP_URL?: string;
  /** Cloudflare Turnstile secret, for forms that turn Turnstile on (verified server-side). */
  TURNSTILE_SECRET_KEY?: string;
}

/** Every queue message names its job; `key` makes the job's effect idempotent. */
export type JobMessage = { type: string; key: string; payload: Record<string, unknown> };

/**
 * Who is acting: a signed-in user, an API key, or the system (cron, queue). `defaultCountry` is
 * read with the session, so that normalizing a phone number costs no extra query.
 */
export type Actor = {
  defaultCountry?: string;
  /** The workspace's custom field definitions version when the actor was read (see listCustomFields). */
  customFieldsVersion?: number;
} & (
  | {
      type: 'user';
      id: string;
      workspaceId: string;
      role: Role;
      teamId: string | null;
      name: string;
      email: string;
      locale: string | null;
      timezone: string | null;
      sessionId: string;
    }
  | { type: 'api_key'; id: string; workspaceId: string; role: Role; scopes: string[]; teamId: null }
  | { type: 'system'; id: null; workspaceId: string; role: 'owner'; teamId: null }
);

/** Where a change came from; recorded with every audit row. */
export type RequestMeta = { ip: string | null; userAgent: string | null; requestId: string | null; origin: string };
