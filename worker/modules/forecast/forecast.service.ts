import { TZDate, tzOffset } from '@date-fns/tz';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { deals, dealStageTimes, pipelineStages, teams, users, workspaces } from '../../db/schema';
import { visibleTo } from '../../lib/visibility';
import type { Ctx } from '../../lib/context';
import { invalidField } from '../../lib/errors';
import { dealVisibleTo } from '../deals/deals.service';
import { defaultPipeline, findPipeline } from '../pipelines/pipelines.service';
import type { ForecastQuery, PeriodQuery } from './forecast.schema';

/**
 * Sales reports over the deals the actor may see (the visibility rule is in every query). Money
 * sums take the deals of one currency (the workspace's unless asked); counts take all deals.
 * Timestamps fall into days and months of the workspace's time zone; expected close dates are
 * dates already.
 */

type Workspace = { currency: string; timezone: string };

async function workspaceOf(ctx: Ctx): Promise<Workspace> {
  const ws = await ctx.db.select({ currency: workspaces.currency, timezone: workspaces.timezone }).from(workspaces).where(eq(workspaces.id, ctx.actor.workspaceId)).get();
  return ws ?? { currency: 'CNY', timezone: 'UTC' };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The instant (UTC ISO) a local date starts in the time zone. */
function startOfDay(date: string, tz: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(+new TZDate(y, m - 1, d, tz)).toISOString();
}

function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const total = y * 12 + (m - 1) + n;
  return `${Math.floor(total / 12)}-${pad((total % 12) + 1)}`;
}

function localToday(tz: string, now: Date): string {
  const local = new TZDate(now.getTime(), tz);
  return `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`;
}

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** SQLite modifier that shifts a UTC timestamp into the zone (its offset at `at`). */
const shift = (tz: string, at: Date) => {
  const minutes = tzOffset(tz, at);
  return `${minutes >= 0 ? '+' : ''}${minutes} minutes`;
};

/** The owner (`me` or an id) and team filters of a report, on a table's owner column. */
function ownerFilters(ctx: Ctx, q: { ownerId?: string; teamId?: string }, ownerColumn: SQLiteColumn): SQL[] {
  const ownerId = q.ownerId === 'me' ? (ctx.actor.type === 'user' ? ctx.actor.id : '') : q.ownerId;
  return [
    ownerId ? eq(ownerColumn, ownerId) : undefined,
    q.teamId ? sql`${ownerColumn} in (select ${users.id} from ${users} where ${users.workspaceId} = ${ctx.actor.workspaceId} and ${users.teamId} = ${q.teamId})` : undefined,
  ].filter((c): c is SQL => c !== undefined);
}

/** Visibility, pipeline, owner and team filters shared by the reports. */
function scopeConditions(ctx: Ctx, q: { pipelineId?: string; ownerId?: string; teamId?: string }): SQL[] {
  return [dealVisibleTo(ctx), ...(q.pipelineId ? [eq(deals.pipelineId, q.pipelineId)] : []), ...ownerFilters(ctx, q, deals.ownerId)];
}

export type ForecastRow = { month: string; won: number; wonCount: number; open: number; openCount: number; weighted: number; bestCase: number };

const emptyRow = (month: string): ForecastRow => ({ month, won: 0, wonCount: 0, open: 0, openCount: 0, weighted: 0, bestCase: 0 });

function addTo(row: ForecastRow, part: Partial<ForecastRow>) {
  row.won += part.won ?? 0;
  row.wonCount += part.wonCount ?? 0;
  row.open += part.open ?? 0;
  row.openCount += part.openCount ?? 0;
  row.weighted += part.weighted ?? 0;
  row.bestCase = row.won + row.open;
}

/**
 * Forecast by month: won (amount of won deals by the month they were won), open and weighted
 * pipeline (open deals by month of expected close; weighted = Σ amount × stage probability),
 * best case = won + open; in total, per rep and per team (the owner's team). Two grouped
 * queries (won, open) and the directory, in one batch.
 */
export async function forecast(ctx: Ctx, q: ForecastQuery) {
  const ws = await workspaceOf(ctx);
  const currency = q.currency ?? ws.currency;
  const thisMonth = localToday(ws.timezone, ctx.now()).slice(0, 7);
  const from = q.from ?? thisMonth;
  const to = q.to ?? (q.from ? addMonths(q.from, 5) : addMonths(thisMonth, 5));
  const months: string[] = [];
  for (let m = from; m <= to && months.length <= 60; m = addMonths(m, 1)) months.push(m);
  if (months.length > 60) throw invalidField('to', 'A forecast covers at most 60 months.', 'too_big');
  const start = startOfDay(`${from}-01`, ws.timezone);
  const end = startOfDay(`${addMonths(to, 1)}-01`, ws.timezone);
  const base = and(...scopeConditions(ctx, q), eq(deals.currency, currency));
  const wonMonth = sql<string>`strftime('%Y-%m', ${deals.wonAt}, ${shift(ws.timezone, new Date(start))})`;

  const [wonRows, openRows, people, teamRows] = await ctx.db.batch([
    ctx.db
      .select({ ownerId: deals.ownerId, month: wonMonth.as('won_month'), count: sql<number>`count(*)`, amount: sql<number>`coalesce(sum(${deals.amount}), 0)` })
      .from(deals)
      .where(and(base, eq(deals.status, 'won'), sql`${deals.wonAt} >= ${start} and ${deals.wonAt} < ${end}`))
      .groupBy(deals.ownerId, sql`won_month`),
    ctx.db
      .select({
        ownerId: deals.ownerId,
        month: deals.closeMonth,
        count: sql<number>`count(*)`,
        amount: sql<number>`coalesce(sum(${deals.amount}), 0)`,
        weighted: sql<number>`coalesce(sum(cast(round(${deals.amount} * ${pipelineStages.probability} / 100.0) as integer)), 0)`,
      })
      .from(deals)
      .innerJoin(pipelineStages, eq(pipelineStages.id, deals.stageId))
      .where(and(base, eq(deals.status, 'open'), sql`${deals.closeMonth} >= ${from} and ${deals.closeMonth} <= ${to}`))
      .groupBy(deals.ownerId, deals.closeMonth),
    ctx.db.select({ id: users.id, name: users.name, teamId: users.teamId }).from(users).where(eq(users.workspaceId, ctx.actor.workspaceId)),
    ctx.db.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.workspaceId, ctx.actor.workspaceId)),
  ]);

  const person = new Map(people.map((p) => [p.id, p]));
  const teamName = new Map(teamRows.map((t) => [t.id, t.name]));
  type Group = { months: Map<string, ForecastRow>; total: ForecastRow };
  const newGroup = (): Group => ({ months: new Map(months.map((m) => [m, emptyRow(m)])), total: emptyRow('total') });
  const totals = newGroup();
  const reps = new Map<string, Group>();
  const teamGroups = new Map<string, Group>();
  const add = (ownerId: string | null, month: string, part: Partial<ForecastRow>) => {
    const teamId = ownerId ? (person.get(ownerId)?.teamId ?? null) : null;
    const groups = [totals, reps.get(ownerId ?? '') ?? reps.set(ownerId ?? '', newGroup()).get(ownerId ?? '')!, teamGroups.get(teamId ?? '') ?? teamGroups.set(teamId ?? '', newGroup()).get(teamId ?? '')!];
    for (const g of groups) {
      const row = g.months.get(month);
      if (!row) continue;
      addTo(row, part);
      addTo(g.total, part);
    }
  };
  for (const r of wonRows) add(r.ownerId, r.month, { won: Number(r.amount), wonCount: Number(r.count) });
  for (const r of openRows) if (r.month) add(r.ownerId, r.month, { open: Number(r.amount), openCount: Number(r.count), weighted: Number(r.weighted) });

  const rowsOf = (g: Group) => months.map((m) => g.months.get(m)!);
  return {
    currency,
    from,
    to,
    months,
    totals: rowsOf(totals),
    total: totals.total,
    byRep: [...reps.entries()]
      .map(([ownerId, g]) => {
        const p = ownerId ? person.get(ownerId) : undefined;
        return { ownerId: ownerId || null, ownerName: p?.name ?? null, teamId: p?.teamId ?? null, months: rowsOf(g), total: g.total };
      })
      .sort((a, b) => b.total.bestCase - a.total.bestCase || (a.ownerName ?? '').localeCompare(b.ownerName ?? '')),
    byTeam: [...teamGroups.entries()]
      .map(([teamId, g]) => ({ teamId: teamId || null, teamName: teamId ? (teamName.get(teamId) ?? null) : null, months: rowsOf(g), total: g.total }))
      .sort((a, b) => b.total.bestCase - a.total.bestCase || (a.teamName ?? '').localeCompare(b.teamName ?? '')),
  };
}

async function pipelineOf(ctx: Ctx, pipelineId: string | undefined) {
  return pipelineId ? findPipeline(ctx, pipelineId) : defaultPipeline(ctx);
}

/** Local period [from, to] as instants [start, end), defaulting to the last 90 days. */
function period(q: { from?: string; to?: string }, ws: Workspace, now: Date) {
  const today = localToday(ws.timezone, now);
  const to = q.to ?? today;
  const from = q.from ?? addDays(to, -89);
  return { from, to, start: startOfDay(from, ws.timezone), end: startOfDay(addDays(to, 1), ws.timezone) };
}

/**
 * Historical win rate per stage, from the stage history: of the deals that reached a stage, how
 * many ended won, as a share of those that ended (won + lost). Optional period on creation date.
 */
export async function winRates(ctx: Ctx, q: PeriodQuery) {
  const ws = await workspaceOf(ctx);
  const { pipeline, stages } = await pipelineOf(ctx, q.pipelineId);
  const created = q.from || q.to ? period(q, ws, ctx.now()) : null;
  const where = and(
    ...scopeConditions(ctx, { ...q, pipelineId: undefined }),
    q.source ? eq(deals.source, q.source) : undefined,
    created ? sql`${deals.createdAt} >= ${created.start} and ${deals.createdAt} < ${created.end}` : undefined,
  );
  // Per status, how many of the pipeline's deals ever entered each stage: from the deal's reached
  // bits, or (a stage without a bit) one index seek per deal on the covering history index.
  const reachedColumns = stages.map((s, i) =>
    s.bit !== null
      ? sql`sum((${deals.reachedStageBits} & ${sql.raw((1n << BigInt(s.bit)).toString())}) <> 0) as ${sql.identifier(`s${i}`)}`
      : sql`sum(exists (select 1 from deal_stage_history h where h.deal_id = ${deals.id} and h.to_stage_id = ${s.id})) as ${sql.identifier(`s${i}`)}`,
  );
  const rows = stages.length
    ? await ctx.db.all<Record<string, number | string>>(sql`
        select ${deals.status} as status, ${sql.join(reachedColumns, sql`, `)}
        from ${deals} where ${and(eq(deals.pipelineId, pipeline.id), where)}
        group by ${deals.status}`)
    : [];
  const by = new Map<string, { won: number; lost: number; open: number }>();
  for (const r of rows) {
    stages.forEach((s, i) => {
      const e = by.get(s.id) ?? { won: 0, lost: 0, open: 0 };
      e[r.status as 'won' | 'lost' | 'open'] += Number(r[`s${i}`] ?? 0);
      by.set(s.id, e);
    });
  }
  return {
    pipelineId: pipeline.id,
    from: created?.from ?? null,
    to: created?.to ?? null,
    stages: stages.map((s) => {
      const e = by.get(s.id) ?? { won: 0, lost: 0, open: 0 };
      const reached = e.won + e.lost + e.open;
      return { stageId: s.id, name: s.name, kind: s.kind, position: s.position, reached, won: e.won, lost: e.lost, open: e.open, winRate: e.won + e.lost > 0 ? e.won / (e.won + e.lost) : null };
    }),
  };
}

/**
 * The funnel of the deals created in a period: per stage how many are in it now, how many
 * reached it (an open stage counts the deals that got there or further, and every won deal; a
 * won or lost stage counts the deals that ended there), the conversion to the next open stage
 * (the last open stage converts to won) and the average days spent in the stage.
 */
export async function funnel(ctx: Ctx, q: PeriodQuery) {
  const ws = await workspaceOf(ctx);
  const { pipeline, stages } = await pipelineOf(ctx, q.pipelineId);
  const p = period(q, ws, ctx.now());
  const cohort = and(
    ...scopeConditions(ctx, { ...q, pipelineId: pipeline.id }),
    q.source ? eq(deals.source, q.source) : undefined,
    sql`${deals.createdAt} >= ${p.start} and ${deals.createdAt} < ${p.end}`,
  );
  const open = stages.filter((s) => s.kind === 'open');
  // Average time per stage left, from the per-deal stage totals the triggers keep (one covering
  // index scan), under the same visibility and filters as the cohort.
  const t = dealStageTimes;
  const times = ctx.db
    .select({ stageId: t.stageId, seconds: sql<number>`sum(${t.seconds})`.as('seconds'), moves: sql<number>`sum(${t.moves})`.as('moves') })
    .from(t)
    .where(
      and(
        visibleTo(ctx.actor, t),
        eq(t.live, true),
        eq(t.pipelineId, pipeline.id),
        ...ownerFilters(ctx, q, t.ownerId),
        q.source ? eq(t.source, q.source) : undefined,
        sql`${t.createdAt} >= ${p.start} and ${t.createdAt} < ${p.end}`,
      ),
    )
    .groupBy(t.stageId);
  // reached[i]: deals that entered open stage i or a later open stage, plus every won deal: a test
  // of each deal's reached-stage bits, or (stages without a bit, in a pipeline that has had more
  // than 63) an index seek on the history.
  const reachedLater = (i: number) => {
    const later = open.slice(i);
    const mask = later.reduce((m, s) => (s.bit === null ? m : m | (1n << BigInt(s.bit))), 0n);
    const withoutBit = later.some((s) => s.bit === null)
      ? [sql`exists (select 1 from deal_stage_history h join ${pipelineStages} s on s.id = h.to_stage_id where h.deal_id = ${deals.id} and s.pipeline_id = ${pipeline.id} and s.kind = 'open' and s.bit is null and s.deleted_at is null and s.position >= ${later[0].position})`]
      : [];
    return sql.join(
      [sql`${deals.status} = 'won'`, ...(mask ? [sql`(${deals.reachedStageBits} & ${sql.raw(mask.toString())}) <> 0`] : []), ...withoutBit],
      sql` or `,
    );
  };
  const counts = ctx.db
    .select({
      // Aliased: a D1 batch answers rows as objects, and same-text columns would collide.
      total: sql<number>`count(*)`.as('total'),
      won: sql<number>`sum(${deals.status} = 'won')`.as('won'),
      ...Object.fromEntries(stages.map((s, i) => [`c${i}`, sql<number>`sum(${deals.stageId} = ${s.id})`.as(`c${i}`)])),
      ...Object.fromEntries(open.map((_, i) => [`r${i}`, sql<number>`sum(${reachedLater(i)})`.as(`r${i}`)])),
    })
    .from(deals)
    .where(cohort);
  const [[found], timeRows] = await ctx.db.batch([counts, times]);
  const row = found as Record<string, number | null> | undefined;
  const total = Number(row?.total ?? 0);
  const wonTotal = Number(row?.won ?? 0);
  const current = new Map(stages.map((s, i) => [s.id, Number(row?.[`c${i}`] ?? 0)]));
  const avg = new Map(timeRows.filter((r) => Number(r.moves) > 0).map((r) => [r.stageId, Number(r.seconds) / Number(r.moves)]));
  const reached = new Map(stages.map((s) => [s.id, s.kind === 'open' ? Number(row?.[`r${open.indexOf(s)}`] ?? 0) : (current.get(s.id) ?? 0)]));
  return {
    pipelineId: pipeline.id,
    from: p.from,
    to: p.to,
    total,
    stages: stages.map((s) => {
      const here = reached.get(s.id)!;
      let conversion: number | null = null;
      if (s.kind === 'open' && here > 0) {
        const i = open.findIndex((x) => x.id === s.id);
        const next = i + 1 < open.length ? reached.get(open[i + 1].id)! : wonTotal;
        conversion = next / here;
      }
      const seconds = avg.get(s.id);
      return { stageId: s.id, name: s.name, kind: s.kind, position: s.position, current: current.get(s.id) ?? 0, reached: here, conversion, avgDays: seconds === undefined ? null : Math.round((seconds / 86_400) * 10) / 10 };
    }),
  };
}

/** Won and lost deals closed in a period, by lost reason and by source. */
export async function wonLost(ctx: Ctx, q: PeriodQuery) {
  const ws = await workspaceOf(ctx);
  const currency = q.currency ?? ws.currency;
  const p = period(q, ws, ctx.now());
  const where = and(
    ...scopeConditions(ctx, q),
    q.source ? eq(deals.source, q.source) : undefined,
    sql`${deals.status} in ('won', 'lost') and ${deals.closedAt} >= ${p.start} and ${deals.closedAt} < ${p.end}`,
  );
  const rows = await ctx.db
    .select({
      status: deals.status,
      reason: sql<string>`coalesce(${deals.lostReason}, '')`.as('reason'),
      source: sql<string>`coalesce(${deals.source}, '')`.as('deal_source'),
      count: sql<number>`count(*)`.as('n'),
      amount: sql<number>`coalesce(sum(case when ${deals.currency} = ${currency} then ${deals.amount} else 0 end), 0)`.as('money'),
    })
    .from(deals)
    .where(where)
    .groupBy(deals.status, sql`reason`, sql`deal_source`);
  const won = { count: 0, amount: 0 };
  const lost = { count: 0, amount: 0 };
  const reasons = new Map<string, { reason: string; count: number; amount: number }>();
  const sources = new Map<string, { source: string; won: number; lost: number; wonAmount: number; lostAmount: number; winRate: number | null }>();
  for (const r of rows) {
    const n = Number(r.count);
    const amount = Number(r.amount);
    const s = sources.get(r.source) ?? { source: r.source, won: 0, lost: 0, wonAmount: 0, lostAmount: 0, winRate: null };
    if (r.status === 'won') {
      won.count += n;
      won.amount += amount;
      s.won += n;
      s.wonAmount += amount;
    } else {
      lost.count += n;
      lost.amount += amount;
      s.lost += n;
      s.lostAmount += amount;
      const e = reasons.get(r.reason) ?? { reason: r.reason, count: 0, amount: 0 };
      e.count += n;
      e.amount += amount;
      reasons.set(r.reason, e);
    }
    sources.set(r.source, s);
  }
  for (const s of sources.values()) s.winRate = s.won + s.lost > 0 ? s.won / (s.won + s.lost) : null;
  return {
    currency,
    from: p.from,
    to: p.to,
    won,
    lost,
    byReason: [...reasons.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    bySource: [...sources.values()].sort((a, b) => b.won + b.lost - (a.won + a.lost) || a.source.localeCompare(b.source)),
  };
}
