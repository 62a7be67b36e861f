import { and, eq, inArray } from 'drizzle-orm';
import { deadLetters, notificationPrefs, outbox, reminderRules, reminders, segments, users, workspaces, REMINDER_RULE_KINDS } from '../../db/schema';
import type { Ctx } from '../../lib/context';
import { audited, diff } from '../../lib/audit';
import { invalidField, notFound, unauthorized } from '../../lib/errors';
import { keyset, toPage, type PageQuery } from '../../lib/pagination';
import { runBatch } from '../../db/client';
import { DELIVER_JOB } from './delivery';
import type { ReminderPrefsInput, ReminderRulesInput } from './reminders.schema';
import { zoneOf } from './time';

const DEFAULT_PREFS = { emailMode: 'each' as const, digestHour: 8, quietStart: null, quietEnd: null, version: 0 };

function userIdOf(ctx: Ctx): string {
  if (ctx.actor.type !== 'user') throw unauthorized('Reminder preferences belong to a signed-in person.');
  return ctx.actor.id;
}

export async function getReminderPrefs(ctx: Ctx) {
  const userId = userIdOf(ctx);
  const row = await ctx.db
    .select({ prefs: notificationPrefs, userZone: users.timezone, wsZone: workspaces.timezone })
    .from(users)
    .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
    .leftJoin(notificationPrefs, eq(notificationPrefs.userId, users.id))
    .where(eq(users.id, userId))
    .get();
  const p = row?.prefs ?? DEFAULT_PREFS;
  return {
    emailMode: p.emailMode,
    digestHour: p.digestHour,
    quietStart: p.quietStart,
    quietEnd: p.quietEnd,
    timezone: row?.userZone ?? null,
    effectiveTimezone: zoneOf(row?.userZone, row?.wsZone),
    version: p.version,
  };
}

export async function putReminderPrefs(ctx: Ctx, input: ReminderPrefsInput) {
  const userId = userIdOf(ctx);
  const current = await getReminderPrefs(ctx);
  const next = { ...current, ...input };
  if ((next.quietStart === null) !== (next.quietEnd === null)) throw invalidField(next.quietStart === null ? 'quietStart' : 'quietEnd', 'Give both ends of the quiet hours, or neither.', 'required');
  const at = ctx.now().toISOString();
  const values = { emailMode: next.emailMode, digestHour: next.digestHour, quietStart: next.quietStart, quietEnd: next.quietEnd, version: current.version + 1, updatedAt: at };
  await audited(
    ctx,
    { action: 'reminder_prefs.updated', recordType: 'user', recordId: userId, changes: diff(current, next) },
    ctx.db
      .insert(notificationPrefs)
      .values({ userId, workspaceId: ctx.actor.workspaceId, ...values })
      .onConflictDoUpdate({ target: notificationPrefs.userId, set: values }),
  );
  return getReminderPrefs(ctx);
}

const RULE_DEFAULTS: Record<(typeof REMINDER_RULE_KINDS)[number], number> = { contract_ending: 30, deal_contract_ending: 30, no_contact: 30, birthday: 0, deal_idle: 14 };

export async function getReminderRules(ctx: Ctx) {
  const rows = await ctx.db.select().from(reminderRules).where(eq(reminderRules.workspaceId, ctx.actor.workspaceId));
  return {
    rules: REMINDER_RULE_KINDS.map((kind) => {
      const row = rows.find((r) => r.kind === kind);
      return { kind, isEnabled: row?.isEnabled ?? false, days: row?.days ?? RULE_DEFAULTS[kind], segmentIds: row?.segmentIds ?? [] };
    }),
  };
}

export async function putReminderRules(ctx: Ctx, input: ReminderRulesInput) {
  const current = await getReminderRules(ctx);
  const segmentIds = [...new Set(input.rules.flatMap((r) => r.segmentIds ?? []))];
  if (segmentIds.length) {
    const found = await ctx.db.select({ id: segments.id }).from(segments).where(and(eq(segments.workspaceId, ctx.actor.workspaceId), inArray(segments.id, segmentIds)));
    const missing = segmentIds.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) {
      const index = input.rules.findIndex((r) => r.segmentIds?.some((id) => missing.includes(id)));
      throw invalidField(`rules.${index}.segmentIds`, 'No such segment.', 'not_found');
    }
  }
  const at = ctx.now().toISOString();
  const statements = input.rules.map((rule) => {
    const before = current.rules.find((r) => r.kind === rule.kind)!;
    const values = { isEnabled: rule.isEnabled ?? before.isEnabled, days: rule.days ?? before.days, segmentIds: rule.segmentIds ?? before.segmentIds, updatedAt: at };
    return ctx.db
      .insert(reminderRules)
      .values({ workspaceId: ctx.actor.workspaceId, kind: rule.kind, ...values })
      .onConflictDoUpdate({ target: [reminderRules.workspaceId, reminderRules.kind], set: values });
  });
  await audited(ctx, { action: 'reminder_rules.updated', recordType: 'workspace', recordId: ctx.actor.workspaceId, changes: { rules: { before: current.rules, after: input.rules } } }, ...statements);
  return getReminderRules(ctx);
}

export async function listDeadLetters(ctx: Ctx, query: PageQuery) {
  const page = keyset(query, deadLetters.createdAt, deadLetters.id, 'desc');
  const rows = await ctx.db
    .select()
    .from(deadLetters)
    .where(and(eq(deadLetters.workspaceId, ctx.actor.workspaceId), page.where))
    .orderBy(...page.orderBy)
    .limit(page.limit);
  const result = toPage(rows, query, (r) => ({ k: r.createdAt, id: r.id }));
  return { ...result, items: result.items.map(({ workspaceId: _ws, retriedBy: _by, ...rest }) => rest) };
}

/** Sends a dead job to the queue again; its effects stay exactly-once (keyed), so a retry is safe. */
export async function retryDeadLetter(ctx: Ctx, id: string) {
  const row = await ctx.db.select().from(deadLetters).where(and(eq(deadLetters.id, id), eq(deadLetters.workspaceId, ctx.actor.workspaceId))).get();
  if (!row) throw notFound('Dead letter');
  const at = ctx.now().toISOString();
  const statements = [ctx.db.update(deadLetters).set({ retriedAt: at, retriedBy: ctx.actor.id }).where(eq(deadLetters.id, id))];
  if (row.jobType === DELIVER_JOB)
    statements.push(ctx.db.update(reminders).set({ status: 'queued', queuedAt: at }).where(and(eq(reminders.id, String(row.payload.id)), eq(reminders.status, 'failed'))) as never);
  if (row.jobType === 'mail.deliver')
    statements.push(ctx.db.update(outbox).set({ status: 'queued' }).where(and(eq(outbox.id, String(row.payload.id)), eq(outbox.status, 'failed'))) as never);
  await runBatch(ctx.db, statements);
  await ctx.env.JOBS.send({ type: row.jobType, key: row.jobKey, payload: row.payload });
  await audited(ctx, { action: 'dead_letter.retried', recordType: 'dead_letter', recordId: id });
  return { id, retriedAt: at };
}
