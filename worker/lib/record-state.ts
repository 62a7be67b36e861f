import type { Statement } from '../db/client';
import { audited, diff } from './audit';
import type { Ctx } from './context';

/** The columns a record needs to be archived and soft-deleted. */
type SoftStateRow = { id: string; archivedAt: string | null; deletedAt: string | null; version: number; updatedAt: string };
type StateChange = { archivedAt?: string | null; deletedAt?: string | null; version: number; updatedAt: string };

export type SoftStateSpec<Row extends SoftStateRow, Out> = {
  recordType: string;
  find: (ctx: Ctx, id: string, opts: { includeDeleted?: boolean }) => Promise<Row>;
  present: (ctx: Ctx, row: Row) => Promise<Out>;
  update: (ctx: Ctx, id: string, change: StateChange) => Statement;
  /** What the audit row may show of the record (e.g. never ciphertext). */
  auditView?: (row: Row) => Record<string, unknown>;
  /** More statements for the same batch, after the change (e.g. stopping plans on archive). */
  also?: (ctx: Ctx, id: string, verb: 'archived' | 'unarchived' | 'deleted' | 'restored') => Statement[];
};

/**
 * Archive, unarchive, delete (soft: restorable until the nightly purge) and restore, written the
 * one audited way. A call that changes nothing (archiving an archived record) writes nothing.
 */
export function softStateActions<Row extends SoftStateRow, Out>(spec: SoftStateSpec<Row, Out>) {
  const view = spec.auditView ?? ((row: Row) => row as Record<string, unknown>);
  async function transition(ctx: Ctx, id: string, verb: 'archived' | 'unarchived' | 'deleted' | 'restored', set: (row: Row, now: string) => Partial<StateChange> | null, includeDeleted = false) {
    const row = await spec.find(ctx, id, { includeDeleted });
    const now = ctx.now().toISOString();
    const change = set(row, now);
    if (!change) return spec.present(ctx, row);
    const next = { ...row, ...change, version: row.version + 1, updatedAt: now };
    await audited(
      ctx,
      { action: `${spec.recordType}.${verb}`, recordType: spec.recordType, recordId: id, changes: diff(view(row), view(next)) },
      spec.update(ctx, id, { ...change, version: next.version, updatedAt: now }),
      ...(spec.also?.(ctx, id, verb) ?? []),
    );
    return spec.present(ctx, next);
  }
  return {
    archive: (ctx: Ctx, id: string) => transition(ctx, id, 'archived', (r, now) => (r.archivedAt ? null : { archivedAt: now })),
    unarchive: (ctx: Ctx, id: string) => transition(ctx, id, 'unarchived', (r) => (r.archivedAt ? { archivedAt: null } : null)),
    remove: (ctx: Ctx, id: string) => transition(ctx, id, 'deleted', (r, now) => (r.deletedAt ? null : { deletedAt: now })),
    restore: (ctx: Ctx, id: string) => transition(ctx, id, 'restored', (r) => (r.deletedAt ? { deletedAt: null } : null), true),
  };
}
