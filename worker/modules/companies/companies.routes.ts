import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { etag, requiredVersion } from '../../lib/versioning';
import { mergeInput } from '../contacts/contacts.schema';
import { companyDuplicatesQuery, createCompanyInput, domainOf, listCompaniesQuery, updateCompanyInput } from './companies.schema';
import {
  archiveCompany,
  createCompany,
  deleteCompany,
  findCompanyDuplicates,
  getCompany,
  listCompanies,
  restoreCompany,
  unarchiveCompany,
  updateCompany,
} from './companies.service';
import { mergeCompanies } from './companies.merge';

const idParam = z.object({ id: z.string().min(1).max(40) });

const withEtag = <T extends { version: number }>(c: Context<AppEnv>, body: T, status: 200 | 201 = 200) => c.json(body, status, { ETag: etag(body.version) });

/** `If-Match` is optional on merge: sent, it guards the surviving record against a stale screen. */
const optionalVersion = (c: Context<AppEnv>) => (c.req.header('if-match') ? requiredVersion(c) : undefined);

export const companyRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'List companies (filters, sort, cursor)', tags: ['companies'] }), requirePermission('companies:read'), validate('query', listCompaniesQuery), async (c) =>
    c.json(await listCompanies(ctx(c), c.req.valid('query'))),
  )
  .get('/duplicates', doc({ summary: 'Likely duplicates of a name or website', tags: ['companies'] }), requirePermission('companies:read'), validate('query', companyDuplicatesQuery), async (c) => {
    const q = c.req.valid('query');
    const items = await findCompanyDuplicates(ctx(c), { name: q.name, domain: q.website ? domainOf(q.website) : null }, q.excludeId);
    return c.json({ items });
  })
  .post('/', doc({ summary: 'Create a company (409 with the existing record on a likely duplicate)', tags: ['companies'], status: 201 }), requirePermission('companies:write'), validate('json', createCompanyInput), async (c) =>
    withEtag(c, await createCompany(ctx(c), c.req.valid('json')), 201),
  )
  .get('/:id', doc({ summary: 'A company with its people and their totals', tags: ['companies'] }), requirePermission('companies:read'), validate('param', idParam), async (c) =>
    withEtag(c, await getCompany(ctx(c), c.req.valid('param').id)),
  )
  .patch('/:id', doc({ summary: 'Edit a company (If-Match required)', tags: ['companies'] }), requirePermission('companies:write'), validate('param', idParam), validate('json', updateCompanyInput), async (c) =>
    withEtag(c, await updateCompany(ctx(c), c.req.valid('param').id, requiredVersion(c), c.req.valid('json'))),
  )
  .post('/:id/merge', doc({ summary: 'Merge another company into this one', tags: ['companies'] }), requirePermission('companies:write'), validate('param', idParam), validate('json', mergeInput), async (c) =>
    withEtag(c, await mergeCompanies(ctx(c), c.req.valid('param').id, c.req.valid('json').sourceId, optionalVersion(c))),
  )
  .post('/:id/archive', doc({ summary: 'Archive (hide, restorable)', tags: ['companies'] }), requirePermission('companies:write'), validate('param', idParam), async (c) => withEtag(c, await archiveCompany(ctx(c), c.req.valid('param').id)))
  .post('/:id/unarchive', doc({ summary: 'Bring back from the archive', tags: ['companies'] }), requirePermission('companies:write'), validate('param', idParam), async (c) => withEtag(c, await unarchiveCompany(ctx(c), c.req.valid('param').id)))
  .delete('/:id', doc({ summary: 'Delete (restorable for 30 days; its people stay)', tags: ['companies'] }), requirePermission('companies:write'), validate('param', idParam), async (c) => withEtag(c, await deleteCompany(ctx(c), c.req.valid('param').id)))
  .post('/:id/restore', doc({ summary: 'Restore a deleted company', tags: ['companies'] }), requirePermission('companies:write'), validate('param', idParam), async (c) => withEtag(c, await restoreCompany(ctx(c), c.req.valid('param').id)));
