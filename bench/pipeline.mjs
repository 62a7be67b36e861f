// Deals for the forecast and funnel benchmarks: the Maven CRM sample (samples/maven-crm/) repeated
// and shifted by whole years until there are 50,000 deals, owned by the bench's reps and managers,
// with the stage history the app would have written (created → Prospecting, Engaging at the engage
// date, Won/Lost at the close date). Open deals get an expected close date 60 days after their
// engage date so that the forecast has a pipeline to weigh (the sample has none).
//
// Written with node:sqlite into a copy of a contacts dataset (bench/generate.mjs) and cached beside
// it in bench/.data/<size>-<hash>-deals<N>-<hash>/; the hash covers this file and the sample.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { d1File, dataRoot, root } from './generate.mjs';

export const PIPELINE_DEALS = 50_000;
export const PIPELINE_ENDPOINTS = ['forecast', 'forecast-rep', 'funnel', 'funnel-rep', 'funnel-all'];

const SAMPLE = join(root, 'samples', 'maven-crm');
const STAGES = [
  { name: 'Prospecting', kind: 'open', probability: 20, rotting: 30 },
  { name: 'Engaging', kind: 'open', probability: 60, rotting: 30 },
  { name: 'Won', kind: 'won', probability: 100, rotting: null },
  { name: 'Lost', kind: 'lost', probability: 0, rotting: null },
];

function rows(file) {
  const [header, ...lines] = readFileSync(join(SAMPLE, file), 'utf8').trim().split(/\r?\n/);
  const names = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i], v])));
}

function hash() {
  const h = createHash('sha256').update(readFileSync(new URL(import.meta.url)));
  for (const f of ['sales_pipeline.csv', 'products.csv']) h.update(readFileSync(join(SAMPLE, f)));
  return h.digest('hex').slice(0, 8);
}

const addYears = (day, years) => `${Number(day.slice(0, 4)) + years}${day.slice(4)}`.replace(/-02-29$/, '-02-28');
const noon = (day) => `${day}T12:00:00.000Z`;
const plusDays = (day, n) => new Date(Date.parse(noon(day)) + n * 86_400_000).toISOString().slice(0, 10);

/** The dataset with the deals added (cached); `base` is what ensureDataset returned. */
export async function ensurePipelineDataset(base, { count = PIPELINE_DEALS, force = false, log = console.log } = {}) {
  const dir = `${base.dir}-deals${count}-${hash()}`;
  const metaFile = join(dir, 'meta.json');
  if (!force && existsSync(metaFile)) {
    log(`• reusing the pipeline dataset (${dir.replace(root + '/', '')})`);
    return { dir, persist: join(dir, 'persist'), sqlite: d1File(join(dir, 'persist')), meta: JSON.parse(readFileSync(metaFile, 'utf8')) };
  }
  const prefix = `${basename(base.dir)}-deals`;
  for (const old of readdirSync(dataRoot)) if (old.startsWith(prefix)) rmSync(join(dataRoot, old), { recursive: true, force: true });
  const tmp = join(dataRoot, `.tmp-deals-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  log(`• adding ${count} deals (the Maven sample, repeated) to a copy of the dataset`);
  cpSync(base.persist, join(tmp, 'persist'), { recursive: true });
  const started = Date.now();
  const pipeline = await generate(d1File(join(tmp, 'persist')), base.meta, count);
  const meta = { ...base.meta, counts: { ...base.meta.counts, deals: count, dealHistory: pipeline.history }, pipeline: { id: pipeline.id, deals: count, years: pipeline.years } };
  writeFileSync(join(tmp, 'meta.json'), JSON.stringify(meta, null, 2));
  renameSync(tmp, dir);
  log(`• added in ${Math.round((Date.now() - started) / 100) / 10} s: ${count} deals, ${pipeline.history} stage moves`);
  return { dir, persist: join(dir, 'persist'), sqlite: d1File(join(dir, 'persist')), meta };
}

async function generate(file, meta, count) {
  const { DatabaseSync } = await import('node:sqlite');
  const db = new DatabaseSync(file);
  db.exec('PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;');
  const ws = meta.workspaceId;
  const currency = db.prepare('select currency from workspaces where id = ?').get(ws).currency;
  const insert = (table, columns) => {
    const stmt = db.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
    return (...values) => stmt.run(...values);
  };
  const at = '2026-11-01T00:00:00.000Z';
  const pipelineId = 'pip_01BENCHMAVEN000000000000000';
  const owner = meta.users.find((u) => u.role === 'owner');
  const sellers = meta.users.filter((u) => u.role === 'rep' || u.role === 'manager');
  const pipelineRows = rows('sales_pipeline.csv');
  const agents = [...new Set(pipelineRows.map((r) => r.sales_agent))];
  const price = new Map(rows('products.csv').map((p) => [p.product.replace(/\s+/g, ''), Math.round(Number(p.sales_price) * 100)]));
  const lastDate = pipelineRows.reduce((m, r) => (r.close_date > m ? r.close_date : r.engage_date > m ? r.engage_date : m), '');

  db.exec('BEGIN');
  insert('pipelines', ['id', 'workspace_id', 'name', 'position', 'is_default', 'version', 'created_at', 'updated_at'])(pipelineId, ws, 'Maven CRM (bench)', 0, 1, 1, at, at);
  const stageIds = STAGES.map((s, i) => `stg_01BENCHMAVEN${String(i).padStart(14, '0')}`);
  const stage = insert('pipeline_stages', ['id', 'workspace_id', 'pipeline_id', 'name', 'position', 'probability', 'kind', 'rotting_days', 'created_at', 'updated_at']);
  STAGES.forEach((s, i) => stage(stageIds[i], ws, pipelineId, s.name, i, s.probability, s.kind, s.rotting, at, at));
  const stageOf = Object.fromEntries(STAGES.map((s, i) => [s.name, { id: stageIds[i], ...s }]));

  const deal = insert('deals', [
    'id', 'workspace_id', 'pipeline_id', 'stage_id', 'status', 'name', 'company_id', 'amount', 'currency', 'expected_close_on', 'close_month',
    'lost_reason', 'won_at', 'lost_at', 'closed_at', 'stage_entered_at', 'last_activity_at', 'owner_id', 'custom_fields', 'created_by', 'version', 'created_at', 'updated_at',
  ]);
  const move = insert('deal_stage_history', ['id', 'workspace_id', 'deal_id', 'pipeline_id', 'from_stage_id', 'to_stage_id', 'moved_by', 'moved_at', 'seconds_in_previous']);
  let history = 0;
  let n = 0;
  let years = 0;
  for (let copy = 0; n < count; copy++) {
    years = copy + 1;
    for (const r of pipelineRows) {
      if (n >= count) break;
      const id = `deal_01BENCH${String(n).padStart(19, '0')}`;
      const ownerId = sellers[agents.indexOf(r.sales_agent) % sellers.length].id;
      const s = stageOf[r.deal_stage];
      const created = addYears(r.engage_date || lastDate, copy);
      const engaged = r.engage_date ? addYears(r.engage_date, copy) : null;
      const closed = r.close_date ? addYears(r.close_date, copy) : null;
      const expected = closed ?? plusDays(created, 60);
      const amount = r.close_value ? Math.round(Number(r.close_value) * 100) : (price.get(r.product.replace(/\s+/g, '')) ?? 0);
      const last = noon(closed ?? engaged ?? created);
      deal(
        id, ws, pipelineId, s.id, s.kind, `${r.account || r.opportunity_id} · ${r.product}`, null, amount, currency, expected, expected.slice(0, 7),
        s.kind === 'lost' ? 'Not recorded in the sample data' : null, s.kind === 'won' ? noon(closed) : null, s.kind === 'lost' ? noon(closed) : null, closed ? noon(closed) : null,
        last, last, ownerId, JSON.stringify({ opportunity_id: r.opportunity_id }), owner.id, 1, noon(created), last,
      );
      const moves = [[null, stageOf.Prospecting.id, noon(created), null]];
      if (engaged) moves.push([stageOf.Prospecting.id, stageOf.Engaging.id, noon(engaged), Math.round((Date.parse(noon(engaged)) - Date.parse(noon(created))) / 1000)]);
      if (closed) moves.push([moves.at(-1)[1], s.id, noon(closed), Math.round((Date.parse(noon(closed)) - Date.parse(moves.at(-1)[2])) / 1000)]);
      moves.forEach(([from, to, when, seconds], i) => move(`dsh_${id.slice(5)}${i}`, ws, id, pipelineId, from, to, ownerId, when, seconds));
      history += moves.length;
      n++;
    }
  }
  db.exec('COMMIT');
  db.close();
  return { id: pipelineId, history, years };
}
