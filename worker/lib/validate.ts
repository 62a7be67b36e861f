import { validator } from 'hono/validator';
import type { MiddlewareHandler, ValidationTargets } from 'hono';
import { z } from 'zod';
import { AppError, invalid, type FieldError } from './errors';

type Target = 'json' | 'query' | 'param' | 'form';

/** Metadata that the OpenAPI generator reads off the middleware functions of each route. */
export const OPENAPI_META = Symbol('openapi');
export type RouteDoc = { summary: string; tags?: string[]; public?: boolean; response?: z.ZodType; status?: number };
export type OpenApiMeta = { validate?: { target: Target; schema: z.ZodType } } & { doc?: RouteDoc };

/** Turns zod issues into the API's field list (`contact.emails.0`, …). */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.join('.') : '(body)',
    message: issue.message,
    code: issue.code,
  }));
}

/** Parses with a schema, throwing the API's 422 naming each failing field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(fieldErrors(result.error));
  return result.data;
}

/**
 * Validates one part of the request with a zod schema (422 naming the fields on failure) and
 * records the schema for the OpenAPI document.
 */
export function validate<T extends Target, S extends z.ZodType>(target: T, schema: S) {
  const mw = validator(target as keyof ValidationTargets, (value) => {
    if (target === 'json' && (value === null || typeof value !== 'object')) {
      throw new AppError(400, 'invalid_body', 'The request body must be a JSON object.');
    }
    return parseOrThrow(schema, value);
  }) as unknown as MiddlewareHandler<
    any,
    string,
    { in: { [K in T]: z.input<S> }; out: { [K in T]: z.output<S> } }
  >;
  return Object.assign(mw, { [OPENAPI_META]: { validate: { target, schema } } satisfies OpenApiMeta });
}

/** Describes a route for the OpenAPI document; does nothing at request time. */
export function doc(routeDoc: RouteDoc): MiddlewareHandler {
  const mw: MiddlewareHandler = async (_c, next) => next();
  return Object.assign(mw, { [OPENAPI_META]: { doc: routeDoc } satisfies OpenApiMeta });
}
