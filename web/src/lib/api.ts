/** The one way the SPA talks to the API: same-origin JSON, failures as a typed ApiError. */

export type FieldError = { field: string; message: string; code: string };

export type Page<T> = { items: T[]; nextCursor: string | null };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    readonly retryAfter: number | null = null,
    /** The whole problem body, for errors that carry more (`duplicates`, `mergedIntoId`, `currentVersion`). */
    readonly problem: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'ApiError';
  }

  /** The message the API gave for one field (`email`, `scopes`, …), if any. */
  fieldError(field: string): FieldError | undefined {
    return this.errors.find((e) => e.field === field || e.field.startsWith(`${field}.`));
  }
}

type Query = Record<string, string | number | boolean | null | undefined>;

export type RequestOptions = {
  body?: unknown;
  query?: Query;
  /** The record version a PATCH was based on; a stale one is refused with 412. */
  ifMatch?: number;
  signal?: AbortSignal;
};

const BASE = '/api/v1';
let onUnauthorized: (() => void) | null = null;

/** Called when a signed-in call answers 401 (the session ended elsewhere). */
export function setUnauthorizedHandler(handler: () => void) {
  onUnauthorized = handler;
}

function urlFor(path: string, query?: Query) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return `${BASE}${path}${qs ? `?${qs}` : ''}`;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
  let res: Response;
  try {
    res = await fetch(urlFor(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'The server could not be reached.');
  }
  if (res.status === 204 || res.status === 205) return undefined as T;
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: handled below */
  }
  if (!res.ok) {
    const problem = (body ?? {}) as { code?: string; detail?: string; errors?: FieldError[]; retryAfter?: number };
    const retryHeader = Number(res.headers.get('retry-after'));
    const error = new ApiError(
      res.status,
      problem.code ?? `http_${res.status}`,
      problem.detail ?? res.statusText,
      Array.isArray(problem.errors) ? problem.errors : [],
      Number.isFinite(retryHeader) && retryHeader > 0 ? retryHeader : (problem.retryAfter ?? null),
      problem as Record<string, unknown>,
    );
    if (res.status === 401 && !path.startsWith('/auth/') && path !== '/me') onUnauthorized?.();
    throw error;
  }
  return body as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  patch: <T>(path: string, body: unknown, ifMatch?: number) => request<T>('PATCH', path, { body, ifMatch }),
  del: (path: string) => request<void>('DELETE', path),
};
