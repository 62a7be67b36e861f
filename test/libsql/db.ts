import { readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import type { Db } from '../../worker/db/client';

/** A fresh libSQL database file with every migration applied, as `wrangler d1 migrations` would. */
export async function freshLibsqlDb(): Promise<Db> {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-libsql-'));
  const client = createClient({ url: `file:${join(dir, 'hearth.db')}` });
  await client.execute('PRAGMA foreign_keys = ON');
  const files = readdirSync('migrations').filter((f) => f.endsWith('.sql')).sort();
  for (const file of files) {
    const statements = readFileSync(join('migrations', file), 'utf8').split('--> statement-breakpoint').map((s) => s.trim()).filter(Boolean);
    await client.batch(statements, 'write');
  }
  return drizzle(client) as unknown as Db;
}
