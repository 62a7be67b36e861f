import { Hono } from 'hono';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { etag, requiredVersion } from '../../lib/versioning';
import { createFormInput, idParam, listFormsQuery, updateFormInput } from './forms.schema';
import { createForm, deleteForm, getForm, listForms, rotateFormKey, updateForm } from './forms.service';

export const formRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'Lead capture forms, by name', tags: ['forms'] }), requirePermission('forms:read'), validate('query', listFormsQuery), async (c) =>
    c.json(await listForms(ctx(c), c.req.valid('query'))),
  )
  .post('/', doc({ summary: 'Create a form (its public key, URL and embed snippet come back)', tags: ['forms'], status: 201 }), requirePermission('forms:write'), validate('json', createFormInput), async (c) => {
    const form = await createForm(ctx(c), c.req.valid('json'));
    return c.json(form, 201, { ETag: etag(form.version) });
  })
  .get('/:id', doc({ summary: 'One form with its submission count', tags: ['forms'] }), requirePermission('forms:read'), validate('param', idParam), async (c) => {
    const form = await getForm(ctx(c), c.req.valid('param').id);
    return c.json(form, 200, { ETag: etag(form.version) });
  })
  .patch('/:id', doc({ summary: 'Edit a form (If-Match required)', tags: ['forms'] }), requirePermission('forms:write'), validate('param', idParam), validate('json', updateFormInput), async (c) => {
    const form = await updateForm(ctx(c), c.req.valid('param').id, requiredVersion(c), c.req.valid('json'));
    return c.json(form, 200, { ETag: etag(form.version) });
  })
  .post('/:id/rotate-key', doc({ summary: 'Give the form a new public key (the old URL stops working)', tags: ['forms'] }), requirePermission('forms:write'), validate('param', idParam), async (c) => {
    const form = await rotateFormKey(ctx(c), c.req.valid('param').id);
    return c.json(form, 200, { ETag: etag(form.version) });
  })
  .delete('/:id', doc({ summary: 'Delete a form (If-Match required); its URL then answers 404', tags: ['forms'], status: 204 }), requirePermission('forms:write'), validate('param', idParam), async (c) => {
    await deleteForm(ctx(c), c.req.valid('param').id, requiredVersion(c));
    return c.body(null, 204);
  });
