import { and, asc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import { runBatch, type Db, type Statement } from '../../db/client';
import { deadLetters, notificationPrefs, notifications, outbox, reminderDigests, reminders, reminderSweeps, tasks, users, workspaces, type EmailMode } from '../../db/schema';
import type { Env, JobMessage } from '../../env';
import { asLocale, type Locale } from '../../lib/i18n';
import { newId } from '../../lib/ids';
import { Mailer } from '../../lib/mailer';
import { notificationStrings } from '../notifications/notifications.messages';
import { notify } from '../notifications/notifications.service';
import { formatDay, formatWhen, reminderStrings as tr } from './reminders.messages';
import { dueRuleEvaluations, evaluateRules, RULES_JOB } from './rules';
import { instantOf, localParts, zoneOf } from './time';

export type Deps = { db: Db; env: Env; now: () => Date };
type ReminderRow = typeof reminders.$inferSelect;

export const DELIVER_JOB = 'reminder.deliver';
export const EMAIL_JOB = 'reminder.email';
export const DIGEST_JOB = 'reminder.digest';
export const MISSED_JOB = 'reminder.missed';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
/** A reminder later than this is not sent on its own after downtime: it goes into one "missed" digest. */
export const FOLD_AFTER_MS = DAY;
/** A claimed reminder whose message seems lost (the Worker died between claim and send) is sent again. */
const REQUEUE_AFTER_MS = 10 * MINUTE;
const SWEEP_LIMIT = 500;

// ── who is reminded, and how ────────────────────────────────────────────────────────────────────

export type Recipient = {
  id: string;
  workspaceId: string;
  email: string;
  name: string;
  isActive: boolean;
  locale: Locale;
  zone: string;
  emailMode: EmailMode;
  digestHour: number;
  quietStart: string | null;
  quietEnd: string | null;
};

/**
 * The recipient query (a user with their workspace's defaults and their preferences), for a batch.
 * Every column has its own name: D1 batch rows are objects, where `locale` or `timezone` of the
 * user and of the workspace would overwrite each other.
 */
export function recipientQuery(db: Db, userId: string, workspaceId?: string) {
  return db
    .select({
      id: users.id,
      workspaceId: users.workspaceId,
      email: users.email,
      name: users.name,
      isActive: users.isActive,
      userLocale: sql<string | null>`${users.locale}`.as('user_locale'),
      userZone: sql<string | null>`${users.timezone}`.as('user_zone'),
      wsLocale: sql<string | null>`${workspaces.locale}`.as('ws_locale'),
      wsZone: sql<string | null>`${workspaces.timezone}`.as('ws_zone'),
      emailMode: sql<EmailMode | null>`${notificationPrefs.emailMode}`.as('pref_email_mode'),
      digestHour: sql<number | null>`${notificationPrefs.digestHour}`.as('pref_digest_hour'),
      quietStart: sql<string | null>`${notificationPrefs.quietStart}`.as('pref_quiet_start'),
      quietEnd: sql<string | null>`${notificationPrefs.quietEnd}`.as('pref_quiet_end'),
    })
    .from(users)
    .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
    .leftJoin(notificationPrefs, eq(notificationPrefs.userId, users.id))
    .where(and(eq(users.id, userId), workspaceId ? eq(users.workspaceId, workspaceId) : undefined))
    .limit(1);
}

export function toRecipient(row: Awaited<ReturnType<typeof recipientQuery>>[number] | undefined): Recipient | undefined {
  if (!row) return undefined;
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    email: row.email,
    name: row.name,
    isActive: Boolean(row.isActive),
    locale: asLocale(row.userLocale ?? row.wsLocale),
    zone: zoneOf(row.userZone, row.wsZone),
    emailMode: row.emailMode ?? 'each',
    digestHour: row.digestHour ?? 8,
    quietStart: row.quietStart ?? null,
    quietEnd: row.quietEnd ?? null,
  };
}

export async function recipientOf(db: Db, userId: string): Promise<Recipient | undefined> {
  return toRecipient((await recipientQuery(db, userId))[0]);
}

/** When quiet hours hold at `now`, the instant they end; else null. A window may wrap midnight. */
export function quietUntil(r: Pick<Recipient, 'quietStart' | 'quietEnd' | 'zone'>, now: Date): Date | null {
  if (!r.quietStart || !r.quietEnd || r.quietStart === r.quietEnd) return null;
  const { date, time } = localParts(now, r.zone);
  const wraps = r.quietStart > r.quietEnd;
  const inside = wraps ? time >= r.quietStart || time < r.quietEnd : time >= r.quietStart && time < r.quietEnd;
  if (!inside) return null;
  // Ends today at quietEnd, unless that is already past (a wrapping window seen before midnight).
  const endToday = instantOf(date, r.quietEnd, r.zone);
  return endToday.getTime() > now.getTime() ? endToday : instantOf(localParts(new Date(now.getTime() + DAY), r.zone).date, r.quietEnd, r.zone);
}

// ── what a reminder says ────────────────────────────────────────────────────────────────────────

type Content = { kind: string; link: string; recordType: string; recordId: string; message: (locale: Locale) => { title: string; body?: string } };

const RECORD_LINKS: Record<string, string> = { task: '/tasks/', contact: '/customers/', company: '/companies/', deal: '/pipeline/' };

/** The reminder's text, or null when there is nothing left to remind of (task done or deleted). */
async function contentOf(db: Db, r: ReminderRow, zone: string): Promise<Content | null> {
  const base = { link: `${RECORD_LINKS[r.recordType] ?? '/'}${r.recordId}`, recordType: r.recordType, recordId: r.recordId };
  if (r.recordType === 'notification') {
    // An email of notify() held back by preferences: the bell entry already has its text.
    const row = await db.select().from(notifications).where(eq(notifications.dedupeKey, r.recordId)).get();
    if (!row) return null;
    return { kind: row.kind, link: row.link ?? '/notifications', recordType: row.recordType ?? 'notification', recordId: row.recordId ?? row.id, message: () => ({ title: row.title, body: row.body ?? undefined }) };
  }
  if (r.recordType === 'task') {
    const task = await db.select().from(tasks).where(eq(tasks.id, r.recordId)).get();
    if (!task || task.doneAt || task.deletedAt) return null;
    return {
      ...base,
      kind: 'task.reminder',
      message: (locale) => ({
        title: tr(locale, 'task.title', { title: task.title }),
        body: [
          task.dueAt ? tr(locale, 'task.due', { when: formatWhen(task.dueAt, locale, zone) }) : task.dueDate ? tr(locale, 'task.dueDay', { date: formatDay(task.dueDate, locale) }) : '',
          r.kind === 'task_snooze' ? tr(locale, 'task.snoozed') : '',
        ]
          .filter(Boolean)
          .join(' '),
      }),
    };
  }
  const d = Object.fromEntries(Object.entries(r.data).map(([k, v]) => [k, String(v ?? '')]));
  const message = (locale: Locale) => {
    const date = d.date ? formatDay(d.date, locale) : '';
    switch (r.kind) {
      case 'contract_ending':
      case 'deal_contract_ending':
        return { title: tr(locale, `${r.kind}.title`, { ...d, date }), body: tr(locale, 'renewal.body') };
      case 'no_contact':
        return { title: tr(locale, 'no_contact.title', d), body: d.last ? tr(locale, 'no_contact.body', { date: formatWhen(d.last, locale, zone) }) : tr(locale, 'no_contact.never') };
      case 'birthday':
        return { title: tr(locale, 'birthday.title', { ...d, date }) };
      default:
        return { title: tr(locale, 'deal_idle.title', d) };
    }
  };
  return { ...base, kind: `reminder.${r.kind}`, message };
}

// ── email, exactly once ─────────────────────────────────────────────────────────────────────────

function emailText(recipient: Recipient, env: Env, title: string, lines: string[], link?: string): string {
  const url = link ? `${env.APP_URL ?? ''}${link}` : undefined;
  return [notificationStrings(recipient.locale, 'email.greeting', { name: recipient.name }), '', title, ...lines, url ? `\n${notificationStrings(recipient.locale, 'email.open', { link: url })}` : '', '', notificationStrings(recipient.locale, 'email.footer')]
    .filter((line, i, all) => line !== '' || all[i - 1] !== '')
    .join('\n');
}

/** Sends a reminder's own email once: the message id is claimed on the reminder row in the same batch. */
async function emailReminder(deps: Deps, r: ReminderRow, recipient: Recipient, content: Content) {
  const mailer = new Mailer(deps.db, deps.env, deps.now);
  const text = content.message(recipient.locale);
  const { id, statement } = mailer.composeIf(
    { workspaceId: r.workspaceId, kind: r.kind === 'notification' ? `notification.${content.kind}` : `reminder.${r.kind}`, to: recipient.email, subject: text.title, text: emailText(recipient, deps.env, text.title, [text.body ?? ''], content.link) },
    (messageId) => sql`exists (select 1 from ${reminders} where ${reminders.id} = ${r.id} and ${reminders.emailMessageId} = ${messageId})`,
  );
  await runBatch(deps.db, [
    deps.db.update(reminders).set({ emailMessageId: id, emailStatus: 'sent', emailAfter: null }).where(and(eq(reminders.id, r.id), isNull(reminders.emailMessageId))),
    statement,
  ]);
  const claimed = await deps.db.select({ id: reminders.id }).from(reminders).where(and(eq(reminders.id, r.id), eq(reminders.emailMessageId, id))).get();
  if (claimed) await mailer.dispatch([id]);
}

// ── the consumer ────────────────────────────────────────────────────────────────────────────────

/**
 * Delivers one due reminder: the bell entry (keyed by the reminder's delivery key), then the email
 * as the user wants it (now, after quiet hours, in the daily digest, or not at all). Safe to run
 * any number of times: each effect is claimed by a unique key.
 */
export async function deliverReminder(deps: Deps, reminderId: string): Promise<void> {
  const r = await deps.db.select().from(reminders).where(eq(reminders.id, reminderId)).get();
  if (!r || r.status === 'delivered' || r.status === 'cancelled' || r.status === 'folded') return;
  const recipient = await recipientOf(deps.db, r.userId);
  const content = recipient?.isActive ? await contentOf(deps.db, r, recipient.zone) : null;
  if (!recipient || !content) {
    await deps.db.update(reminders).set({ status: 'cancelled' }).where(eq(reminders.id, r.id));
    return;
  }
  await notify(deps, { workspaceId: r.workspaceId, userId: r.userId, kind: content.kind, key: r.deliveryKey, link: content.link, recordType: content.recordType, recordId: content.recordId, message: content.message });
  const now = deps.now();
  if (r.emailStatus === 'none' && !r.emailMessageId) {
    const quiet = quietUntil(recipient, now);
    if (recipient.emailMode === 'each' && !quiet) await emailReminder(deps, r, recipient, content);
    else {
      const emailStatus = recipient.emailMode === 'off' ? 'skipped' : recipient.emailMode === 'digest' ? 'digest' : 'deferred';
      await deps.db
        .update(reminders)
        .set({ emailStatus, emailAfter: emailStatus === 'deferred' ? quiet!.toISOString() : null })
        .where(and(eq(reminders.id, r.id), eq(reminders.emailStatus, 'none')));
    }
  }
  await deps.db.update(reminders).set({ status: 'delivered', deliveredAt: now.toISOString(), attempts: r.attempts + 1, lastError: null }).where(eq(reminders.id, r.id));
}

/** The reminder row that holds a notify() email back, keyed by the notification's key. */
export const heldEmailKey = (notificationKey: string) => `notify:${notificationKey}`;

/**
 * For `notify(…, email: true)` from any module: what the recipient's preferences say about an
 * email now. `send`; `skip` (email off); or `hold`, with the statement that keeps it on a
 * `notification` reminder row: until quiet hours end, or for the daily digest. The row is keyed by
 * the notification's key, so a redelivered notify() holds it once and never sends it a second way.
 */
export function emailByPreferences(deps: Deps, n: { workspaceId: string; userId: string; key: string }, recipient: Recipient): { action: 'send' | 'skip' } | { action: 'hold'; statement: Statement } {
  const now = deps.now();
  const quiet = recipient.emailMode === 'each' ? quietUntil(recipient, now) : null;
  if (recipient.emailMode === 'each' && !quiet) return { action: 'send' };
  if (recipient.emailMode === 'off') return { action: 'skip' };
  const at = now.toISOString();
  const statement = deps.db
    .insert(reminders)
    .values({
      id: newId('rem', now.getTime()),
      workspaceId: n.workspaceId,
      userId: n.userId,
      kind: 'notification',
      recordType: 'notification',
      recordId: n.key,
      fireAt: at,
      deliveryKey: heldEmailKey(n.key),
      status: 'delivered',
      deliveredAt: at,
      emailStatus: quiet ? 'deferred' : 'digest',
      emailAfter: quiet ? quiet.toISOString() : null,
      createdAt: at,
    })
    .onConflictDoNothing({ target: reminders.deliveryKey });
  return { action: 'hold', statement };
}

/** Sends an email held back by quiet hours, once they are over (or keeps it waiting). */
export async function sendDeferredEmail(deps: Deps, reminderId: string): Promise<void> {
  const r = await deps.db.select().from(reminders).where(eq(reminders.id, reminderId)).get();
  if (!r || r.emailMessageId || r.emailStatus !== 'deferred') return;
  const recipient = await recipientOf(deps.db, r.userId);
  const content = recipient?.isActive ? await contentOf(deps.db, r, recipient.zone) : null;
  if (!recipient || !content || recipient.emailMode === 'off') {
    await deps.db.update(reminders).set({ emailStatus: 'skipped', emailAfter: null }).where(eq(reminders.id, r.id));
    return;
  }
  if (recipient.emailMode === 'digest') {
    await deps.db.update(reminders).set({ emailStatus: 'digest', emailAfter: null }).where(eq(reminders.id, r.id));
    return;
  }
  const quiet = quietUntil(recipient, deps.now());
  if (quiet) {
    await deps.db.update(reminders).set({ emailAfter: quiet.toISOString() }).where(eq(reminders.id, r.id));
    return;
  }
  await emailReminder(deps, r, recipient, content);
}

/** One email listing reminders; claimed on the digest row so that it is written once. */
async function emailDigest(deps: Deps, digest: typeof reminderDigests.$inferSelect, recipient: Recipient, items: ReminderRow[], title: string, intro: string) {
  const mailer = new Mailer(deps.db, deps.env, deps.now);
  const lines: string[] = [intro, ''];
  for (const item of items) {
    const content = await contentOf(deps.db, item, recipient.zone);
    if (!content) continue;
    const text = content.message(recipient.locale);
    lines.push(`• ${formatWhen(item.fireAt, recipient.locale, recipient.zone)}: ${text.title}${deps.env.APP_URL ? ` (${deps.env.APP_URL}${content.link})` : ''}`);
  }
  const { id, statement } = mailer.composeIf(
    { workspaceId: digest.workspaceId, kind: `reminder.digest.${digest.kind}`, to: recipient.email, subject: title, text: emailText(recipient, deps.env, title, lines) },
    (messageId) => sql`exists (select 1 from ${reminderDigests} where ${reminderDigests.id} = ${digest.id} and ${reminderDigests.emailMessageId} = ${messageId})`,
  );
  const claimed = sql`exists (select 1 from ${reminderDigests} where ${reminderDigests.id} = ${digest.id} and ${reminderDigests.emailMessageId} = ${id})`;
  const statements: Statement[] = [
    deps.db.update(reminderDigests).set({ emailMessageId: id, sentAt: deps.now().toISOString(), itemCount: items.length }).where(and(eq(reminderDigests.id, digest.id), isNull(reminderDigests.emailMessageId))),
  ];
  if (digest.kind === 'daily' && items.length)
    statements.push(
      deps.db
        .update(reminders)
        .set({ digestId: digest.id, emailStatus: 'sent' })
        .where(and(inArray(reminders.id, items.map((i) => i.id)), isNull(reminders.digestId), claimed)),
    );
  statements.push(statement);
  await runBatch(deps.db, statements);
  const sent = await deps.db.select({ id: reminderDigests.id }).from(reminderDigests).where(and(eq(reminderDigests.id, digest.id), eq(reminderDigests.emailMessageId, id))).get();
  if (sent) await mailer.dispatch([id]);
}

/** The daily digest of one user for one local date: everything collected since the last one. */
export async function sendDailyDigest(deps: Deps, userId: string, date: string): Promise<void> {
  const recipient = await recipientOf(deps.db, userId);
  if (!recipient?.isActive) return;
  const key = `daily:${userId}:${date}`;
  await deps.db
    .insert(reminderDigests)
    .values({ id: newId('dig', deps.now().getTime()), workspaceId: recipient.workspaceId, userId, kind: 'daily', key, createdAt: deps.now().toISOString() })
    .onConflictDoNothing({ target: reminderDigests.key });
  const digest = await deps.db.select().from(reminderDigests).where(eq(reminderDigests.key, key)).get();
  if (!digest || digest.emailMessageId) return;
  const items = await deps.db
    .select()
    .from(reminders)
    .where(and(eq(reminders.userId, userId), eq(reminders.emailStatus, 'digest'), isNull(reminders.digestId)))
    .orderBy(asc(reminders.fireAt))
    .limit(90);
  if (!items.length) return;
  await emailDigest(deps, digest, recipient, items, tr(recipient.locale, 'digest.subject', { count: String(items.length) }), tr(recipient.locale, 'digest.intro'));
}

/** The "missed while offline" digest: one bell entry and (unless email is off) one email. */
export async function sendMissedDigest(deps: Deps, digestId: string): Promise<void> {
  const digest = await deps.db.select().from(reminderDigests).where(eq(reminderDigests.id, digestId)).get();
  if (!digest) return;
  const recipient = await recipientOf(deps.db, digest.userId);
  if (!recipient?.isActive) return;
  const items = await deps.db.select().from(reminders).where(eq(reminders.digestId, digest.id)).orderBy(asc(reminders.fireAt)).limit(200);
  const count = String(items.length);
  await notify(deps, {
    workspaceId: digest.workspaceId,
    userId: digest.userId,
    kind: 'reminder.missed',
    key: digest.key,
    link: '/tasks',
    message: (locale) => ({ title: tr(locale, 'missed.title', { count }), body: tr(locale, 'missed.body') }),
  });
  if (recipient.emailMode !== 'off' && !digest.emailMessageId) await emailDigest(deps, digest, recipient, items, tr(recipient.locale, 'missed.title', { count }), tr(recipient.locale, 'missed.body'));
}

// ── the one-minute sweep ────────────────────────────────────────────────────────────────────────

const chunk = <T>(items: T[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

async function enqueue(env: Env, jobs: JobMessage[]) {
  for (const part of chunk(jobs, 100)) if (part.length) await env.JOBS.sendBatch(part.map((body) => ({ body })));
}

export type SweepReport = { queued: number; folded: number; digests: number; deferredEmails: number; sinceLastSweepMs: number | null };

/**
 * Finds every reminder that is due (however long ago: missed ticks catch up) and hands it to the
 * queue. The claim is one UPDATE … RETURNING per reminder state, so two overlapping ticks never
 * both take the same reminder; even if a message is sent twice, delivery is keyed and happens once.
 * Reminders more than a day late are not sent one by one: each user gets one "missed" digest.
 */
export async function sweepDueReminders(deps: { db: Db; env: Env; now: Date }): Promise<SweepReport> {
  const { db, env, now } = deps;
  const at = now.toISOString();
  const watermark = await db.select().from(reminderSweeps).where(eq(reminderSweeps.id, 'global')).get();
  const claimed = await db
    .update(reminders)
    .set({ status: 'queued', queuedAt: at })
    .where(
      sql`${reminders.id} in (select ${reminders.id} from ${reminders} where (${reminders.status} = 'pending' and ${reminders.fireAt} <= ${at})
        or (${reminders.status} = 'queued' and ${reminders.queuedAt} < ${new Date(now.getTime() - REQUEUE_AFTER_MS).toISOString()})
        order by ${reminders.fireAt} limit ${SWEEP_LIMIT})`,
    )
    .returning({ id: reminders.id, userId: reminders.userId, workspaceId: reminders.workspaceId, fireAt: reminders.fireAt, digestId: reminders.digestId });
  const lateBefore = new Date(now.getTime() - FOLD_AFTER_MS).toISOString();
  const onTime = claimed.filter((r) => r.fireAt >= lateBefore);
  const late = claimed.filter((r) => r.fireAt < lateBefore);
  const jobs: JobMessage[] = onTime.map((r) => ({ type: DELIVER_JOB, key: r.id, payload: { id: r.id } }));

  const byUser = new Map<string, typeof late>();
  for (const r of late) byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), r]);
  for (const [userId, items] of byUser) {
    const digestId = newId('dig', now.getTime());
    await runBatch(db, [
      db.insert(reminderDigests).values({ id: digestId, workspaceId: items[0].workspaceId, userId, kind: 'missed', key: `missed:${digestId}`, itemCount: items.length, createdAt: at }),
      ...chunk(items, 90).map((part) =>
        db
          .update(reminders)
          .set({ status: 'folded', digestId })
          .where(and(inArray(reminders.id, part.map((i) => i.id)), eq(reminders.status, 'queued'))),
      ),
    ]);
    jobs.push({ type: MISSED_JOB, key: digestId, payload: { digestId } });
  }

  // Emails held back by quiet hours whose time has come: leased for 10 minutes while in flight.
  const deferred = await db
    .update(reminders)
    .set({ emailAfter: new Date(now.getTime() + REQUEUE_AFTER_MS).toISOString() })
    .where(sql`${reminders.id} in (select ${reminders.id} from ${reminders} where ${reminders.emailStatus} = 'deferred' and ${reminders.emailAfter} <= ${at} limit ${SWEEP_LIMIT})`)
    .returning({ id: reminders.id });
  for (const r of deferred) jobs.push({ type: EMAIL_JOB, key: r.id, payload: { id: r.id } });

  const digests = await dueDailyDigests(db, now);
  for (const d of digests) jobs.push({ type: DIGEST_JOB, key: `daily:${d.userId}:${d.date}`, payload: d });

  // Data reminders: each workspace's rules, once a day from 09:00 its time.
  jobs.push(...(await dueRuleEvaluations(db, now)));

  await enqueue(env, jobs);
  await db
    .insert(reminderSweeps)
    .values({ id: 'global', value: at, updatedAt: at })
    .onConflictDoUpdate({ target: reminderSweeps.id, set: { value: sql`max(${reminderSweeps.value}, ${at})`, updatedAt: at } });
  const sinceLastSweepMs = watermark ? now.getTime() - Date.parse(watermark.value) : null;
  if (sinceLastSweepMs !== null && sinceLastSweepMs > 2 * MINUTE) console.log(`reminders: catching up ${Math.round(sinceLastSweepMs / MINUTE)} minutes since the last sweep`);
  return { queued: onTime.length, folded: late.length, digests: digests.length, deferredEmails: deferred.length, sinceLastSweepMs };
}

/** Users in digest mode whose local digest hour has come today and who have something waiting. */
async function dueDailyDigests(db: Db, now: Date): Promise<{ userId: string; date: string }[]> {
  const waiting = await db
    .select({ userId: reminders.userId, zone: users.timezone, wsZone: workspaces.timezone, hour: notificationPrefs.digestHour })
    .from(reminders)
    .innerJoin(users, eq(users.id, reminders.userId))
    .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
    .innerJoin(notificationPrefs, eq(notificationPrefs.userId, users.id))
    .where(and(eq(reminders.emailStatus, 'digest'), isNull(reminders.digestId), lte(reminders.fireAt, now.toISOString())))
    .groupBy(reminders.userId)
    .limit(1000);
  const due = waiting.flatMap((w) => {
    const local = localParts(now, zoneOf(w.zone, w.wsZone));
    return local.hour >= w.hour ? [{ userId: w.userId, date: local.date }] : [];
  });
  if (!due.length) return [];
  const sent = new Set<string>();
  for (const part of chunk(due, 90)) {
    const rows = await db.select({ key: reminderDigests.key }).from(reminderDigests).where(inArray(reminderDigests.key, part.map((d) => `daily:${d.userId}:${d.date}`)));
    for (const r of rows) sent.add(r.key);
  }
  return due.filter((d) => !sent.has(`daily:${d.userId}:${d.date}`));
}

// ── dead letters ────────────────────────────────────────────────────────────────────────────────

type Handler = (job: JobMessage, deps: Deps & { isLastAttempt: boolean; attempts?: number }) => Promise<void>;

/**
 * A job that fails is retried by the queue with backoff; after its last attempt it lands in the
 * dead-letter list (admins see it and may retry) instead of vanishing, and the message is acked
 * (with `rethrow`, the queue's own dead-letter queue gets it too).
 */
export function withDeadLetter(handler: Handler, workspaceOf?: (job: JobMessage, db: Db) => Promise<string | null>, opts: { rethrow?: boolean } = {}): Handler {
  return async (job, deps) => {
    try {
      await handler(job, deps);
    } catch (err) {
      if (!deps.isLastAttempt) throw err;
      // A database failure wraps its reason in `cause`; the reason is what an admin needs to read.
      const reason = err instanceof Error && err.cause instanceof Error ? err.cause : err;
      const error = String(reason instanceof Error ? reason.message : reason).slice(0, 1000);
      console.error(`job ${job.type} ${job.key} failed for good`, err);
      const at = deps.now().toISOString();
      const workspaceId = workspaceOf ? await workspaceOf(job, deps.db).catch(() => null) : null;
      await deps.db
        .insert(deadLetters)
        .values({ id: newId('dlq', deps.now().getTime()), workspaceId, jobType: job.type, jobKey: job.key, payload: job.payload, error, attempts: deps.attempts ?? 0, createdAt: at })
        .onConflictDoUpdate({ target: [deadLetters.jobType, deadLetters.jobKey], set: { error, attempts: deps.attempts ?? 0, createdAt: at, retriedAt: null, retriedBy: null } });
      if (job.type === DELIVER_JOB)
        await deps.db.update(reminders).set({ status: 'failed', lastError: error }).where(and(eq(reminders.id, String(job.payload.id)), eq(reminders.status, 'queued')));
      // Some jobs keep the queue's own retry and dead-letter queue as well (mail delivery).
      if (opts.rethrow) throw err;
    }
  };
}

/** The workspace of a queued email, for the dead-letter list. */
export const outboxWorkspace = async (job: JobMessage, db: Db) =>
  (await db.select({ ws: outbox.workspaceId }).from(outbox).where(eq(outbox.id, String(job.payload.id))).get())?.ws ?? null;

const reminderWorkspace = async (job: JobMessage, db: Db) =>
  (await db.select({ ws: reminders.workspaceId }).from(reminders).where(eq(reminders.id, String(job.payload.id))).get())?.ws ?? null;

/** The queue handlers of this module, registered in worker/jobs/queue.ts. */
export const reminderJobHandlers: Record<string, Handler> = {
  [DELIVER_JOB]: withDeadLetter((job, deps) => deliverReminder(deps, String(job.payload.id)), reminderWorkspace),
  [EMAIL_JOB]: withDeadLetter((job, deps) => sendDeferredEmail(deps, String(job.payload.id)), reminderWorkspace),
  [DIGEST_JOB]: withDeadLetter((job, deps) => sendDailyDigest(deps, String(job.payload.userId), String(job.payload.date))),
  [MISSED_JOB]: withDeadLetter((job, deps) => sendMissedDigest(deps, String(job.payload.digestId))),
  [RULES_JOB]: withDeadLetter(async (job, deps) => void (await evaluateRules(deps, String(job.payload.workspaceId), String(job.payload.date))), async (job) => String(job.payload.workspaceId)),
};
