#!/usr/bin/env node
// `npm run bench`: the customer endpoints through `wrangler dev` under autocannon, beside two
// floors measured in the same run — the same SQL on raw SQLite in-process (node:sqlite) and one
// raw D1 batch through the same `wrangler dev` — with D1 round trips and rows read per request.
//
//   npm run bench                       100k contacts, 10 s per run, 1 and 8 connections
//   npm run bench -- --size 12k --duration 3
//   options: --size 1k|12k|100k  --duration S  --max-requests N  --connections 1,8
//            --only list,detail,...  --sqlite-seconds S  --force (regenerate the dataset)
//
// Loopback only (127.0.0.1); every load run is bounded in time and count; the wrangler process
// group it starts is always killed. Figures are printed and written to bench/results/.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { sleep, startDev } from './dev-server.mjs';

// The project's Node 22 (node:sqlite, wrangler 4) even when started with an older `node`.
if (Number(process.versions.node.split('.')[0]) < 22) {
  const node22 = new URL('../node_modules/node/bin/node', import.meta.url).pathname;
  const r = spawnSync(node22, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
process.removeAllListeners('warning'); // node:sqlite's ExperimentalWarning

// `--only forms`: public form posts on a fresh state of their own (bench/forms.mjs), no dataset.
{
  const i = process.argv.indexOf('--only');
  if (i > 0 && process.argv[i + 1] === 'forms') {
    await import('./forms.mjs');
    process.exit(process.exitCode ?? 0);
  }
}

const { ensureDataset, d1File, dataRoot, root } = await import('./generate.mjs');
const { ensurePipelineDataset, PIPELINE_ENDPOINTS } = await import('./pipeline.mjs');
const { SqliteFloor } = await import('./sqlite-floor.mjs');
const { default: autocannon } = await import('autocannon');

// ── options ──────────────────────────────────────────────────────────────────────────────────
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[i + 1] : fallback;
};
const size = opt('size', '100k');
const duration = Number(opt('duration', '10'));
const maxRequests = Number(opt('max-requests', '20000'));
const connectionsList = opt('connections', '1,8').split(',').map(Number);
const only = opt('only', '') ? opt('only', '').split(',') : null;
const sqliteSeconds = Number(opt('sqlite-seconds', '2'));
const resultsDir = join(root, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });


const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

/**
 * One timed run at `connections` (bounded by time and count, 1 s warm-up), summarised. autocannon's
 * histogram has no p95: every response time of the run is kept to compute it exactly.
 */
async function loadRun(connections, options) {
  const times = [];
  const r = await new Promise((resolve, reject) => {
    const instance = autocannon(
      { connections, duration, maxOverallRequests: Math.max(maxRequests, connections), timeout: 30, warmup: { connections, duration: 1 }, ...options },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  const total = r.requests.total;
  return {
    requests: total, seconds: r.duration, rps: total / r.duration,
    p50: r.latency.p50, p90: r.latency.p90, p95: percentile(times.sort((a, b) => a - b), 95), p99: r.latency.p99, max: r.latency.max,
    non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts,
  };
}

// ── 1. data ─────────────────────────────────────────────────────────────────────────────────
let dataset = await ensureDataset(size, { force: argv.includes('--force') });
// Forecast and funnel run on 50k deals added to the dataset (bench/pipeline.mjs; cached as well).
if (!only || only.some((k) => PIPELINE_ENDPOINTS.includes(k))) dataset = await ensurePipelineDataset(dataset, { force: argv.includes('--force') });
const meta = dataset.meta;
// Each run works on a copy, so creates do not pile up in the cached dataset.
const runDir = join(dataRoot, `run-${size}`);
rmSync(runDir, { recursive: true, force: true });
console.log('• copying the dataset for this run');
cpSync(dataset.persist, join(runDir, 'persist'), { recursive: true });
const runSqlite = d1File(join(runDir, 'persist'));

// ── 2. wrangler dev with the bench var (migrations are already in the dataset) ──────────────
const devLog = join(resultsDir, 'wrangler.log');
const dev = await startDev({ root, persist: join(runDir, 'persist'), log: devLog, scratch: dataRoot });
const base = dev.base;

const results = { size, startedAt: new Date().toISOString(), machine: { cpus: cpus().length, loadavgBefore: loadavg() }, options: { duration, maxRequests, connectionsList }, dataset: meta.counts, endpoints: [] };

try {
  const floorProbe = await fetch(`${base}/api/v1/__bench/floor`);
  if (floorProbe.status !== 200) throw new Error('the bench routes are not mounted: is BENCH reaching the Worker?');

  // ── 3. sign in ──────────────────────────────────────────────────────────────────────────
  const signIn = async (email) => {
    const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: meta.password }) });
    if (res.status !== 200) throw new Error(`sign-in as ${email}: ${res.status} ${await res.text()}`);
    return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  };
  const ownerCookie = await signIn(meta.users.find((u) => u.role === 'owner').email);
  const rep = meta.users.find((u) => u.role === 'rep');
  const repCookie = await signIn(rep.email);

  // ── 4. endpoints ───────────────────────────────────────────────────────────────────────
  let createSeq = 0;
  const runTag = Date.now().toString(36);
  const createBody = () => {
    const n = ++createSeq;
    return JSON.stringify({
      name: `压测客户 ${runTag}-${n}`,
      emails: [`bench-${runTag}-${n}@example.com`],
      phones: [`139${String(10_000_000 + ((n * 7919) % 89_999_999)).padStart(8, '0')}`],
      lifecycle: 'lead',
      source: 'api',
      force: true,
    });
  };
  let detailSeq = 0;
  const detailPath = () => `/api/v1/contacts/${meta.sample.contactIds[detailSeq++ % meta.sample.contactIds.length]}`;
  // Reports over the 50k deals: one year of the repeated sample (as the owner and as a rep), and all of it.
  const reports = (p) => [
    { key: 'forecast', label: 'forecast 12 months', path: `/api/v1/reports/forecast?pipelineId=${p}&from=2019-01&to=2019-12`, target95: 200 },
    { key: 'forecast-rep', label: 'forecast 12 months (as a rep)', path: `/api/v1/reports/forecast?pipelineId=${p}&from=2019-01&to=2019-12`, cookie: repCookie, target95: 200 },
    { key: 'funnel', label: 'funnel 1 year', path: `/api/v1/reports/funnel?pipelineId=${p}&from=2019-01-01&to=2019-12-31`, target95: 200 },
    { key: 'funnel-rep', label: 'funnel 1 year (as a rep)', path: `/api/v1/reports/funnel?pipelineId=${p}&from=2019-01-01&to=2019-12-31`, cookie: repCookie, target95: 200 },
    { key: 'funnel-all', label: 'funnel all 50k deals', path: `/api/v1/reports/funnel?pipelineId=${p}&from=2016-01-01&to=2022-12-31`, target95: 200 },
  ];
  const endpoints = [
    { key: 'floor', label: 'raw D1 floor (1 batch: select 1)', path: '/api/v1/__bench/floor', floor: true },
    { key: 'floor-page', label: 'raw D1 floor (1 batch: list page)', path: `/api/v1/__bench/floor/page?ws=${meta.workspaceId}`, floor: true },
    { key: 'list', label: 'list', path: '/api/v1/contacts' },
    { key: 'list-rep', label: 'list (as a rep)', path: '/api/v1/contacts', cookie: repCookie },
    { key: 'filter', label: 'filter lifecycle+tag+spend', path: `/api/v1/contacts?lifecycle=customer&tagId=${meta.vipTagId}&spentMin=100000` },
    { key: 'search-cn', label: 'search 王芳', path: `/api/v1/contacts?q=${encodeURIComponent('王芳')}` },
    { key: 'search-phone', label: 'search 5678', path: '/api/v1/contacts?q=5678' },
    { key: 'search-en', label: 'search Smith', path: '/api/v1/contacts?q=Smith' },
    { key: 'detail', label: 'detail', path: detailPath },
    { key: 'create', label: 'create (force)', path: '/api/v1/contacts', method: 'POST', body: createBody },
    ...(meta.pipeline ? reports(meta.pipeline.id) : []),
  ].filter((e) => !only || only.includes(e.key) || e.floor);

  const headersFor = (e) => ({ cookie: e.cookie ?? ownerCookie, ...(e.method === 'POST' ? { 'content-type': 'application/json' } : {}) });
  const pathOf = (e) => (typeof e.path === 'function' ? e.path() : e.path);
  const bodyOf = (e) => (typeof e.body === 'function' ? e.body() : e.body);

  for (const e of endpoints) {
    // Probes: status, D1 cost per request (averaged over a few requests) and one statement trace.
    const probes = [];
    let trace = null;
    let created = null;
    for (let i = 0; i < 5; i++) {
      const traceId = `${e.key}-${i}`;
      const res = await fetch(base + pathOf(e), { method: e.method ?? 'GET', headers: { ...headersFor(e), 'x-bench-trace': traceId }, body: bodyOf(e) });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${e.label}: ${res.status} ${text.slice(0, 300)}`);
      const body = JSON.parse(text);
      probes.push({ roundTrips: Number(res.headers.get('x-d1-round-trips')), rowsRead: Number(res.headers.get('x-d1-rows-read')), rowsWritten: Number(res.headers.get('x-d1-rows-written')), items: Array.isArray(body.items) ? body.items.length : undefined });
      // The last probe's trace: by then the session hint is warm, as it is in the timed runs.
      if (i === 4 && !e.floor) {
        trace = await (await fetch(`${base}/api/v1/__bench/trace/${traceId}`)).json();
        if (e.method === 'POST') created = body;
      }
    }
    const avg = (k) => probes.reduce((s, p) => s + (p[k] ?? 0), 0) / probes.length;
    const entry = {
      key: e.key, label: e.label, floor: Boolean(e.floor), target95: e.target95,
      roundTrips: avg('roundTrips'), rowsRead: avg('rowsRead'), rowsWritten: avg('rowsWritten'), items: probes[0].items,
      trace, createdId: created?.id, runs: {}, sameSqlFloor: {},
    };
    results.endpoints.push(entry);
    for (const connections of connectionsList) {
      entry.runs[connections] = await loadRun(connections, {
        url: base,
        requests: [
          {
            method: e.method ?? 'GET',
            headers: headersFor(e),
            setupRequest: (req) => ({ ...req, path: pathOf(e), ...(e.body ? { body: bodyOf(e) } : {}) }),
          },
        ],
      });
      const run = entry.runs[connections];
      console.log(`  ${e.label.padEnd(34)} c=${connections}  p50 ${fmt(run.p50)} ms  p95 ${fmt(run.p95)} ms  p99 ${fmt(run.p99)} ms  ${fmt(run.rps)} req/s  (${run.requests} req${run.non2xx ? `, ${run.non2xx} non-2xx` : ''}${run.errors ? `, ${run.errors} errors` : ''})  D1: ${entry.roundTrips} trips, ${entry.rowsRead} rows`);
    }
    // The same-SQL raw D1 floor: the endpoint's own statements (its trace, session check included)
    // replayed by the minimal route in one D1 batch, right after the endpoint's runs.
    if (!e.floor && (e.method ?? 'GET') === 'GET' && trace) {
      for (const connections of connectionsList) {
        entry.sameSqlFloor[connections] = await loadRun(connections, { url: `${base}/api/v1/__bench/floor/replay/${e.key}-4` });
        const f = entry.sameSqlFloor[connections];
        console.log(`  ${'  ↳ same SQL, raw D1 batch'.padEnd(34)} c=${connections}  p50 ${fmt(f.p50)} ms  p95 ${fmt(f.p95)} ms  p99 ${fmt(f.p99)} ms  ${fmt(f.rps)} req/s${f.non2xx ? `  ⚠ ${f.non2xx} non-2xx` : ''}`);
      }
    }
  }
} finally {
  await dev.stop();
}
results.machine.loadavgAfter = loadavg();

// ── 5. the raw SQLite floor and query plans, on the same file, wrangler stopped ────────────
console.log('• raw SQLite floor (node:sqlite, in-process) and EXPLAIN QUERY PLAN');
// workerd may hold the file's lock for a moment after it exits.
let floor;
for (let attempt = 0; ; attempt++) {
  try {
    floor = new SqliteFloor(runSqlite);
    break;
  } catch (err) {
    if (attempt >= 20 || !/locked|busy/i.test(String(err?.message))) throw err;
    await sleep(500);
  }
}
for (const entry of results.endpoints) {
  if (entry.floor || !entry.trace) continue;
  const newIds = entry.createdId ? [entry.createdId, ...entry.trace.flat().flatMap((s) => s.params).filter((p) => typeof p === 'string' && /^(aud|cev|act)_[0-9A-Z]{26}$/.test(p))] : [];
  entry.sqlite = floor.measure(entry.trace, { seconds: sqliteSeconds, newIds });
  entry.plans = floor.explain(entry.trace);
}
floor.close();

// ── 6. report ────────────────────────────────────────────────────────────────────────────
function fmt(n, digits) {
  if (n === undefined || n === null || Number.isNaN(n)) return '–';
  const d = digits ?? (Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2);
  return n.toFixed(d);
}
const floorEntry = results.endpoints.find((e) => e.key === 'floor');
const lines = [];
lines.push(`# Hearth bench — ${size} contacts${meta.pipeline ? `, ${meta.pipeline.deals} deals` : ''}`);
lines.push('');
lines.push(`${results.startedAt} · ${results.machine.cpus} cores · load average before ${results.machine.loadavgBefore.map((x) => x.toFixed(2)).join(' ')}, after ${results.machine.loadavgAfter.map((x) => x.toFixed(2)).join(' ')} · ${duration} s per run (≤ ${maxRequests} requests), 1 s warm-up`);
lines.push(`Dataset: ${Object.entries(results.dataset).map(([k, v]) => `${v} ${k}`).join(', ')}`);
lines.push('');
lines.push('Throughput ÷ the raw-D1 floor is the headline (target ≥ 0.8), against two floors on the same wrangler dev: **÷ select 1** — one batch of `select 1`; **÷ same SQL** — the endpoint\'s own statements (from its trace, session check included) replayed by the minimal route in one D1 batch, measured right after it. p99 target at 8 connections: < 150 ms.');
lines.push('Forecast and funnel (50k deals): p95 target < 200 ms.');
lines.push('SQLite p50 is the same statements replayed in-process with node:sqlite (one request\'s worth); × SQLite is the endpoint p50 over it.');
lines.push('');
lines.push('| endpoint | conns | p50 ms | p95 ms | p99 ms | req/s | ÷ select 1 | same-SQL floor req/s | ÷ same SQL | D1 trips/req | rows_read/req | SQLite p50 ms | × SQLite | SQLite req/s |');
lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
const mark = (ok) => (ok ? ' ✓' : ' ✗');
for (const e of results.endpoints) {
  for (const c of connectionsList) {
    const r = e.runs[c];
    if (!r) continue;
    const f = floorEntry?.runs[c];
    const same = e.sameSqlFloor?.[c];
    lines.push(
      `| ${e.label} | ${c} | ${fmt(r.p50)} | ${fmt(r.p95)}${e.target95 ? mark(r.p95 < e.target95) : ''} | ${fmt(r.p99)}${c === 8 && !e.floor && !e.target95 ? mark(r.p99 < 150) : ''} | ${fmt(r.rps)} | ${f ? fmt(r.rps / f.rps, 2) + (e.floor ? '' : mark(r.rps / f.rps >= 0.8)) : '–'} | ${same ? fmt(same.rps) : '–'} | ${same ? fmt(r.rps / same.rps, 2) + mark(r.rps / same.rps >= 0.8) : '–'} | ${fmt(e.roundTrips, 1)} | ${fmt(e.rowsRead, 0)} | ${e.sqlite ? fmt(e.sqlite.p50, 3) : '–'} | ${e.sqlite ? fmt(r.p50 / e.sqlite.p50, 0) : '–'} | ${e.sqlite ? fmt(e.sqlite.perSecond, 0) : '–'} |` +
        (r.non2xx || r.errors ? ` ⚠ ${r.non2xx} non-2xx, ${r.errors} errors` : ''),
    );
  }
}
lines.push('');
lines.push('## Statements per request (from the bench trace)');
lines.push('');
lines.push('Each D1 round trip of one request, with the rows D1 read for it, the rows it returned (replayed on SQLite) and its query plan.');
lines.push('');
const short = (sql) => sql.replace(/\s+/g, ' ').replace(/^select (.{60}).*? from /, 'select $1… from ').slice(0, 230);
for (const e of results.endpoints) {
  if (e.floor || !e.trace) continue;
  lines.push(`### ${e.label} — ${e.roundTrips} round trips, ${e.rowsRead} rows read, ${e.rowsWritten} rows written${e.items !== undefined ? `, ${e.items} items` : ''}`);
  lines.push('');
  const plans = new Map((e.plans ?? []).map((p) => [p.sql, p]));
  e.trace.forEach((step, i) => {
    const list = Array.isArray(step) ? step : [step];
    const head = `${i + 1}. ${Array.isArray(step) ? `batch of ${list.length} — ` : ''}`;
    list.forEach((s, j) => {
      const p = plans.get(s.sql);
      const cost = `${s.rowsRead ?? '?'} read${p ? ` / ${p.rowsReturned} returned` : ''}`;
      lines.push(`${j === 0 ? head : '   '.padEnd(head.length)}\`${short(s.sql)}\` — **${cost}**${p ? ` — plan: ${p.plan.join(' · ')}` : ''}`);
    });
  });
  lines.push('');
}
const table = lines.join('\n');
console.log('\n' + table);
writeFileSync(join(resultsDir, 'latest.md'), table + '\n');
writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify(results, null, 2));
writeFileSync(join(resultsDir, `${size}.json`), JSON.stringify(results, null, 2));
console.log(`\n• written bench/results/latest.md and bench/results/latest.json`);
rmSync(runDir, { recursive: true, force: true });
