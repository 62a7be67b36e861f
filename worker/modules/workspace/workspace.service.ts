import { and, eq } from 'drizzle-orm';
import { workspaces } from '../../db/schema';
import type { Ctx } from '../../lib/context';
import { audited, diff } from '../../lib/audit';
import { notFound, preconditionFailed } from '../../lib/errors';
import { publicWorkspace } from '../auth/auth.service';
import type { UpdateWorkspaceInput } from './workspace.schema';

async function findWorkspace(ctx: Ctx) {
  const ws = await ctx.db.select().from(workspaces).where(eq(workspaces.id, ctx.actor.workspaceId)).get();
  if (!ws) throw notFound('Workspace');
  return ws;
}

export async function getWorkspace(ctx: Ctx) {
  return publicWorkspace(await findWorkspace(ctx));
}

export async function updateWorkspace(ctx: Ctx, expectedVersion: number, input: UpdateWorkspaceInput) {
  const ws = await findWorkspace(ctx);
  if (ws.version !== expectedVersion) throw preconditionFailed(ws.version);
  const now = ctx.now().toISOString();
  const next = { ...ws, ...input, version: ws.version + 1, updatedAt: now };
  await audited(
    ctx,
    { action: 'workspace.updated', recordType: 'workspace', recordId: ws.id, changes: diff(ws, next) },
    ctx.db.update(workspaces).set({ ...input, version: next.version, updatedAt: now }).where(and(eq(workspaces.id, ws.id), eq(workspaces.version, expectedVersion))),
  );
  return publicWorkspace(next);
}
