import { Hono } from 'hono';
import { ctx, type AppEnv } from '../../middleware/context';
import { requirePermission } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import { etag, requiredVersion } from '../../lib/versioning';
import { createTicketInput, idParam, listTicketsQuery, updateTicketInput } from './tickets.schema';
import { createTicket, deleteTicket, getTicket, listTickets, updateTicket } from './tickets.service';

export const ticketRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'Service requests and complaints you may see, newest first', tags: ['tickets'] }), requirePermission('tickets:read'), validate('query', listTicketsQuery), async (c) =>
    c.json(await listTickets(ctx(c), c.req.valid('query'))),
  )
  .post('/', doc({ summary: 'Open a service request or complaint', tags: ['tickets'], status: 201 }), requirePermission('tickets:write'), validate('json', createTicketInput), async (c) => {
    const ticket = await createTicket(ctx(c), c.req.valid('json'));
    return c.json(ticket, 201, { ETag: etag(ticket.version) });
  })
  .get('/:id', doc({ summary: 'One ticket, with its time to resolve', tags: ['tickets'] }), requirePermission('tickets:read'), validate('param', idParam), async (c) => {
    const ticket = await getTicket(ctx(c), c.req.valid('param').id);
    return c.json(ticket, 200, { ETag: etag(ticket.version) });
  })
  .patch('/:id', doc({ summary: 'Edit, resolve or reopen a ticket (If-Match required)', tags: ['tickets'] }), requirePermission('tickets:write'), validate('param', idParam), validate('json', updateTicketInput), async (c) => {
    const ticket = await updateTicket(ctx(c), c.req.valid('param').id, requiredVersion(c), c.req.valid('json'));
    return c.json(ticket, 200, { ETag: etag(ticket.version) });
  })
  .delete('/:id', doc({ summary: 'Delete a ticket (If-Match required)', tags: ['tickets'], status: 204 }), requirePermission('tickets:write'), validate('param', idParam), async (c) => {
    await deleteTicket(ctx(c), c.req.valid('param').id, requiredVersion(c));
    return c.body(null, 204);
  });
