import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type FieldError = { field: string; message: string; code: string };

/** The one error type: every failure a client should see is an AppError rendered as problem+json. */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string>; [k: string]: unknown } = {},
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, errors?: FieldError[]) =>
  new AppError(400, code, message, errors ? { errors } : {});
export const invalid = (errors: FieldError[], message = 'Some fields are not valid.') =>
  new AppError(422, 'validation_failed', message, { errors });
export const invalidField = (field: string, message: string, code = 'invalid') =>
  invalid([{ field, message, code }], message);
export const unauthorized = (message = 'Sign in to continue.') => new AppError(401, 'unauthorized', message);
export const forbidden = (message = 'You do not have permission to do this.') =>
  new AppError(403, 'forbidden', message);
export const notFound = (what = 'Record') => new AppError(404, 'not_found', `${what} not found.`);
export const conflict = (code: string, message: string, extra: Record<string, unknown> = {}) =>
  new AppError(409, code, message, extra);
export const preconditionFailed = (current: number) =>
  new AppError(412, 'version_mismatch', 'This record was changed by someone else. Reload and try again.', {
    currentVersion: current,
  });
export const tooManyRequests = (retryAfterSeconds: number) =>
  new AppError(429, 'rate_limited', `Too many attempts. Try again in ${retryAfterSeconds} seconds.`, {
    headers: { 'Retry-After': String(retryAfterSeconds) },
    retryAfter: retryAfterSeconds,
  });

/** RFC 9457 body for an error. */
export function problemBody(err: AppError, instance?: string) {
  const { headers: _headers, ...extra } = err.extra;
  return {
    type: `https://hearth.dev/problems/${err.code}`,
    title: err.code.replace(/_/g, ' '),
    status: err.status,
    code: err.code,
    detail: err.message,
    ...(instance ? { instance } : {}),
    ...extra,
  };
}

export function problemResponse(err: AppError, instance?: string): Response {
  return new Response(JSON.stringify(problemBody(err, instance)), {
    status: err.status,
    headers: { 'content-type': 'application/problem+json', ...(err.extra.headers ?? {}) },
  });
}
