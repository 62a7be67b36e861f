import { Hono } from 'hono';
import { z } from 'zod';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { createTagInput, updateTagInput } from './tags.schema';
import { createTag, deleteTag, listTags, updateTag } from './tags.service';

const idParam = z.object({ id: z.string().min(1).max(40) });

export const tagRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'List tags', tags: ['tags'] }), requirePermission('tags:read'), async (c) => c.json(await listTags(ctx(c))))
  .post('/', doc({ summary: 'Create a tag', tags: ['tags'], status: 201 }), requirePermission('tags:write'), validate('json', createTagInput), async (c) =>
    c.json(await createTag(ctx(c), c.req.valid('json')), 201),
  )
  .patch('/:id', doc({ summary: 'Rename or recolour a tag (admins)', tags: ['tags'] }), requirePermission('settings:write'), validate('param', idParam), validate('json', updateTagInput), async (c) =>
    c.json(await updateTag(ctx(c), c.req.valid('param').id, c.req.valid('json'))),
  )
  .delete('/:id', doc({ summary: 'Delete a tag from every record (admins)', tags: ['tags'], status: 204 }), requirePermission('settings:write'), validate('param', idParam), async (c) => {
    await deleteTag(ctx(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
