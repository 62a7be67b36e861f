import { and, eq, isNull } from 'drizzle-orm';
import type { Context } from 'hono';
import { hookSources } from '../../db/schema';
import type { AppEnv } from '../../middleware/context';
import { AppError, problemResponse } from '../../lib/errors';
import { decryptField } from '../../lib/field-crypto';
import { PUBLIC_BODY_LIMIT, hashIp, storeSubmission } from '../forms/forms.intake';
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from './webhooks.signing';

export type HookSourceRow = typeof hookSources.$inferSelect;

export const hookSecretAad = (row: { workspaceId: string; id: string }) => `${row.workspaceId}:hook_source:${row.id}:secret`;

/** A value at a dot path of a JSON body (`contact.email`). */
export function atPath(body: unknown, path: string): unknown {
  let cur = body;
  for (const part of path.split('.')) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/**
 * `POST /hooks/:key`: a signed server-to-server lead. The signature is checked over the raw body
 * before anything is parsed or stored; the delivery id makes a resend harmless.
 */
export async function receiveHook(c: Context<AppEnv>): Promise<Response> {
  try {
    const db = c.get('db');
    const now = new Date();
    const source = await db
      .select()
      .from(hookSources)
      .where(and(eq(hookSources.key, c.req.param('key') ?? ''), eq(hookSources.isActive, true), isNull(hookSources.deletedAt)))
      .get();
    if (!source) throw new AppError(404, 'hook_not_found', 'No lead source with this key.');
    if (Number(c.req.header('content-length') ?? 0) > PUBLIC_BODY_LIMIT) throw new AppError(413, 'payload_too_large', `The body is larger than ${PUBLIC_BODY_LIMIT / 1024} KB.`);
    const raw = await c.req.text();
    if (raw.length > PUBLIC_BODY_LIMIT) throw new AppError(413, 'payload_too_large', `The body is larger than ${PUBLIC_BODY_LIMIT / 1024} KB.`);
    const secret = await decryptField(c.env.FIELD_ENCRYPTION_KEY, source.secretEnc, hookSecretAad(source));
    const check = await verifySignature(secret, c.req.header(TIMESTAMP_HEADER), c.req.header(SIGNATURE_HEADER), raw, now);
    if (!check.ok) {
      const detail = check.reason === 'stale' ? 'The timestamp is more than 5 minutes away from now.' : check.reason === 'missing' ? `Send ${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER}.` : 'The signature does not match.';
      throw new AppError(401, check.reason === 'stale' ? 'stale_timestamp' : 'invalid_signature', detail);
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw new AppError(400, 'malformed_json', 'The request body is not valid JSON.');
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError(400, 'invalid_body', 'The request body must be a JSON object.');
    const reachable = Object.entries(source.fieldMapping).filter(([, target]) => target === 'contact.email' || target === 'contact.phone');
    if (!reachable.some(([path]) => { const v = atPath(body, path); return typeof v === 'string' ? v.trim() !== '' : typeof v === 'number'; })) {
      const fields = reachable.map(([path]) => ({ field: path, message: 'Send an email or a phone number.', code: 'required' }));
      throw new AppError(422, 'validation_failed', 'The lead has no email or phone at the mapped fields.', { errors: fields.length ? fields : [{ field: '(body)', message: 'Map an email or phone field for this source.', code: 'required' }] });
    }
    const delivery = c.req.header(DELIVERY_HEADER)?.slice(0, 200);
    const stored = await storeSubmission(
      { db, env: c.env, now: () => now, waitUntil: (p) => c.executionCtx.waitUntil(p) },
      {
        workspaceId: source.workspaceId,
        channel: 'hook',
        formId: null,
        hookSourceId: source.id,
        fields: body as Record<string, unknown>,
        headers: c.req.raw.headers,
        ipHash: await hashIp(source.workspaceId, c.get('meta').ip),
        dedupeKey: delivery ? `hook:${source.id}:${delivery}` : null,
        spamReason: null,
      },
    );
    return c.json({ id: stored.id, status: stored.status, duplicate: stored.duplicate }, stored.duplicate ? 200 : 202);
  } catch (err) {
    if (err instanceof AppError) return problemResponse(err, c.req.path);
    throw err;
  }
}
