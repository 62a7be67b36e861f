import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { AppError, problemResponse } from './lib/errors';
import { buildOpenApi } from './lib/openapi';
import { doc } from './lib/validate';
import { authenticate } from './middleware/auth';
import { requestContext, type AppEnv } from './middleware/context';
import { csrfGuard } from './middleware/csrf';
import { idempotency } from './middleware/idempotency';
import { apiKeyRoutes } from './modules/api-keys/api-keys.routes';
import { auditRoutes } from './modules/audit/audit.routes';
import { authRoutes, meRoutes } from './modules/auth/auth.routes';
import { outboxRoutes } from './modules/outbox/outbox.routes';
import { SessionProofFailed } from './db/session-proof';
import { notificationsRoutes } from './modules/notifications/notifications.routes';
import { checkHealth } from './modules/system/system.service';
import { mountBench } from './modules/system/bench.routes';
import { companyRoutes } from './modules/companies/companies.routes';
import { segmentRoutes } from './modules/segments/segments.routes';
import { jobRoutes } from './modules/jobs/jobs.routes';
import { contactExportRoutes } from './modules/exports/contacts-export.routes';
import { contactRoutes } from './modules/contacts/contacts.routes';
import { customFieldRoutes } from './modules/custom-fields/custom-fields.routes';
import { tagRoutes } from './modules/tags/tags.routes';
import { teamRoutes } from './modules/teams/teams.routes';
import { invitationRoutes, userRoutes } from './modules/users/users.routes';
import { workspaceRoutes } from './modules/workspace/workspace.routes';
import { productRoutes } from './modules/products/products.routes';
import { activityRoutes } from './modules/activities/activities.routes';
import { companyTimelineRoutes, contactTimelineRoutes } from './modules/history/timeline.routes';
import { orderRoutes } from './modules/orders/orders.routes';
import { ticketRoutes } from './modules/tickets/tickets.routes';
import { formRoutes } from './modules/forms/forms.routes';
import { formPublicRoutes, hookPublicRoutes, publicPageHeaders } from './modules/forms/forms.public';
import { leadRoutes, submissionRoutes } from './modules/leads/leads.routes';
import { hookSourceRoutes } from './modules/webhooks/hook-sources.routes';
import { webhookRoutes } from './modules/webhooks/webhooks.routes';
import { taskRoutes } from './modules/tasks/tasks.routes';
import { cadenceRoutes } from './modules/cadences/cadences.routes';
import { deadLetterRoutes, reminderPrefsRoutes, reminderRulesRoutes } from './modules/reminders/reminders.routes';
import { customerRulesRoutes } from './modules/customer-figures/customer-rules.routes';
import { pipelineRoutes } from './modules/pipelines/pipelines.routes';
import { dealRoutes } from './modules/deals/deals.routes';
import { assignmentRoutes } from './modules/assignment/assignment.routes';
import { forecastRoutes } from './modules/forecast/forecast.routes';
import { sampleRoutes } from './modules/samples/samples.routes';

const API_BODY_LIMIT = 1024 * 1024;

/** Renders any failure as problem+json: never a stack trace, never a 500 for bad input. */
export function toProblem(err: unknown, instance?: string): Response {
  if (err instanceof AppError) return problemResponse(err, instance);
  if (err instanceof HTTPException) {
    const malformed = /malformed json/i.test(err.message);
    const code = malformed ? 'malformed_json' : err.status === 413 ? 'payload_too_large' : 'bad_request';
    return problemResponse(new AppError(err.status, code, malformed ? 'The request body is not valid JSON.' : err.message || 'Bad request.'), instance);
  }
  // A stale session hint is not a failure: the Worker serves the request again (middleware/auth.ts).
  const stale = err instanceof SessionProofFailed || (err instanceof Error && err.cause instanceof SessionProofFailed);
  if (!stale) console.error('unhandled error', err);
  return problemResponse(new AppError(500, 'internal_error', 'Something went wrong on our side. It has been logged.'), instance);
}

const api = new Hono<AppEnv>()
  .use(bodyLimit({ maxSize: API_BODY_LIMIT, onError: () => { throw new AppError(413, 'payload_too_large', `The request body is larger than ${API_BODY_LIMIT / 1024} KB.`); } }))
  .use(csrfGuard)
  .use(authenticate)
  .use(idempotency)
  .get('/health', doc({ summary: 'Liveness with a database round trip', tags: ['system'], public: true }), async (c) => {
    const health = await checkHealth(c.get('db'));
    return c.json(health, health.ok ? 200 : 503);
  })
  .route('/auth', authRoutes)
  .route('/me', meRoutes)
  .route('/users', userRoutes)
  .route('/invitations', invitationRoutes)
  .route('/teams', teamRoutes)
  .route('/api-keys', apiKeyRoutes)
  .route('/workspace', workspaceRoutes)
  .route('/audit', auditRoutes)
  .route('/outbox', outboxRoutes)
  .route('/notifications', notificationsRoutes)
  .route('/contacts', contactExportRoutes)
  .route('/contacts', contactRoutes)
  .route('/companies', companyRoutes)
  .route('/segments', segmentRoutes)
  .route('/jobs', jobRoutes)
  .route('/tags', tagRoutes)
  .route('/custom-fields', customFieldRoutes)
  .route('/products', productRoutes)
  .route('/contacts', contactTimelineRoutes)
  .route('/companies', companyTimelineRoutes)
  .route('/activities', activityRoutes)
  .route('/orders', orderRoutes)
  .route('/tickets', ticketRoutes)
  .route('/forms', formRoutes)
  .route('/leads', leadRoutes)
  .route('/lead-submissions', submissionRoutes)
  .route('/hook-sources', hookSourceRoutes)
  .route('/webhooks', webhookRoutes)
  .route('/tasks', taskRoutes)
  .route('/cadences', cadenceRoutes)
  .route('/me/reminder-preferences', reminderPrefsRoutes)
  .route('/settings', reminderRulesRoutes)
  .route('/dead-letters', deadLetterRoutes)
  .route('/settings', customerRulesRoutes)
  .route('/pipelines', pipelineRoutes)
  .route('/deals', dealRoutes)
  .route('/assignment-rules', assignmentRoutes)
  .route('/reports', forecastRoutes)
  .route('/samples', sampleRoutes);

export const app = new Hono<AppEnv>();
app.use(requestId({ headerName: 'X-Request-Id' }));
// Public form pages and the embed snippet are loaded by other sites: set outside secureHeaders().
app.use('/f/*', publicPageHeaders);
app.use(secureHeaders());
app.use(requestContext);
mountBench(app); // bench-only middleware and routes, mounted when the BENCH var is set
app.use('/api/*', methodNotAllowed({ app, onMethodNotAllowed: (c, methods) => problemResponseWithAllow(c.req.path, methods) }));
app.route('/api/v1', api);
app.route('/f', formPublicRoutes);
app.route('/hooks', hookPublicRoutes);

let openApiDoc: unknown;
app.get('/api/v1/openapi.json', doc({ summary: 'This document', tags: ['system'], public: true }), (c) => {
  openApiDoc ??= buildOpenApi(app, { title: 'Hearth API', version: '1' });
  return c.json(openApiDoc);
});

app.notFound((c) => {
  if (c.req.path.startsWith('/api/')) return problemResponse(new AppError(404, 'route_not_found', `No API route ${c.req.method} ${c.req.path}.`), c.req.path);
  return c.env.ASSETS ? c.env.ASSETS.fetch(c.req.raw) : c.text('Not found', 404);
});

app.onError((err, c) => toProblem(err, c.req.path));

function problemResponseWithAllow(path: string, methods: string[]): Response {
  const res = problemResponse(new AppError(405, 'method_not_allowed', `Use ${methods.join(', ')} on ${path}.`), path);
  res.headers.set('Allow', methods.join(', '));
  return res;
}

export type AppType = typeof api;
