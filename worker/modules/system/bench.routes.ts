import { env } from 'cloudflare:workers';
import type { Hono } from 'hono';
import { d1Stats, type D1Stats } from '../../db/client';
import type { JobMessage } from '../../env';
import type { AppEnv } from '../../middleware/context';

// Bench-only pieces, mounted when the Worker runs with the `BENCH` var (`npm run bench` starts
// `wrangler dev --var BENCH:1`). Without it nothing is mounted and nothing here runs.

const traces = new Map<string, NonNullable<D1Stats['trace']>>();
const KEEP_TRACES = 50;

/** Mounts the bench middleware and routes on the app when `BENCH` is set; a no-op otherwise. */
export function mountBench(app: Hono<AppEnv>): void {
  if (!(env as { BENCH?: string }).BENCH) return;

  // Every API response says what it cost in D1: `x-d1-round-trips` (a batch is one) and
  // `x-d1-rows-read`. With `x-bench-trace: <id>` the statements are kept for GET …/__bench/trace/<id>.
  app.use('/api/*', async (c, next) => {
    const stats = d1Stats(c.get('db'));
    const traceId = c.req.header('x-bench-trace');
    if (stats && traceId) stats.trace = [];
    await next();
    if (!stats || c.res.headers.has('x-d1-round-trips')) return;
    c.res.headers.set('x-d1-round-trips', String(stats.roundTrips));
    c.res.headers.set('x-d1-rows-read', String(stats.rowsRead));
    c.res.headers.set('x-d1-rows-written', String(stats.rowsWritten));
    if (traceId && stats.trace) {
      traces.set(traceId, stats.trace);
      for (const key of traces.keys()) if (traces.size > KEEP_TRACES) traces.delete(key);
    }
  });

  // `x-bench-defer-processing: <seconds>` on a public post delays its queue message, so that the
  // bench can time the endpoint with the consumer idle, then the consumer on its own. On Workers
  // the two run in separate invocations; under `wrangler dev` they share one thread.
  app.use('/f/*', async (c, next) => {
    const defer = Number(c.req.header('x-bench-defer-processing'));
    if (defer > 0) {
      const jobs = c.env.JOBS;
      const later = Object.assign(Object.create(jobs) as Queue<JobMessage>, {
        send: (message: JobMessage, options?: QueueSendOptions) => jobs.send(message, { ...options, delaySeconds: defer }),
        sendBatch: (messages: Iterable<MessageSendRequest<JobMessage>>, options?: QueueSendBatchOptions) => jobs.sendBatch(messages, { ...options, delaySeconds: defer }),
      });
      c.env = { ...c.env, JOBS: later };
    }
    await next();
  });

  // The raw-D1 floor: one batch call on the plain binding, with no session, validation or ORM.
  app.get('/api/v1/__bench/floor', async (c) => {
    const [result] = await c.env.DB.batch([c.env.DB.prepare('select 1 as one')]);
    return c.json(result.results, 200, { 'x-d1-round-trips': '1', 'x-d1-rows-read': String(result.meta.rows_read) });
  });

  // The same floor reading a list page: the newest 51 live contacts of a workspace, by index.
  app.get('/api/v1/__bench/floor/page', async (c) => {
    const sql =
      'select * from contacts where workspace_id = ? and merged_into_id is null and deleted_at is null and archived_at is null order by updated_at desc, id desc limit 51';
    const [result] = await c.env.DB.batch([c.env.DB.prepare(sql).bind(c.req.query('ws') ?? '')]);
    return c.json({ items: result.results.length }, 200, { 'x-d1-round-trips': '1', 'x-d1-rows-read': String(result.meta.rows_read) });
  });

  // The write floor: one batch that writes one row (a counter upsert), for endpoints that store.
  app.post('/api/v1/__bench/floor/write', async (c) => {
    const key = `bench:${crypto.randomUUID()}`;
    const [result] = await c.env.DB.batch([c.env.DB.prepare('insert into rate_limits (key, count, reset_at) values (?, 1, 0)').bind(key)]);
    return c.json({ ok: true }, 201, { 'x-d1-round-trips': '1', 'x-d1-rows-read': String(result.meta.rows_read) });
  });

  // The same-SQL floor: the statements a traced request sent (session check included), replayed
  // in one batch on the plain binding. Reads only: a replayed write would collide with its rows.
  app.get('/api/v1/__bench/floor/replay/:id', async (c) => {
    const statements = (traces.get(c.req.param('id')) ?? []).flat();
    if (statements.length === 0 || statements.some((s) => !/^\s*(select|with)\b/i.test(s.sql))) return c.json({ error: 'no read-only trace with this id' }, 404);
    const results = await c.env.DB.batch(statements.map((s) => c.env.DB.prepare(s.sql).bind(...s.params)));
    const rowsRead = results.reduce((n, r) => n + (r.meta.rows_read ?? 0), 0);
    return c.json({ rows: results.reduce((n, r) => n + r.results.length, 0) }, 200, { 'x-d1-round-trips': '1', 'x-d1-rows-read': String(rowsRead) });
  });

  app.get('/api/v1/__bench/trace/:id', (c) => c.json(traces.get(c.req.param('id')) ?? null));
}
