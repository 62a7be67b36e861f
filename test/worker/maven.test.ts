import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { beforeAll, describe, expect, it, vi } from 'vitest';
// The sample exactly as the project ships it (samples/maven-crm/), read as text inside workerd.
import accounts from '../../samples/maven-crm/accounts.csv?raw';
import products from '../../samples/maven-crm/products.csv?raw';
import salesPipeline from '../../samples/maven-crm/sales_pipeline.csv?raw';
import salesTeams from '../../samples/maven-crm/sales_teams.csv?raw';
import type { JobMessage } from '../../worker/env';
import { handleQueue } from '../../worker/jobs/queue';
import { api, failingFields, json, problem, signup, type Session } from './helpers';
import { buildWorld, type World } from './customers-world';

const files = { accounts, products, sales_teams: salesTeams, sales_pipeline: salesPipeline };
// Rows of the bundled sample that needed a decision (see the first test for the breakdown).
const decidedRows = 1480 + 12 + 1 + 1425 + 2089 + 2089 + 2473 + 500;

type Job = { id: string; status: string; total: number; processed: number; updated: number; skipped: number; error: string | null };
type Summary = { rule: string; file: string; field: string; value: string; decision: string; rows: number };
type Loaded = {
  jobId: string;
  status: string;
  pipelineId: string;
  currency: string;
  workspaceCurrency: { before: string; after: string };
  counts: Record<'users' | 'teams' | 'companies' | 'products' | 'deals', number>;
  dates: { shiftMonths: number; firstDay: string; lastDay: string; medianDaysToWin: number };
  report: { summary: Summary[]; rows: number; skipped: number; csvUrl: string };
};

/** Rows of a CSV without quoted fields (true of the Maven files), keyed by header. */
function rowsOf(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split(/\r?\n/);
  const names = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i], v])));
}

async function load(as: Session, body: unknown = { files }): Promise<{ loaded: Loaded; job: Job }> {
  const res = await api('/samples/maven-crm', { as, body });
  const loaded = await json<Loaded>(res, 202);
  expect(res.headers.get('location')).toBe(`/api/v1/jobs/${loaded.jobId}`);
  const job = await vi.waitFor(
    async () => {
      const j = await json<Job>(await api(`/jobs/${loaded.jobId}`, { as }), 200);
      if (j.status !== 'done' && j.status !== 'failed') throw new Error(`job ${j.status} ${j.processed}/${j.total}`);
      return j;
    },
    { timeout: 90_000, interval: 250 },
  );
  return { loaded, job };
}

const count = async (sql: string, ...params: unknown[]) => Number((await env.DB.prepare(sql).bind(...params).first<{ n: number }>())!.n);

describe('the Maven CRM sample, loaded and checked against its CSV files', () => {
  let owner: Session;
  let first: { loaded: Loaded; job: Job };
  let ws: string;

  beforeAll(async () => {
    owner = await signup({ workspaceName: 'Maven Demo' });
    ws = owner.me.workspace.id;
    first = await load(owner);
  });

  it('loads every opportunity as a deal with its stage history, and reports every row it had to decide on', async () => {
    const { loaded, job } = first;
    expect(job).toMatchObject({ status: 'done', total: 8800, processed: 8800, updated: 8800, skipped: 0, error: null });
    expect(loaded.counts).toEqual({ users: 41, teams: 6, companies: 85, products: 7, deals: 8800 });
    expect(loaded.workspaceCurrency).toEqual({ before: 'CNY', after: 'USD' });
    const rules = Object.fromEntries(loaded.report.summary.map((s) => [`${s.rule}:${s.value}`, s.rows]));
    expect(rules).toEqual({
      'product_renamed:GTXPro': 1480,
      'sector_misspelt:technolgy': 12,
      'country_misspelt:Philipines': 1,
      'no_account:': 1425,
      'no_amount:': 2089,
      'no_close_date:': 2089,
      'lost_no_reason:': 2473,
      'no_engage_date:': 500,
    });
    expect(loaded.report.rows).toBe(decidedRows);
    expect(loaded.dates).toEqual({ shiftMonths: 0, firstDay: '2016-10-20', lastDay: '2017-12-31', medianDaysToWin: expect.any(Number) });

    // Nothing dropped: every opportunity is a deal, and each has the history its dates imply.
    expect(await count('select count(*) n from deals where workspace_id = ?', ws)).toBe(8800);
    expect(await count(`select count(*) n from deals where workspace_id = ? and json_extract(custom_fields, '$.opportunity_id') = '1C1I7A6R'`, ws)).toBe(1);
    const pipeline = rowsOf(salesPipeline);
    const engaged = pipeline.filter((r) => r.engage_date).length;
    const closed = pipeline.filter((r) => r.close_date).length;
    expect(await count('select count(*) n from deal_stage_history where workspace_id = ?', ws)).toBe(8800 + engaged + closed);
    expect(await count('select count(*) n from deal_items where workspace_id = ?', ws)).toBe(8800);
    // The deal's story is on its company's timeline, as for deals made in the app.
    expect(await count(`select count(*) n from activities where workspace_id = ? and type = 'system' and deal_id is not null`, ws)).toBe(8800 + engaged + closed);
    const cancity = await env.DB.prepare(`select id from companies where workspace_id = ? and name = 'Cancity'`).bind(ws).first<{ id: string }>();
    const timeline = await json<{ items: { subject?: string | null; activity?: { subject: string | null } }[] }>(await api(`/companies/${cancity!.id}/timeline?limit=200`, { as: owner }), 200);
    expect(JSON.stringify(timeline.items)).toContain('Deal won: Cancity · GTX Plus Basic');
    expect(await count(`select count(*) n from audit_log where workspace_id = ? and action = 'deal.created'`, ws)).toBe(8800);

    // The dirt, cleaned: the product catalog has no "GTXPro", companies are in "technology".
    expect(await count(`select count(*) n from products where workspace_id = ? and name = 'GTXPro'`, ws)).toBe(0);
    expect(await count(`select count(*) n from companies where workspace_id = ? and industry = 'technolgy'`, ws)).toBe(0);
    expect(await count(`select count(*) n from companies where workspace_id = ? and industry = 'technology'`, ws)).toBe(12);
    expect(await count(`select count(*) n from deal_items i join deals d on d.id = i.deal_id where d.workspace_id = ? and i.name = 'GTX Pro'`, ws)).toBe(1480);

    // The full report is a CSV download: one line per decision, with the file line and the opportunity.
    const res = await api(loaded.report.csvUrl.replace('/api/v1', ''), { as: owner });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const csv = (await res.text()).trim().split(/\r?\n/);
    expect(csv[0]).toBe('file,line,id,field,value,rule,decision');
    expect(csv).toHaveLength(loaded.report.rows + 1);
    expect(csv).toContain('sales_pipeline.csv,3,Z063OYW0,product,GTXPro,product_renamed,GTX Pro');
  });

  it('makes agents reps and managers managers, one team per manager, with no password until invited', async () => {
    const page = await json<{ items: { name: string; role: string; teamId: string | null; email: string; isActive: boolean }[] }>(await api('/users?limit=200', { as: owner }), 200);
    const darcel = page.items.find((u) => u.name === 'Darcel Schlecht')!;
    const melvin = page.items.find((u) => u.name === 'Melvin Marxen')!;
    expect(darcel).toMatchObject({ role: 'rep', isActive: true });
    expect(darcel.email).toMatch(/^darcel\.schlecht\+[a-z0-9]{6}@maven\.example$/);
    expect(melvin).toMatchObject({ role: 'manager', teamId: darcel.teamId });
    const team = await env.DB.prepare('select name, manager_id m from teams where id = ?').bind(darcel.teamId).first<{ name: string; m: string }>();
    expect(team?.name).toBe('Central · Melvin Marxen');
    expect(await count(`select count(*) n from users where workspace_id = ? and email like '%@maven.example' and password_hash is not null`, ws)).toBe(0);
    const login = await api('/auth/login', { body: { email: darcel.email, password: 'anything at all 123' } });
    expect(login.status).toBe(401);
  });

  it('agrees exactly with the CSV files: won revenue per agent, per manager and per month, and deals per stage', async () => {
    const teamOf = new Map(rowsOf(salesTeams).map((r) => [r.sales_agent, r]));
    const cents = (v: string) => Math.round(Number(v) * 100);
    const perAgent = new Map<string, number>();
    const perManager = new Map<string, number>();
    const perMonth = new Map<string, number>();
    const perStage = new Map<string, number>();
    for (const r of rowsOf(salesPipeline)) {
      perStage.set(r.deal_stage, (perStage.get(r.deal_stage) ?? 0) + 1);
      if (r.deal_stage !== 'Won') continue;
      const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + cents(r.close_value));
      add(perAgent, r.sales_agent);
      add(perManager, `${teamOf.get(r.sales_agent)!.regional_office} · ${teamOf.get(r.sales_agent)!.manager}`);
      add(perMonth, r.close_date.slice(0, 7));
    }
    const pipelineId = first.loaded.pipelineId;

    type Row = { month: string; won: number; wonCount: number };
    type Forecast = { currency: string; months: string[]; totals: Row[]; byRep: { ownerName: string | null; total: Row }[]; byTeam: { teamName: string | null; total: Row }[]; total: Row };
    const forecast = await json<Forecast>(await api(`/reports/forecast?pipelineId=${pipelineId}&from=2016-10&to=2017-12&currency=USD`, { as: owner }), 200);
    expect(forecast.currency).toBe('USD');
    const wonBy = <T>(items: T[], key: (t: T) => string | null, won: (t: T) => number) => new Map(items.filter((t) => won(t) !== 0).map((t) => [key(t) ?? '', won(t)]));
    expect(wonBy(forecast.byRep, (r) => r.ownerName, (r) => r.total.won)).toEqual(perAgent);
    expect(wonBy(forecast.byTeam, (t) => t.teamName, (t) => t.total.won)).toEqual(perManager);
    expect(wonBy(forecast.totals, (m) => m.month, (m) => m.won)).toEqual(perMonth);
    expect(forecast.total.won).toBe([...perAgent.values()].reduce((a, b) => a + b, 0));
    expect(forecast.total.wonCount).toBe(perStage.get('Won'));

    type Funnel = { total: number; stages: { name: string; current: number }[] };
    const funnel = await json<Funnel>(await api(`/reports/funnel?pipelineId=${pipelineId}&from=2016-01-01&to=2017-12-31`, { as: owner }), 200);
    expect(funnel.total).toBe(8800);
    expect(new Map(funnel.stages.map((s) => [s.name, s.current]))).toEqual(perStage);
  });

  it('does nothing more when a chunk of deals is delivered again', async () => {
    const message: JobMessage = {
      type: 'samples.maven-crm',
      key: `samples.maven-crm:${first.loaded.jobId}:3`,
      payload: { jobId: first.loaded.jobId, chunk: 3, size: 500, actor: { type: 'user', id: owner.me.user.id, workspaceId: ws } },
    };
    const batch = createMessageBatch<JobMessage>('hearth-jobs', [{ id: 'again', timestamp: new Date(), attempts: 2, body: message }]);
    const ctx = createExecutionContext();
    await handleQueue(batch, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['again']);
    expect(await json<Job>(await api(`/jobs/${first.loaded.jobId}`, { as: owner }), 200)).toMatchObject({ status: 'done', processed: 8800, updated: 8800 });
    expect(await count('select count(*) n from deals where workspace_id = ?', ws)).toBe(8800);
  });

  it('changes nothing when loaded again', async () => {
    const users = await count('select count(*) n from users where workspace_id = ?', ws);
    const history = await count('select count(*) n from deal_stage_history where workspace_id = ?', ws);
    const again = await load(owner);
    expect(again.job).toMatchObject({ status: 'done', processed: 8800, updated: 0 });
    expect(again.loaded.pipelineId).toBe(first.loaded.pipelineId);
    expect(again.loaded.workspaceCurrency).toEqual({ before: 'USD', after: 'USD' });
    expect(await count('select count(*) n from deals where workspace_id = ?', ws)).toBe(8800);
    expect(await count('select count(*) n from users where workspace_id = ?', ws)).toBe(users);
    expect(await count('select count(*) n from companies where workspace_id = ?', ws)).toBe(85);
    expect(await count('select count(*) n from pipelines where workspace_id = ?', ws)).toBe(1);
    // The only pipeline of the workspace, so its default one.
    expect(await count('select count(*) n from pipelines where workspace_id = ? and is_default = 1', ws)).toBe(1);
    expect(await count('select count(*) n from deal_stage_history where workspace_id = ?', ws)).toBe(history);
  });
});

describe('POST /api/v1/samples/maven-crm: bad files and who may load', () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld();
  });

  it('names the file that lacks a column, and changes nothing', async () => {
    const broken = { ...files, sales_pipeline: salesPipeline.replace('close_value', 'value') };
    expect(await failingFields(await api('/samples/maven-crm', { as: w.owner, body: { files: broken } }))).toEqual(['files.sales_pipeline']);
    expect(await failingFields(await api('/samples/maven-crm', { as: w.owner, body: { files: { accounts } } }))).toEqual(expect.arrayContaining(['files.products', 'files.sales_teams', 'files.sales_pipeline']));
    expect(await count(`select count(*) n from users where workspace_id = ? and email like '%@maven.example'`, w.owner.me.workspace.id)).toBe(0);
    expect(await count('select count(*) n from pipelines where workspace_id = ?', w.owner.me.workspace.id)).toBe(0);
  });

  it('reports and skips rows it cannot place, loading the rest', async () => {
    const lines = salesPipeline.trim().split('\n');
    const small = [
      lines[0],
      'AAAA0001,Moses Frase,GTX Basic,Cancity,Won,2016-10-25,2017-03-09,588',
      'AAAA0002,Nobody Known,GTX Basic,Cancity,Won,2016-10-25,2017-03-09,588',
      'AAAA0003,Moses Frase,GTX Basic,Cancity,Won,2016-10-25,2017-13-09,588',
      'AAAA0001,Moses Frase,GTX Basic,Cancity,Won,2016-10-25,2017-03-09,588',
      'AAAA0004,Moses Frase,GTXPro,,Engaging,2017-01-02,,',
    ].join('\n');
    const { loaded, job } = await load(w.owner, { files: { ...files, sales_pipeline: small } });
    expect(job).toMatchObject({ status: 'done', total: 2, updated: 2, skipped: 3 });
    const skipped = loaded.report.summary.filter((s) => s.rule === 'skipped').map((s) => [s.field, s.value, s.rows]);
    expect(skipped).toEqual([
      ['sales_agent', 'Nobody Known', 1],
      ['close_date', '2017-13-09', 1],
      ['opportunity_id', 'AAAA0001', 1],
    ]);
    const deal = await env.DB.prepare(`select amount, company_id c, status from deals where workspace_id = ? and json_extract(custom_fields, '$.opportunity_id') = 'AAAA0004'`).bind(w.owner.me.workspace.id).first<{ amount: number; c: string | null; status: string }>();
    expect(deal).toEqual({ amount: 482100, c: null, status: 'open' });
  });

  it('moves the data to the present for a demo, month for month', async () => {
    const demo = await signup({ workspaceName: 'Maven Recent' });
    const { loaded, job } = await load(demo, { files, recent: true });
    expect(job).toMatchObject({ status: 'done', updated: 8800 });
    // The data ends on 2017-12-31: it now ends this month, or last month if this month is not over.
    const now = new Date();
    const today = now.toISOString().slice(0, 10);
    const shift = now.getUTCFullYear() * 12 + now.getUTCMonth() - (2017 * 12 + 11) - (now.getUTCDate() < new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).getUTCDate() ? 1 : 0);
    expect(loaded.dates.shiftMonths).toBe(shift);
    expect(loaded.dates.lastDay <= today).toBe(true);
    expect(await count(`select count(*) n from deals where workspace_id = ? and (created_at > ? or coalesce(closed_at, '') > ?)`, demo.me.workspace.id, `${today}T23:59:59Z`, `${today}T23:59:59Z`)).toBe(0);
    const month = (m: string) => {
      const i = Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1 + shift;
      return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
    };
    const expected = new Map<string, number>();
    for (const r of rowsOf(salesPipeline)) if (r.deal_stage === 'Won') expected.set(month(r.close_date), (expected.get(month(r.close_date)) ?? 0) + Math.round(Number(r.close_value) * 100));
    const stored = await env.DB.prepare(`select substr(won_at, 1, 7) m, sum(amount) s from deals where workspace_id = ? and status = 'won' group by m`).bind(demo.me.workspace.id).all<{ m: string; s: number }>();
    expect(new Map(stored.results.map((r) => [r.m, r.s]))).toEqual(expected);
  });

  it('refuses, naming the address, when a derived address already signs in to another workspace', async () => {
    const target = await signup({ workspaceName: 'Maven Clash' });
    const address = `moses.frase+${target.me.workspace.id.slice(-6).toLowerCase()}@maven.example`;
    await signup({ workspaceName: 'Elsewhere', email: address });
    const res = await api('/samples/maven-crm', { as: target, body: { files } });
    expect((await problem(res, 409, 'sample_email_taken')).detail).toContain(address);
    expect(await count('select count(*) n from deals where workspace_id = ?', target.me.workspace.id)).toBe(0);
    expect(await count('select count(*) n from users where workspace_id = ?', target.me.workspace.id)).toBe(1);
    expect(await count('select count(*) n from companies where workspace_id = ?', target.me.workspace.id)).toBe(0);
  });

  it('loads the copy bundled with the web build when no files are posted (the app\'s button)', async () => {
    // `npm test` builds the web app first; its assets carry samples/maven-crm (web/public/samples).
    const fresh = await signup({ workspaceName: 'Maven From Assets' });
    const { loaded, job } = await load(fresh, { recent: true });
    expect(job).toMatchObject({ status: 'done', updated: 8800 });
    expect(loaded.report.rows).toBe(decidedRows);
  });

  it('is for admins only', async () => {
    for (const who of [w.manager, w.repA, w.viewer]) await problem(await api('/samples/maven-crm', { as: who, body: { files } }), 403);
    await problem(await api('/samples/maven-crm', { body: { files } }), 401);
  });

  it('shows a load report only to admins of its workspace', async () => {
    const res = await api('/samples/maven-crm', { as: w.owner, body: { files } });
    const loaded = await json<Loaded>(res, 202);
    const path = loaded.report.csvUrl.replace('/api/v1', '');
    await problem(await api(path, { as: w.outsider }), 404);
    await problem(await api(path, { as: w.repA }), 403);
    expect((await api(path, { as: w.owner })).status).toBe(200);
  });
});
