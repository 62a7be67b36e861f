// `wrangler dev` for a bench run: the command scripts/start.mjs runs, with `--var BENCH:1` (start.mjs
// has no way to pass a var while .dev.vars exists), on free ports, its process group killed on every
// way out of the bench.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

/**
 * Starts wrangler dev on `persist` (a local state dir) and waits until /api/v1/health answers.
 * `vars(base)` adds `--var` pairs that may name the server's own address. Returns its `base` URL
 * and `stop()`, which ends the process group and waits for it.
 */
export async function startDev({ root, persist, log, scratch, vars = () => ({}) }) {
  const port = await freePort();
  const inspectorPort = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const args = [
    join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js'), 'dev',
    '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort),
    '--persist-to', persist, '--var', 'BENCH:1', '--show-interactive-dev-session=false', '--log-level', 'warn',
  ];
  for (const [name, value] of Object.entries(vars(base))) args.push('--var', `${name}:${value}`);
  if (!existsSync(join(root, '.dev.vars'))) {
    args.push('--var', `SESSION_SECRET:bench-session-secret-${Date.now()}`, '--var', 'FIELD_ENCRYPTION_KEY:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=');
  }
  if (!existsSync(join(root, 'web', 'dist'))) {
    const assets = join(scratch, 'empty-assets');
    mkdirSync(assets, { recursive: true });
    writeFileSync(join(assets, 'index.html'), '<!doctype html><title>bench</title>');
    args.push('--assets', assets);
  }
  const fd = openSync(log, 'w');
  console.log(`• starting wrangler dev on ${base} (log: ${log.slice(root.length + 1)})`);
  const dev = spawn(process.execPath, args, { cwd: root, detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' } });

  const kill = (signal) => {
    if (dev.exitCode !== null) return;
    try {
      process.kill(-dev.pid, signal);
    } catch {
      /* already gone */
    }
  };
  process.on('exit', () => kill('SIGTERM'));
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      kill('SIGTERM');
      process.exit(130);
    });
  }
  const stop = async () => {
    if (dev.exitCode !== null) return;
    const exited = new Promise((resolve) => dev.once('exit', resolve));
    kill('SIGTERM');
    const timer = setTimeout(() => kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + 120_000;
  try {
    for (;;) {
      if (dev.exitCode !== null) throw new Error(`wrangler dev exited (${dev.exitCode}); see ${log}`);
      try {
        if ((await fetch(`${base}/api/v1/health`)).ok) break;
      } catch {
        /* not up yet */
      }
      if (Date.now() > deadline) throw new Error(`wrangler dev did not answer within 120 s; see ${log}`);
      await sleep(500);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { base, stop };
}
