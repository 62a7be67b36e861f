import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Env } from '../../worker/env';
import { getDb } from '../../worker/db/client';
import { assignOwner, pickOwner, ruleFor } from '../../worker/modules/assignment/assignment.service';
import { api, apiKey, createTeam, failingFields, json, problem, signup, userWithRole, type Session } from './helpers';
import { createDeal, defaultPipeline, ifMatch, type Pipeline } from './deals-helpers';

type Rule = { id: string; name: string; scopeType: string; scopeId: string; kind: string; rule: Record<string, unknown>; position: number; isActive: boolean; version: number };

let owner: Session;
let reps: Session[];
let rep: Session;
let teamId: string;
let pipeline: Pipeline;

const deps = async () => ({ db: await getDb(env as Env) });

beforeAll(async () => {
  owner = await signup({ workspaceName: 'Round Robin Ltd', locale: 'en' });
  const team = await createTeam(owner, { name: 'Sales floor' });
  teamId = team.id;
  reps = [];
  for (const name of ['Ann', 'Ben', 'Cai', 'Dee']) reps.push(await userWithRole(owner, 'rep', { teamId, name }));
  rep = await userWithRole(owner, 'rep', { name: 'Outside rep' });
  pipeline = await defaultPipeline(owner);
});

const createRule = (as: Session, body: Record<string, unknown>) => api('/assignment-rules', { as, body });

describe('assignment rules', () => {
  it('round-robin spreads new deals evenly over the active members and skips deactivated users', async () => {
    const rule = await json<Rule>(await createRule(owner, { name: 'Share the leads', scopeType: 'pipeline', scopeId: pipeline.id, rule: { kind: 'round_robin', teamId } }), 201);
    expect(rule).toMatchObject({ kind: 'round_robin', position: 0, isActive: true, version: 1 });
    const deactivated = reps[1];
    expect((await api(`/users/${deactivated.me.user.id}/deactivate`, { as: owner, body: {} })).status).toBe(200);

    const owners: string[] = [];
    for (let i = 0; i < 9; i++) owners.push((await createDeal(owner, { name: `RR ${i}`, ownerId: 'auto' })).ownerId!);
    const counts = new Map<string, number>();
    for (const o of owners) counts.set(o, (counts.get(o) ?? 0) + 1);
    const active = [reps[0], reps[2], reps[3]].map((r) => r.me.user.id);
    expect([...counts.keys()].sort()).toEqual([...active].sort());
    expect([...counts.values()]).toEqual([3, 3, 3]);
    expect(owners).not.toContain(deactivated.me.user.id);
    // Each member in turn, the same order every round.
    expect(owners.slice(3, 6)).toEqual(owners.slice(0, 3));

    // Concurrent assignments still take distinct turns (the counter moves atomically).
    const d = await deps();
    const stored = (await ruleFor(d, owner.me.workspace.id, 'pipeline', pipeline.id))!;
    const picks = await Promise.all([0, 1, 2].map(() => pickOwner(d, stored, {})));
    expect(new Set(picks).size).toBe(3);
  });

  it('an API key creating a deal without an owner uses the rule; the owner hears of it', async () => {
    const key = await apiKey(owner, ['deals:write', 'deals:read']);
    const res = await api('/deals', { apiKey: key.key, body: { name: 'From the website', amount: 5000 } });
    const deal = await json<{ id: string; ownerId: string }>(res, 201);
    expect([reps[0], reps[2], reps[3]].map((r) => r.me.user.id)).toContain(deal.ownerId);
    const target = [reps[0], reps[2], reps[3]].find((r) => r.me.user.id === deal.ownerId)!;
    const bell = await json<{ items: { recordId: string | null; kind: string }[] }>(await api('/notifications', { as: target }), 200);
    expect(bell.items.filter((n) => n.recordId === deal.id && n.kind === 'deal.assigned')).toHaveLength(1);
  });

  it('a fixed owner and a field match with a fallback (shared with lead capture)', async () => {
    const d = await deps();
    const ws = owner.me.workspace.id;
    const byProvince = await json<Rule>(
      await createRule(owner, {
        name: 'Territories',
        scopeType: 'lead_source',
        scopeId: 'website',
        rule: { kind: 'field_match', field: 'address.province', map: { 浙江: reps[0].me.user.id, Jiangsu: reps[2].me.user.id }, fallback: { kind: 'fixed', userId: reps[3].me.user.id } },
      }),
      201,
    );
    expect(byProvince.kind).toBe('field_match');
    expect(await assignOwner(d, ws, 'lead_source', 'website', { address: { province: '浙江' } })).toBe(reps[0].me.user.id);
    expect(await assignOwner(d, ws, 'lead_source', 'website', { address: { province: ' jiangsu ' } })).toBe(reps[2].me.user.id);
    expect(await assignOwner(d, ws, 'lead_source', 'website', { address: { province: 'Yunnan' } })).toBe(reps[3].me.user.id);
    expect(await assignOwner(d, ws, 'lead_source', 'no-rule-here', {})).toBeNull();

    const fixed = await json<Rule>(await createRule(owner, { name: 'Fair', scopeType: 'lead_source', scopeId: 'fair', rule: { kind: 'fixed', userId: reps[1].me.user.id } }), 201);
    // reps[1] was deactivated above: a fixed rule naming an inactive user picks nobody.
    expect(await pickOwner(d, (await ruleFor(d, ws, 'lead_source', 'fair'))!, {})).toBeNull();
    const updated = await json<Rule>(await api(`/assignment-rules/${fixed.id}`, { method: 'PATCH', as: owner, body: { rule: { kind: 'fixed', userId: reps[0].me.user.id } }, headers: ifMatch(1) }), 200);
    expect(updated).toMatchObject({ version: 2, rule: { userId: reps[0].me.user.id } });
    expect(await assignOwner(d, ws, 'lead_source', 'fair', {})).toBe(reps[0].me.user.id);
    await problem(await api(`/assignment-rules/${fixed.id}`, { method: 'PATCH', as: owner, body: { isActive: false }, headers: ifMatch(1) }), 412, 'version_mismatch');
    expect((await api(`/assignment-rules/${fixed.id}`, { method: 'DELETE', as: owner, headers: ifMatch(2) })).status).toBe(204);
    expect(await assignOwner(d, ws, 'lead_source', 'fair', {})).toBeNull();
  });

  it('validates rules, one per scope, and only admins configure them', async () => {
    expect(await failingFields(await createRule(owner, { name: 'X', scopeType: 'lead_source', scopeId: 'x', rule: { kind: 'round_robin', teamId: 'team_nope' } }))).toEqual(['rule.teamId']);
    expect(await failingFields(await createRule(owner, { name: 'X', scopeType: 'pipeline', scopeId: 'pip_nope', rule: { kind: 'fixed', userId: reps[0].me.user.id } }))).toEqual(['scopeId']);
    expect(await failingFields(await createRule(owner, { name: '', scopeType: 'moon', scopeId: 'x', rule: { kind: 'lottery' } }))).toEqual(expect.arrayContaining(['name', 'scopeType', 'rule.kind']));
    await problem(await createRule(owner, { name: 'Again', scopeType: 'pipeline', scopeId: pipeline.id, rule: { kind: 'fixed', userId: reps[0].me.user.id } }), 409, 'rule_exists');
    await problem(await createRule(rep, { name: 'Mine', scopeType: 'lead_source', scopeId: 'mine', rule: { kind: 'fixed', userId: rep.me.user.id } }), 403);
    const listed = await json<{ items: Rule[] }>(await api('/assignment-rules?scopeType=pipeline', { as: rep }), 200);
    expect(listed.items.map((r) => r.scopeId)).toEqual([pipeline.id]);
    const other = await signup({ workspaceName: 'Elsewhere' });
    expect((await json<{ items: Rule[] }>(await api('/assignment-rules', { as: other }), 200)).items).toEqual([]);
    await problem(await api(`/assignment-rules/${listed.items[0].id}`, { as: other }), 404);
  });
});
