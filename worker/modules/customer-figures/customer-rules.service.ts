import { runBatch } from '../../db/client';
import { workspaceSettings, type CustomerRules } from '../../db/schema';
import { auditStatement, diff } from '../../lib/audit';
import type { Ctx } from '../../lib/context';
import { notFound } from '../../lib/errors';
import { CHUNK_SIZE, fitsOneChunk, recomputeJob } from './figures.service';
import { chunkStatements, loadCustomerSettings } from './figures.statements';
import type { CustomerRulesInput } from './customer-rules.schema';

export async function getCustomerRules(ctx: Ctx): Promise<CustomerRules> {
  const settings = await loadCustomerSettings(ctx.db, ctx.actor.workspaceId);
  if (!settings) throw notFound('Workspace');
  return settings.rules;
}

/**
 * Saves the rules and applies them to every customer as the nightly pass would (scores, segments
 * and churn by the new period): in the same batch when the workspace fits one chunk, so nobody
 * reads segments of the old thresholds beside the new ones; else through the queue, by chunks.
 */
export async function putCustomerRules(ctx: Ctx, input: CustomerRulesInput): Promise<CustomerRules> {
  const before = await loadCustomerSettings(ctx.db, ctx.actor.workspaceId);
  if (!before) throw notFound('Workspace');
  const rules = input as CustomerRules;
  const now = ctx.now();
  const save = ctx.db
    .insert(workspaceSettings)
    .values({ workspaceId: ctx.actor.workspaceId, customerRules: rules, updatedAt: now.toISOString() })
    .onConflictDoUpdate({ target: workspaceSettings.workspaceId, set: { customerRules: rules, updatedAt: now.toISOString() } });
  const audit = auditStatement(ctx, { action: 'settings.customer_rules_updated', recordType: 'workspace', recordId: ctx.actor.workspaceId, changes: diff(before.rules, rules) });
  const settings = { ...before, rules };
  if (await fitsOneChunk(ctx.db, ctx.actor.workspaceId)) {
    await runBatch(ctx.db, [save, audit, ...chunkStatements(ctx, settings, { after: null, upTo: null })]);
  } else {
    await runBatch(ctx.db, [save, audit]);
    await ctx.env.JOBS.send(recomputeJob({ workspaceId: ctx.actor.workspaceId, asOf: now.toISOString(), after: null, chunkSize: CHUNK_SIZE }));
  }
  return rules;
}
