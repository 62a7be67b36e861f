import { and, eq, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { runBatch, type Db, type Statement } from '../../db/client';
import { companies, contacts, deals, pipelineStages, reminderRules, reminderSweeps, segments, users, workspaces, type ReminderRuleKind } from '../../db/schema';
import type { Env, JobMessage } from '../../env';
import { systemActor, systemMeta, type Ctx } from '../../lib/context';
import { contactFilters } from '../contacts/contacts.schema';
import { contactConditions } from '../contacts/contacts.service';
import { insertReminder } from './schedule';
import { addDays, ALL_DAY_REMINDER_TIME, instantOf, localParts, zoneOf } from './time';

export const RULES_JOB = 'reminder.rules';
const PER_RULE = 500;
const DAY = 86400_000;

/**
 * Once a day per workspace, at 09:00 workspace time (or the first tick after it, after downtime),
 * the workspace's data reminders are evaluated. The per-workspace watermark (the last local date
 * evaluated) is advanced by the tick that claims it, so overlapping ticks evaluate a day once.
 */
export async function dueRuleEvaluations(db: Db, now: Date): Promise<JobMessage[]> {
  const rows = await db
    .selectDistinct({ workspaceId: reminderRules.workspaceId, timezone: workspaces.timezone })
    .from(reminderRules)
    .innerJoin(workspaces, eq(workspaces.id, reminderRules.workspaceId))
    .where(eq(reminderRules.isEnabled, true));
  const jobs: JobMessage[] = [];
  for (const ws of rows) {
    const local = localParts(now, zoneOf(null, ws.timezone));
    if (local.time < ALL_DAY_REMINDER_TIME) continue;
    const id = `rules:${ws.workspaceId}`;
    const claimed = await db
      .insert(reminderSweeps)
      .values({ id, value: local.date, updatedAt: now.toISOString() })
      .onConflictDoUpdate({ target: reminderSweeps.id, set: { value: local.date, updatedAt: now.toISOString() }, where: sql`${reminderSweeps.value} < ${local.date}` })
      .returning({ id: reminderSweeps.id });
    if (claimed.length) jobs.push({ type: RULES_JOB, key: `${ws.workspaceId}:${local.date}`, payload: { workspaceId: ws.workspaceId, date: local.date } });
  }
  return jobs;
}

type Found = { userId: string | null; recordType: string; recordId: string; key: string; data: Record<string, string | number | null> };

/** Month-day strings (`MM-DD`) from `date` through `days` days later, with the year each falls in. */
function monthDays(date: string, days: number): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i <= Math.min(days, 366); i++) {
    const d = addDays(date, i);
    if (!map.has(d.slice(5))) map.set(d.slice(5), d.slice(0, 4));
  }
  return map;
}

/**
 * Evaluates a workspace's enabled data reminders for one local date and schedules a reminder for
 * each record's owner. Keys make a reminder once per occasion (a contract end date, a silence, a
 * birthday year, a stay in a stage), however often the evaluation runs.
 */
export async function evaluateRules(deps: { db: Db; env: Env; now: () => Date }, workspaceId: string, date: string): Promise<number> {
  const { db } = deps;
  const now = deps.now();
  const ws = await db.select({ timezone: workspaces.timezone }).from(workspaces).where(eq(workspaces.id, workspaceId)).get();
  if (!ws) return 0;
  const zone = zoneOf(null, ws.timezone);
  const fireAt = instantOf(date, ALL_DAY_REMINDER_TIME, zone).toISOString();
  const rules = await db.select().from(reminderRules).where(and(eq(reminderRules.workspaceId, workspaceId), eq(reminderRules.isEnabled, true)));
  // Records nobody owns remind the workspace's owner.
  const fallback = (await db.select({ id: users.id }).from(users).where(and(eq(users.workspaceId, workspaceId), eq(users.role, 'owner'), eq(users.isActive, true))).get())?.id ?? null;
  const found: (Found & { kind: ReminderRuleKind })[] = [];
  for (const rule of rules) {
    const until = addDays(date, rule.days);
    if (rule.kind === 'contract_ending') {
      const rows = await db
        .select({ id: companies.id, name: companies.name, ownerId: companies.ownerId, endsOn: companies.contractEndsOn })
        .from(companies)
        .where(and(eq(companies.workspaceId, workspaceId), isNull(companies.deletedAt), isNull(companies.archivedAt), isNull(companies.mergedIntoId), sql`${companies.contractEndsOn} between ${date} and ${until}`))
        .limit(PER_RULE);
      for (const r of rows) found.push({ kind: rule.kind, userId: r.ownerId, recordType: 'company', recordId: r.id, key: `contract_ending:${r.id}:${r.endsOn}`, data: { name: r.name, date: r.endsOn } });
    } else if (rule.kind === 'deal_contract_ending') {
      const rows = await db
        .select({ id: deals.id, name: deals.name, ownerId: deals.ownerId, endsOn: deals.contractEndOn })
        .from(deals)
        .where(and(eq(deals.workspaceId, workspaceId), isNull(deals.deletedAt), sql`${deals.contractEndOn} between ${date} and ${until}`))
        .limit(PER_RULE);
      for (const r of rows) found.push({ kind: rule.kind, userId: r.ownerId, recordType: 'deal', recordId: r.id, key: `deal_contract_ending:${r.id}:${r.endsOn}`, data: { name: r.name, date: r.endsOn } });
    } else if (rule.kind === 'birthday') {
      const window = monthDays(date, rule.days);
      const rows = await db
        .select({ id: contacts.id, name: contacts.name, ownerId: contacts.ownerId, birthday: contacts.birthday })
        .from(contacts)
        .where(
          and(
            eq(contacts.workspaceId, workspaceId),
            isNull(contacts.deletedAt),
            isNull(contacts.archivedAt),
            isNull(contacts.mergedIntoId),
            isNotNull(contacts.birthday),
            sql`substr(${contacts.birthday}, 6, 5) in (select value from json_each(${JSON.stringify([...window.keys()])}))`,
          ),
        )
        .limit(PER_RULE);
      for (const r of rows) {
        const md = r.birthday!.slice(5, 10);
        const year = window.get(md)!;
        found.push({ kind: rule.kind, userId: r.ownerId, recordType: 'contact', recordId: r.id, key: `birthday:${r.id}:${year}`, data: { name: r.name, date: `${year}-${md}` } });
      }
    } else if (rule.kind === 'no_contact') {
      const since = new Date(now.getTime() - rule.days * DAY).toISOString();
      const ctx: Ctx = { db, actor: systemActor(workspaceId), now: deps.now, env: deps.env, meta: systemMeta() };
      const segmentRows = rule.segmentIds.length ? await db.select().from(segments).where(and(eq(segments.workspaceId, workspaceId), inArray(segments.id, rule.segmentIds), eq(segments.entity, 'contact'))) : [];
      // Without chosen segments, the rule watches every customer (lifecycle "customer").
      const audiences = segmentRows.length
        ? segmentRows.flatMap((s) => {
            const parsed = contactFilters.safeParse(s.filters);
            return parsed.success ? [and(...contactConditions(ctx, parsed.data, { exhaustive: true }))] : [];
          })
        : [and(eq(contacts.workspaceId, workspaceId), eq(contacts.lifecycle, 'customer'), isNull(contacts.deletedAt), isNull(contacts.archivedAt), isNull(contacts.mergedIntoId))];
      if (!audiences.length) continue;
      const rows = await db
        .select({ id: contacts.id, name: contacts.name, ownerId: contacts.ownerId, last: contacts.lastContactedAt })
        .from(contacts)
        .where(and(eq(contacts.workspaceId, workspaceId), or(...audiences), or(lt(contacts.lastContactedAt, since), and(isNull(contacts.lastContactedAt), lt(contacts.createdAt, since)))))
        .limit(PER_RULE);
      for (const r of rows)
        found.push({ kind: rule.kind, userId: r.ownerId, recordType: 'contact', recordId: r.id, key: `no_contact:${r.id}:${r.last ?? 'never'}:${rule.days}`, data: { name: r.name, days: rule.days, last: r.last } });
    } else if (rule.kind === 'deal_idle') {
      const since = new Date(now.getTime() - rule.days * DAY).toISOString();
      const rows = await db
        .select({ id: deals.id, name: deals.name, ownerId: deals.ownerId, enteredAt: deals.stageEnteredAt, stage: pipelineStages.name })
        .from(deals)
        .innerJoin(pipelineStages, eq(pipelineStages.id, deals.stageId))
        .where(and(eq(deals.workspaceId, workspaceId), eq(deals.status, 'open'), isNull(deals.deletedAt), lt(deals.stageEnteredAt, since)))
        .limit(PER_RULE);
      for (const r of rows) {
        const days = Math.floor((now.getTime() - Date.parse(r.enteredAt)) / DAY);
        found.push({ kind: rule.kind, userId: r.ownerId, recordType: 'deal', recordId: r.id, key: `deal_idle:${r.id}:${r.enteredAt}`, data: { name: r.name, stage: r.stage, days } });
      }
    }
  }
  const statements: Statement[] = found.flatMap((f) => {
    const userId = f.userId ?? fallback;
    return userId ? [insertReminder(db, { workspaceId, userId, kind: f.kind, recordType: f.recordType, recordId: f.recordId, fireAt, deliveryKey: `${f.key}:${userId}`, data: f.data }, now)] : [];
  });
  for (let i = 0; i < statements.length; i += 50) await runBatch(db, statements.slice(i, i + 50));
  return statements.length;
}
