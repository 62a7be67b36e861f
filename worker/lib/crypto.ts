import { scrypt as scryptCb, timingSafeEqual, randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

// scrypt rather than PBKDF2: production Workers cap PBKDF2 at 100k iterations while local workerd
// does not, so a PBKDF2 setting that passes locally can fail in production.
const SCRYPT = { N: 2 ** 14, r: 8, p: 5, keyLen: 32, maxmem: 64 * 1024 * 1024 };

function scrypt(password: string, salt: Buffer, params = SCRYPT): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFKC'), salt, params.keyLen, { N: params.N, r: params.r, p: params.p, maxmem: params.maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** Hashes a password as `scrypt$N$r$p$salt$hash` (base64). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Constant-time check of a password against a stored hash. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = (stored ?? '').split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    // Spend the same time when there is no user, so timing does not reveal which emails exist.
    await scrypt(password, randomBytes(16));
    return false;
  }
  const [, n, r, p, salt, hash] = parts;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), {
    ...SCRYPT,
    N: Number(n),
    r: Number(r),
    p: Number(p),
    keyLen: expected.length,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

const encoder = new TextEncoder();

function toHex(buf: ArrayBuffer): string {
  return [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** SHA-256 as hex: how session tokens, API keys and invitation tokens are stored. */
export async function sha256Hex(value: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', encoder.encode(value)));
}

/** HMAC-SHA256 as hex. */
export async function hmacHex(secret: string, value: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return toHex(await crypto.subtle.sign('HMAC', key, encoder.encode(value)));
}

/** Compares two strings without revealing where they differ. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

function secretKey(secret: string | undefined): Uint8Array {
  if (!secret || secret.length < 16) throw new Error('SESSION_SECRET is missing or shorter than 16 characters');
  return encoder.encode(secret);
}

/** Signs a short-lived link token (password reset, download…) bound to a purpose. */
export async function signLinkToken(
  secret: string | undefined,
  purpose: string,
  claims: Record<string, string>,
  ttlSeconds: number,
  now: Date,
): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ ...claims, pur: purpose })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .setJti(crypto.randomUUID())
    .sign(secretKey(secret));
}

/** Verifies a link token and its purpose; returns its claims, or null when invalid or expired. */
export async function verifyLinkToken(
  secret: string | undefined,
  purpose: string,
  token: string,
  now: Date,
): Promise<(Record<string, unknown> & { jti: string; exp: number }) | null> {
  try {
    const { payload } = await jwtVerify(token, secretKey(secret), {
      algorithms: ['HS256'],
      currentDate: now,
    });
    if (payload.pur !== purpose || typeof payload.jti !== 'string' || typeof payload.exp !== 'number') return null;
    return payload as Record<string, unknown> & { jti: string; exp: number };
  } catch {
    return null;
  }
}
