import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { invitations, teams, users, workspaces } from '../../db/schema';
import { runBatch } from '../../db/client';
import type { Actor } from '../../env';
import { auditStatement, diff } from '../../lib/audit';
import type { Ctx, PublicCtx } from '../../lib/context';
import { hashPassword, sha256Hex } from '../../lib/crypto';
import { AppError, conflict, forbidden, invalidField, notFound } from '../../lib/errors';
import { asLocale, t } from '../../lib/i18n';
import { newId, randomToken } from '../../lib/ids';
import { Mailer } from '../../lib/mailer';
import { newSession } from '../auth/session.service';
import { meOf } from '../auth/auth.service';
import type { AcceptInvitationInput } from '../auth/auth.schema';
import type { CreateInvitationInput } from './users.schema';

const INVITATION_DAYS = 7;
type InvitationRow = typeof invitations.$inferSelect;

function publicInvitation(i: InvitationRow, now: Date) {
  const status = i.acceptedAt ? 'accepted' : i.revokedAt ? 'revoked' : i.expiresAt <= now.toISOString() ? 'expired' : 'pending';
  return { id: i.id, email: i.email, role: i.role, teamId: i.teamId, invitedBy: i.invitedBy, status, expiresAt: i.expiresAt, createdAt: i.createdAt };
}

export async function listInvitations(ctx: Ctx) {
  const rows = await ctx.db
    .select()
    .from(invitations)
    .where(eq(invitations.workspaceId, ctx.actor.workspaceId))
    .orderBy(desc(invitations.createdAt))
    .limit(200);
  return { items: rows.map((r) => publicInvitation(r, ctx.now())), nextCursor: null };
}

async function inviteMail(ctx: Ctx, invitation: InvitationRow, token: string) {
  const ws = await ctx.db.select().from(workspaces).where(eq(workspaces.id, ctx.actor.workspaceId)).get();
  const locale = asLocale(ws?.locale);
  const inviter = ctx.actor.type === 'user' ? ctx.actor.name : (ws?.name ?? 'Hearth');
  const link = `${ctx.meta.origin}/accept-invitation?token=${encodeURIComponent(token)}`;
  const mailer = new Mailer(ctx.db, ctx.env, ctx.now);
  const message = mailer.compose({
    workspaceId: ctx.actor.workspaceId,
    kind: 'invitation',
    to: invitation.email,
    subject: t(locale, 'invite.subject', { inviter, workspace: ws?.name ?? '' }),
    text: t(locale, 'invite.body', { inviter, workspace: ws?.name ?? '', role: t(locale, `role.${invitation.role}`), link }),
  });
  return { mailer, message };
}

/** Invites someone by email with a role (and team); the link is emailed and valid for 7 days. */
export async function createInvitation(ctx: Ctx, input: CreateInvitationInput) {
  if (input.role === 'owner' && ctx.actor.role !== 'owner') throw forbidden('Only an owner can invite an owner.');
  if (input.teamId) {
    const team = await ctx.db.select({ id: teams.id }).from(teams).where(and(eq(teams.id, input.teamId), eq(teams.workspaceId, ctx.actor.workspaceId))).get();
    if (!team) throw invalidField('teamId', 'No such team.', 'not_found');
  }
  const existing = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).get();
  if (existing) throw conflict('email_taken', 'This person already has an account.', { errors: [{ field: 'email', message: 'Already has an account.', code: 'taken' }] });
  const now = ctx.now();
  const token = randomToken(24);
  const invitation: InvitationRow = {
    id: newId('inv'),
    workspaceId: ctx.actor.workspaceId,
    email: input.email,
    role: input.role,
    teamId: input.teamId ?? null,
    tokenHash: await sha256Hex(token),
    invitedBy: ctx.actor.id ?? 'system',
    expiresAt: new Date(now.getTime() + INVITATION_DAYS * 86400_000).toISOString(),
    acceptedAt: null,
    revokedAt: null,
    createdAt: now.toISOString(),
  };
  const { mailer, message } = await inviteMail(ctx, invitation, token);
  await runBatch(ctx.db, [
    ctx.db.insert(invitations).values(invitation),
    message.statement,
    auditStatement(ctx, { action: 'user.invited', recordType: 'invitation', recordId: invitation.id, changes: diff(null, { email: invitation.email, role: invitation.role, teamId: invitation.teamId }) }),
  ]);
  await mailer.dispatch([message.id]);
  return publicInvitation(invitation, now);
}

export async function revokeInvitation(ctx: Ctx, id: string) {
  const row = await ctx.db.select().from(invitations).where(and(eq(invitations.id, id), eq(invitations.workspaceId, ctx.actor.workspaceId))).get();
  if (!row) throw notFound('Invitation');
  if (row.acceptedAt) throw conflict('already_accepted', 'This invitation was already accepted.');
  if (row.revokedAt) return;
  await runBatch(ctx.db, [
    ctx.db.update(invitations).set({ revokedAt: ctx.now().toISOString() }).where(eq(invitations.id, id)),
    auditStatement(ctx, { action: 'user.invitation_revoked', recordType: 'invitation', recordId: id }),
  ]);
}

async function findUsable(ctx: PublicCtx, token: string) {
  const row = await ctx.db
    .select({ invitation: invitations, workspace: workspaces })
    .from(invitations)
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .where(
      and(
        eq(invitations.tokenHash, await sha256Hex(token)),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, ctx.now().toISOString()),
      ),
    )
    .get();
  if (!row) throw new AppError(404, 'invitation_not_found', 'This invitation is invalid, used, revoked or expired.');
  return row;
}

export async function previewInvitation(ctx: PublicCtx, token: string) {
  const { invitation, workspace } = await findUsable(ctx, token);
  return { email: invitation.email, role: invitation.role, workspaceName: workspace.name, locale: workspace.locale };
}

/** Creates the invited user with the invitation's role and team and signs them in. */
export async function acceptInvitation(ctx: PublicCtx, input: AcceptInvitationInput) {
  const { invitation, workspace } = await findUsable(ctx, input.token);
  const now = ctx.now().toISOString();
  const user: typeof users.$inferSelect = {
    id: newId('usr'),
    workspaceId: invitation.workspaceId,
    email: invitation.email,
    name: input.name,
    passwordHash: await hashPassword(input.password),
    role: invitation.role,
    teamId: invitation.teamId,
    locale: null,
    timezone: null,
    isActive: true,
    totpSecret: null,
    totpLastStep: null,
    lastLoginAt: now,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const session = await newSession(ctx.db, user, ctx.meta, ctx.now());
  const actor: Actor = { type: 'user', id: user.id, workspaceId: user.workspaceId, role: user.role, teamId: user.teamId, name: user.name, email: user.email, locale: null, timezone: null, sessionId: session.id };
  try {
    await runBatch(ctx.db, [
      // The guard on accepted_at makes a double submit of the same link create one user.
      ctx.db.update(invitations).set({ acceptedAt: now }).where(and(eq(invitations.id, invitation.id), isNull(invitations.acceptedAt))),
      ctx.db.insert(users).values(user),
      session.statement,
      auditStatement({ ...ctx, actor }, { action: 'user.invitation_accepted', recordType: 'user', recordId: user.id, changes: diff(null, { email: user.email, role: user.role, teamId: user.teamId }) }),
    ]);
  } catch (err) {
    if (String(err).includes('UNIQUE')) throw conflict('email_taken', 'This invitation was already used.');
    throw err;
  }
  return { token: session.token, me: meOf(user, workspace) };
}
