#!/usr/bin/env node
// `npm test`: the Worker suite inside workerd (real D1/R2/Queues), the same service tests on
// libSQL, then the browser tests (real Chromium against `npm start`). Ends with one summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'test-results');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

const suites = [
  { key: 'worker', name: 'worker (workerd, D1/R2/Queues)', config: 'vitest.config.ts' },
  { key: 'libsql', name: 'services on libSQL', config: 'vitest.libsql.config.ts' },
  { key: 'e2e', name: 'browser (Chromium against npm start)', config: 'vitest.e2e.config.ts' },
];

const only = process.argv.slice(2);

// The SPA first: wrangler.toml serves web/dist as the Worker's assets, so the bundle and the
// Worker tests need it (a fresh clone has none).
console.log('▶ building the web app');
const web = spawnSync(join(root, 'node_modules', '.bin', 'vite'), ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
if (web.status !== 0) {
  console.error('✗ the web app does not build');
  process.exit(1);
}

// The bundle wrangler would deploy: catches what only the real bundler sees (e.g. a module
// rule that turns an import into text) before any suite runs, and reports the Worker's size.
if (!only.length || only.includes('worker')) {
  console.log('▶ bundling the Worker (wrangler deploy --dry-run)');
  const bundle = spawnSync(join(root, 'node_modules', '.bin', 'wrangler'), ['deploy', '--dry-run', '--outdir', join(outDir, 'bundle')], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  const size = (bundle.stdout ?? '').match(/Total Upload: .*/)?.[0];
  if (bundle.status !== 0 || !size) {
    process.stderr.write(bundle.stdout + bundle.stderr);
    console.error('✗ the Worker does not bundle');
    process.exit(1);
  }
  console.log(`  ${size}`);
}
let passed = 0;
let failed = 0;
let skipped = 0;
let broken = false;
for (const suite of suites) {
  if (!existsSync(join(root, suite.config))) continue;
  if (only.length && !only.includes(suite.key)) continue;
  console.log(`\n▶ ${suite.name}`);
  const report = join(outDir, `${suite.config}.json`);
  const result = spawnSync(
    join(root, 'node_modules', '.bin', 'vitest'),
    ['run', '--config', suite.config, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    { cwd: root, stdio: 'inherit' },
  );
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    passed += json.numPassedTests;
    failed += json.numFailedTests;
    skipped += json.numPendingTests + json.numTodoTests;
  }
  if (result.status !== 0) broken = true;
}
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(broken || failed > 0 ? 1 : 0);
