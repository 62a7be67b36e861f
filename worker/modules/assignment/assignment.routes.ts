import { Hono } from 'hono';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { etag, requiredVersion } from '../../lib/versioning';
import { createRuleInput, listRulesQuery, ruleParam, updateRuleInput } from './assignment.schema';
import { createRule, deleteRule, getRule, listRules, updateRule } from './assignment.service';

const tags = ['assignment'];

export const assignmentRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'Assignment rules (per pipeline or lead source)', tags }), requirePermission('pipelines:read'), validate('query', listRulesQuery), async (c) =>
    c.json(await listRules(ctx(c), c.req.valid('query'))),
  )
  .post('/', doc({ summary: 'Create the assignment rule of a pipeline or lead source', tags, status: 201 }), requirePermission('pipelines:write'), validate('json', createRuleInput), async (c) => {
    const rule = await createRule(ctx(c), c.req.valid('json'));
    return c.json(rule, 201, { ETag: etag(rule.version) });
  })
  .get('/:id', doc({ summary: 'One assignment rule', tags }), requirePermission('pipelines:read'), validate('param', ruleParam), async (c) => {
    const rule = await getRule(ctx(c), c.req.valid('param').id);
    return c.json(rule, 200, { ETag: etag(rule.version) });
  })
  .patch('/:id', doc({ summary: 'Change an assignment rule (If-Match required)', tags }), requirePermission('pipelines:write'), validate('param', ruleParam), validate('json', updateRuleInput), async (c) => {
    const rule = await updateRule(ctx(c), c.req.valid('param').id, requiredVersion(c), c.req.valid('json'));
    return c.json(rule, 200, { ETag: etag(rule.version) });
  })
  .delete('/:id', doc({ summary: 'Delete an assignment rule (If-Match required)', tags, status: 204 }), requirePermission('pipelines:write'), validate('param', ruleParam), async (c) => {
    await deleteRule(ctx(c), c.req.valid('param').id, requiredVersion(c));
    return c.body(null, 204);
  });
