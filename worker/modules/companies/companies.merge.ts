import { and, eq, sql } from 'drizzle-orm';
import { activities, companies, contacts, type CustomValues } from '../../db/schema';
import { runBatch } from '../../db/client';
import type { Ctx } from '../../lib/context';
import { auditStatement, diff } from '../../lib/audit';
import { invalidField, notFound, preconditionFailed } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { moveDependents, presentDependents } from '../contacts/contacts.dependents';
import { auditEachStatement, moveTags } from '../contacts/contacts.statements';
import { fillEmpty } from '../contacts/merge-rules';
import { companyDetail, findVisibleCompany, type CompanyRow } from './companies.service';

/**
 * Merges `sourceId` into `targetId`. The target keeps its values and takes the source's where it
 * has none; phones and tags are united; the source's people, activities, orders, tickets and
 * deals move over; the source is marked merged (its id then answers 404 with `mergedIntoId`).
 * Everything, with its audit rows and a note on the target's timeline, is one batch.
 */
export async function mergeCompanies(ctx: Ctx, targetId: string, sourceId: string, expectedVersion?: number) {
  if (targetId === sourceId) throw invalidField('sourceId', 'Choose a different company to merge in.', 'same_record');
  const target = await findVisibleCompany(ctx, targetId);
  const source = await findVisibleCompany(ctx, sourceId).catch(() => {
    throw notFound('Company to merge in');
  });
  if (expectedVersion !== undefined && target.version !== expectedVersion) throw preconditionFailed(target.version);
  const now = ctx.now();
  const at = now.toISOString();
  const ws = ctx.actor.workspaceId;

  const site = target.domain || !source.domain ? {} : { website: source.website, domain: source.domain };
  const next: CompanyRow = {
    ...fillEmpty(target, source, ['industry', 'size', 'contractEndsOn', 'ownerId']),
    ...site,
    phones: [...new Set([...target.phones, ...source.phones])],
    address: fillEmpty(target.address, source.address, ['country', 'province', 'city', 'district', 'street', 'postcode']),
    customFields: fillEmpty<CustomValues>(target.customFields, source.customFields, Object.keys(source.customFields)),
    version: target.version + 1,
    updatedAt: at,
  };
  const { id: _id, workspaceId: _ws, createdAt: _c, ...targetSet } = next;
  const deps = await presentDependents(ctx.db);
  const movedPeople = and(eq(contacts.workspaceId, ws), eq(contacts.companyId, sourceId))!;

  await runBatch(ctx.db, [
    ctx.db.update(companies).set(targetSet).where(and(eq(companies.id, targetId), eq(companies.version, target.version))),
    ...moveTags(ctx, 'company', sourceId, targetId),
    auditEachStatement(ctx, {
      action: 'contact.updated',
      recordType: 'contact',
      where: movedPeople,
      changes: sql`json_object('companyId', json_object('before', ${sourceId}, 'after', ${targetId}))`,
    }),
    // A version bump, so that an edit prepared before the merge cannot move the person back.
    ctx.db.update(contacts).set({ companyId: targetId, version: sql`${contacts.version} + 1`, updatedAt: at }).where(movedPeople),
    ...moveDependents(ctx.db, deps, 'company', ws, sourceId, targetId),
    ctx.db.update(companies).set({ mergedIntoId: targetId }).where(and(eq(companies.workspaceId, ws), eq(companies.mergedIntoId, sourceId))),
    ctx.db.update(companies).set({ mergedIntoId: targetId, version: source.version + 1, updatedAt: at }).where(eq(companies.id, sourceId)),
    ctx.db.insert(activities).values({
      id: newId('act', now.getTime()),
      workspaceId: ws,
      type: 'system',
      contactId: null,
      companyId: targetId,
      subject: `Merged ${source.name} into ${target.name}`,
      occurredAt: at,
      userId: ctx.actor.type === 'user' ? ctx.actor.id : null,
      meta: { event: 'company.merged', sourceId, sourceName: source.name, targetName: target.name },
      createdAt: at,
      updatedAt: at,
    }),
    auditStatement(ctx, { action: 'company.merged', recordType: 'company', recordId: targetId, changes: { ...diff(target, next), mergedFrom: { after: sourceId } } }),
    auditStatement(ctx, { action: 'company.merged_into', recordType: 'company', recordId: sourceId, changes: { mergedIntoId: { before: null, after: targetId } } }),
  ]);
  const saved = await findVisibleCompany(ctx, targetId);
  return companyDetail(ctx, saved);
}
