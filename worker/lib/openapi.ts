import type { Hono } from 'hono';
import { z } from 'zod';
import { OPENAPI_META, type OpenApiMeta, type RouteDoc } from './validate';

type Operation = Record<string, unknown>;

const problem = { $ref: '#/components/schemas/Problem' };
const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: problem } } });

function jsonSchema(schema: z.ZodType) {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

function parametersFrom(target: 'query' | 'param', schema: z.ZodType) {
  const js = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: target === 'param' ? 'path' : 'query',
    required: target === 'param' || (js.required ?? []).includes(name),
    schema: s,
  }));
}

/**
 * The OpenAPI 3.1 document, generated from the app's own route table and the zod schemas its
 * validators carry: a route cannot exist without appearing here.
 */
export function buildOpenApi(app: Hono<any>, info: { title: string; version: string }) {
  const operations = new Map<string, { method: string; path: string; metas: OpenApiMeta[] }>();
  for (const route of app.routes) {
    if (route.method === 'ALL' || !/^\/(api\/v1|f|hooks|t)\//.test(route.path)) continue;
    const key = `${route.method} ${route.path}`;
    const entry = operations.get(key) ?? { method: route.method.toLowerCase(), path: route.path, metas: [] };
    const meta = (route.handler as unknown as Record<symbol, OpenApiMeta>)[OPENAPI_META];
    if (meta) entry.metas.push(meta);
    operations.set(key, entry);
  }
  const paths: Record<string, Record<string, Operation>> = {};
  for (const { method, path, metas } of operations.values()) {
    const routeDoc: RouteDoc | undefined = metas.find((m) => m.doc)?.doc;
    const openapiPath = path.replace(/:(\w+)/g, '{$1}');
    const op: Operation = {
      summary: routeDoc?.summary ?? `${method.toUpperCase()} ${path}`,
      tags: routeDoc?.tags ?? [path.split('/')[3] ?? 'public'],
      operationId: `${method}${openapiPath.replace(/[{}]/g, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ? ch.toUpperCase() : ''))}`,
      parameters: [] as unknown[],
      responses: {
        [String(routeDoc?.status ?? 200)]: { description: 'Success' },
        '400': problemResponse('Malformed request'),
        '422': problemResponse('Validation failed; `errors` names each field'),
      },
    };
    if (!routeDoc?.public) {
      op.security = [{ session: [] }, { apiKey: [] }];
      Object.assign(op.responses as object, { '401': problemResponse('Not signed in'), '403': problemResponse('Not allowed'), '404': problemResponse('Not found (or not visible to you)') });
    }
    for (const meta of metas) {
      if (!meta.validate) continue;
      const { target, schema } = meta.validate;
      if (target === 'json' || target === 'form') {
        op.requestBody = { required: true, content: { [target === 'json' ? 'application/json' : 'application/x-www-form-urlencoded']: { schema: jsonSchema(schema) } } };
      } else if (target === 'query' || target === 'param') {
        (op.parameters as unknown[]).push(...parametersFrom(target, schema));
      }
    }
    for (const name of path.match(/:(\w+)/g) ?? []) {
      const param = name.slice(1);
      const params = op.parameters as { name: string }[];
      if (!params.some((p) => p.name === param)) params.push({ name: param, in: 'path', required: true, schema: { type: 'string' } } as never);
    }
    if (routeDoc?.response) (op.responses as Record<string, unknown>)[String(routeDoc.status ?? 200)] = { description: 'Success', content: { 'application/json': { schema: jsonSchema(routeDoc.response) } } };
    (paths[openapiPath] ??= {})[method] = op;
  }
  return {
    openapi: '3.1.0',
    info: { ...info, description: 'Hearth CRM API. Lists take `limit` (≤ 200) and an opaque `cursor`; PATCH needs `If-Match`; POST accepts `Idempotency-Key`; errors are RFC 9457 problem+json.' },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'hearth_session', description: 'Set by sign-in; named __Host-hearth_session over https' },
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key created in Settings → API keys' },
      },
      schemas: {
        Problem: {
          type: 'object',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            code: { type: 'string' },
            detail: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' } } } },
          },
          required: ['type', 'status', 'code', 'detail'],
        },
      },
    },
  };
}
