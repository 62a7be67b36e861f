import { env } from 'cloudflare:test';
import * as OTPAuth from 'otpauth';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex, signLinkToken } from '../../worker/lib/crypto';
import { api, failingFields, json, lastEmailTo, linkToken, login, PASSWORD, problem, signup, uniqueEmail, type Me, type Session } from './helpers';

const NEW_PASSWORD = 'a brand new passphrase';

const totpFor = (secret: string, timestamp = Date.now()) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp });

async function requestReset(email: string) {
  const res = await api('/auth/password/forgot', { body: { email } });
  expect(res.status).toBe(202);
}

describe('POST /auth/signup', () => {
  it('creates the workspace and its owner and signs in with an HttpOnly SameSite=Lax cookie', async () => {
    const email = uniqueEmail('Signup');
    const res = await api('/auth/signup', {
      body: { workspaceName: '  Lotus Tea House ', name: 'Lin', email: email.toUpperCase(), password: PASSWORD, locale: 'en', timezone: 'Europe/Berlin' },
    });
    expect(res.status).toBe(201);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^hearth_session=[\w-]{20,};/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
    const me = await json<Me>(res);
    expect(me.user).toMatchObject({ email: email.toLowerCase(), name: 'Lin', role: 'owner', isActive: true, totpEnabled: false });
    expect(me.workspace).toMatchObject({ name: 'Lotus Tea House', currency: 'USD', timezone: 'Europe/Berlin', locale: 'en' });
    expect(me.permissions).toContain('settings:write');
    expect(JSON.stringify(me)).not.toMatch(/password|hash/i);

    const cookie = setCookie.split(';')[0];
    const again = await json<Me>(await api('/me', { cookie }), 200);
    expect(again.user.id).toBe(me.user.id);
  });

  it('sets a Secure __Host- cookie over https', async () => {
    const res = await api('/auth/signup', {
      origin: 'https://localhost',
      body: { workspaceName: 'Secure Co', name: 'Sam', email: uniqueEmail('https'), password: PASSWORD },
    });
    expect(res.status).toBe(201);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^__Host-hearth_session=/);
    expect(setCookie).toMatch(/;\s*Secure/i);
    expect(setCookie).toMatch(/HttpOnly/i);
  });

  it('refuses a second account with the same email (any case) with 409', async () => {
    const first = await signup();
    const res = await api('/auth/signup', {
      body: { workspaceName: 'Copycat', name: 'Copy', email: first.email.toUpperCase(), password: PASSWORD },
    });
    const body = await problem(res, 409, 'email_taken');
    expect(body.errors?.map((e) => e.field)).toEqual(['email']);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('names each invalid field with 422', async () => {
    const res = await api('/auth/signup', { body: { workspaceName: '', name: 'X', email: 'not-an-email', password: 'short' } });
    expect(await failingFields(res)).toEqual(expect.arrayContaining(['workspaceName', 'email', 'password']));
  });

  it('rejects an unknown time zone by field', async () => {
    const res = await api('/auth/signup', {
      body: { workspaceName: 'Tz', name: 'Tz', email: uniqueEmail(), password: PASSWORD, timezone: 'Mars/Olympus' },
    });
    expect(await failingFields(res)).toEqual(['timezone']);
  });

  it('answers malformed JSON with 400 problem+json', async () => {
    const res = await api('/auth/signup', { raw: '{"email": "a@b.c",', headers: { 'content-type': 'application/json' } });
    await problem(res, 400, 'malformed_json');
  });

  it('answers a JSON body that is not an object with 400', async () => {
    await problem(await api('/auth/signup', { body: null }), 400);
    await problem(await api('/auth/signup', { body: 'just a string' }), 400);
  });
});

describe('POST /auth/login and /auth/logout', () => {
  let owner: Session;
  beforeAll(async () => {
    owner = await signup();
  });

  it('signs in with the right password, case-insensitively by email', async () => {
    const session = await login(owner.email.toUpperCase());
    expect(session.me.user.id).toBe(owner.me.user.id);
    expect(session.cookie).not.toBe(owner.cookie);
  });

  it('refuses a wrong password with 401 problem+json and no cookie', async () => {
    const res = await api('/auth/login', { body: { email: owner.email, password: 'wrong password!' } });
    const body = await problem(res, 401, 'unauthorized');
    expect(body.detail).toMatch(/incorrect/i);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('answers an unknown email exactly like a wrong password', async () => {
    const wrong = await problem(await api('/auth/login', { body: { email: owner.email, password: 'wrong password!' } }), 401);
    const unknown = await problem(await api('/auth/login', { body: { email: uniqueEmail('nobody'), password: 'wrong password!' } }), 401);
    expect(unknown.code).toBe(wrong.code);
    expect(unknown.detail).toBe(wrong.detail);
  });

  it('names missing fields with 422 and malformed JSON with 400', async () => {
    expect(await failingFields(await api('/auth/login', { body: { email: owner.email } }))).toEqual(['password']);
    await problem(await api('/auth/login', { raw: 'email=x', headers: { 'content-type': 'application/json' } }), 400, 'malformed_json');
  });

  it('logs out: the session stops working and the cookie is cleared', async () => {
    const session = await login(owner.email);
    const res = await api('/auth/logout', { method: 'POST', as: session });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/hearth_session=;.*Max-Age=0/i);
    await problem(await api('/me', { as: session }), 401, 'unauthorized');
    // Other sessions of the same person are untouched.
    expect((await api('/me', { as: owner })).status).toBe(200);
  });

  it('logout when signed out is harmless', async () => {
    expect((await api('/auth/logout', { method: 'POST' })).status).toBe(204);
  });
});

describe('sessions', () => {
  it('an expired session is 401', async () => {
    const user = await signup();
    await env.DB.prepare('update sessions set expires_at = ? where user_id = ?').bind(new Date(Date.now() - 1000).toISOString(), user.me.user.id).run();
    await problem(await api('/me', { as: user }), 401);
  });

  it('a session in use slides forward and its cookie is renewed', async () => {
    const user = await signup();
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000).toISOString();
    const soon = new Date(Date.now() + 3600_000).toISOString();
    await env.DB.prepare('update sessions set last_seen_at = ?, expires_at = ? where user_id = ?').bind(twoHoursAgo, soon, user.me.user.id).run();
    const res = await api('/me', { as: user });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')?.split(';')[0]).toBe(user.cookie);
    const row = await env.DB.prepare('select expires_at from sessions where user_id = ?').bind(user.me.user.id).first<{ expires_at: string }>();
    expect(Date.parse(row!.expires_at)).toBeGreaterThan(Date.now() + 13 * 86400_000);
  });
});

describe('login throttling', () => {
  it('refuses an account with 429 and Retry-After after 5 failures, even with the right password', async () => {
    const victim = await signup();
    for (let i = 0; i < 5; i++) {
      await problem(await api('/auth/login', { body: { email: victim.email, password: `guess number ${i}` } }), 401);
    }
    const res = await api('/auth/login', { body: { email: victim.email, password: PASSWORD } });
    const body = await problem(res, 429, 'rate_limited');
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(body.retryAfter).toBe(retryAfter);
    expect(res.headers.get('set-cookie')).toBeNull();
    // The existing session is not affected, and the throttle is per account.
    expect((await api('/me', { as: victim })).status).toBe(200);
    const bystander = await signup();
    expect((await api('/auth/login', { body: { email: bystander.email, password: PASSWORD } })).status).toBe(200);
  });

  it('locks out the guessing address, not the owner signing in from elsewhere', async () => {
    const victim = await signup();
    const from = (ip: string) => ({ 'cf-connecting-ip': ip });
    for (let i = 0; i < 5; i++) {
      await problem(await api('/auth/login', { body: { email: victim.email, password: `guess number ${i}` }, headers: from('198.51.100.7') }), 401);
    }
    await problem(await api('/auth/login', { body: { email: victim.email, password: PASSWORD }, headers: from('198.51.100.7') }), 429, 'rate_limited');
    expect((await api('/auth/login', { body: { email: victim.email, password: PASSWORD }, headers: from('203.0.113.20') })).status).toBe(200);
  });

  it('a success before the limit resets the count', async () => {
    const user = await signup();
    for (let i = 0; i < 4; i++) await api('/auth/login', { body: { email: user.email, password: 'not the one!' } });
    await login(user.email);
    // Without the reset these would be failures 5 and 6, and the next sign-in would be refused.
    for (let i = 0; i < 2; i++) expect((await api('/auth/login', { body: { email: user.email, password: 'not the one!' } })).status).toBe(401);
    expect((await api('/auth/login', { body: { email: user.email, password: PASSWORD } })).status).toBe(200);
  });
});

describe('password reset', () => {
  let owner: Session;
  beforeAll(async () => {
    owner = await signup({ name: 'Rita Reset' });
  });

  it('answers the same for unknown addresses and sends nothing', async () => {
    const before = (await json<{ items: unknown[] }>(await api('/outbox', { as: owner }), 200)).items.length;
    await requestReset(uniqueEmail('ghost'));
    const after = (await json<{ items: unknown[] }>(await api('/outbox', { as: owner }), 200)).items.length;
    expect(after).toBe(before);
  });

  it('validates the forgot form', async () => {
    expect(await failingFields(await api('/auth/password/forgot', { body: { email: 'nope' } }))).toEqual(['email']);
  });

  it('resets through the emailed link once, ends every session, and the new password works', async () => {
    const otherSession = await login(owner.email);
    await requestReset(owner.email);
    const email = await lastEmailTo(owner, owner.email, 'password_reset');
    expect(email.textBody).toContain('Rita Reset');
    expect(email.textBody).toMatch(/http:\/\/localhost\/reset-password\?token=/);
    const token = linkToken(email.textBody);

    expect(await failingFields(await api('/auth/password/reset', { body: { token, password: 'short' } }))).toEqual(['password']);

    const res = await api('/auth/password/reset', { body: { token, password: NEW_PASSWORD } });
    expect(res.status).toBe(204);

    await problem(await api('/me', { as: owner }), 401);
    await problem(await api('/me', { as: otherSession }), 401);
    await problem(await api('/auth/login', { body: { email: owner.email, password: PASSWORD } }), 401);
    owner = await login(owner.email, NEW_PASSWORD);

    // Single use: the same link is refused afterwards.
    const reuse = await problem(await api('/auth/password/reset', { body: { token, password: 'yet another passphrase' } }), 400, 'invalid_token');
    expect(reuse.errors?.[0].field).toBe('token');
    expect((await api('/auth/login', { body: { email: owner.email, password: NEW_PASSWORD } })).status).toBe(200);
  });

  it('refuses an invalid token with 400', async () => {
    await problem(await api('/auth/password/reset', { body: { token: 'this-is-not-a-real-token', password: NEW_PASSWORD } }), 400, 'invalid_token');
  });

  it('refuses an expired token with 400', async () => {
    const row = await env.DB.prepare('select id, password_hash from users where email = ?').bind(owner.email).first<{ id: string; password_hash: string }>();
    const pwh = (await sha256Hex(row!.password_hash)).slice(0, 16);
    const anHourAgo = new Date(Date.now() - 60 * 60 * 1000);
    const expired = await signLinkToken(env.SESSION_SECRET, 'password_reset', { sub: row!.id, pwh }, 30 * 60, anHourAgo);
    await problem(await api('/auth/password/reset', { body: { token: expired, password: 'hijacked passphrase' } }), 400, 'invalid_token');
    const fresh = await signLinkToken(env.SESSION_SECRET, 'password_reset', { sub: row!.id, pwh }, 30 * 60, new Date());
    const tampered = fresh.slice(0, -6) + (fresh.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA');
    await problem(await api('/auth/password/reset', { body: { token: tampered, password: 'hijacked passphrase' } }), 400, 'invalid_token');
    const otherPurpose = await signLinkToken(env.SESSION_SECRET, 'download', { sub: row!.id, pwh }, 30 * 60, new Date());
    await problem(await api('/auth/password/reset', { body: { token: otherPurpose, password: 'hijacked passphrase' } }), 400, 'invalid_token');
    expect((await api('/auth/login', { body: { email: owner.email, password: NEW_PASSWORD } })).status).toBe(200);
    // The same claims, unexpired and untouched, work: the refusals above were about expiry, signature and purpose.
    expect((await api('/auth/password/reset', { body: { token: fresh, password: NEW_PASSWORD } })).status).toBe(204);
    owner = await login(owner.email, NEW_PASSWORD);
  });

  it('a link dies when the password changes by other means', async () => {
    await requestReset(owner.email);
    const token = linkToken((await lastEmailTo(owner, owner.email, 'password_reset')).textBody);
    const changed = await api('/me/password', { as: owner, body: { currentPassword: NEW_PASSWORD, newPassword: PASSWORD } });
    expect(changed.status).toBe(204);
    await problem(await api('/auth/password/reset', { body: { token, password: 'sneaky passphrase' } }), 400, 'invalid_token');
  });
});

describe('POST /me/password', () => {
  let owner: Session;
  beforeAll(async () => {
    owner = await signup();
  });

  it('ends the other sessions but keeps the current one', async () => {
    const laptop = await login(owner.email);
    const phone = await login(owner.email);
    const res = await api('/me/password', { as: laptop, body: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } });
    expect(res.status).toBe(204);
    expect((await api('/me', { as: laptop })).status).toBe(200);
    await problem(await api('/me', { as: phone }), 401);
    await problem(await api('/me', { as: owner }), 401);
    await problem(await api('/auth/login', { body: { email: owner.email, password: PASSWORD } }), 401);
    owner = await login(owner.email, NEW_PASSWORD);
  });

  it('refuses a wrong current password by field and changes nothing', async () => {
    const res = await api('/me/password', { as: owner, body: { currentPassword: 'not my password', newPassword: 'whatever passphrase' } });
    expect(await failingFields(res)).toEqual(['currentPassword']);
    expect((await api('/auth/login', { body: { email: owner.email, password: NEW_PASSWORD } })).status).toBe(200);
  });

  it('refuses a weak new password by field', async () => {
    expect(await failingFields(await api('/me/password', { as: owner, body: { currentPassword: NEW_PASSWORD, newPassword: 'short' } }))).toEqual(['newPassword']);
  });

  it('needs a signed-in person', async () => {
    await problem(await api('/me/password', { body: { currentPassword: 'x', newPassword: NEW_PASSWORD } }), 401);
  });
});

describe('two-factor sign-in (TOTP)', () => {
  it('enrols with a code, then login requires a valid code', async () => {
    const user = await signup();
    const begin = await json<{ secret: string; uri: string }>(await api('/me/totp', { method: 'POST', as: user }), 200);
    expect(begin.secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(begin.uri).toMatch(/^otpauth:\/\/totp\//);
    expect(decodeURIComponent(begin.uri)).toContain(user.email);

    // Not enrolled until confirmed.
    expect((await json<Me>(await api('/me', { as: user }), 200)).user.totpEnabled).toBe(false);
    expect(await failingFields(await api('/me/totp/confirm', { as: user, body: { secret: begin.secret, code: totpFor(begin.secret, Date.now() - 10 * 60_000) } }))).toEqual(['code']);
    expect(await failingFields(await api('/me/totp/confirm', { as: user, body: { secret: 'not base32!', code: '123456' } }))).toEqual(['secret']);

    const confirm = await api('/me/totp/confirm', { as: user, body: { secret: begin.secret, code: totpFor(begin.secret) } });
    expect(confirm.status).toBe(204);
    expect((await json<Me>(await api('/me', { as: user }), 200)).user.totpEnabled).toBe(true);
    // A second authenticator cannot silently replace the first (turning off asks for the password).
    const other = await json<{ secret: string }>(await api('/me/totp', { method: 'POST', as: user }), 200);
    await problem(await api('/me/totp/confirm', { as: user, body: { secret: other.secret, code: totpFor(other.secret) } }), 409, 'totp_already_enabled');

    const withoutCode = await api('/auth/login', { body: { email: user.email, password: PASSWORD } });
    await problem(withoutCode, 401, 'totp_required');
    expect(withoutCode.headers.get('set-cookie')).toBeNull();

    const wrongCode = await api('/auth/login', { body: { email: user.email, password: PASSWORD, totp: totpFor(begin.secret, Date.now() - 10 * 60_000) } });
    await problem(wrongCode, 401);
    expect(await failingFields(await api('/auth/login', { body: { email: user.email, password: PASSWORD, totp: '12ab' } }))).toEqual(['totp']);

    // A right code with a wrong password reveals nothing about the code.
    await problem(await api('/auth/login', { body: { email: user.email, password: 'wrong password', totp: totpFor(begin.secret) } }), 401, 'unauthorized');

    const code = totpFor(begin.secret);
    const session = await login(user.email, PASSWORD, { totp: code });
    expect(session.me.user.totpEnabled).toBe(true);
    // The same code does not work twice.
    await problem(await api('/auth/login', { body: { email: user.email, password: PASSWORD, totp: code } }), 401);

    // Turning it off needs the password.
    expect(await failingFields(await api('/me/totp/disable', { as: session, body: { password: 'wrong password' } }))).toEqual(['password']);
    expect((await api('/me/totp/disable', { as: session, body: { password: PASSWORD } })).status).toBe(204);
    expect((await api('/auth/login', { body: { email: user.email, password: PASSWORD } })).status).toBe(200);
  });
});
