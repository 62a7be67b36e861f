import { Hono } from 'hono';
import { z } from 'zod';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission, requireAuth } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { createCustomFieldInput, customFieldEntity, updateCustomFieldInput } from './custom-fields.schema';
import { createCustomField, deleteCustomField, listCustomFields, updateCustomField } from './custom-fields.service';

const idParam = z.object({ id: z.string().min(1).max(40) });

export const customFieldRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'Custom field definitions', tags: ['settings'] }), requireAuth, validate('query', z.object({ entity: customFieldEntity.optional() })), async (c) =>
    c.json(await listCustomFields(ctx(c), c.req.valid('query').entity)),
  )
  .post('/', doc({ summary: 'Define a custom field', tags: ['settings'], status: 201 }), requirePermission('settings:write'), validate('json', createCustomFieldInput), async (c) =>
    c.json(await createCustomField(ctx(c), c.req.valid('json')), 201),
  )
  .patch('/:id', doc({ summary: 'Change a custom field definition', tags: ['settings'] }), requirePermission('settings:write'), validate('param', idParam), validate('json', updateCustomFieldInput), async (c) =>
    c.json(await updateCustomField(ctx(c), c.req.valid('param').id, c.req.valid('json'))),
  )
  .delete('/:id', doc({ summary: 'Delete a custom field definition', tags: ['settings'], status: 204 }), requirePermission('settings:write'), validate('param', idParam), async (c) => {
    await deleteCustomField(ctx(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
