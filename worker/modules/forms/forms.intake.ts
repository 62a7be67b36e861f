import { and, eq, isNull } from 'drizzle-orm';
import { formSubmissions, forms, workspaces, type Attribution, type SubmissionStatus } from '../../db/schema';
import type { Db } from '../../db/client';
import { cachedQuery } from '../../db/cached-query';
import type { Env, JobMessage } from '../../env';
import { sha256Hex } from '../../lib/crypto';
import { AppError, type FieldError } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { toE164 } from '../../lib/phone';
import { hitStatements, retryAfter, type RateLimitRule } from '../../lib/rate-limit';
import type { FormRow } from './forms.service';

/** Public posts are small: a person's details, not files. */
export const PUBLIC_BODY_LIMIT = 64 * 1024;
/** A second post with the same values within this window is the same submission (double click, reload). */
const DEDUPE_WINDOW_SECONDS = 60;
export const PROCESS_JOB = 'lead.process';

export type IntakeDeps = { db: Db; env: Env; now: () => Date; waitUntil: (p: Promise<unknown>) => void };
export type PublicForm = FormRow & { defaultCountry: string };
export type Fields = Record<string, string | string[]>;

const ATTRIBUTION_FIELDS = {
  utm_source: 'utmSource',
  utm_medium: 'utmMedium',
  utm_campaign: 'utmCampaign',
  utm_term: 'utmTerm',
  utm_content: 'utmContent',
  referrer: 'referrer',
  landing_page: 'landingPage',
} as const;
const CONTROL_FIELDS = new Set(['_hearth_ts', '_hearth_hp', 'cf-turnstile-response']);
const KEPT_HEADERS = ['user-agent', 'origin', 'referer', 'accept-language', 'content-type'];

/**
 * Active forms by key, kept a few seconds per isolate: a burst of posts to one form reads it once.
 * A change (deactivation, new key, new fields) reaches the public endpoint within FORM_CACHE_MS.
 */
const FORM_CACHE_MS = 5_000;
const formCache = new Map<string, { form: PublicForm; until: number }>();

export async function findPublicForm(db: Db, key: string, now = Date.now()): Promise<PublicForm | null> {
  const cached = formCache.get(key);
  if (cached && cached.until > now) return cached.form;
  const row = await db
    .select({ form: forms, defaultCountry: workspaces.defaultCountry })
    .from(forms)
    .innerJoin(workspaces, eq(workspaces.id, forms.workspaceId))
    .where(and(eq(forms.key, key), eq(forms.isActive, true), isNull(forms.deletedAt)))
    .get();
  const form = row ? { ...row.form, defaultCountry: row.defaultCountry } : null;
  if (formCache.size > 500) formCache.clear();
  if (form) formCache.set(key, { form, until: now + FORM_CACHE_MS });
  else formCache.delete(key);
  return form;
}

export const text = (v: string | string[] | undefined): string => (Array.isArray(v) ? v.join(', ') : (v ?? '')).trim();
export const isTruthy = (v: string | string[] | undefined) => ['on', 'true', 'yes', '1', 'checked'].includes(text(v).toLowerCase());
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Field-level checks a visitor can fix: required values, an email and a phone that look right, a listed choice, consent. */
export function validateFields(form: PublicForm, fields: Fields): FieldError[] {
  const errors: FieldError[] = [];
  const en = form.locale === 'en';
  for (const f of form.fields) {
    const value = text(fields[f.name]);
    if (!value) {
      if (f.required) errors.push({ field: f.name, message: en ? `${f.label} is required.` : `请填写${f.label}。`, code: 'required' });
      continue;
    }
    if (value.length > 5000) errors.push({ field: f.name, message: en ? `${f.label} is too long.` : `${f.label}太长。`, code: 'too_big' });
    else if ((f.type === 'email' || f.mapTo === 'contact.email') && !EMAIL.test(value)) errors.push({ field: f.name, message: en ? 'Enter a valid email address.' : '请输入有效的邮箱地址。', code: 'invalid_email' });
    else if ((f.type === 'tel' || f.mapTo === 'contact.phone') && !toE164(value, form.defaultCountry)) errors.push({ field: f.name, message: en ? 'Enter a valid phone number.' : '请输入有效的电话号码。', code: 'invalid_phone' });
    else if (f.type === 'select' && f.options?.length && !f.options.includes(value)) errors.push({ field: f.name, message: en ? 'Choose one of the options.' : '请从选项中选择。', code: 'invalid_option' });
  }
  if (form.consentRequired && !isTruthy(fields.consent)) errors.push({ field: 'consent', message: en ? 'Please agree to be contacted.' : '请勾选同意条款。', code: 'required' });
  return errors;
}

export type SpamVerdict = 'honeypot' | 'too_fast' | null;

/** The silent guards: a filled honeypot, or a form sent faster than a person can fill it (when the page stamped it). */
export function spamVerdict(form: PublicForm, fields: Fields, now: Date): SpamVerdict {
  if (text(fields._hearth_hp)) return 'honeypot';
  const stamp = Number(text(fields._hearth_ts));
  if (form.minFillSeconds > 0 && Number.isFinite(stamp) && stamp > 0 && now.getTime() - stamp < form.minFillSeconds * 1000) return 'too_fast';
  return null;
}

/** Per address and per form: counted in the same D1 batch as the insert (see `storeSubmission`). */
export const formRateLimits = (form: PublicForm, ipHash: string): RateLimitRule[] => [
  { key: `form-ip:${form.id}:${ipHash}`, limit: form.ipLimitPerMinute, windowSeconds: 60 },
  { key: `form:${form.id}`, limit: form.formLimitPerMinute, windowSeconds: 60 },
];

async function rateLimited(db: Db, rule: RateLimitRule, now: Date): Promise<AppError> {
  const wait = (await retryAfter(db, rule, now)) || 60;
  return new AppError(429, 'rate_limited', `Too many submissions. Try again in ${wait} seconds.`, { headers: { 'Retry-After': String(wait) }, retryAfter: wait });
}

/** Server-side Turnstile check (siteverify); the secret never leaves the Worker. */
export async function verifyTurnstile(env: Env, token: string, ip: string | null): Promise<boolean> {
  if (!env.TURNSTILE_SECRET_KEY) throw new AppError(503, 'turnstile_not_configured', 'The verification service is not configured (TURNSTILE_SECRET_KEY).');
  if (!token) return false;
  const body = new FormData();
  body.set('secret', env.TURNSTILE_SECRET_KEY);
  body.set('response', token);
  if (ip) body.set('remoteip', ip);
  const res = await fetch('https://challenges.cloudflare.com/turnstile/v0/siteverify', { method: 'POST', body });
  if (!res.ok) return false;
  const outcome = (await res.json()) as { success?: boolean };
  return outcome.success === true;
}

export const hashIp = (workspaceId: string, ip: string | null) => sha256Hex(`${workspaceId}:${ip ?? 'unknown'}`).then((h) => h.slice(0, 32));

function attributionOf(fields: Fields, headers: Headers): Required<Attribution> {
  const out = {} as Required<Attribution>;
  for (const [name, column] of Object.entries(ATTRIBUTION_FIELDS)) out[column] = text(fields[name]).slice(0, 1000) || null;
  // A plain form posts from the page it sits on: that page is where the visitor landed.
  out.landingPage ??= headers.get('referer')?.slice(0, 1000) ?? null;
  return out;
}

const stableJson = (fields: Fields) => JSON.stringify(Object.keys(fields).sort().map((k) => [k, fields[k]]));

export type StoredSubmission = { id: string; status: string; duplicate: boolean };

/**
 * Stores the raw submission (one insert) and queues its processing; nothing else happens before
 * the answer. A double submit (same Idempotency-Key, or the same values within a minute) finds the
 * first row instead of making a second one.
 */
export async function storeSubmission(
  deps: IntakeDeps,
  s: {
    workspaceId: string;
    channel: 'form' | 'hook';
    formId: string | null;
    hookSourceId: string | null;
    fields: Fields | Record<string, unknown>;
    headers: Headers;
    ipHash: string;
    dedupeKey: string | null;
    spamReason: SpamVerdict;
    consent?: { text: string | null; granted: boolean | null };
    /** Counted in the insert's batch; over a limit the row is taken back and the post refused (429). */
    rateLimits?: RateLimitRule[];
  },
): Promise<StoredSubmission> {
  const now = deps.now();
  const payload = Object.fromEntries(Object.entries(s.fields).filter(([k]) => !CONTROL_FIELDS.has(k)));
  let dedupeKey = s.dedupeKey;
  let previousKey: string | null = null;
  if (!dedupeKey) {
    const hash = await sha256Hex(`${s.formId ?? s.hookSourceId}\n${stableJson(payload as Fields)}`);
    const bucket = Math.floor(now.getTime() / 1000 / DEDUPE_WINDOW_SECONDS);
    dedupeKey = `v:${hash}:${bucket}`;
    previousKey = `v:${hash}:${bucket - 1}`;
  }
  const headers: Record<string, string> = {};
  for (const h of KEPT_HEADERS) {
    const v = s.headers.get(h);
    if (v) headers[h] = v.slice(0, 500);
  }
  const at = now.toISOString();
  const id = newId('sub', now.getTime());
  const attribution = s.channel === 'form' ? attributionOf(payload as Fields, s.headers) : {};
  const row = {
    id,
    workspaceId: s.workspaceId,
    formId: s.formId,
    hookSourceId: s.hookSourceId,
    channel: s.channel,
    status: s.spamReason ? 'spam' : 'received',
    payload,
    headers,
    ipHash: s.ipHash,
    dedupeKey,
    spamReason: s.spamReason,
    consentText: s.consent?.text ?? null,
    consentGranted: s.consent?.granted ?? null,
    ...attribution,
    receivedAt: at,
    updatedAt: at,
  };
  // Every post has the same statements: their SQL is built once per isolate (see cachedQuery).
  const insert = cachedQuery(deps.db, `intake.insert:${s.channel}`, row, (v) =>
    deps.db
      .insert(formSubmissions)
      .values(Object.fromEntries(Object.keys(row).map((k) => [k, v(k)])) as unknown as typeof formSubmissions.$inferInsert)
      .onConflictDoNothing()
      .returning({ id: formSubmissions.id, status: formSubmissions.status }),
  );
  const priorOf = (key: string) =>
    cachedQuery(deps.db, 'intake.prior', { workspaceId: s.workspaceId, key }, (v) =>
      deps.db
        .select({ id: formSubmissions.id, status: formSubmissions.status, receivedAt: formSubmissions.receivedAt })
        .from(formSubmissions)
        .where(and(eq(formSubmissions.workspaceId, v('workspaceId')), eq(formSubmissions.dedupeKey, v('key')))),
    );
  // One round trip: the rate-limit counters, the insert and (for a key derived from the values)
  // the same values in the previous window.
  const rules = s.rateLimits ?? [];
  const results = (await deps.db.batch([insert, ...(previousKey ? [priorOf(previousKey)] : []), ...hitStatements(deps.db, rules, now)] as unknown as [typeof insert])) as unknown[];
  const inserted = results[0] as { id: string; status: SubmissionStatus }[];
  const previous = (previousKey ? results[1] : []) as { id: string; status: SubmissionStatus; receivedAt: string }[];
  const counts = results.slice(previousKey ? 2 : 1).map((r) => (r as { count: number }[])[0]?.count ?? 0);
  const over = rules.find((r, i) => counts[i] > r.limit);
  if (over) {
    if (inserted.length) await deps.db.delete(formSubmissions).where(eq(formSubmissions.id, id));
    throw await rateLimited(deps.db, over, now);
  }
  const prior = inserted.length === 0 ? (await priorOf(dedupeKey))[0] : previous.find((p) => now.getTime() - Date.parse(p.receivedAt) <= DEDUPE_WINDOW_SECONDS * 1000);
  if (inserted.length === 0 && !prior) throw new AppError(409, 'submission_conflict', 'Send the form again.');
  if (prior) {
    // The same values again within the window: the new row (if any) is the duplicate.
    if (inserted.length) await deps.db.delete(formSubmissions).where(eq(formSubmissions.id, id));
    return { id: prior.id, status: prior.status, duplicate: true };
  }
  if (!s.spamReason) deps.waitUntil(enqueueProcessing(deps.env, s.workspaceId, id));
  return { id, status: s.spamReason ? 'spam' : 'received', duplicate: false };
}

/** Queues processing; a failed send is logged and picked up by the cron sweep, never lost. */
export async function enqueueProcessing(env: Env, workspaceId: string, submissionId: string, delaySeconds?: number): Promise<void> {
  const message: JobMessage = { type: PROCESS_JOB, key: submissionId, payload: { submissionId, workspaceId } };
  try {
    await env.JOBS.send(message, delaySeconds ? { delaySeconds } : undefined);
  } catch (err) {
    console.error('could not queue submission', submissionId, err);
  }
}
