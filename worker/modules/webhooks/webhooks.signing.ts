import { hmacHex, safeEqual } from '../../lib/crypto';

/** Signed requests older or newer than this are refused: a captured request cannot be replayed later. */
export const TOLERANCE_SECONDS = 5 * 60;

export const SIGNATURE_HEADER = 'X-Hearth-Signature';
export const TIMESTAMP_HEADER = 'X-Hearth-Timestamp';
export const DELIVERY_HEADER = 'X-Hearth-Delivery';

/** `sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<body>"): the scheme for inbound and outgoing webhooks alike. */
export async function signPayload(secret: string, timestamp: number, body: string): Promise<string> {
  return `sha256=${await hmacHex(secret, `${timestamp}.${body}`)}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'mismatch' };

/** Checks a signature in constant time, and that its timestamp is within the tolerance of `now`. */
export async function verifySignature(secret: string, timestampHeader: string | null | undefined, signatureHeader: string | null | undefined, body: string, now: Date): Promise<SignatureCheck> {
  if (!timestampHeader || !signatureHeader || !/^\d{1,12}$/.test(timestampHeader)) return { ok: false, reason: 'missing' };
  const timestamp = Number(timestampHeader);
  if (Math.abs(now.getTime() / 1000 - timestamp) > TOLERANCE_SECONDS) return { ok: false, reason: 'stale' };
  const expected = await signPayload(secret, timestamp, body);
  return safeEqual(expected, signatureHeader.trim().toLowerCase()) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

export const newSecret = () => {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return `whsec_${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
};
