import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../middleware/context';
import { AppError, problemResponse } from '../../lib/errors';
import { doc } from '../../lib/validate';
import { receiveHook } from '../webhooks/hook-sources.intake';
import {
  PUBLIC_BODY_LIMIT,
  formRateLimits,
  findPublicForm,
  hashIp,
  isTruthy,
  spamVerdict,
  storeSubmission,
  validateFields,
  verifyTurnstile,
  type Fields,
  type PublicForm,
} from './forms.intake';
import { embedScript, formPage, messagePage, pageStrings, thanksPage } from './forms.pages';

// The public side of lead capture: `/f/:key` (hosted page, embed snippet, posts from any website)
// and `/hooks/:key` (signed server-to-server posts). No session, no CSRF check: these are meant to
// be posted to from other origins; CORS follows each form's allowed origins.

const isAllowedOrigin = (form: PublicForm, origin: string | undefined, own: string) =>
  !origin || origin === own || form.allowedOrigins.includes('*') || form.allowedOrigins.includes(origin);

function corsHeaders(form: PublicForm, origin: string | undefined, own: string): Record<string, string> {
  if (!origin || origin === own || !(form.allowedOrigins.includes('*') || form.allowedOrigins.includes(origin))) return {};
  return { 'Access-Control-Allow-Origin': origin, Vary: 'Origin', 'Access-Control-Expose-Headers': 'Retry-After, Location' };
}

const wantsJson = (c: Context) => {
  const type = c.req.header('content-type') ?? '';
  const accept = c.req.header('accept') ?? '';
  return type.includes('application/json') || (accept.includes('application/json') && !accept.includes('text/html'));
};

async function readBody(c: Context): Promise<ArrayBuffer> {
  const length = Number(c.req.header('content-length') ?? 0);
  const tooLarge = () => new AppError(413, 'payload_too_large', `The form data is larger than ${PUBLIC_BODY_LIMIT / 1024} KB.`);
  if (length > PUBLIC_BODY_LIMIT) throw tooLarge();
  const body = await c.req.arrayBuffer();
  if (body.byteLength > PUBLIC_BODY_LIMIT) throw tooLarge();
  return body;
}

/** The posted values as strings (a repeated name becomes a list; files are ignored). */
async function parseFields(c: Context, raw: ArrayBuffer): Promise<Fields> {
  const type = c.req.header('content-type') ?? '';
  const fields: Fields = {};
  const put = (k: string, v: unknown) => {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return;
    const s = String(v);
    const prior = fields[k];
    fields[k] = prior === undefined ? s : Array.isArray(prior) ? [...prior, s] : [prior, s];
  };
  if (type.includes('application/json')) {
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(raw));
    } catch {
      throw new AppError(400, 'malformed_json', 'The request body is not valid JSON.');
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError(400, 'invalid_body', 'The request body must be a JSON object.');
    for (const [k, v] of Object.entries(body)) (Array.isArray(v) ? v : [v]).forEach((x) => put(k, x));
    return fields;
  }
  if (type.includes('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(new TextDecoder().decode(raw))) put(k, v);
    return fields;
  }
  if (type.includes('multipart/form-data')) {
    const form = await new Request('http://local/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
    for (const [k, v] of form) put(k, v);
    return fields;
  }
  throw new AppError(415, 'unsupported_media_type', 'Send the form as application/x-www-form-urlencoded, multipart/form-data or application/json.');
}

const html = (c: Context, body: string, status: number, headers: Record<string, string> = {}) =>
  c.body(body, status as 200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });

async function loadForm(c: Context<AppEnv>): Promise<PublicForm> {
  const form = await findPublicForm(c.get('db'), c.req.param('key') ?? '');
  if (!form) throw new AppError(404, 'form_not_found', 'This form does not exist or is closed.');
  return form;
}

/** Renders an error as the visitor expects it: problem+json for fetch, a readable page for a browser post. */
function failure(c: Context<AppEnv>, err: unknown, form: PublicForm | null, json: boolean, fields: Fields, cors: Record<string, string>): Response {
  if (!(err instanceof AppError)) throw err;
  if (json) {
    const res = problemResponse(err, c.req.path);
    for (const [k, v] of Object.entries(cors)) res.headers.set(k, v);
    return res;
  }
  const locale = form?.locale ?? 'zh-CN';
  const t = pageStrings(locale);
  const headers = { ...(err.extra.headers ?? {}) };
  if (err.status === 422 && form) return html(c, formPage(form, c.req.path, fields, err.extra.errors ?? []), 422, headers);
  const message = err.status === 404 ? t.notFound : err.status === 429 ? t.tooMany : err.status === 413 ? t.tooLarge : t.problem;
  return html(c, messagePage(locale, message), err.status, headers);
}

/** Lets other sites embed the snippet and frame the hosted page: runs outside `secureHeaders()`. */
export const publicPageHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.res.headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
  c.res.headers.delete('X-Frame-Options');
};

export const formPublicRoutes = new Hono<AppEnv>()
  .get('/:key', doc({ summary: 'The hosted form page (plain HTML, in the form\'s language)', tags: ['public'], public: true }), async (c) => {
    try {
      const form = await loadForm(c);
      return html(c, formPage(form, c.req.path), 200);
    } catch (err) {
      return failure(c, err, null, false, {}, {});
    }
  })
  .get('/:key/thanks', doc({ summary: 'The hosted thank-you page', tags: ['public'], public: true }), async (c) => {
    try {
      return html(c, thanksPage(await loadForm(c)), 200);
    } catch (err) {
      return failure(c, err, null, false, {}, {});
    }
  })
  .get('/:key/embed.js', doc({ summary: 'The one-line embed snippet: renders the form, collects UTM, referrer and landing page', tags: ['public'], public: true }), async (c) => {
    const form = await findPublicForm(c.get('db'), c.req.param('key'));
    if (!form) return c.body('/* form not found */', 404, { 'content-type': 'text/javascript; charset=utf-8' });
    const action = `${c.env.APP_URL ?? new URL(c.req.url).origin}/f/${form.key}`;
    return c.body(embedScript(form, action), 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=300' });
  })
  .options('/:key', doc({ summary: 'CORS preflight for the form\'s allowed origins', tags: ['public'], public: true }), async (c) => {
    const form = await findPublicForm(c.get('db'), c.req.param('key'));
    const origin = c.req.header('origin');
    const own = new URL(c.req.url).origin;
    if (!form || !origin || !isAllowedOrigin(form, origin, own)) return c.body(null, 403);
    return c.body(null, 204, {
      ...corsHeaders(form, origin, own),
      'Access-Control-Allow-Methods': 'POST, OPTIONS',
      'Access-Control-Allow-Headers': 'Content-Type, Idempotency-Key, Accept',
      'Access-Control-Max-Age': '600',
    });
  })
  .post('/:key', doc({ summary: 'Lead capture: urlencoded or multipart (303 to the thank-you page; 422 HTML page) or JSON (201 {id}; 4xx problem+json)', tags: ['public'], public: true }), async (c) => {
    const json = wantsJson(c);
    const origin = c.req.header('origin');
    const own = new URL(c.req.url).origin;
    let form: PublicForm | null = null;
    let fields: Fields = {};
    let cors: Record<string, string> = {};
    try {
      form = await loadForm(c);
      cors = corsHeaders(form, origin === 'null' ? undefined : origin, own);
      if (form.allowedOrigins.length && origin && origin !== 'null' && !isAllowedOrigin(form, origin, own)) {
        throw new AppError(403, 'origin_not_allowed', 'This form does not accept posts from this website.');
      }
      const raw = await readBody(c);
      const db = c.get('db');
      const now = new Date();
      const ip = c.get('meta').ip;
      const ipHash = await hashIp(form.workspaceId, ip);
      fields = await parseFields(c, raw);
      const spamReason = spamVerdict(form, fields, now);
      if (!spamReason) {
        const errors = validateFields(form, fields);
        if (errors.length) throw new AppError(422, 'validation_failed', errors[0].message, { errors });
        if (form.turnstile && !(await verifyTurnstile(c.env, String(fields['cf-turnstile-response'] ?? ''), ip))) {
          const message = form.locale === 'en' ? 'The verification failed. Please try again.' : '人机验证未通过，请重试。';
          throw new AppError(422, 'turnstile_failed', message, { errors: [{ field: 'cf-turnstile-response', message, code: 'turnstile_failed' }] });
        }
      }
      const idempotencyKey = c.req.header('idempotency-key')?.slice(0, 200);
      const stored = await storeSubmission(
        { db, env: c.env, now: () => now, waitUntil: (p) => c.executionCtx.waitUntil(p) },
        {
          workspaceId: form.workspaceId,
          channel: 'form',
          formId: form.id,
          hookSourceId: null,
          fields,
          headers: c.req.raw.headers,
          ipHash,
          dedupeKey: idempotencyKey ? `idem:${form.id}:${idempotencyKey}` : null,
          spamReason,
          consent: { text: form.consentText, granted: form.consentText ? isTruthy(fields.consent) : null },
          rateLimits: formRateLimits(form, ipHash),
        },
      );
      if (json) {
        // A spam post looks like any other to the bot that sent it.
        const status = stored.duplicate ? 200 : 201;
        return c.json({ id: stored.id, status: stored.status === 'spam' ? 'received' : stored.status }, status, cors);
      }
      return c.redirect(form.thankYouUrl ?? `/f/${form.key}/thanks`, 303);
    } catch (err) {
      return failure(c, err, form, json, fields, cors);
    }
  });

export const hookPublicRoutes = new Hono<AppEnv>().post(
  '/:key',
  doc({ summary: 'Signed server-to-server lead: HMAC-SHA256 over `${X-Hearth-Timestamp}.${body}` in X-Hearth-Signature (sha256=hex), 5-minute tolerance, idempotent on X-Hearth-Delivery', tags: ['public'], public: true }),
  async (c) => receiveHook(c),
);
