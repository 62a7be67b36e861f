import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { doc, parseOrThrow, validate } from '../../lib/validate';
import { etag, requiredVersion } from '../../lib/versioning';
import { pageQuery } from '../../lib/pagination';
import { bulkInput, contactFilters, createContactInput, listContactsQuery, mergeInput, updateContactInput } from './contacts.schema';
import { runBulk } from './contacts.bulk';
import { consentHistory, eraseContact, exportContact } from './contacts.gdpr';
import { mergeContacts } from './contacts.merge';
import {
  archiveContact,
  countContacts,
  createContact,
  deleteContact,
  findBySensitive,
  findDuplicatesOf,
  getContact,
  listContacts,
  restoreContact,
  unarchiveContact,
  updateContact,
} from './contacts.service';

const idParam = z.object({ id: z.string().min(1).max(40) });

/** Query parameters `cf.<key>=value` become the custom-field filter. */
export function queryWithCustom(c: Context<AppEnv>) {
  const query: Record<string, unknown> = { ...c.req.query() };
  const custom: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    if (k.startsWith('cf.')) {
      custom[k.slice(3)] = String(v);
      delete query[k];
    }
  }
  if (Object.keys(custom).length) query.custom = custom;
  return query;
}

const withEtag = <T extends { version: number }>(c: Context<AppEnv>, body: T, status: 200 | 201 = 200) => c.json(body, status, { ETag: etag(body.version) });

/** `If-Match` is optional on merge: sent, it guards the surviving record against a stale screen. */
const optionalVersion = (c: Context<AppEnv>) => (c.req.header('if-match') ? requiredVersion(c) : undefined);

export const contactRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'List and search customers (filters, sort, cursor)', tags: ['contacts'] }), requirePermission('contacts:read'), validate('query', listContactsQuery), async (c) =>
    c.json(await listContacts(ctx(c), parseOrThrow(listContactsQuery, queryWithCustom(c)))),
  )
  .get('/count', doc({ summary: 'Count customers matching filters', tags: ['contacts'] }), requirePermission('contacts:read'), validate('query', contactFilters), async (c) =>
    c.json(await countContacts(ctx(c), parseOrThrow(contactFilters, queryWithCustom(c)))),
  )
  .get('/duplicates', doc({ summary: 'Likely duplicates of an email, phone or name at a company', tags: ['contacts'] }), requirePermission('contacts:read'), validate('query', z.object({ email: z.string().max(254).optional(), phone: z.string().max(40).optional(), name: z.string().max(120).optional(), companyId: z.string().max(40).optional(), excludeId: z.string().max(40).optional() })), async (c) => {
    const { excludeId, ...probe } = c.req.valid('query');
    return c.json({ items: await findDuplicatesOf(ctx(c), probe, excludeId) });
  })
  .get('/lookup', doc({ summary: 'Exact match on an encrypted field (national ID, bank account)', tags: ['contacts'] }), requirePermission('contacts:read'), validate('query', z.object({ field: z.enum(['nationalId', 'bankAccount']), value: z.string().trim().min(4).max(40) })), async (c) => {
    const { field, value } = c.req.valid('query');
    return c.json(await findBySensitive(ctx(c), field, value));
  })
  .post('/bulk', doc({ summary: 'Tag, untag, assign, change lifecycle, archive, delete or restore a selection or a whole filter (202 with a job beyond 500 records)', tags: ['contacts'] }), requirePermission('contacts:write'), validate('json', bulkInput), async (c) => {
    const result = await runBulk(ctx(c), c.req.valid('json'));
    if ('jobId' in result) return c.json(result, 202, { Location: `/api/v1/jobs/${result.jobId}` });
    return c.json(result);
  })
  .post('/', doc({ summary: 'Create a customer (409 with the existing record on a likely duplicate)', tags: ['contacts'], status: 201 }), requirePermission('contacts:write'), validate('json', createContactInput), async (c) =>
    withEtag(c, await createContact(ctx(c), c.req.valid('json')), 201),
  )
  .get('/:id', doc({ summary: 'A customer with derived figures', tags: ['contacts'] }), requirePermission('contacts:read'), validate('param', idParam), async (c) => withEtag(c, await getContact(ctx(c), c.req.valid('param').id)))
  .patch('/:id', doc({ summary: 'Edit a customer (If-Match required)', tags: ['contacts'] }), requirePermission('contacts:write'), validate('param', idParam), validate('json', updateContactInput), async (c) =>
    withEtag(c, await updateContact(ctx(c), c.req.valid('param').id, requiredVersion(c), c.req.valid('json'))),
  )
  .post('/:id/merge', doc({ summary: 'Merge another customer into this one, keeping both histories', tags: ['contacts'] }), requirePermission('contacts:write'), validate('param', idParam), validate('json', mergeInput), async (c) =>
    withEtag(c, await mergeContacts(ctx(c), c.req.valid('param').id, c.req.valid('json').sourceId, optionalVersion(c))),
  )
  .get('/:id/export', doc({ summary: 'Everything stored about this person, as JSON (GDPR access request)', tags: ['contacts'] }), requirePermission('contacts:read'), validate('param', idParam), async (c) => {
    const body = await exportContact(ctx(c), c.req.valid('param').id);
    return c.json(body, 200, { 'Content-Disposition': `attachment; filename="customer-${body.contact.id}.json"` });
  })
  .post('/:id/erase', doc({ summary: 'Erase the person, keeping sales totals (GDPR; admins)', tags: ['contacts'] }), requirePermission('contacts:write'), validate('param', idParam), async (c) => withEtag(c, await eraseContact(ctx(c), c.req.valid('param').id)))
  .get('/:id/consent', doc({ summary: 'Every consent decision on this customer, newest first', tags: ['contacts'] }), requirePermission('contacts:read'), validate('param', idParam), validate('query', pageQuery), async (c) =>
    c.json(await consentHistory(ctx(c), c.req.valid('param').id, c.req.valid('query'))),
  )
  .post('/:id/archive', doc({ summary: 'Archive (hide, restorable)', tags: ['contacts'] }), requirePermission('contacts:write'), validate('param', idParam), async (c) => withEtag(c, await archiveContact(ctx(c), c.req.valid('param').id)))
  .post('/:id/unarchive', doc({ summary: 'Bring back from the archive', tags: ['contacts'] }), requirePermission('contacts:write'), validate('param', idParam), async (c) => withEtag(c, await unarchiveContact(ctx(c), c.req.valid('param').id)))
  .delete('/:id', doc({ summary: 'Delete (restorable for 30 days)', tags: ['contacts'] }), requirePermission('contacts:write'), validate('param', idParam), async (c) => withEtag(c, await deleteContact(ctx(c), c.req.valid('param').id)))
  .post('/:id/restore', doc({ summary: 'Restore a deleted customer', tags: ['contacts'] }), requirePermission('contacts:write'), validate('param', idParam), async (c) => withEtag(c, await restoreContact(ctx(c), c.req.valid('param').id)));
