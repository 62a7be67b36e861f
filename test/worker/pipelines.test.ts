import { beforeAll, describe, expect, it } from 'vitest';
import { env } from 'cloudflare:test';
import { api, auditRows, failingFields, json, problem, signup, type Session } from './helpers';
import { buildWorld } from './customers-world';
import { createDeal, defaultPipeline, getDeal, history, ifMatch, pipelines, stageNamed, type Pipeline } from './deals-helpers';

let owner: Session;
let repA: Session;
let viewer: Session;
let outsider: Session;

beforeAll(async () => {
  ({ owner, repA, viewer, outsider } = await buildWorld('Pipeline Works'));
});

describe('pipelines', () => {
  it('gives a new workspace one default pipeline with open, won and lost stages, created once', async () => {
    const fresh = await signup({ workspaceName: 'Fresh Co', locale: 'en' });
    const [a, b] = await Promise.all([pipelines(fresh), pipelines(fresh)]);
    expect(a.map((p) => p.id)).toEqual(b.map((p) => p.id));
    const again = await pipelines(fresh);
    expect(again).toHaveLength(1);
    const p = again[0];
    expect(p).toMatchObject({ name: 'Sales', isDefault: true, version: 1 });
    expect(p.stages.map((s) => [s.name, s.probability, s.kind])).toEqual([
      ['Lead', 10, 'open'],
      ['Qualified', 25, 'open'],
      ['Proposal', 50, 'open'],
      ['Negotiation', 75, 'open'],
      ['Won', 100, 'won'],
      ['Lost', 0, 'lost'],
    ]);
    const n = await env.DB.prepare('select count(*) as n from pipeline_stages where workspace_id = ?').bind(fresh.me.workspace.id).first<{ n: number }>();
    expect(n?.n).toBe(6);
  });

  it('lets an admin create a second pipeline with its own stages, and names a clash', async () => {
    const res = await api('/pipelines', { as: owner, body: { name: 'Renewals', stages: [{ name: 'Due', probability: 60 }, { name: 'Renewed', kind: 'won' }, { name: 'Churned', kind: 'lost' }] } });
    const p = await json<Pipeline>(res, 201);
    expect(p.stages.map((s) => [s.name, s.position, s.probability, s.kind])).toEqual([
      ['Due', 0, 60, 'open'],
      ['Renewed', 1, 100, 'won'],
      ['Churned', 2, 0, 'lost'],
    ]);
    expect((await pipelines(repA)).map((x) => x.name)).toContain('Renewals');
    await problem(await api('/pipelines', { as: owner, body: { name: 'renewals' } }), 409, 'pipeline_name_taken');
    expect(await failingFields(await api('/pipelines', { as: owner, body: { name: '', stages: [{ name: 'Won', kind: 'won' }] } }))).toEqual(expect.arrayContaining(['name', 'stages']));
  });

  it('renames, adds and reorders stages under If-Match of the pipeline', async () => {
    const p = await json<Pipeline>(await api('/pipelines', { as: owner, body: { name: 'Partners', stages: ['Lead', 'Qualified', 'Proposal', 'Negotiation'].map((name) => ({ name })).concat([{ name: 'Won', kind: 'won' } as never, { name: 'Lost', kind: 'lost' } as never]) } }), 201);
    const lead = stageNamed(p, 'Lead');
    const renamed = await json<Pipeline>(await api(`/pipelines/${p.id}/stages/${lead.id}`, { method: 'PATCH', as: owner, body: { name: 'Inbound', probability: 5, rottingDays: 3 }, headers: ifMatch(1) }), 200);
    expect(renamed.version).toBe(2);
    expect(renamed.stages[0]).toMatchObject({ id: lead.id, name: 'Inbound', probability: 5, rottingDays: 3 });
    await problem(await api(`/pipelines/${p.id}/stages/${lead.id}`, { method: 'PATCH', as: owner, body: { name: 'Stale' }, headers: ifMatch(1) }), 412, 'version_mismatch');
    await problem(await api(`/pipelines/${p.id}/stages/${lead.id}`, { method: 'PATCH', as: owner, body: { name: 'No header' } }), 428);

    const added = await json<Pipeline>(await api(`/pipelines/${p.id}/stages`, { as: owner, body: { name: 'Demo', probability: 60 } }), 201);
    // A new open stage goes after the last open one, before won and lost.
    expect(added.stages.map((s) => s.name)).toEqual(['Inbound', 'Qualified', 'Proposal', 'Negotiation', 'Demo', 'Won', 'Lost']);
    expect(added.stages.map((s) => s.position)).toEqual([0, 1, 2, 3, 4, 5, 6]);

    const order = [...added.stages].reverse().map((s) => s.id);
    const reordered = await json<Pipeline>(await api(`/pipelines/${p.id}/stages/reorder`, { as: owner, body: { stageIds: order }, headers: ifMatch(added.version) }), 200);
    expect(reordered.stages.map((s) => s.id)).toEqual(order);
    expect(await failingFields(await api(`/pipelines/${p.id}/stages/reorder`, { as: owner, body: { stageIds: order.slice(1) }, headers: ifMatch(reordered.version) }))).toEqual(['stageIds']);
  });

  it('removes a stage without losing its deals: they move to the chosen stage, with history', async () => {
    const p = await defaultPipeline(owner);
    const [, qualified, proposal] = p.stages;
    const d1 = await createDeal(repA, { stageId: qualified.id, amount: 500_00 });
    const d2 = await createDeal(owner, { stageId: qualified.id, amount: 700_00 });
    const untouched = await createDeal(repA, { stageId: proposal.id });

    // Without a target the removal is refused and nothing changes.
    expect(await failingFields(await api(`/pipelines/${p.id}/stages/${qualified.id}`, { method: 'DELETE', as: owner, headers: ifMatch(p.version) }))).toEqual(['moveTo']);
    expect(await failingFields(await api(`/pipelines/${p.id}/stages/${qualified.id}?moveTo=${qualified.id}`, { method: 'DELETE', as: owner, headers: ifMatch(p.version) }))).toEqual(['moveTo']);
    expect((await getDeal(repA, d1.id)).stageId).toBe(qualified.id);

    const after = await json<Pipeline>(await api(`/pipelines/${p.id}/stages/${qualified.id}?moveTo=${proposal.id}`, { method: 'DELETE', as: owner, headers: ifMatch(p.version) }), 200);
    expect(after.stages.map((s) => s.id)).not.toContain(qualified.id);
    expect(after.stages.map((s) => s.position)).toEqual(after.stages.map((_, i) => i));
    for (const d of [d1, d2]) {
      const moved = await getDeal(owner, d.id);
      expect(moved).toMatchObject({ stageId: proposal.id, status: 'open', version: 2 });
      const h = await history(owner, d.id);
      expect(h.items.map((e) => [e.fromStageName, e.toStageName, e.movedBy])).toEqual([
        [null, qualified.name, d.ownerId],
        [qualified.name, proposal.name, owner.me.user.id],
      ]);
    }
    expect((await getDeal(repA, untouched.id)).version).toBe(1);
    const audits = await auditRows(owner, { recordType: 'pipeline', recordId: p.id });
    expect(audits[0].action).toBe('pipeline.stage_removed');
  });

  it('moves deals into a lost stage on removal with a reason, and keeps the last open stage', async () => {
    const p = await json<Pipeline>(await api('/pipelines', { as: owner, body: { name: 'Tiny', stages: [{ name: 'Open' }, { name: 'Old lost', kind: 'lost' }, { name: 'Lost', kind: 'lost' }] } }), 201);
    const [open, oldLost, lost] = p.stages;
    const d = await createDeal(owner, { pipelineId: p.id, stageId: oldLost.id, lostReason: 'Price' });
    expect(d).toMatchObject({ status: 'lost', lostReason: 'Price' });
    const after = await json<Pipeline>(await api(`/pipelines/${p.id}/stages/${oldLost.id}?moveTo=${lost.id}`, { method: 'DELETE', as: owner, headers: ifMatch(p.version) }), 200);
    expect(await getDeal(owner, d.id)).toMatchObject({ stageId: lost.id, status: 'lost', lostReason: 'Price', lostAt: d.lostAt });
    expect(await failingFields(await api(`/pipelines/${p.id}/stages/${open.id}?moveTo=${lost.id}`, { method: 'DELETE', as: owner, headers: ifMatch(after.version) }))).toEqual(['stageId']);
  });

  it('refuses to change the kind of a stage holding deals', async () => {
    const p = await defaultPipeline(owner);
    const negotiation = p.stages.find((s) => s.kind === 'open')!;
    await createDeal(owner, { stageId: negotiation.id });
    expect(await failingFields(await api(`/pipelines/${p.id}/stages/${negotiation.id}`, { method: 'PATCH', as: owner, body: { kind: 'won' }, headers: ifMatch(p.version) }))).toEqual(['kind']);
  });

  it('deletes only an empty pipeline, and never the last one', async () => {
    const p = await json<Pipeline>(await api('/pipelines', { as: owner, body: { name: 'Scratch' } }), 201);
    await createDeal(owner, { pipelineId: p.id });
    await problem(await api(`/pipelines/${p.id}`, { method: 'DELETE', as: owner, headers: ifMatch(1) }), 409, 'pipeline_has_deals');
    const empty = await json<Pipeline>(await api('/pipelines', { as: owner, body: { name: 'Empty' } }), 201);
    expect((await api(`/pipelines/${empty.id}`, { method: 'DELETE', as: owner, headers: ifMatch(1) })).status).toBe(204);
    await problem(await api(`/pipelines/${empty.id}`, { as: owner }), 404);
    const solo = await signup({ workspaceName: 'Solo' });
    const only = (await pipelines(solo))[0];
    await problem(await api(`/pipelines/${only.id}`, { method: 'DELETE', as: solo, headers: ifMatch(only.version) }), 409, 'last_pipeline');
  });

  it('makes another pipeline the default', async () => {
    const p = await json<Pipeline>(await api('/pipelines', { as: owner, body: { name: 'Main now' } }), 201);
    const updated = await json<Pipeline>(await api(`/pipelines/${p.id}`, { method: 'PATCH', as: owner, body: { isDefault: true }, headers: ifMatch(1) }), 200);
    expect(updated.isDefault).toBe(true);
    expect((await pipelines(owner)).filter((x) => x.isDefault).map((x) => x.id)).toEqual([p.id]);
  });

  it('lets only admins configure pipelines, and keeps workspaces apart', async () => {
    const p = await defaultPipeline(owner);
    await problem(await api('/pipelines', { as: repA, body: { name: 'Mine' } }), 403);
    await problem(await api(`/pipelines/${p.id}/stages`, { as: viewer, body: { name: 'Nope' } }), 403);
    await problem(await api(`/pipelines/${p.id}`, { method: 'PATCH', as: repA, body: { name: 'X' }, headers: ifMatch(p.version) }), 403);
    await problem(await api(`/pipelines/${p.id}`, { as: outsider }), 404);
    expect((await pipelines(outsider)).map((x) => x.id)).not.toContain(p.id);
    await problem(await api('/pipelines'), 401);
  });
});
