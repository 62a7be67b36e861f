import { Hono } from 'hono';
import { z } from 'zod';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { etag, requiredVersion } from '../../lib/versioning';
import { createSegmentInput, listSegmentsQuery, segmentMembersQuery, updateSegmentInput } from './segments.schema';
import { createSegment, deleteSegment, getSegment, listSegmentMembers, listSegments, updateSegment } from './segments.service';

const idParam = z.object({ id: z.string().min(1).max(40) });

export const segmentRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'Saved customer segments with live counts', tags: ['segments'] }), requirePermission('contacts:read'), validate('query', listSegmentsQuery), async (c) =>
    c.json(await listSegments(ctx(c), c.req.valid('query'))),
  )
  .post('/', doc({ summary: 'Save a filter as a segment (private or shared)', tags: ['segments'], status: 201 }), requirePermission('contacts:write'), validate('json', createSegmentInput), async (c) => {
    const segment = await createSegment(ctx(c), c.req.valid('json'));
    return c.json(segment, 201, { ETag: etag(segment.version) });
  })
  .get('/:id', doc({ summary: 'A segment with its live count', tags: ['segments'] }), requirePermission('contacts:read'), validate('param', idParam), async (c) => {
    const segment = await getSegment(ctx(c), c.req.valid('param').id);
    return c.json(segment, 200, { ETag: etag(segment.version) });
  })
  .patch('/:id', doc({ summary: 'Rename, refilter or (un)share a segment (If-Match required)', tags: ['segments'] }), requirePermission('contacts:write'), validate('param', idParam), validate('json', updateSegmentInput), async (c) => {
    const segment = await updateSegment(ctx(c), c.req.valid('param').id, requiredVersion(c), c.req.valid('json'));
    return c.json(segment, 200, { ETag: etag(segment.version) });
  })
  .delete('/:id', doc({ summary: 'Delete a segment (its customers stay)', tags: ['segments'], status: 204 }), requirePermission('contacts:write'), validate('param', idParam), async (c) => {
    await deleteSegment(ctx(c), c.req.valid('param').id);
    return c.body(null, 204);
  })
  .get('/:id/contacts', doc({ summary: 'The customers in a segment (cursor pagination)', tags: ['segments'] }), requirePermission('contacts:read'), validate('param', idParam), validate('query', segmentMembersQuery), async (c) =>
    c.json(await listSegmentMembers(ctx(c), c.req.valid('param').id, c.req.valid('query'))),
  );
