#!/usr/bin/env node
// `npm run sample:load`: loads the Maven CRM sample (samples/maven-crm/) into a running Hearth
// through its API — the same POST /api/v1/samples/maven-crm that the app's "Load sample data"
// button sends — waits for the queued deals, and prints what was cleaned.
//
// Which server: http://127.0.0.1:$PORT (default 8787, i.e. `npm start`), or --url <origin>.
// Which workspace, and how it signs in (first that applies):
//   HEARTH_API_KEY=<key>                 an API key with the settings:write scope → its workspace
//   HEARTH_EMAIL=… HEARTH_PASSWORD=…     an owner or admin → their workspace
//   (neither)                            the demo workspace "Maven CRM demo": created on the first
//                                        run (owner owner@maven.example, a random password), its
//                                        login kept in .wrangler/maven-demo-login.json (git-ignored)
//                                        and printed, so you can sign in to the browser with it.
// Dates: moved forward by whole months so that the data ends this month (or last month, never after
// today), so the forecast and funnel show the present; --as-is keeps its dates (2016-10…2017-12).
// Loading twice changes nothing. The full report (one line per decided row) is saved to
// .wrangler/maven-crm-report.csv.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const urlArg = argv.indexOf('--url');
const recent = !argv.includes('--as-is');
const base = (urlArg >= 0 ? argv[urlArg + 1] : `http://127.0.0.1:${process.env.PORT || '8787'}`).replace(/\/$/, '');
const stateDir = join(root, '.wrangler');
const loginFile = join(stateDir, 'maven-demo-login.json');
const reportFile = join(stateDir, 'maven-crm-report.csv');
const DEMO = { workspaceName: 'Maven CRM demo', name: 'Demo Owner', email: 'owner@maven.example', locale: 'en', timezone: 'America/Chicago' };

function fail(message) {
  console.error(`✗ ${message}`);
  process.exit(1);
}

async function call(path, { method = 'GET', body, auth } = {}) {
  const headers = { ...(auth?.headers ?? {}) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  // Cookie writes must name our origin (CSRF guard), as a same-origin page does.
  if (method !== 'GET') headers.origin = base;
  let res;
  try {
    res = await fetch(`${base}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    fail(`Hearth does not answer at ${base}. Start it first (npm start), or pass --url.`);
  }
  return res;
}

async function problemText(res) {
  const text = await res.text();
  try {
    const p = JSON.parse(text);
    return `${res.status} ${p.detail ?? text}${p.errors ? ` (${p.errors.map((e) => `${e.field}: ${e.message}`).join('; ')})` : ''}`;
  } catch {
    return `${res.status} ${text.slice(0, 300)}`;
  }
}

const cookieOf = (res) => res.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => /hearth_session=./.test(c)).join('; ');

async function signIn(email, password) {
  const res = await call('/auth/login', { method: 'POST', body: { email, password } });
  if (res.status !== 200) return null;
  return { headers: { cookie: cookieOf(res) }, who: email };
}

/** The credentials to use, and whether they are the demo workspace's. */
async function authenticate() {
  if (process.env.HEARTH_API_KEY) return { headers: { authorization: `Bearer ${process.env.HEARTH_API_KEY}` }, who: 'the API key in HEARTH_API_KEY' };
  if (process.env.HEARTH_EMAIL || process.env.HEARTH_PASSWORD) {
    const auth = await signIn(process.env.HEARTH_EMAIL ?? '', process.env.HEARTH_PASSWORD ?? '');
    if (!auth) fail(`Could not sign in as ${process.env.HEARTH_EMAIL} (HEARTH_EMAIL / HEARTH_PASSWORD).`);
    return auth;
  }
  if (existsSync(loginFile)) {
    const saved = JSON.parse(readFileSync(loginFile, 'utf8'));
    const auth = await signIn(saved.email, saved.password);
    if (auth) return { ...auth, demo: saved };
    console.log(`• the saved demo login (${loginFile.replace(root + '/', '')}) no longer works here: creating the demo workspace`);
  }
  const password = randomBytes(12).toString('base64url');
  const res = await call('/auth/signup', { method: 'POST', body: { ...DEMO, password } });
  if (res.status !== 201) {
    fail(
      `Could not create the demo workspace: ${await problemText(res)}\n` +
        '  To load into an existing workspace, sign in as its owner or an admin:\n' +
        '    HEARTH_EMAIL=you@example.com HEARTH_PASSWORD=… npm run sample:load',
    );
  }
  const saved = { url: base, email: DEMO.email, password };
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(loginFile, JSON.stringify(saved, null, 2) + '\n', { mode: 0o600 });
  console.log(`• created the workspace "${DEMO.workspaceName}"`);
  return { headers: { cookie: cookieOf(res) }, who: DEMO.email, demo: saved };
}

const health = await call('/health');
if (!health.ok) fail(`Hearth at ${base} is not healthy: ${await problemText(health)}`);

const auth = await authenticate();
const files = Object.fromEntries(['accounts', 'products', 'sales_teams', 'sales_pipeline'].map((name) => [name, readFileSync(join(root, 'samples', 'maven-crm', `${name}.csv`), 'utf8')]));
console.log(`• loading samples/maven-crm into ${base} as ${auth.who}`);
const res = await call('/samples/maven-crm', { method: 'POST', body: { files, recent }, auth });
if (res.status !== 202) fail(`The load was refused: ${await problemText(res)}`);
const loaded = await res.json();

// The deals are written by the queue; the job shows how far it got.
let job;
for (const started = Date.now(); ; ) {
  const r = await call(`/jobs/${loaded.jobId}`, { auth });
  job = await r.json();
  if (process.stdout.isTTY) process.stdout.write(`\r• deals: ${job.processed} / ${job.total}   `);
  if (job.status === 'done' || job.status === 'failed') break;
  if (Date.now() - started > 10 * 60_000) fail(`The load did not finish within 10 minutes (job ${loaded.jobId}: ${job.processed}/${job.total}).`);
  await new Promise((r) => setTimeout(r, 500));
}
if (process.stdout.isTTY) process.stdout.write('\n');
if (job.status === 'failed') fail(`The load failed: ${job.error}`);

const report = await call(loaded.report.csvUrl.replace('/api/v1', ''), { auth });
if (report.ok) {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(reportFile, await report.text());
}

const c = loaded.counts;
console.log(`\n✓ Maven CRM sample loaded: ${c.deals} deals (${job.updated} new, ${job.skipped} rows skipped), ${c.users} people in ${c.teams} teams, ${c.companies} companies, ${c.products} products.`);
const d = loaded.dates;
console.log(`  Dates ${d.firstDay} … ${d.lastDay}${d.shiftMonths ? ` (the data's, moved forward ${d.shiftMonths} months; --as-is keeps them)` : ''}.`);
if (loaded.workspaceCurrency.before !== loaded.workspaceCurrency.after) console.log(`  The workspace currency is now ${loaded.workspaceCurrency.after} (it had no deals; the sample is in USD).`);
else if (loaded.workspaceCurrency.after !== loaded.currency) console.log(`  Note: the sample is in ${loaded.currency}; reports in ${loaded.workspaceCurrency.after} leave it out until you pick ${loaded.currency}.`);
console.log('\n  What was cleaned or decided (rows):');
for (const s of loaded.report.summary) {
  console.log(`  ${String(s.rows).padStart(5)}  ${s.file}.csv ${s.field}${s.value ? ` = "${s.value}"` : ' (empty)'}: ${s.decision}`);
}
if (report.ok) console.log(`\n  Every decided row (file, line, opportunity, field, value, decision): ${reportFile.replace(root + '/', '')}`);
if (auth.demo) console.log(`\n  Sign in at ${base}/login as ${auth.demo.email} with the password ${auth.demo.password}`);
else console.log(`\n  Open ${base} and look at the "Maven CRM" pipeline, its forecast and funnel.`);
