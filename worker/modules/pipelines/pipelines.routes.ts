import { Hono } from 'hono';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { etag, requiredVersion } from '../../lib/versioning';
import { createPipelineInput, createStageInput, pipelineParam, removeStageQuery, reorderStagesInput, stageParam, updatePipelineInput, updateStageInput } from './pipelines.schema';
import { addStage, createPipeline, deletePipeline, getPipeline, listPipelines, removeStage, reorderStages, updatePipeline, updateStage } from './pipelines.service';

const tags = ['pipelines'];

export const pipelineRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'The pipelines of the workspace with their stages (a default one is created on first use)', tags }), requirePermission('pipelines:read'), async (c) =>
    c.json(await listPipelines(ctx(c))),
  )
  .post('/', doc({ summary: 'Create a pipeline (default stages unless given)', tags, status: 201 }), requirePermission('pipelines:write'), validate('json', createPipelineInput), async (c) => {
    const p = await createPipeline(ctx(c), c.req.valid('json'));
    return c.json(p, 201, { ETag: etag(p.version) });
  })
  .get('/:id', doc({ summary: 'One pipeline with its stages', tags }), requirePermission('pipelines:read'), validate('param', pipelineParam), async (c) => {
    const p = await getPipeline(ctx(c), c.req.valid('param').id);
    return c.json(p, 200, { ETag: etag(p.version) });
  })
  .patch('/:id', doc({ summary: 'Rename, reorder or make default (If-Match required)', tags }), requirePermission('pipelines:write'), validate('param', pipelineParam), validate('json', updatePipelineInput), async (c) => {
    const p = await updatePipeline(ctx(c), c.req.valid('param').id, requiredVersion(c), c.req.valid('json'));
    return c.json(p, 200, { ETag: etag(p.version) });
  })
  .delete('/:id', doc({ summary: 'Delete an empty pipeline (If-Match required)', tags, status: 204 }), requirePermission('pipelines:write'), validate('param', pipelineParam), async (c) => {
    await deletePipeline(ctx(c), c.req.valid('param').id, requiredVersion(c));
    return c.body(null, 204);
  })
  .post('/:id/stages', doc({ summary: 'Add a stage; answers the whole pipeline', tags, status: 201 }), requirePermission('pipelines:write'), validate('param', pipelineParam), validate('json', createStageInput), async (c) => {
    const p = await addStage(ctx(c), c.req.valid('param').id, c.req.valid('json'));
    return c.json(p, 201, { ETag: etag(p.version) });
  })
  .post('/:id/stages/reorder', doc({ summary: 'Order the stages (If-Match: the pipeline version)', tags }), requirePermission('pipelines:write'), validate('param', pipelineParam), validate('json', reorderStagesInput), async (c) => {
    const p = await reorderStages(ctx(c), c.req.valid('param').id, requiredVersion(c), c.req.valid('json').stageIds);
    return c.json(p, 200, { ETag: etag(p.version) });
  })
  .patch('/:id/stages/:stageId', doc({ summary: 'Rename a stage or change its probability, kind or rotting limit (If-Match: the pipeline version)', tags }), requirePermission('pipelines:write'), validate('param', stageParam), validate('json', updateStageInput), async (c) => {
    const { id, stageId } = c.req.valid('param');
    const p = await updateStage(ctx(c), id, stageId, requiredVersion(c), c.req.valid('json'));
    return c.json(p, 200, { ETag: etag(p.version) });
  })
  .delete('/:id/stages/:stageId', doc({ summary: 'Remove a stage, moving its deals to ?moveTo (If-Match: the pipeline version)', tags }), requirePermission('pipelines:write'), validate('param', stageParam), validate('query', removeStageQuery), async (c) => {
    const { id, stageId } = c.req.valid('param');
    const p = await removeStage(ctx(c), id, stageId, requiredVersion(c), c.req.valid('query').moveTo);
    return c.json(p, 200, { ETag: etag(p.version) });
  });
