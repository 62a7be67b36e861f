import { and, eq, isNull, lt, or } from 'drizzle-orm';
import * as OTPAuth from 'otpauth';
import { users, workspaces, usedTokens } from '../../db/schema';
import { runBatch } from '../../db/client';
import { auditStatement, diff } from '../../lib/audit';
import type { Ctx, PublicCtx } from '../../lib/context';
import { hashPassword, sha256Hex, signLinkToken, verifyLinkToken, verifyPassword } from '../../lib/crypto';
import { AppError, conflict, invalidField, unauthorized } from '../../lib/errors';
import { asLocale, t } from '../../lib/i18n';
import { newId } from '../../lib/ids';
import { Mailer } from '../../lib/mailer';
import { ALL_SCOPES, can } from '../../lib/permissions';
import { clear, hit, retryAfter, type RateLimitRule } from '../../lib/rate-limit';
import { endSession, endSessionsOf, newSession, userActor } from './session.service';
import type { LoginInput, SignupInput, UpdateProfileInput } from './auth.schema';

const RESET_TTL_SECONDS = 30 * 60;
const LOGIN_WINDOW = 15 * 60;
const ACCOUNT_FAILURES_ALLOWED = 5;
// Failures on one account from everywhere: high enough that a stranger who knows an email
// cannot lock its owner out, low enough to stop distributed guessing.
const ACCOUNT_FAILURES_FROM_ALL_IPS = 50;
const IP_FAILURES_ALLOWED = 30;

type UserRow = typeof users.$inferSelect;
type WorkspaceRow = typeof workspaces.$inferSelect;

export function publicUser(u: UserRow) {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    teamId: u.teamId,
    locale: u.locale,
    timezone: u.timezone,
    isActive: u.isActive,
    totpEnabled: Boolean(u.totpSecret),
    lastLoginAt: u.lastLoginAt,
    version: u.version,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}

export function publicWorkspace(w: WorkspaceRow) {
  return {
    id: w.id,
    name: w.name,
    currency: w.currency,
    timezone: w.timezone,
    locale: w.locale,
    defaultCountry: w.defaultCountry,
    accentColor: w.accentColor,
    version: w.version,
    createdAt: w.createdAt,
    updatedAt: w.updatedAt,
  };
}

/** Creates a workspace with its owner and signs the owner in. */
export async function signup(ctx: PublicCtx, input: SignupInput) {
  const now = ctx.now().toISOString();
  const existing = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).get();
  if (existing) throw conflict('email_taken', 'An account with this email already exists. Sign in instead.', { errors: [{ field: 'email', message: 'Already registered.', code: 'taken' }] });
  const workspace: WorkspaceRow = {
    id: newId('wsp'),
    name: input.workspaceName,
    currency: input.locale === 'en' ? 'USD' : 'CNY',
    timezone: input.timezone ?? 'Asia/Shanghai',
    locale: input.locale ?? 'zh-CN',
    defaultCountry: input.locale === 'en' ? 'US' : 'CN',
    accentColor: '#4f46e5',
    version: 1,
    customFieldsVersion: 0,
    createdAt: now,
    updatedAt: now,
  };
  const user: UserRow = {
    id: newId('usr'),
    workspaceId: workspace.id,
    email: input.email,
    name: input.name,
    passwordHash: await hashPassword(input.password),
    role: 'owner',
    teamId: null,
    locale: input.locale ?? null,
    timezone: input.timezone ?? null,
    isActive: true,
    totpSecret: null,
    totpLastStep: null,
    lastLoginAt: now,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const session = await newSession(ctx.db, user, ctx.meta, ctx.now());
  const audit = { ...ctx, actor: userActor(user, session.id) };
  try {
    await runBatch(ctx.db, [
      ctx.db.insert(workspaces).values(workspace),
      ctx.db.insert(users).values(user),
      session.statement,
      auditStatement(audit, { action: 'workspace.created', recordType: 'workspace', recordId: workspace.id, changes: diff(null, publicWorkspace(workspace)) }),
      auditStatement(audit, { action: 'user.signed_up', recordType: 'user', recordId: user.id, changes: diff(null, publicUser(user)) }),
    ]);
  } catch (err) {
    // Two signups racing for one email: the unique index decides.
    if (String(err).includes('UNIQUE')) throw conflict('email_taken', 'An account with this email already exists. Sign in instead.');
    throw err;
  }
  return { token: session.token, me: meOf(user, workspace) };
}

export function meOf(user: UserRow, workspace: WorkspaceRow) {
  const actor = userActor(user, '');
  return {
    user: publicUser(user),
    workspace: publicWorkspace(workspace),
    permissions: ALL_SCOPES.filter((p) => can(actor, p)),
  };
}

/**
 * Sign-in throttles: 5 failures per account from one address, 50 per account from all addresses,
 * 30 per address. When the address is unknown, the account's own limit is the strict one.
 */
function loginRules(ctx: PublicCtx, email: string): RateLimitRule[] {
  const ip = ctx.meta.ip;
  if (!ip) return [{ key: `login:acct:${email}`, limit: ACCOUNT_FAILURES_ALLOWED, windowSeconds: LOGIN_WINDOW }];
  return [
    { key: `login:acct:${email}:${ip}`, limit: ACCOUNT_FAILURES_ALLOWED, windowSeconds: LOGIN_WINDOW },
    { key: `login:acct:${email}`, limit: ACCOUNT_FAILURES_FROM_ALL_IPS, windowSeconds: LOGIN_WINDOW },
    { key: `login:ip:${ip}`, limit: IP_FAILURES_ALLOWED, windowSeconds: LOGIN_WINDOW },
  ];
}

/** Signs in with email, password and (when enrolled) a TOTP code; throttled per account and IP. */
export async function login(ctx: PublicCtx, input: LoginInput) {
  const now = ctx.now();
  const rules = loginRules(ctx, input.email);
  const waits = await Promise.all(rules.map((rule) => retryAfter(ctx.db, rule, now)));
  const wait = Math.max(...waits);
  if (wait > 0) throw new AppError(429, 'rate_limited', `Too many failed sign-ins. Try again in ${Math.ceil(wait / 60)} minutes.`, { headers: { 'Retry-After': String(wait) }, retryAfter: wait });

  const row = await ctx.db
    .select({ user: users, workspace: workspaces })
    .from(users)
    .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
    .where(eq(users.email, input.email))
    .get();
  const passwordOk = await verifyPassword(input.password, row?.user.passwordHash ?? null);
  const fail = async (reason: string, message = 'Email or password is incorrect.') => {
    await hit(ctx.db, rules, now);
    if (row) {
      await runBatch(ctx.db, [
        auditStatement({ ...ctx, actor: null }, { action: 'auth.login_failed', recordType: 'user', recordId: row.user.id, workspaceId: row.user.workspaceId, changes: { reason: { after: reason } } }),
      ]);
    }
    return unauthorized(message);
  };
  if (!row || !passwordOk) throw await fail('bad_credentials');
  if (!row.user.isActive) throw await fail('deactivated');
  if (row.user.totpSecret) {
    if (!input.totp) throw new AppError(401, 'totp_required', 'Enter the 6-digit code from your authenticator app.');
    const step = totpStep(row.user.totpSecret, input.totp, now);
    if (step === null) throw await fail('bad_totp', 'The code is not valid.');
    // Claim the step atomically, so that a code seen over someone's shoulder cannot be used again.
    const claimed = await ctx.db
      .update(users)
      .set({ totpLastStep: step })
      .where(and(eq(users.id, row.user.id), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
      .returning({ id: users.id });
    if (claimed.length === 0) throw await fail('totp_reused', 'This code was already used. Wait for the next one.');
  }
  const session = await newSession(ctx.db, row.user, ctx.meta, now);
  const actor = userActor(row.user, session.id);
  await runBatch(ctx.db, [
    session.statement,
    ctx.db.update(users).set({ lastLoginAt: now.toISOString() }).where(eq(users.id, row.user.id)),
    auditStatement({ ...ctx, actor }, { action: 'auth.login', recordType: 'user', recordId: row.user.id }),
  ]);
  await clear(ctx.db, rules[0].key);
  return { token: session.token, me: meOf(row.user, row.workspace) };
}

export async function logout(ctx: Ctx) {
  if (ctx.actor.type !== 'user') return;
  await runBatch(ctx.db, [
    endSession(ctx.db, ctx.actor.sessionId),
    auditStatement(ctx, { action: 'auth.logout', recordType: 'user', recordId: ctx.actor.id }),
  ]);
}

async function loadUser(ctx: Ctx) {
  const row = await ctx.db
    .select({ user: users, workspace: workspaces })
    .from(users)
    .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
    .where(eq(users.id, ctx.actor.id!))
    .get();
  if (!row) throw unauthorized();
  return row;
}

export async function getMe(ctx: Ctx) {
  if (ctx.actor.type === 'api_key') {
    const ws = await ctx.db.select().from(workspaces).where(eq(workspaces.id, ctx.actor.workspaceId)).get();
    return { user: null, apiKey: { id: ctx.actor.id, scopes: ctx.actor.scopes }, workspace: publicWorkspace(ws!), permissions: ctx.actor.scopes };
  }
  const { user, workspace } = await loadUser(ctx);
  return meOf(user, workspace);
}

export async function updateProfile(ctx: Ctx, input: UpdateProfileInput) {
  const { user, workspace } = await loadUser(ctx);
  const next = { ...user, ...input, version: user.version + 1, updatedAt: ctx.now().toISOString() };
  await runBatch(ctx.db, [
    ctx.db.update(users).set({ ...input, version: next.version, updatedAt: next.updatedAt }).where(eq(users.id, user.id)),
    auditStatement(ctx, { action: 'user.profile_updated', recordType: 'user', recordId: user.id, changes: diff(publicUser(user), publicUser(next)) }),
  ]);
  return meOf(next, workspace);
}

/** Changes the password and ends every other session of the user at once. */
export async function changePassword(ctx: Ctx, currentPassword: string, newPassword: string) {
  if (ctx.actor.type !== 'user') throw unauthorized();
  const { user } = await loadUser(ctx);
  if (!(await verifyPassword(currentPassword, user.passwordHash))) {
    throw invalidField('currentPassword', 'The current password is not correct.', 'incorrect');
  }
  await runBatch(ctx.db, [
    ctx.db.update(users).set({ passwordHash: await hashPassword(newPassword), updatedAt: ctx.now().toISOString() }).where(eq(users.id, user.id)),
    endSessionsOf(ctx.db, user.id, ctx.actor.sessionId),
    auditStatement(ctx, { action: 'auth.password_changed', recordType: 'user', recordId: user.id }),
  ]);
}

/**
 * Emails a reset link when the address belongs to an active user. The answer is the same either
 * way, so the form does not reveal who has an account.
 */
export async function requestPasswordReset(ctx: PublicCtx, email: string) {
  const now = ctx.now();
  const [count] = await hit(ctx.db, [{ key: `reset:${email}`, limit: 5, windowSeconds: 3600 }], now);
  if (count > 5) return;
  const row = await ctx.db
    .select({ user: users, workspace: workspaces })
    .from(users)
    .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
    .where(eq(users.email, email))
    .get();
  if (!row || !row.user.isActive) return;
  const { user, workspace } = row;
  // The token is bound to the current password hash: once the password changes, the link is dead.
  const token = await signLinkToken(ctx.env.SESSION_SECRET, 'password_reset', { sub: user.id, pwh: (await sha256Hex(user.passwordHash ?? '')).slice(0, 16) }, RESET_TTL_SECONDS, now);
  const locale = asLocale(user.locale ?? workspace.locale);
  const link = `${ctx.meta.origin}/reset-password?token=${encodeURIComponent(token)}`;
  const mailer = new Mailer(ctx.db, ctx.env, ctx.now);
  const message = mailer.compose({
    workspaceId: workspace.id,
    kind: 'password_reset',
    to: user.email,
    subject: t(locale, 'reset.subject'),
    text: t(locale, 'reset.body', { name: user.name, link }),
  });
  await runBatch(ctx.db, [
    message.statement,
    auditStatement({ ...ctx, actor: null }, { action: 'auth.password_reset_requested', recordType: 'user', recordId: user.id, workspaceId: workspace.id }),
  ]);
  await mailer.dispatch([message.id]);
}

/** Sets a new password from an emailed link: single use, 30 minutes, ends every session. */
export async function resetPassword(ctx: PublicCtx, token: string, newPassword: string) {
  const now = ctx.now();
  const claims = await verifyLinkToken(ctx.env.SESSION_SECRET, 'password_reset', token, now);
  const invalidLink = () => new AppError(400, 'invalid_token', 'This link is invalid or has expired. Ask for a new one.', { errors: [{ field: 'token', message: 'Invalid or expired.', code: 'invalid' }] });
  if (!claims || typeof claims.sub !== 'string') throw invalidLink();
  const user = await ctx.db.select().from(users).where(eq(users.id, claims.sub)).get();
  if (!user || !user.isActive || (await sha256Hex(user.passwordHash ?? '')).slice(0, 16) !== claims.pwh) throw invalidLink();
  try {
    await runBatch(ctx.db, [
      ctx.db.insert(usedTokens).values({ jti: claims.jti, expiresAt: new Date(claims.exp * 1000).toISOString() }),
      ctx.db.update(users).set({ passwordHash: await hashPassword(newPassword), updatedAt: now.toISOString() }).where(eq(users.id, user.id)),
      endSessionsOf(ctx.db, user.id),
      auditStatement({ ...ctx, actor: null }, { action: 'auth.password_reset', recordType: 'user', recordId: user.id, workspaceId: user.workspaceId }),
    ]);
  } catch (err) {
    if (String(err).includes('UNIQUE')) throw invalidLink();
    throw err;
  }
}

const TOTP_PERIOD = 30;

/** The 30-second step a code belongs to (one step of clock drift allowed), or null. */
function totpStep(secret: string, code: string, now: Date): number | null {
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: TOTP_PERIOD, algorithm: 'SHA1' });
  const delta = totp.validate({ token: code, timestamp: now.getTime(), window: 1 });
  return delta === null ? null : Math.floor(now.getTime() / 1000 / TOTP_PERIOD) + delta;
}


/** Starts TOTP enrolment: a fresh secret and its otpauth:// URI for the authenticator app. */
export function beginTotp(ctx: Ctx) {
  const secret = new OTPAuth.Secret({ size: 20 });
  const totp = new OTPAuth.TOTP({ issuer: ctx.env.APP_NAME || 'Hearth', label: ctx.actor.type === 'user' ? ctx.actor.email : 'user', secret });
  return { secret: secret.base32, uri: totp.toString() };
}

export async function confirmTotp(ctx: Ctx, secret: string, code: string) {
  const { user } = await loadUser(ctx);
  // Replacing an enrolled authenticator must go through "turn off" (which asks for the password).
  if (user.totpSecret) throw conflict('totp_already_enabled', 'Two-factor sign-in is already on. Turn it off first to enrol a new authenticator.');
  if (totpStep(secret, code, ctx.now()) === null) throw invalidField('code', 'The code is not valid.', 'incorrect');
  await runBatch(ctx.db, [
    ctx.db.update(users).set({ totpSecret: secret, updatedAt: ctx.now().toISOString() }).where(eq(users.id, ctx.actor.id!)),
    auditStatement(ctx, { action: 'auth.totp_enabled', recordType: 'user', recordId: ctx.actor.id }),
  ]);
}

export async function disableTotp(ctx: Ctx, password: string) {
  const { user } = await loadUser(ctx);
  if (!(await verifyPassword(password, user.passwordHash))) throw invalidField('password', 'The password is not correct.', 'incorrect');
  await runBatch(ctx.db, [
    ctx.db.update(users).set({ totpSecret: null, updatedAt: ctx.now().toISOString() }).where(eq(users.id, user.id)),
    auditStatement(ctx, { action: 'auth.totp_disabled', recordType: 'user', recordId: user.id }),
  ]);
}
