import { and, count, eq, isNull, sql } from 'drizzle-orm';
import { notifications, reminders } from '../../db/schema';
import { runBatch, type Db, type Statement } from '../../db/client';
import type { Env } from '../../env';
import type { Ctx } from '../../lib/context';
import { notFound } from '../../lib/errors';
import type { Locale } from '../../lib/i18n';
import { newId } from '../../lib/ids';
import { Mailer, type MailMessage } from '../../lib/mailer';
import { keyset, toPage } from '../../lib/pagination';
import { emailByPreferences, heldEmailKey, recipientQuery, toRecipient, type Recipient } from '../reminders/delivery';
import { notificationStrings } from './notifications.messages';
import type { ListNotificationsQuery } from './notifications.schema';

export type NotifyDeps = { db: Db; env: Env; now: () => Date };

export type NotifyInput = {
  workspaceId: string;
  userId: string;
  /** What happened, e.g. `deal.assigned`, `lead.assigned`, `task.reminder`. */
  kind: string;
  /** Unique per effect: the same key never makes a second notification or email. */
  key: string;
  /** App-relative path to the record, e.g. `/pipeline/deals/dl_…`. */
  link?: string;
  recordType?: string;
  recordId?: string;
  /** The text in the recipient's language. */
  message: (locale: Locale) => { title: string; body?: string };
  email?: boolean;
};

/**
 * Tells a user about something: one bell entry and, with `email`, one email, whatever retries or
 * overlapping deliveries call it with the same `key`. Returns false when nothing new was created
 * (the key was delivered before, or the user is gone or deactivated). Two round trips: what is
 * known (the recipient, an email already held or sent for the key), then the writes.
 */
export async function notify(deps: NotifyDeps, n: NotifyInput): Promise<boolean> {
  const { db } = deps;
  const [recipientRows, held, existing] = await db.batch([
    recipientQuery(db, n.userId, n.workspaceId),
    db.select({ id: reminders.id }).from(reminders).where(eq(reminders.deliveryKey, heldEmailKey(n.key))).limit(1),
    db.select({ emailMessageId: notifications.emailMessageId }).from(notifications).where(eq(notifications.dedupeKey, n.key)).limit(1),
  ]);
  const user = toRecipient(recipientRows[0]);
  if (!user?.isActive) return false;
  const message = n.message(user.locale);
  const statements: Statement[] = [
    db
      .insert(notifications)
      .values({
        id: newId('ntf', deps.now().getTime()),
        workspaceId: n.workspaceId,
        userId: n.userId,
        kind: n.kind,
        title: message.title,
        body: message.body ?? null,
        link: n.link ?? null,
        recordType: n.recordType ?? null,
        recordId: n.recordId ?? null,
        dedupeKey: n.key,
        createdAt: deps.now().toISOString(),
      })
      .onConflictDoNothing({ target: notifications.dedupeKey })
      .returning({ id: notifications.id }),
  ];
  // The email is decided once per key: held or sent before means never again. The recipient's
  // preferences apply (worker/modules/reminders): email off, held through quiet hours, or
  // collected into the daily digest.
  const decision = n.email && !held.length && !existing[0]?.emailMessageId ? emailByPreferences(deps, n, user) : { action: 'skip' as const };
  if (decision.action === 'hold') statements.push(decision.statement);
  const email = decision.action === 'send' ? emailStatements(deps, n, user, message) : null;
  if (email) statements.push(...email.statements);
  const results = await runBatch(db, statements);
  // The claim (after the bell entry in the same batch) says whether this call owns the email.
  if (email && (results[1] as unknown[]).length) await email.mailer.dispatch([email.id], { [email.id]: email.message });
  return (results[0] as unknown[]).length > 0;
}

/** The email's claim on the bell entry and its outbox row, written only if the claim held. */
function emailStatements(deps: NotifyDeps, n: NotifyInput, user: Recipient, message: { title: string; body?: string }) {
  const mailer = new Mailer(deps.db, deps.env, deps.now);
  const url = n.link ? `${deps.env.APP_URL ?? ''}${n.link}` : deps.env.APP_URL;
  const tr = notificationStrings;
  const text = [tr(user.locale, 'email.greeting', { name: user.name }), '', message.title, message.body ?? '', url ? `\n${tr(user.locale, 'email.open', { link: url })}` : '', '', tr(user.locale, 'email.footer')]
    .filter((line, i, all) => line !== '' || all[i - 1] !== '')
    .join('\n');
  const mail: MailMessage = { workspaceId: n.workspaceId, kind: `notification.${n.kind}`, to: user.email, subject: message.title, text };
  const { id, statement } = mailer.composeIf(
    mail,
    (messageId) => sql`exists (select 1 from ${notifications} where ${notifications.dedupeKey} = ${n.key} and ${notifications.emailMessageId} = ${messageId})`,
  );
  const claim = deps.db
    .update(notifications)
    .set({ emailMessageId: id })
    .where(and(eq(notifications.dedupeKey, n.key), isNull(notifications.emailMessageId)))
    .returning({ id: notifications.id });
  return { id, mailer, message: mail, statements: [claim, statement] as Statement[] };
}

export type NotificationView = Omit<typeof notifications.$inferSelect, 'workspaceId' | 'userId' | 'dedupeKey' | 'emailMessageId'>;

const view = (r: typeof notifications.$inferSelect): NotificationView => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  body: r.body,
  link: r.link,
  recordType: r.recordType,
  recordId: r.recordId,
  readAt: r.readAt,
  createdAt: r.createdAt,
});

/** The signed-in user's notifications, newest first. */
export async function listNotifications(ctx: Ctx, query: ListNotificationsQuery) {
  const page = keyset(query, notifications.createdAt, notifications.id, 'desc');
  const rows = await ctx.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, ctx.actor.id ?? ''), eq(notifications.workspaceId, ctx.actor.workspaceId), query.unread ? isNull(notifications.readAt) : undefined, page.where))
    .orderBy(...page.orderBy)
    .limit(page.limit);
  const result = toPage(rows, query, (r) => ({ k: r.createdAt, id: r.id }));
  return { ...result, items: result.items.map(view) };
}

export async function unreadCount(ctx: Ctx): Promise<{ unread: number }> {
  const row = await ctx.db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, ctx.actor.id ?? ''), eq(notifications.workspaceId, ctx.actor.workspaceId), isNull(notifications.readAt)))
    .get();
  return { unread: row?.n ?? 0 };
}

export async function markRead(ctx: Ctx, id: string): Promise<NotificationView> {
  const mine = and(eq(notifications.id, id), eq(notifications.userId, ctx.actor.id ?? ''), eq(notifications.workspaceId, ctx.actor.workspaceId));
  const [row] = await ctx.db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, ${ctx.now().toISOString()})` })
    .where(mine)
    .returning();
  if (!row) throw notFound('Notification');
  return view(row);
}

export async function markAllRead(ctx: Ctx): Promise<{ updated: number }> {
  const rows = await ctx.db
    .update(notifications)
    .set({ readAt: ctx.now().toISOString() })
    .where(and(eq(notifications.userId, ctx.actor.id ?? ''), eq(notifications.workspaceId, ctx.actor.workspaceId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return { updated: rows.length };
}

