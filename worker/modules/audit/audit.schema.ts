import { z } from 'zod';
import { pageQuery } from '../../lib/pagination';

export const listAuditQuery = pageQuery.extend({
  action: z.string().max(60).optional(),
  actorId: z.string().max(40).optional(),
  recordType: z.string().max(40).optional(),
  recordId: z.string().max(40).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type ListAuditQuery = z.infer<typeof listAuditQuery>;
