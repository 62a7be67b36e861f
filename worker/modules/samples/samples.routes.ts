import { Hono } from 'hono';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { bundledMavenFiles, loadMavenSample, mavenReport } from './maven.service';
import { jobParam, loadMavenInput } from './samples.schema';

// Loading sample data creates people, teams and a pipeline: workspace administration (admins).
export const sampleRoutes = new Hono<AppEnv>()
  .post(
    '/maven-crm',
    doc({ summary: 'Load the Maven CRM sample (people, teams, companies, products, 8,800 deals) into this workspace; idempotent', tags: ['samples'], status: 202 }),
    requirePermission('settings:write'),
    validate('json', loadMavenInput),
    async (c) => {
      const context = ctx(c);
      const { files, recent } = c.req.valid('json');
      const result = await loadMavenSample(context, files ?? (await bundledMavenFiles(c.env, new URL(c.req.url).origin)), { recent });
      return c.json(result, 202, { Location: `/api/v1/jobs/${result.jobId}` });
    },
  )
  .get('/maven-crm/reports/:jobId', doc({ summary: 'Every row of a sample load that needed a decision (CSV)', tags: ['samples'] }), requirePermission('settings:write'), validate('param', jobParam), async (c) => {
    const body = await mavenReport(ctx(c), c.req.valid('param').jobId);
    return c.body(body, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="maven-crm-report.csv"' });
  });
