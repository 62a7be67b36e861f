#!/usr/bin/env node
// `npm run bench -- --only forms` (or `node bench/forms.mjs`): sustained public form posts
// (`POST /f/:key`) through `wrangler dev` under autocannon — JSON posts from a site's script (201)
// and plain HTML form posts (urlencoded, 303) — with p50/p95/p99 latency, and every accepted
// answer counted against the submissions actually stored (they must be equal: a lead is never
// lost). Then how fast the queue consumer turns the stored submissions into leads.
//
//   options: --duration S (per run, default 10)  --connections 8[,32]  --modes json,urlencoded,deferred
//            --max-requests N (per run, default 20000)  --drain-seconds S (default 60)
//
// A fresh local state each run (its own D1, queue and R2 under bench/.data/forms-run); loopback
// only; every run is bounded; the wrangler process group it starts is always killed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { sleep, startDev } from './dev-server.mjs';
import { performance } from 'node:perf_hooks';

if (Number(process.versions.node.split('.')[0]) < 22) {
  const node22 = new URL('../node_modules/node/bin/node', import.meta.url).pathname;
  const r = spawnSync(node22, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
process.removeAllListeners('warning'); // node:sqlite's ExperimentalWarning

const { d1File, dataRoot, root, wrangler } = await import('./generate.mjs');
const { DatabaseSync } = await import('node:sqlite');
const { default: autocannon } = await import('autocannon');

// ── options ──────────────────────────────────────────────────────────────────────────────────
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[i + 1] : fallback;
};
const duration = Number(opt('duration', '10'));
const maxRequests = Number(opt('max-requests', '20000'));
const connectionsList = opt('connections', '8').split(',').map(Number);
const modes = opt('modes', 'json,urlencoded,deferred').split(',');
const drainSeconds = Number(opt('drain-seconds', '60'));
const resultsDir = join(root, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });

// ── 1. a fresh local state with the migrations applied ─────────────────────────────────────
const runDir = join(dataRoot, 'forms-run');
rmSync(runDir, { recursive: true, force: true });
mkdirSync(runDir, { recursive: true });
const persist = join(runDir, 'persist');
console.log('• applying migrations to a fresh local D1');
wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist]);
const sqliteFile = d1File(persist);

// ── 2. wrangler dev (the command scripts/start.mjs runs), with the bench var ───────────────
const devLog = join(resultsDir, 'wrangler-forms.log');
const dev = await startDev({ root, persist, log: devLog, scratch: dataRoot, vars: (url) => ({ APP_URL: url }) });
const base = dev.base;

const results = { startedAt: new Date().toISOString(), machine: { cpus: cpus().length, loadavgBefore: loadavg() }, options: { duration, maxRequests, connectionsList, modes, drainSeconds }, runs: [], totals: {}, drain: {} };

/** What is stored for the form, by status (read-only, straight from the D1 SQLite file). */
function storedByStatus(formId) {
  // wrangler writes the same file while the queue drains: wait for its write lock to pass.
  const db = new DatabaseSync(sqliteFile, { readOnly: true, timeout: 10_000 });
  try {
    const rows = db.prepare('select status, count(*) as n from form_submissions where form_id = ? group by status').all(formId);
    const leads = db.prepare('select count(*) as n from leads where form_id = ?').get(formId).n;
    return { ...Object.fromEntries(rows.map((r) => [r.status, r.n])), total: rows.reduce((s, r) => s + r.n, 0), leads };
  } finally {
    db.close();
  }
}

/** Waits (at most --drain-seconds) until no submission of the form waits for the consumer. */
async function untilDrained(intervalMs) {
  const start = performance.now();
  let last = storedByStatus(form.id);
  while (last.received || last.processing) {
    if (performance.now() - start >= drainSeconds * 1000) break;
    await sleep(intervalMs);
    last = storedByStatus(form.id);
  }
  return { last, seconds: (performance.now() - start) / 1000, complete: !last.received && !last.processing };
}

let accepted = 0; // every 201/303 answer, warm-up and probes included: each one promised a stored submission
let form;
try {
  // ── 3. a workspace and a form whose limits do not refuse the bench's one IP ──────────────
  const signup = await fetch(`${base}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ workspaceName: 'Bench Forms', name: 'Bench Owner', email: 'owner@bench-forms.test', password: 'bench-password-2026' }),
  });
  if (signup.status !== 201) throw new Error(`signup: ${signup.status} ${await signup.text()}`);
  const cookie = signup.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const created = await fetch(`${base}/api/v1/forms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base, cookie },
    body: JSON.stringify({
      name: 'Bench contact form',
      locale: 'en',
      fields: [
        { name: 'name', label: 'Name', type: 'text', mapTo: 'contact.name', required: true },
        { name: 'email', label: 'Email', type: 'email', mapTo: 'contact.email', required: true },
        { name: 'phone', label: 'Phone', type: 'tel', mapTo: 'contact.phone', required: false },
        { name: 'message', label: 'Message', type: 'textarea', mapTo: 'note', required: false },
      ],
      allowedOrigins: ['*'],
      minFillSeconds: 0,
      ipLimitPerMinute: 100_000,
      formLimitPerMinute: 1_000_000,
    }),
  });
  if (created.status !== 201) throw new Error(`create form: ${created.status} ${await created.text()}`);
  form = await created.json();
  console.log(`• form ${form.id} (key ${form.key}); limits ${form.ipLimitPerMinute}/min per IP, ${form.formLimitPerMinute}/min per form`);

  // Every post is a different person (a repeated payload within the dedupe window is one submission).
  const runTag = Date.now().toString(36);
  let seq = 0;
  const person = () => {
    const n = ++seq;
    return { name: `访客 ${runTag}-${n}`, email: `visitor-${runTag}-${n}@example.com`, phone: `+86 139 ${String(10_000_000 + ((n * 7919) % 89_999_999)).padStart(8, '0')}`, message: 'Bench enquiry', utm_source: 'bench', utm_campaign: `c${n % 7}` };
  };
  const MODES = {
    json: { label: 'JSON post (fetch)', ok: 201, headers: { 'content-type': 'application/json', accept: 'application/json', origin: 'https://www.example.com' }, body: () => JSON.stringify(person()) },
    // A bot's post (honeypot filled): stored in the spam folder and never queued, so it measures
    // the intake alone, without the queue consumer working beside it.
    spam: { label: 'JSON post caught by the honeypot', ok: 201, headers: { 'content-type': 'application/json', accept: 'application/json', origin: 'https://www.example.com' }, body: () => JSON.stringify({ ...person(), _hearth_hp: 'http://spam.example' }) },
    urlencoded: { label: 'HTML form post (urlencoded)', ok: 303, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: 'https://www.example.com' }, body: () => new URLSearchParams(person()).toString() },
    // The endpoint alone, with its real queue send, while the consumer idles: each post's message is
    // held (bench-only header) until one moment after the run, when the consumer drains them all
    // on its own — on Workers the two run in separate invocations, under wrangler dev on one thread.
    deferred: { label: 'JSON post, processing held to the end', ok: 201, headers: { 'content-type': 'application/json', accept: 'application/json', origin: 'https://www.example.com' }, body: () => JSON.stringify(person()), deferred: true },
  };
  const path = `/f/${form.key}`;

  // Probes: the answer each mode gives, before any load.
  for (const mode of modes) {
    const m = MODES[mode];
    if (!m) throw new Error(`unknown mode ${mode}; use json, urlencoded, spam`);
    const res = await fetch(base + path, { method: 'POST', headers: m.headers, body: m.body(), redirect: 'manual' });
    const text = await res.text();
    if (res.status !== m.ok) throw new Error(`${m.label}: expected ${m.ok}, got ${res.status} ${text.slice(0, 300)}`);
    accepted++;
  }

  /**
   * One bounded autocannon run; our own per-response times give p95 (autocannon has no p95).
   * Form posts run by count, not by time: a run cut at its deadline would drop answers to posts
   * the server did store, and the accepted-vs-stored check must be exact.
   */
  // autocannon reports whole seconds and ends a run by count on its next one-second tick: the
  // elapsed time is measured here, from the start to the last answer.
  const load = (request, connections, bound) =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      let lastAnswer;
      const times = [];
      const statuses = {};
      const instance = autocannon(
        { url: base, connections, timeout: 30, ...bound, requests: [request] },
        (err, result) => (err ? reject(err) : resolve({ result, times, statuses, seconds: ((lastAnswer ?? performance.now()) - started) / 1000 })),
      );
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        lastAnswer = performance.now();
        statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
        times.push(responseTime);
      });
    });
  const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);
  const summarize = (label, mode, connections, { result, times, statuses, seconds }, ok) => {
    times.sort((a, b) => a - b);
    const total = result.requests.total;
    const run = {
      mode, label, connections, requests: total, seconds, rps: total / seconds,
      p50: pct(times, 50), p95: pct(times, 95), p99: pct(times, 99), max: times[times.length - 1],
      accepted: ok ? (statuses[ok] ?? 0) : null, statuses, errors: result.errors, timeouts: result.timeouts,
    };
    results.runs.push(run);
    console.log(`  ${label.padEnd(34)} c=${connections}  ${run.rps.toFixed(0)} req/s  p50 ${run.p50.toFixed(1)} ms  p95 ${run.p95.toFixed(1)} ms  p99 ${run.p99.toFixed(1)} ms  (${total} req: ${JSON.stringify(statuses)}${run.errors ? `, ${run.errors} errors` : ''}${run.timeouts ? `, ${run.timeouts} timeouts` : ''})`);
    return run;
  };

  for (const connections of connectionsList) {
    // The floor: one raw D1 batch on the same wrangler dev, the least any request that stores costs.
    const floor = { method: 'GET', path: '/api/v1/__bench/floor' };
    await load(floor, connections, { duration: 1 });
    summarize('raw D1 floor (1 batch: select 1)', 'floor', connections, await load(floor, connections, { duration, maxOverallRequests: Math.max(maxRequests, connections) }));
    // The same with one row written: what any request that stores pays to the local SQLite file.
    const writeFloor = { method: 'POST', path: '/api/v1/__bench/floor/write' };
    await load(writeFloor, connections, { duration: 1 });
    summarize('raw D1 write floor (1 batch: 1 insert)', 'floor', connections, await load(writeFloor, connections, { duration, maxOverallRequests: Math.max(maxRequests, connections) }));
    for (const mode of modes) {
      const m = MODES[mode];
      // Held messages are all released at one moment after the run (delays are whole seconds).
      const releaseAt = Date.now() + (duration + 8) * 1000;
      const hold = () => (m.deferred ? { 'x-bench-defer-processing': String(Math.max(1, Math.ceil((releaseAt - Date.now()) / 1000))) } : {});
      const request = { method: 'POST', path, headers: m.headers, setupRequest: (req) => ({ ...req, headers: { ...req.headers, ...hold() }, body: m.body() }) };
      // Warm-up by count; its rate sizes the measured run to about --duration seconds.
      // Each mode starts with the queue idle: no consumer work left over from the mode before.
      await untilDrained(200);
      const warm = await load(request, connections, { amount: connections * 8 });
      accepted += warm.statuses[m.ok] ?? 0;
      const rate = warm.result.requests.total / Math.max(warm.seconds, 0.1);
      const amount = Math.min(maxRequests, Math.max(connections * 4, Math.round(rate * duration)));
      const run = summarize(m.label, mode, connections, await load(request, connections, { amount }), m.ok);
      accepted += run.accepted;
      if (m.deferred) {
        // The consumer on its own: from the release until every held submission is processed.
        const before = storedByStatus(form.id);
        const held = (before.received ?? 0) + (before.processing ?? 0);
        while (Date.now() < releaseAt) await sleep(100);
        const { seconds, complete } = await untilDrained(200);
        results.consumer = { held, seconds, leadsPerSecond: held / seconds, complete };
        console.log(`  consumer alone: ${held} held submissions processed in ${seconds.toFixed(1)} s = ${(held / seconds).toFixed(0)} leads/s`);
      }
    }
  }

  // ── 4. stored vs accepted, and the queue draining them into leads ───────────────────────
  const storedAtEnd = storedByStatus(form.id);
  results.totals = { accepted, storedRightAfterLoad: storedAtEnd.total };
  console.log(`• accepted ${accepted} posts; ${storedAtEnd.total} submissions stored right after the load`);
  const drain = await untilDrained(1000);
  results.drain = { seconds: drain.seconds, byStatus: drain.last, complete: drain.complete };
  console.log(`• after ${drain.seconds.toFixed(0)} s: ${JSON.stringify(drain.last)}`);
} finally {
  await dev.stop();
}
results.machine.loadavgAfter = loadavg();

// The final word on "never lost": counted after wrangler stopped, from the database file.
const final = form ? storedByStatus(form.id) : { total: 0 };
results.totals.storedFinal = final.total;
results.totals.equal = final.total === results.totals.accepted;

// ── 5. report ────────────────────────────────────────────────────────────────────────────
const f = (n, d = 1) => (n === undefined || Number.isNaN(n) ? '–' : n.toFixed(d));
const lines = [];
lines.push('# Hearth bench — public form posts (`POST /f/:key`)');
lines.push('');
lines.push(`${results.startedAt} · ${results.machine.cpus} cores · load average before ${results.machine.loadavgBefore.map((x) => x.toFixed(2)).join(' ')}, after ${results.machine.loadavgAfter.map((x) => x.toFixed(2)).join(' ')} · about ${duration} s per run (≤ ${maxRequests} posts, sized from a warm-up) · fresh local D1 through \`wrangler dev\``);
lines.push('');
lines.push('Each post is a different person. A post is answered once its raw submission is stored (the form, cached a few seconds per isolate, then one D1 batch: the per-IP and per-form rate-limit counters, the insert and the double-submit look-back); processing (normalization, dedupe, scoring, assignment, notifications) runs afterwards from the queue. Target: ≥ 500 posts/s; accepted answers = stored submissions. The raw D1 floor is one `select 1` batch through the same `wrangler dev`: no request that stores anything can be faster.');
lines.push('');
lines.push('| request | conns | req/s | ÷ floor | p50 ms | p95 ms | p99 ms | accepted | other answers | errors |');
lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---|---:|');
for (const r of results.runs) {
  const floorRun = results.runs.find((x) => x.mode === 'floor' && x.connections === r.connections);
  const isFloor = r.mode === 'floor';
  const okCode = r.mode === 'urlencoded' ? 303 : r.mode === 'floor' ? 200 : 201;
  const other = Object.entries(r.statuses).filter(([s]) => Number(s) !== okCode).map(([s, n]) => `${n}× ${s}`).join(', ') || '–';
  lines.push(`| ${r.label} | ${r.connections} | ${f(r.rps, 0)}${isFloor ? '' : r.rps >= 500 ? ' ✓' : ' ✗'} | ${floorRun ? f(r.rps / floorRun.rps, 2) : '–'} | ${f(r.p50)} | ${f(r.p95)} | ${f(r.p99)} | ${isFloor ? '–' : r.accepted} | ${other} | ${r.errors}${r.timeouts ? ` (${r.timeouts} timeouts)` : ''} |`);
}
lines.push('');
const t = results.totals;
lines.push(`**Accepted answers (201/303, warm-ups and probes included): ${t.accepted} · submissions stored: ${t.storedFinal} · ${t.equal ? 'equal ✓' : 'NOT EQUAL ✗'}**`);
lines.push('');
if (results.consumer) {
  const k = results.consumer;
  lines.push(`The consumer on its own (the held posts above, released together): ${k.held} submissions ${k.complete ? 'processed' : 'not all processed'} in ${f(k.seconds)} s = **${f(k.leadsPerSecond, 0)} leads/s** (normalization, dedupe, scoring, contact + lead + timeline, webhooks; notifications when a rule assigns an owner).`);
  lines.push('');
}
if (results.drain.byStatus) {
  const d = results.drain;
  lines.push(`Queue processing after the load: ${d.complete ? `all processed in ${f(d.seconds, 0)} s` : `not finished after ${f(d.seconds, 0)} s (bounded by --drain-seconds)`} — by status ${JSON.stringify(d.byStatus)}.`);
  lines.push('');
}
const table = lines.join('\n');
console.log('\n' + table);
writeFileSync(join(resultsDir, 'latest.md'), table + '\n');
writeFileSync(join(resultsDir, 'forms.md'), table + '\n');
writeFileSync(join(resultsDir, 'forms.json'), JSON.stringify(results, null, 2));
console.log('\n• written bench/results/latest.md, forms.md and forms.json');
rmSync(runDir, { recursive: true, force: true });
if (!t.equal) process.exitCode = 1;
