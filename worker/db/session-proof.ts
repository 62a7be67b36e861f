/**
 * Thrown when the session check that travelled with a read did not hold: the hint the request was
 * served from is stale (signed out, deactivated, role or team changed). The request is served again
 * with a full sign-in check; nothing it read reached the caller.
 */
export class SessionProofFailed extends Error {
  constructor() {
    super('The cached session no longer matches the database.');
  }
}

/** A SQL condition body (`select 1 from … where …`) that holds exactly while the session is valid. */
export type SessionProof = { sql: string; params: unknown[] };

type Method = 'all' | 'raw' | 'first' | 'run';
const READ = /^\s*(select|with)\b/i;
// D1 allows 100 bound parameters; the proof adds a dozen.
const MAX_READ_PARAMS = 80;

/**
 * A D1 binding for a read-only request whose caller is known from a cached hint, not yet checked.
 * The first read carries the session check in the same statement
 * (`select * from (<read>) where exists (<check>)`), so a signed-in read costs one round trip
 * instead of two. An empty answer is checked again on its own. Until the check has passed, no
 * result is handed out and no other statement runs; once it fails, every statement throws
 * {@link SessionProofFailed}. `settle()` runs the check if the request read nothing.
 */
export function withSessionProof(d1: D1Database, proof: SessionProof): { binding: D1Database; settle: () => Promise<void> } {
  let proved: Promise<void> | undefined;

  const checkAlone = async () => {
    const row = await d1.prepare(`select 1 as ok where exists (${proof.sql})`).bind(...proof.params).first();
    if (!row) throw new SessionProofFailed();
  };
  const settle = () => (proved ??= checkAlone());

  const call = (stmt: D1PreparedStatement, method: Method, arg?: unknown): Promise<unknown> =>
    method === 'first' ? stmt.first(arg as string) : method === 'raw' ? stmt.raw(arg as { columnNames: true }) : stmt[method]();

  const isEmpty = (method: Method, result: unknown, arg?: unknown) =>
    method === 'first'
      ? result === null
      : method === 'raw'
        ? (result as unknown[]).length <= ((arg as { columnNames?: boolean } | undefined)?.columnNames ? 1 : 0)
        : (result as D1Result).results.length === 0;

  async function execute(query: string, params: unknown[], method: Method, arg?: unknown): Promise<unknown> {
    if (!proved && method !== 'run' && READ.test(query) && params.length <= MAX_READ_PARAMS) {
      let done!: (outcome: Promise<void>) => void;
      proved = new Promise<Promise<void>>((resolve) => (done = resolve)).then((outcome) => outcome);
      proved.catch(() => {});
      let result: unknown;
      try {
        const carried = d1.prepare(`select * from (${query}) where exists (${proof.sql})`).bind(...params, ...proof.params);
        result = await call(carried, method, arg);
      } catch (err) {
        done(checkAlone());
        throw err;
      }
      if (!isEmpty(method, result, arg)) {
        done(Promise.resolve());
        return result;
      }
      const alone = checkAlone();
      done(alone);
      await alone;
      return result;
    }
    await settle();
    return call(d1.prepare(query).bind(...params), method, arg);
  }

  const PROVEN = Symbol('statement');
  type Pending = { query: string; params: unknown[] };
  const statement = (s: Pending): D1PreparedStatement =>
    ({
      [PROVEN]: s,
      bind: (...values: unknown[]) => statement({ query: s.query, params: values }),
      all: () => execute(s.query, s.params, 'all'),
      raw: (options?: unknown) => execute(s.query, s.params, 'raw', options),
      first: (column?: string) => execute(s.query, s.params, 'first', column),
      run: () => execute(s.query, s.params, 'run'),
    }) as unknown as D1PreparedStatement;
  const real = (s: D1PreparedStatement) => {
    const pending = (s as unknown as { [PROVEN]?: Pending })[PROVEN];
    return pending ? d1.prepare(pending.query).bind(...pending.params) : s;
  };

  const binding = {
    prepare: (query: string) => statement({ query, params: [] }),
    async batch<T>(statements: D1PreparedStatement[]) {
      await settle();
      return d1.batch<T>(statements.map(real));
    },
    async exec(query: string) {
      await settle();
      return d1.exec(query);
    },
    dump: () => d1.dump(),
    withSession: (constraint?: string) => d1.withSession(constraint as never),
  } as unknown as D1Database;
  return { binding, settle };
}
