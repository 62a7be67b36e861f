import { Hono } from 'hono';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { assignInput, convertInput, idParam, listLeadsQuery, listSubmissionsQuery, reportQuery } from './leads.schema';
import {
  assignLead,
  claimLead,
  convertLead,
  getLead,
  getSubmission,
  leadCounts,
  leadSourceReport,
  listLeads,
  listSubmissions,
  markLeadSpam,
  markSubmissionSpam,
  qualifyLead,
  requeueSubmission,
} from './leads.service';

const tags = ['leads'];

export const leadRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'The lead inbox: new (unowned), mine, or all leads you may see', tags }), requirePermission('leads:read'), validate('query', listLeadsQuery), async (c) =>
    c.json(await listLeads(ctx(c), c.req.valid('query'))),
  )
  .get('/counts', doc({ summary: 'Counts of the inbox views (new, mine, attention needed, spam)', tags }), requirePermission('leads:read'), async (c) => c.json(await leadCounts(ctx(c))))
  .get('/report', doc({ summary: 'Lead-source report: leads and conversion to customer and deal by source, campaign or form', tags }), requirePermission('reports:read'), validate('query', reportQuery), async (c) =>
    c.json(await leadSourceReport(ctx(c), c.req.valid('query'))),
  )
  .get('/:id', doc({ summary: 'One lead with its submissions, attribution and conflicts', tags }), requirePermission('leads:read'), validate('param', idParam), async (c) => c.json(await getLead(ctx(c), c.req.valid('param').id)))
  .post('/:id/claim', doc({ summary: 'Take an unowned lead', tags }), requirePermission('leads:write'), validate('param', idParam), async (c) => c.json(await claimLead(ctx(c), c.req.valid('param').id)))
  .post('/:id/assign', doc({ summary: 'Give a lead to someone (they are notified)', tags }), requirePermission('leads:write'), validate('param', idParam), validate('json', assignInput), async (c) =>
    c.json(await assignLead(ctx(c), c.req.valid('param').id, c.req.valid('json').ownerId)),
  )
  .post('/:id/qualify', doc({ summary: 'Qualify a lead (the person becomes a prospect)', tags }), requirePermission('leads:write'), validate('param', idParam), async (c) => c.json(await qualifyLead(ctx(c), c.req.valid('param').id)))
  .post('/:id/convert', doc({ summary: 'Convert a lead to a customer and/or a deal', tags }), requirePermission('leads:write'), validate('param', idParam), validate('json', convertInput), async (c) =>
    c.json(await convertLead(ctx(c), c.req.valid('param').id, c.req.valid('json'))),
  )
  .post('/:id/spam', doc({ summary: 'Move a lead to the spam folder', tags }), requirePermission('leads:write'), validate('param', idParam), async (c) => c.json(await markLeadSpam(ctx(c), c.req.valid('param').id, true)))
  .post('/:id/not-spam', doc({ summary: 'Bring a lead back from the spam folder', tags }), requirePermission('leads:write'), validate('param', idParam), async (c) => c.json(await markLeadSpam(ctx(c), c.req.valid('param').id, false)));

export const submissionRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'Raw submissions: status=failed is "attention needed", status=spam the spam folder', tags }), requirePermission('leads:read'), validate('query', listSubmissionsQuery), async (c) =>
    c.json(await listSubmissions(ctx(c), c.req.valid('query'))),
  )
  .get('/:id', doc({ summary: 'One submission with its raw payload', tags }), requirePermission('leads:read'), validate('param', idParam), async (c) => c.json(await getSubmission(ctx(c), c.req.valid('param').id)))
  .post('/:id/retry', doc({ summary: 'Process a failed submission again', tags, status: 202 }), requirePermission('leads:write'), validate('param', idParam), async (c) => c.json(await requeueSubmission(ctx(c), c.req.valid('param').id, 'failed'), 202))
  .post('/:id/not-spam', doc({ summary: 'Restore a submission from spam (it is then processed)', tags, status: 202 }), requirePermission('leads:write'), validate('param', idParam), async (c) =>
    c.json(await requeueSubmission(ctx(c), c.req.valid('param').id, 'spam'), 202),
  )
  .post('/:id/spam', doc({ summary: 'Move a submission to spam', tags }), requirePermission('leads:write'), validate('param', idParam), async (c) => c.json(await markSubmissionSpam(ctx(c), c.req.valid('param').id)));
