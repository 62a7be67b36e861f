import { and, eq, ne } from 'drizzle-orm';
import { activities, consentEvents, contactChannels, contacts, searchDocs, type CustomValues } from '../../db/schema';
import { runBatch } from '../../db/client';
import type { Ctx } from '../../lib/context';
import { auditStatement, diff } from '../../lib/audit';
import { conflict, invalidField, notFound, preconditionFailed } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { loadCustomerSettings, refreshFiguresStatement } from '../customer-figures/figures.statements';
import { moveDependents, presentDependents } from './contacts.dependents';
import { moveTags } from './contacts.statements';
import { fillEmpty, latestConsent } from './merge-rules';
import { auditView, channelStatements, contactDetail, decryptSensitive, findVisibleContact, sensitiveColumns, type ContactRow } from './contacts.service';

const FILLABLE: (keyof ContactRow)[] = ['givenName', 'familyName', 'gender', 'title', 'birthday', 'companyId', 'ownerId'];
const ADDRESS_PARTS = ['country', 'province', 'city', 'district', 'street', 'postcode'] as const;

const erased = () => conflict('contact_erased', 'An erased customer cannot be merged.');

/**
 * Merges `sourceId` into `targetId`: one customer with both histories. The target keeps its
 * values and takes the source's where it has none; emails, phones and tags are united; for each
 * consent channel the latest decision stands and both histories are kept; every activity, order,
 * ticket, deal, search document and lookup channel moves to the target, whose purchase figures and
 * RFM score are then recomputed. The source is marked merged (its id answers 404 with `mergedIntoId`), a note on
 * the target's timeline says what happened, and both records are audited, all in one batch.
 */
export async function mergeContacts(ctx: Ctx, targetId: string, sourceId: string, expectedVersion?: number) {
  if (targetId === sourceId) throw invalidField('sourceId', 'Choose a different customer to merge in.', 'same_record');
  const target = await findVisibleContact(ctx, targetId);
  const source = await findVisibleContact(ctx, sourceId).catch(() => {
    throw notFound('Customer to merge in');
  });
  if (expectedVersion !== undefined && target.version !== expectedVersion) throw preconditionFailed(target.version);
  if (target.erasedAt || source.erasedAt) throw erased();
  const now = ctx.now();
  const at = now.toISOString();
  const ws = ctx.actor.workspaceId;

  const emails = [...new Set([...target.emails, ...source.emails])];
  const phones = [...new Set([...target.phones, ...source.phones])];
  // Ciphertext is bound to its record, so a sensitive value moves by decrypting and re-encrypting.
  const [targetSecrets, sourceSecrets] = await Promise.all([decryptSensitive(ctx, target), decryptSensitive(ctx, source)]);
  const secretsToFill = {
    ...(targetSecrets.nationalId || !sourceSecrets.nationalId ? {} : { nationalId: sourceSecrets.nationalId }),
    ...(targetSecrets.bankAccount || !sourceSecrets.bankAccount ? {} : { bankAccount: sourceSecrets.bankAccount }),
  };
  const next: ContactRow = {
    ...fillEmpty(target, source, FILLABLE),
    ...(await sensitiveColumns(ctx, target, secretsToFill)),
    emails,
    phones,
    address: fillEmpty(target.address, source.address, [...ADDRESS_PARTS]),
    customFields: fillEmpty<CustomValues>(target.customFields, source.customFields, Object.keys(source.customFields)),
    emailConsent: latestConsent(target.emailConsent, source.emailConsent),
    smsConsent: latestConsent(target.smsConsent, source.smsConsent),
    lastContactedAt: [target.lastContactedAt, source.lastContactedAt].filter(Boolean).sort().pop() ?? null,
    version: target.version + 1,
    updatedAt: at,
  };
  const { id: _id, workspaceId: _ws, createdAt: _c, totalSpent: _t, orderCount: _o, firstPurchaseAt: _f, lastPurchaseAt: _l, ...targetSet } = next;
  const [deps, settings] = await Promise.all([presentDependents(ctx.db), loadCustomerSettings(ctx.db, ws)]);
  if (!settings) throw notFound('Workspace');

  await runBatch(ctx.db, [
    ctx.db.update(contacts).set(targetSet).where(and(eq(contacts.id, targetId), eq(contacts.version, target.version))),
    ctx.db.delete(contactChannels).where(eq(contactChannels.contactId, sourceId)),
    ...channelStatements(ctx, targetId, emails, phones),
    ...moveTags(ctx, 'contact', sourceId, targetId),
    // Activities move with their search documents (the activities triggers follow contact_id).
    ...moveDependents(ctx.db, deps, 'contact', ws, sourceId, targetId),
    ctx.db.update(searchDocs).set({ contactId: targetId }).where(and(eq(searchDocs.contactId, sourceId), ne(searchDocs.source, `contact:${sourceId}`))),
    ctx.db.delete(searchDocs).where(eq(searchDocs.source, `contact:${sourceId}`)),
    ctx.db.update(consentEvents).set({ contactId: targetId }).where(and(eq(consentEvents.workspaceId, ws), eq(consentEvents.contactId, sourceId))),
    // Spend, orders and RFM from the orders as they stand after the move, by the orders module's rules.
    refreshFiguresStatement(ctx.db, settings, now, { contactId: targetId }),
    // Earlier merges into the source now point at the survivor: a merged id is one hop from it.
    ctx.db.update(contacts).set({ mergedIntoId: targetId }).where(and(eq(contacts.workspaceId, ws), eq(contacts.mergedIntoId, sourceId))),
    ctx.db.update(contacts).set({ mergedIntoId: targetId, version: source.version + 1, updatedAt: at }).where(eq(contacts.id, sourceId)),
    ctx.db.insert(activities).values({
      id: newId('act', now.getTime()),
      workspaceId: ws,
      type: 'system',
      contactId: targetId,
      companyId: next.companyId,
      subject: `Merged ${source.name} into ${target.name}`,
      occurredAt: at,
      userId: ctx.actor.type === 'user' ? ctx.actor.id : null,
      meta: { event: 'contact.merged', sourceId, sourceName: source.name, targetName: target.name },
      createdAt: at,
      updatedAt: at,
    }),
    auditStatement(ctx, {
      action: 'contact.merged',
      recordType: 'contact',
      recordId: targetId,
      changes: { ...diff(auditView(target), auditView(next)), mergedFrom: { after: sourceId } },
    }),
    auditStatement(ctx, { action: 'contact.merged_into', recordType: 'contact', recordId: sourceId, changes: { mergedIntoId: { before: null, after: targetId } } }),
  ]);
  return contactDetail(ctx, await findVisibleContact(ctx, targetId));
}
