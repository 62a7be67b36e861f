import { AppError } from './errors';

const enc = new TextEncoder();
const dec = new TextDecoder();

let cached: { raw: string; aes: CryptoKey; hmac: CryptoKey } | undefined;

async function keys(rawKey: string | undefined) {
  if (!rawKey) throw new AppError(500, 'encryption_not_configured', 'FIELD_ENCRYPTION_KEY is not set.');
  if (cached?.raw === rawKey) return cached;
  const bytes = Uint8Array.from(atob(rawKey), (c) => c.charCodeAt(0));
  if (bytes.length !== 32) throw new AppError(500, 'encryption_not_configured', 'FIELD_ENCRYPTION_KEY must be 32 bytes, base64.');
  // Separate keys for encryption and for the search hash, both derived from the one secret.
  const base = await crypto.subtle.importKey('raw', bytes, 'HKDF', false, ['deriveKey']);
  const derive = (info: string, alg: AesKeyGenParams | HmacKeyGenParams, usages: KeyUsage[]) =>
    crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: enc.encode(info) }, base, alg, false, usages);
  cached = {
    raw: rawKey,
    aes: await derive('hearth field encryption', { name: 'AES-GCM', length: 256 }, ['encrypt', 'decrypt']),
    hmac: await derive('hearth field search', { name: 'HMAC', hash: 'SHA-256', length: 256 }, ['sign']),
  };
  return cached;
}

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unb64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/**
 * Encrypts a sensitive value with AES-GCM. The associated data binds the ciphertext to its
 * workspace, record and field, so a value copied onto another row does not decrypt.
 */
export async function encryptField(rawKey: string | undefined, plaintext: string, aad: string): Promise<string> {
  const { aes } = await keys(rawKey);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: enc.encode(aad) }, aes, enc.encode(plaintext)));
  return `v1.${b64(iv)}.${b64(ct)}`;
}

export async function decryptField(rawKey: string | undefined, stored: string, aad: string): Promise<string> {
  const { aes } = await keys(rawKey);
  const [version, iv, ct] = stored.split('.');
  if (version !== 'v1' || !iv || !ct) throw new Error('unknown ciphertext format');
  return dec.decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64(iv), additionalData: enc.encode(aad) }, aes, unb64(ct)));
}

/** A keyed hash for exact-match search on an encrypted field; the value cannot be recovered from it. */
export async function searchHash(rawKey: string | undefined, workspaceId: string, field: string, value: string): Promise<string> {
  const { hmac } = await keys(rawKey);
  const normalized = value.replace(/[\s-]/g, '').toUpperCase();
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', hmac, enc.encode(`${workspaceId}\u0000${field}\u0000${normalized}`)));
  return b64(sig);
}

/** `••••••1234`: enough to recognise, not enough to use. */
export function mask(value: string): string {
  const tail = value.slice(-4);
  return `${'•'.repeat(Math.max(4, value.length - 4))}${tail}`;
}
