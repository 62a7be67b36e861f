// The in-process floor: the very statements an endpoint sent to D1 (captured with the bench
// trace), replayed on raw SQLite with node:sqlite against the same database file, and
// EXPLAIN QUERY PLAN for each read.
import { DatabaseSync } from 'node:sqlite';

/** D1 binds booleans as 1/0; integral numbers go in as integers. */
function bindable(value) {
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (value === undefined) return null;
  return value;
}

/** A trace is a list of steps: a statement (one round trip) or an array of them (a batch). */
export class SqliteFloor {
  constructor(file) {
    this.db = new DatabaseSync(file);
    // A generous page cache, as workerd's SQLite has: with node:sqlite's 2 MB default the floor
    // would measure preads instead of SQLite.
    this.db.exec('PRAGMA cache_size = -262144');
    this.statements = new Map();
  }

  close() {
    this.db.close();
  }

  prepare(sql) {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  exec(step, rename) {
    const params = step.params.map((p) => bindable(rename(p)));
    const stmt = this.prepare(step.sql);
    return /^\s*(select|with)\b/i.test(step.sql) || /\breturning\b/i.test(step.sql) ? stmt.all(...params) : stmt.run(...params);
  }

  /** Runs one request's statements: each step on its own, a batch inside one transaction (as D1 does). */
  replayOnce(trace, rename) {
    for (const step of trace) {
      if (Array.isArray(step)) {
        this.db.exec('BEGIN');
        try {
          for (const s of step) this.exec(s, rename);
          this.db.exec('COMMIT');
        } catch (err) {
          this.db.exec('ROLLBACK');
          throw err;
        }
      } else {
        this.exec(step, rename);
      }
    }
  }

  /**
   * Replays a trace until `seconds` or `maxIterations` is reached; ids the request created
   * (`newIds`) get a fresh suffix per iteration so that inserts stay unique.
   */
  measure(trace, { seconds = 2, maxIterations = 20_000, newIds = [] } = {}) {
    const fresh = new Set(newIds);
    let iteration = 0;
    const rename = fresh.size ? (p) => (typeof p === 'string' && fresh.has(p) ? `${p}R${iteration}` : p) : (p) => p;
    // Warm the statement cache and the page cache once.
    this.replayOnce(trace, rename);
    const times = [];
    const deadline = performance.now() + seconds * 1000;
    const started = performance.now();
    while (times.length < maxIterations && performance.now() < deadline) {
      iteration++;
      const t = performance.now();
      this.replayOnce(trace, rename);
      times.push(performance.now() - t);
    }
    const elapsed = (performance.now() - started) / 1000;
    times.sort((a, b) => a - b);
    const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
    return { iterations: times.length, p50: q(0.5), p99: q(0.99), perSecond: times.length / elapsed, statements: countStatements(trace) };
  }

  /** EXPLAIN QUERY PLAN of every read in a trace; `scans` names full scans of real tables. */
  explain(trace) {
    const out = [];
    for (const step of trace.flat()) {
      if (!/^\s*(select|with)\b/i.test(step.sql)) continue;
      const params = step.params.map(bindable);
      const plan = this.db.prepare(`EXPLAIN QUERY PLAN ${step.sql}`).all(...params).map((r) => r.detail);
      out.push({
        sql: step.sql,
        rowsReturned: this.prepare(step.sql).all(...params).length,
        rowsRead: step.rowsRead,
        plan,
        scans: plan.filter((d) => /^SCAN (?!CONSTANT)/.test(d) && !/VIRTUAL TABLE|USING (COVERING )?INDEX|SUBQUERY|json_each/.test(d)),
        tempSort: plan.some((d) => /TEMP B-TREE FOR ORDER BY/.test(d)),
      });
    }
    return out;
  }
}

export function countStatements(trace) {
  return trace.reduce((n, step) => n + (Array.isArray(step) ? step.length : 1), 0);
}
