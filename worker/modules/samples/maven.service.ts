import { and, eq, getTableColumns, inArray, is, isNull, ne, sql, SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import { activities, auditLog, companies, customFieldDefs, dealItems, deals, dealStageHistory, jobs, pipelines, pipelineStages, products, teams, users, workspaces } from '../../db/schema';
import { runBatch, type Db, type Statement } from '../../db/client';
import { inList } from '../../db/in-list';
import type { Env, JobMessage } from '../../env';
import type { Ctx } from '../../lib/context';
import { csvRow } from '../../lib/csv';
import { AppError, conflict, notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { can } from '../../lib/permissions';
import { sqlId } from '../contacts/contacts.statements';
import { actorRef, chunkDoneStatements, isChunkDone, markJobFailed, newJob, reloadActor } from '../jobs/jobs.service';
import { MAVEN_FILES, MAVEN_STAGES, planMaven, type MavenFiles, type MavenPlan, type MavenStage, type ReportSummary } from './maven.data';

export const MAVEN_JOB = 'samples.maven-crm';
export const MAVEN_PIPELINE = 'Maven CRM';
export const MAVEN_CURRENCY = 'USD';
/** Deals per queued chunk: one D1 batch of seven set-based statements whatever the size. */
const CHUNK_SIZE = 500;
const SEND_BATCH = 25;

const STAGE_SETUP: Record<MavenStage, { kind: 'open' | 'won' | 'lost'; probability: number; rottingDays: number | null }> = {
  Prospecting: { kind: 'open', probability: 20, rottingDays: 30 },
  Engaging: { kind: 'open', probability: 60, rottingDays: 30 },
  Won: { kind: 'won', probability: 100, rottingDays: null },
  Lost: { kind: 'lost', probability: 0, rottingDays: null },
};

const FIELD_DEFS = [
  { entity: 'deal', key: 'opportunity_id', label: 'Opportunity ID (Maven)', type: 'text' },
  { entity: 'company', key: 'year_established', label: 'Year established', type: 'number' },
  { entity: 'company', key: 'revenue_musd', label: 'Revenue (million USD)', type: 'number' },
  { entity: 'company', key: 'employees', label: 'Employees', type: 'number' },
  { entity: 'company', key: 'parent_company', label: 'Subsidiary of', type: 'text' },
] as const;

/** A day of the data as a timestamp: noon UTC keeps the same calendar day in any zone within ±11 h. */
const atNoon = (day: string) => `${day}T12:00:00.000Z`;

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Ids derived from the workspace and the sample's own keys (opportunity id, account, agent…):
 * loading twice, or a redelivered chunk, writes the same ids, and `on conflict do nothing` makes
 * the second write a no-op. Opaque like every id; not time-ordered.
 */
async function stableIds(prefix: string, workspaceId: string, keys: string[]): Promise<string[]> {
  const enc = new TextEncoder();
  return Promise.all(
    keys.map(async (key) => {
      const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', enc.encode(`maven-crm\u0000${workspaceId}\u0000${prefix}\u0000${key}`)));
      let out = '';
      for (let i = 0; i < 26; i++) out += ALPHABET[bytes[i] % 32];
      return `${prefix}_${out}`;
    }),
  );
}

/** `firstname.lastname+<workspace>@maven.example`: emails are unique across workspaces, and `.example` never delivers. */
export function mavenEmail(name: string, workspaceId: string): string {
  const local = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/\s+/)
    .map((part) => part.replace(/[^a-z0-9-]/g, ''))
    .filter(Boolean)
    .join('.');
  return `${local}+${workspaceId.slice(-6).toLowerCase()}@maven.example`;
}

/**
 * `insert into <table> select … from json_each(<rows>)`: any number of rows as ONE bound
 * parameter (D1 allows 100 per statement). Columns a row does not carry take their default (or
 * the SQL given in `computed`). Existing rows (same id or unique key) are left alone.
 */
function insertJsonRows<T extends SQLiteTable>(db: Db, table: T, rows: Partial<T['$inferInsert']>[], guard?: SQL, computed: Record<string, SQL> = {}): Statement {
  const columns = getTableColumns(table) as Record<string, SQLiteColumn>;
  const carried = new Set(rows.flatMap((r) => Object.keys(r)));
  const values = Object.entries(columns).map(([key, column]) => {
    if (computed[key]) return computed[key];
    if (carried.has(key)) return sql.raw(`json_extract(j.value, '$.${key}')`);
    if (column.default === undefined) return sql`null`;
    return is(column.default, SQL) ? column.default : sql`${column.mapToDriverValue(column.default)}`;
  });
  return db
    .insert(table)
    .select(sql`select ${sql.join(values, sql`, `)} from json_each(${JSON.stringify(rows)}) j where ${guard ?? sql`1`}`)
    .onConflictDoNothing() as unknown as Statement;
}

export type MavenLoadResult = {
  jobId: string;
  status: 'queued';
  pipelineId: string;
  currency: string;
  workspaceCurrency: { before: string; after: string };
  counts: { users: number; teams: number; companies: number; products: number; deals: number };
  /** Months every date was moved by (`recent`), the resulting span, and the expected-close estimate. */
  dates: { shiftMonths: number; firstDay: string; lastDay: string; medianDaysToWin: number };
  report: { summary: ReportSummary[]; rows: number; skipped: number; csvUrl: string };
};

/** The sample files bundled with the app, read from the Worker's static assets. */
export async function bundledMavenFiles(env: Env, origin: string): Promise<MavenFiles> {
  if (!env.ASSETS) throw new AppError(503, 'sample_unavailable', 'The bundled sample files are not available here; post them in `files`.');
  const texts = await Promise.all(
    MAVEN_FILES.map(async (name) => {
      const res = await env.ASSETS!.fetch(new Request(new URL(`/samples/maven-crm/${name}.csv`, origin)));
      const type = res.headers.get('content-type') ?? '';
      // The SPA fallback answers unknown paths with index.html: that is not the file.
      if (!res.ok || type.includes('text/html')) throw new AppError(503, 'sample_unavailable', `The bundled sample file ${name}.csv is missing from the web build; post the files in \`files\`.`);
      return res.text();
    }),
  );
  return Object.fromEntries(MAVEN_FILES.map((name, i) => [name, texts[i]])) as MavenFiles;
}

const reportKey = (workspaceId: string, jobId: string) => `samples/maven-crm/${workspaceId}/${jobId}/report.csv`;
const chunkKey = (workspaceId: string, jobId: string, chunk: number) => `samples/maven-crm/${workspaceId}/${jobId}/chunk-${chunk}.json`;

function reportCsv(plan: MavenPlan): string {
  let out = csvRow(['file', 'line', 'id', 'field', 'value', 'rule', 'decision']);
  for (const r of plan.report.rows) out += csvRow([`${r.file}.csv`, r.line, r.id, r.field, r.value, r.rule, r.decision]);
  return out;
}

/**
 * Loads the sample into the actor's workspace. The small reference data (custom fields, teams,
 * people, companies, products, the pipeline) is written here, idempotently; the deals go through
 * the queue in chunks (a job shows progress), because 8,800 deals with their history exceed what
 * one Worker invocation may send to D1.
 */
export async function loadMavenSample(ctx: Ctx, files: MavenFiles, options: { recent?: boolean } = {}): Promise<MavenLoadResult> {
  const plan = planMaven(files, options.recent ? { endBy: ctx.now().toISOString().slice(0, 10) } : {});
  const ws = ctx.actor.workspaceId;
  const at = ctx.now().toISOString();
  const actorId = ctx.actor.id;

  const [teamIds, userIds, companyIds, productIds, [pipelineId], stageIds] = await Promise.all([
    stableIds('team', ws, plan.teams.map((t) => t.name)),
    stableIds('usr', ws, plan.people.map((p) => p.name)),
    stableIds('com', ws, plan.companies.map((c) => c.name.toLowerCase())),
    stableIds('prd', ws, plan.products.map((p) => p.name)),
    stableIds('pip', ws, [MAVEN_PIPELINE]),
    stableIds('stg', ws, [...MAVEN_STAGES]),
  ]);
  // Sign-in is by email alone, so addresses are unique across workspaces. Should another workspace
  // hold a derived address (its id ends alike), refuse before writing rather than load ownerless deals.
  const emails = plan.people.map((p) => mavenEmail(p.name, ws));
  const taken = await ctx.db.select({ email: users.email }).from(users).where(and(inList(users.email, emails), ne(users.workspaceId, ws)));
  if (taken.length) {
    const list = taken.map((t) => t.email).join(', ');
    throw conflict('sample_email_taken', `The sample's people cannot be created: ${list} already sign${taken.length > 1 ? '' : 's'} in to another workspace.`);
  }
  const ourPipeline = sql`exists (select 1 from ${pipelines} where ${pipelines.id} = ${pipelineId})`;
  const noDefaultPipeline = sql`not exists (select 1 from ${pipelines} where ${pipelines.workspaceId} = ${ws} and ${pipelines.isDefault} = 1 and ${pipelines.archivedAt} is null)`;

  // 1. Reference data that does not depend on other rows' ids.
  await runBatch(ctx.db, [
    insertJsonRows(ctx.db, customFieldDefs, FIELD_DEFS.map((d, i) => ({ id: `cfd_maven_${ws.slice(-10)}_${d.entity}_${d.key}`, workspaceId: ws, ...d, options: [], isRequired: false, position: 100 + i, createdAt: at }))),
    insertJsonRows(ctx.db, teams, plan.teams.map((t, i) => ({ id: teamIds[i], workspaceId: ws, name: t.name, managerId: null, version: 1, createdAt: at, updatedAt: at }))),
    insertJsonRows(
      ctx.db,
      companies,
      plan.companies.map((c, i) => ({
        id: companyIds[i],
        workspaceId: ws,
        name: c.name,
        industry: c.industry,
        size: c.size,
        phones: [],
        address: c.country ? { country: c.country } : {},
        ownerId: null,
        customFields: { year_established: c.yearEstablished, revenue_musd: c.revenueMusd, employees: c.employees, parent_company: c.parent },
        createdBy: actorId,
        version: 1,
        createdAt: at,
        updatedAt: at,
      })),
    ),
    insertJsonRows(ctx.db, products, plan.products.map((p, i) => ({ id: productIds[i], workspaceId: ws, name: p.name, series: p.series, unitPrice: p.unitPrice, currency: MAVEN_CURRENCY, isActive: true, version: 1, createdAt: at, updatedAt: at }))),
    // After the workspace's other pipelines; the default one only if it has none.
    insertJsonRows(ctx.db, pipelines, [{ id: pipelineId, workspaceId: ws, name: MAVEN_PIPELINE, version: 1, createdAt: at, updatedAt: at }], undefined, {
      position: sql`(select coalesce(max(${pipelines.position}) + 1, 0) from ${pipelines} where ${pipelines.workspaceId} = ${ws})`,
      isDefault: noDefaultPipeline,
    }),
    insertJsonRows(
      ctx.db,
      pipelineStages,
      MAVEN_STAGES.map((name, i) => ({ id: stageIds[i], workspaceId: ws, pipelineId, name, position: i, ...STAGE_SETUP[name], createdAt: at, updatedAt: at })),
      ourPipeline,
    ),
  ]);

  // 2. What exists now: ours, or rows of the same name that were there before (reused).
  const [teamRows, productRows, pipelineRow, workspace, dealCount] = await Promise.all([
    ctx.db.select({ id: teams.id, name: teams.name }).from(teams).where(and(eq(teams.workspaceId, ws), inArray(teams.name, plan.teams.map((t) => t.name)))),
    ctx.db.select({ id: products.id, name: products.name }).from(products).where(and(eq(products.workspaceId, ws), inArray(products.name, plan.products.map((p) => p.name)))),
    ctx.db.select({ id: pipelines.id }).from(pipelines).where(and(eq(pipelines.workspaceId, ws), eq(pipelines.name, MAVEN_PIPELINE))).get(),
    ctx.db.select({ currency: workspaces.currency }).from(workspaces).where(eq(workspaces.id, ws)).get(),
    ctx.db.select({ n: sql<number>`count(*)` }).from(deals).where(eq(deals.workspaceId, ws)).get(),
  ]);
  if (!pipelineRow || !workspace) throw notFound('Workspace');
  const stageRows = await ctx.db
    .select({ id: pipelineStages.id, name: pipelineStages.name, kind: pipelineStages.kind })
    .from(pipelineStages)
    .where(and(eq(pipelineStages.pipelineId, pipelineRow.id), isNull(pipelineStages.deletedAt)));
  const stageByName = new Map(stageRows.map((s) => [s.name, s]));
  const missing = MAVEN_STAGES.filter((name) => stageByName.get(name)?.kind !== STAGE_SETUP[name].kind);
  if (missing.length) {
    throw conflict('sample_pipeline_changed', `The pipeline "${MAVEN_PIPELINE}" exists without the stage${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (of the right kind). Rename or restore it, then load again.`);
  }
  const teamByName = new Map(teamRows.map((t) => [t.name, t.id]));
  const productByName = new Map(productRows.map((p) => [p.name, p.id]));

  // 3. People (in their teams), managers of their teams, the workspace currency, the job.
  const isEmpty = Number(dealCount?.n ?? 0) === 0;
  const switchCurrency = isEmpty && workspace.currency !== MAVEN_CURRENCY;
  const job = newJob(ctx, MAVEN_JOB, { total: plan.deals.length, skipped: plan.report.rows.filter((r) => r.file === 'sales_pipeline' && r.rule === 'skipped').length });
  const managerOf = plan.teams.map((t) => ({ team: teamByName.get(t.name)!, email: mavenEmail(t.manager, ws) }));
  const audit = (action: string, recordType: string, recordId: string, changes: Record<string, { before?: unknown; after?: unknown }>) =>
    ctx.db.insert(auditLog).values({ id: newId('aud', ctx.now().getTime()), workspaceId: ws, actorType: ctx.actor.type, actorId, action, recordType, recordId, changes, ip: ctx.meta.ip, userAgent: ctx.meta.userAgent, requestId: ctx.meta.requestId, createdAt: at });
  await runBatch(ctx.db, [
    insertJsonRows(
      ctx.db,
      users,
      plan.people.map((p, i) => ({
        id: userIds[i],
        workspaceId: ws,
        email: emails[i],
        name: p.name,
        passwordHash: null,
        role: p.role,
        teamId: p.team ? (teamByName.get(p.team) ?? null) : null,
        isActive: true,
        version: 1,
        createdAt: at,
        updatedAt: at,
      })),
    ),
    ctx.db
      .update(teams)
      .set({ managerId: sql`(select ${users.id} from ${users} where ${users.email} = (select json_extract(m.value, '$.email') from json_each(${JSON.stringify(managerOf)}) m where json_extract(m.value, '$.team') = ${teams.id}))` })
      .where(and(eq(teams.workspaceId, ws), isNull(teams.managerId), inArray(teams.id, managerOf.map((m) => m.team)))),
    ...(switchCurrency
      ? [
          ctx.db.update(workspaces).set({ currency: MAVEN_CURRENCY, version: sql`${workspaces.version} + 1`, updatedAt: at }).where(eq(workspaces.id, ws)),
          audit('workspace.updated', 'workspace', ws, { currency: { before: workspace.currency, after: MAVEN_CURRENCY } }),
        ]
      : []),
    audit('sample.loaded', 'job', job.id, { sample: { after: 'maven-crm' }, pipelineId: { after: pipelineRow.id } }),
    ctx.db.insert(jobs).values(job),
  ]);
  const userRows = await ctx.db.select({ id: users.id, email: users.email }).from(users).where(and(eq(users.workspaceId, ws), inArray(users.email, emails)));
  const userByEmail = new Map(userRows.map((u) => [u.email, u.id]));
  const userOf = new Map(plan.people.map((p, i) => [p.name, userByEmail.get(emails[i]) ?? null]));
  const companyOf = new Map(plan.companies.map((c, i) => [c.name, companyIds[i]]));

  // 4. The deals, prepared here and written by the queue, chunk by chunk.
  const dealIds = await stableIds('deal', ws, plan.deals.map((d) => d.opportunityId));
  const chunks: PreparedChunk[] = [];
  plan.deals.forEach((d, i) => {
    const c = Math.floor(i / CHUNK_SIZE);
    chunks[c] ??= { deals: [], items: [], history: [], events: [] };
    const chunk = chunks[c];
    const id = dealIds[i];
    const owner = userOf.get(d.agent) ?? null;
    const stage = stageByName.get(d.stage)!;
    const created = atNoon(d.createdOn);
    const engaged = d.engagedOn ? atNoon(d.engagedOn) : null;
    const closed = d.closedOn ? atNoon(d.closedOn) : null;
    const lastMove = closed ?? engaged ?? created;
    const seconds = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 1000);
    chunk.deals.push({
      id,
      workspaceId: ws,
      pipelineId: pipelineRow.id,
      stageId: stage.id,
      status: stage.kind,
      name: `${d.account ?? `Opportunity ${d.opportunityId}`} · ${d.product}`,
      contactId: null,
      companyId: d.account ? (companyOf.get(d.account) ?? null) : null,
      amount: d.amount,
      currency: MAVEN_CURRENCY,
      expectedCloseOn: d.expectedCloseOn,
      closeMonth: d.expectedCloseOn.slice(0, 7),
      source: null,
      lostReason: d.lostReason,
      wonAt: d.stage === 'Won' ? closed : null,
      lostAt: d.stage === 'Lost' ? closed : null,
      closedAt: closed,
      stageEnteredAt: lastMove,
      lastActivityAt: lastMove,
      ownerId: owner,
      customFields: { opportunity_id: d.opportunityId },
      createdBy: actorId,
      version: 1,
      createdAt: created,
      updatedAt: lastMove,
    });
    chunk.items.push({ id: `dit_${id.slice(5)}`, workspaceId: ws, dealId: id, productId: productByName.get(d.product) ?? null, name: d.product, quantity: 1, unitPrice: plan.products.find((p) => p.name === d.product)!.unitPrice, position: 0 });
    const prospecting = stageByName.get('Prospecting')!.id;
    const engaging = stageByName.get('Engaging')!.id;
    const moves: { from: string | null; to: string; at: string; seconds: number | null }[] = [{ from: null, to: prospecting, at: created, seconds: null }];
    if (engaged) moves.push({ from: prospecting, to: engaging, at: engaged, seconds: seconds(created, engaged) });
    if (closed) {
      const from = moves[moves.length - 1];
      moves.push({ from: from.to, to: stage.id, at: closed, seconds: seconds(from.at, closed) });
    }
    const dealName = chunk.deals[chunk.deals.length - 1].name;
    const companyId = chunk.deals[chunk.deals.length - 1].companyId ?? null;
    const nameOf = new Map(stageRows.map((s) => [s.id, s.name]));
    moves.forEach((m, n) => {
      chunk.history.push({ id: `dsh_${id.slice(5)}${n}`, workspaceId: ws, dealId: id, pipelineId: pipelineRow.id, fromStageId: m.from, toStageId: m.to, movedBy: owner, movedAt: m.at, secondsInPrevious: m.seconds });
      // The same timeline entries the deals service writes, so the deal's story shows on its company.
      const event = m.from === null ? 'deal.created' : m.to === stage.id && stage.kind === 'won' ? 'deal.won' : m.to === stage.id && stage.kind === 'lost' ? 'deal.lost' : 'deal.stage_changed';
      const meta =
        m.from === null
          ? { event, dealId: id, dealName, toStageName: nameOf.get(m.to), amount: d.amount, currency: MAVEN_CURRENCY }
          : { event, dealId: id, dealName, fromStageName: nameOf.get(m.from), toStageName: nameOf.get(m.to), ...(event === 'deal.lost' ? { lostReason: d.lostReason } : {}) };
      chunk.events.push({ id: `act_${id.slice(5)}${n}`, workspaceId: ws, type: 'system', contactId: null, companyId, dealId: id, subject: `${EVENT_SUBJECT[event]}: ${dealName}`, body: null, outcome: null, occurredAt: m.at, userId: owner, meta, createdAt: m.at, updatedAt: m.at, deletedAt: null });
    });
  });

  const ref = actorRef(ctx.actor);
  await Promise.all([
    ctx.env.FILES.put(reportKey(ws, job.id), reportCsv(plan), { httpMetadata: { contentType: 'text/csv; charset=utf-8' } }),
    ...chunks.map((chunk, n) => ctx.env.FILES.put(chunkKey(ws, job.id, n), JSON.stringify(chunk), { httpMetadata: { contentType: 'application/json' } })),
  ]);
  const messages = chunks.map((_, chunk) => ({ body: { type: MAVEN_JOB, key: `${MAVEN_JOB}:${job.id}:${chunk}`, payload: { jobId: job.id, chunk, size: chunks[chunk].deals.length, actor: ref } satisfies ChunkPayload } as JobMessage }));
  try {
    for (let i = 0; i < messages.length; i += SEND_BATCH) await ctx.env.JOBS.sendBatch(messages.slice(i, i + SEND_BATCH));
  } catch (err) {
    await markJobFailed(ctx.db, job.id, 'Could not queue the deals; load the sample again (nothing is duplicated).', ctx.now());
    throw err;
  }

  return {
    jobId: job.id,
    status: 'queued',
    pipelineId: pipelineRow.id,
    currency: MAVEN_CURRENCY,
    workspaceCurrency: { before: workspace.currency, after: switchCurrency ? MAVEN_CURRENCY : workspace.currency },
    dates: { shiftMonths: plan.shiftMonths, firstDay: plan.deals.reduce((m, d) => (d.createdOn < m ? d.createdOn : m), plan.lastDate), lastDay: plan.lastDate, medianDaysToWin: plan.medianDaysToWin },
    counts: { users: plan.people.length, teams: plan.teams.length, companies: plan.companies.length, products: plan.products.length, deals: plan.deals.length },
    report: { summary: plan.report.summary, rows: plan.report.rows.length, skipped: job.skipped, csvUrl: `/api/v1/samples/maven-crm/reports/${job.id}` },
  };
}

type PreparedChunk = {
  deals: (typeof deals.$inferInsert)[];
  items: (typeof dealItems.$inferInsert)[];
  history: (typeof dealStageHistory.$inferInsert)[];
  events: (typeof activities.$inferInsert)[];
};

const EVENT_SUBJECT: Record<string, string> = { 'deal.created': 'Deal created', 'deal.stage_changed': 'Deal moved', 'deal.won': 'Deal won', 'deal.lost': 'Deal lost' };

const chunkPayload = z.object({
  jobId: z.string(),
  chunk: z.number().int().min(0),
  size: z.number().int().min(0),
  actor: z.object({ type: z.enum(['user', 'api_key']), id: z.string(), workspaceId: z.string() }),
});
type ChunkPayload = z.infer<typeof chunkPayload>;

/**
 * One queued chunk of deals. Idempotent twice over: a chunk already done is skipped (its marker is
 * written in the same batch as its rows), and the rows carry stable ids, so a deal that exists
 * (an earlier load) is neither written nor audited again.
 */
export async function runMavenChunk(message: JobMessage, deps: { db: Db; env: Env; now: () => Date; isLastAttempt: boolean }): Promise<void> {
  const payload = chunkPayload.parse(message.payload);
  if (await isChunkDone(deps.db, payload.jobId, payload.chunk)) return;
  const actor = await reloadActor(deps.db, payload.actor);
  if (!actor || !can(actor, 'settings:write')) {
    await markJobFailed(deps.db, payload.jobId, 'The person or API key that started this load can no longer do it.', deps.now());
    return;
  }
  const ws = actor.workspaceId;
  const key = chunkKey(ws, payload.jobId, payload.chunk);
  const object = await deps.env.FILES.get(key);
  if (!object) {
    await markJobFailed(deps.db, payload.jobId, 'A part of the prepared sample is missing; load the sample again (nothing is duplicated).', deps.now());
    return;
  }
  const chunk = (await object.json()) as PreparedChunk;
  const now = deps.now();
  const at = now.toISOString();
  const requestId = `${MAVEN_JOB}:${payload.jobId}:${payload.chunk}`;
  const rows = JSON.stringify(chunk.deals.map((d) => ({ id: d.id, name: d.name, opportunityId: (d.customFields as Record<string, unknown>).opportunity_id })));
  const isNew = sql`json_extract(j.value, '$.id') not in (select ${deals.id} from ${deals} where ${deals.id} in (select json_extract(value, '$.id') from json_each(${rows})))`;
  // One audit row per deal this chunk creates, written before the deals so it sees which are new.
  const auditNew = deps.db.insert(auditLog).select(
    sql`select ${sqlId('aud', now)}, ${ws}, ${actor.type}, ${actor.id}, 'deal.created', 'deal', json_extract(j.value, '$.id'),
      json_object('name', json_object('after', json_extract(j.value, '$.name')), 'importedFrom', json_object('after', 'maven-crm ' || json_extract(j.value, '$.opportunityId'))),
      null, null, ${requestId}, ${at} from json_each(${rows}) j where ${isNew}`,
  ) as unknown as Statement;
  try {
    await runBatch(deps.db, [
      auditNew,
      insertJsonRows(deps.db, deals, chunk.deals),
      insertJsonRows(deps.db, dealItems, chunk.items),
      insertJsonRows(deps.db, dealStageHistory, chunk.history),
      insertJsonRows(deps.db, activities, chunk.events),
      ...chunkDoneStatements(deps.db, { id: payload.jobId, workspaceId: ws }, payload.chunk, payload.size, { requestId, at }),
    ]);
  } catch (err) {
    if (deps.isLastAttempt) await markJobFailed(deps.db, payload.jobId, 'A part of the sample failed to load repeatedly.', deps.now());
    throw err;
  }
  await deps.env.FILES.delete(key);
}

/** The full report (CSV) of a load, for an admin of its workspace. */
export async function mavenReport(ctx: Ctx, jobId: string): Promise<ReadableStream> {
  const job = await ctx.db.select({ id: jobs.id }).from(jobs).where(and(eq(jobs.id, jobId), eq(jobs.workspaceId, ctx.actor.workspaceId), eq(jobs.type, MAVEN_JOB))).get();
  const object = job ? await ctx.env.FILES.get(reportKey(ctx.actor.workspaceId, jobId)) : null;
  if (!object) throw notFound('Report');
  return object.body;
}
