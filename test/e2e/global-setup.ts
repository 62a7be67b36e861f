import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
  }
}

const root = join(import.meta.dirname, '..', '..');

function freePort(preferred: number): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => {
      const any = createServer();
      any.listen(0, '127.0.0.1', () => {
        const { port } = any.address() as { port: number };
        any.close(() => resolve(port));
      });
    });
    probe.listen(preferred, '127.0.0.1', () => probe.close(() => resolve(preferred)));
  });
}

async function waitForHealth(url: string, server: ChildProcess, logFile: string) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/api/v1/health`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`The server did not become healthy at ${url}.\n${readFileSync(logFile, 'utf8').slice(-4000)}`);
}

/** Starts `node scripts/start.mjs` on a free port with a fresh state dir; stops its process group after. */
export default async function setup(project: TestProject) {
  const port = await freePort(8799);
  const stateDir = mkdtempSync(join(tmpdir(), 'hearth-e2e-'));
  const logFile = join(stateDir, 'server.log');
  const log = openSync(logFile, 'a');
  const server = spawn('node', ['scripts/start.mjs'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', log, log],
    // The project's own Node 22 (the `node` devDependency) comes first on PATH, as under `npm run`.
    env: { ...process.env, PORT: String(port), HEARTH_PERSIST_DIR: join(stateDir, 'state'), PATH: `${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH}` },
  });
  const baseURL = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (server.exitCode === null && server.pid) {
      const exited = new Promise((r) => server.once('exit', r));
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-server.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(stateDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(baseURL, server, logFile);
  } catch (err) {
    await stop();
    throw err;
  }
  project.provide('baseURL', baseURL);
  return stop;
}
