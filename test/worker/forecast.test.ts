import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, failingFields, json, problem, type Session } from './helpers';
import { buildWorld } from './customers-world';
import { backdate, createDeal, getDeal, ifMatch, moveDeal, type Deal, type Pipeline } from './deals-helpers';

let owner: Session;
let manager: Session;
let repA: Session;
let repB: Session;
let viewer: Session;
let outsider: Session;
let teamId: string;

type Row = { month: string; won: number; wonCount: number; open: number; openCount: number; weighted: number; bestCase: number };
type Forecast = { currency: string; months: string[]; totals: Row[]; total: Row; byRep: { ownerId: string | null; ownerName: string | null; months: Row[]; total: Row }[]; byTeam: { teamId: string | null; teamName: string | null; total: Row }[] };

beforeAll(async () => {
  ({ owner, manager, repA, repB, viewer, outsider, teamId } = await buildWorld('Forecast Trading'));
});

const newPipeline = async (name: string) =>
  json<Pipeline>(await api('/pipelines', { as: owner, body: { name, stages: [{ name: 'Talk', probability: 20 }, { name: 'Offer', probability: 50 }, { name: 'Won', kind: 'won' }, { name: 'Lost', kind: 'lost' }] } }), 201);

async function won(as: Session, p: Pipeline, body: Record<string, unknown>, wonAt: string): Promise<Deal> {
  const d = await createDeal(as, { pipelineId: p.id, ...body });
  const w = await json<Deal>(await moveDeal(as, d, { stageId: p.stages[2].id }), 200);
  await backdate(w.id, { won_at: wonAt, closed_at: wonAt });
  return w;
}

describe('forecast', () => {
  let p: Pipeline;
  beforeAll(async () => {
    p = await newPipeline('Forecast');
    const [talk, offer] = p.stages;
    await createDeal(repA, { pipelineId: p.id, stageId: talk.id, amount: 1000_00, expectedCloseOn: '2027-01-10' });
    await createDeal(repA, { pipelineId: p.id, stageId: offer.id, amount: 2000_00, expectedCloseOn: '2027-01-20' });
    await createDeal(repA, { pipelineId: p.id, stageId: offer.id, amount: 9999_00, currency: 'USD', expectedCloseOn: '2027-01-20' });
    await createDeal(repA, { pipelineId: p.id, stageId: offer.id, amount: 4444_00 }); // no close date: in no month
    await won(repA, p, { amount: 500_00 }, '2027-01-05T04:00:00.000Z');
    await createDeal(repB, { pipelineId: p.id, stageId: offer.id, amount: 3000_00, expectedCloseOn: '2027-02-01' });
    // 20:00 UTC on 31 January is 1 February in Shanghai, the workspace's time zone.
    await won(repB, p, { amount: 700_00 }, '2027-01-31T20:00:00.000Z');
  });

  const get = async (as: Session, qs = '') => json<Forecast>(await api(`/reports/forecast?pipelineId=${p.id}&from=2027-01&to=2027-02${qs}`, { as }), 200);

  it('sums won by month won, open and weighted by expected close, best case = won + open', async () => {
    const f = await get(owner);
    expect(f.currency).toBe('CNY');
    expect(f.months).toEqual(['2027-01', '2027-02']);
    expect(f.totals).toEqual([
      { month: '2027-01', won: 500_00, wonCount: 1, open: 3000_00, openCount: 2, weighted: 1200_00, bestCase: 3500_00 },
      { month: '2027-02', won: 700_00, wonCount: 1, open: 3000_00, openCount: 1, weighted: 1500_00, bestCase: 3700_00 },
    ]);
    expect(f.total).toMatchObject({ won: 1200_00, open: 6000_00, weighted: 2700_00, bestCase: 7200_00 });
    const rep = (id: string) => f.byRep.find((r) => r.ownerId === id)!.total;
    expect(rep(repA.me.user.id)).toMatchObject({ won: 500_00, open: 3000_00, weighted: 1200_00 });
    expect(rep(repB.me.user.id)).toMatchObject({ won: 700_00, open: 3000_00, weighted: 1500_00 });
    const team = (id: string | null) => f.byTeam.find((t) => t.teamId === id)!;
    expect(team(teamId)).toMatchObject({ teamName: 'East', total: { won: 500_00, open: 3000_00 } });
    expect(team(null).total).toMatchObject({ won: 700_00, open: 3000_00 });
    // Another currency is its own forecast.
    expect((await get(owner, '&currency=USD')).total).toMatchObject({ open: 9999_00, weighted: Math.round(9999_00 * 0.5), won: 0 });
  });

  it("a rep's forecast has only their deals; a manager's their team's", async () => {
    const a = await get(repA);
    expect(a.totals.map((r) => [r.won, r.open])).toEqual([
      [500_00, 3000_00],
      [0, 0],
    ]);
    expect(a.byRep.map((r) => r.ownerId)).toEqual([repA.me.user.id]);
    const b = await get(repB);
    expect(b.total).toMatchObject({ won: 700_00, open: 3000_00 });
    expect(b.byRep.map((r) => r.ownerId)).toEqual([repB.me.user.id]);
    const m = await get(manager);
    expect(m.total).toMatchObject({ won: 500_00, open: 3000_00 });
    expect((await get(viewer)).total.bestCase).toBe(7200_00);
    const other = await json<Forecast>(await api('/reports/forecast?from=2027-01&to=2027-02', { as: outsider }), 200);
    expect(other.total.bestCase).toBe(0);
  });

  it('names bad periods', async () => {
    expect(await failingFields(await api('/reports/forecast?from=2027-13', { as: owner }))).toEqual(['from']);
    expect(await failingFields(await api('/reports/forecast?from=2027-05&to=2027-01', { as: owner }))).toEqual(['to']);
    expect(await failingFields(await api('/reports/funnel?from=2027-02-30x', { as: owner }))).toEqual(['from']);
    await problem(await api('/reports/forecast'), 401);
  });
});

describe('win rates, funnel, won/lost', () => {
  let p: Pipeline;
  let d: Deal[];
  beforeAll(async () => {
    p = await newPipeline('Funnel');
    const [talk, offer, wonStage, lost] = p.stages;
    const mk = (as: Session, body: Record<string, unknown>) => createDeal(as, { pipelineId: p.id, stageId: talk.id, ...body });
    const d1 = await mk(repA, { amount: 100_00, source: 'web' });
    const d1b = await json<Deal>(await moveDeal(repA, d1, { stageId: offer.id }), 200);
    await json(await moveDeal(repA, d1b, { stageId: wonStage.id }), 200);
    const d2 = await mk(repA, { amount: 200_00, source: 'web' });
    await json(await moveDeal(repA, d2, { stageId: lost.id, lostReason: 'Price' }), 200);
    const d3 = await mk(repB, { amount: 300_00, source: 'fair' });
    const d3b = await json<Deal>(await moveDeal(repB, d3, { stageId: offer.id }), 200);
    await json(await moveDeal(repB, d3b, { stageId: lost.id, lostReason: 'Price' }), 200);
    const d4 = await mk(repA, { amount: 400_00 });
    const old = await mk(repA, { amount: 999_00 });
    await backdate(old.id, { created_at: '2020-01-01T00:00:00.000Z' });
    d = [d1, d2, d3, d4, old];
    const setSeconds = (dealId: string, from: string, seconds: number) =>
      env.DB.prepare('update deal_stage_history set seconds_in_previous = ? where deal_id = ? and from_stage_id = ?').bind(seconds, dealId, from).run();
    await setSeconds(d1.id, talk.id, 2 * 86_400);
    await setSeconds(d2.id, talk.id, 0);
    await setSeconds(d3.id, talk.id, 4 * 86_400);
    await setSeconds(d1.id, offer.id, 86_400);
    await setSeconds(d3.id, offer.id, 2 * 86_400);
  });

  type WinRates = { stages: { stageId: string; reached: number; won: number; lost: number; open: number; winRate: number | null }[] };
  type Funnel = { total: number; stages: { stageId: string; current: number; reached: number; conversion: number | null; avgDays: number | null }[] };

  it('computes the historical win rate per stage from stage history', async () => {
    const w = await json<WinRates>(await api(`/reports/win-rates?pipelineId=${p.id}`, { as: owner }), 200);
    expect(w.stages.map((s) => [s.reached, s.won, s.lost, s.open, s.winRate])).toEqual([
      [5, 1, 2, 2, 1 / 3],
      [2, 1, 1, 0, 0.5],
      [1, 1, 0, 0, 1],
      [2, 0, 2, 0, 0],
    ]);
    const mine = await json<WinRates>(await api(`/reports/win-rates?pipelineId=${p.id}`, { as: repB }), 200);
    expect(mine.stages.map((s) => s.reached)).toEqual([1, 1, 0, 1]);
  });

  it('gives the funnel of a period: counts, conversion to the next stage, average days', async () => {
    const f = await json<Funnel>(await api(`/reports/funnel?pipelineId=${p.id}`, { as: owner }), 200);
    expect(f.total).toBe(4); // the deal created in 2020 is outside the last 90 days
    expect(f.stages.map((s) => [s.current, s.reached, s.conversion, s.avgDays])).toEqual([
      [1, 4, 0.5, 2],
      [0, 2, 0.5, 1.5],
      [1, 1, null, null],
      [2, 2, null, null],
    ]);
    const all = await json<Funnel>(await api(`/reports/funnel?pipelineId=${p.id}&from=2019-06-01&to=2099-01-01`, { as: owner }), 200);
    expect(all.total).toBe(5);
    const repBView = await json<Funnel>(await api(`/reports/funnel?pipelineId=${p.id}`, { as: repB }), 200);
    expect(repBView.total).toBe(1);
    expect((await json<Funnel>(await api(`/reports/funnel?pipelineId=${p.id}&source=web`, { as: owner }), 200)).total).toBe(2);
  });

  it('counts reached stages in their current order, after removals and moves between pipelines, and from the history once a pipeline has used up its stage bits', async () => {
    type P = Pipeline & { version: number };
    let q = await json<P>(await api('/pipelines', { as: owner, body: { name: 'Reach', stages: [{ name: 'A' }, { name: 'B' }, { name: 'C' }, { name: 'Won', kind: 'won' }, { name: 'Lost', kind: 'lost' }] } }), 201);
    const [a, b, c] = q.stages;
    const inB = await createDeal(owner, { pipelineId: q.id, stageId: a.id });
    await json(await moveDeal(owner, inB, { stageId: b.id }), 200);
    await createDeal(owner, { pipelineId: q.id, stageId: c.id });
    await createDeal(owner, { pipelineId: q.id, stageId: a.id });
    const reached = async () => {
      const f = await json<Funnel>(await api(`/reports/funnel?pipelineId=${q.id}`, { as: owner }), 200);
      return Object.fromEntries(f.stages.map((s) => [q.stages.find((x) => x.id === s.stageId)?.name ?? s.stageId, [s.current, s.reached]]));
    };
    expect(await reached()).toEqual({ A: [1, 3], B: [1, 2], C: [1, 1], Won: [0, 0], Lost: [0, 0] });

    // C first: a deal that entered B reached neither C nor anything after B but itself.
    q = await json<P>(await api(`/pipelines/${q.id}/stages/reorder`, { as: owner, body: { stageIds: [c.id, a.id, b.id, ...q.stages.slice(3).map((s) => s.id)] }, headers: ifMatch(q.version) }), 200);
    expect(await reached()).toEqual({ C: [1, 3], A: [1, 2], B: [1, 1], Won: [0, 0], Lost: [0, 0] });

    // Removing B moves its deal to C (a new history row); the deal now reached C, the first stage.
    const del = await api(`/pipelines/${q.id}/stages/${b.id}?moveTo=${c.id}`, { method: 'DELETE', as: owner, headers: ifMatch(q.version) });
    expect(del.status).toBeLessThan(300);
    q = await json<P>(await api(`/pipelines/${q.id}`, { as: owner }), 200);
    expect(await reached()).toEqual({ C: [2, 3], A: [1, 2], Won: [0, 0], Lost: [0, 0] });

    // A deal moved to another pipeline counts there by the stages of that pipeline only.
    const other = await newPipeline('Reach elsewhere');
    const moved = await getDeal(owner, inB.id);
    await json(await moveDeal(owner, moved, { pipelineId: other.id, stageId: other.stages[1].id }), 200);
    expect(await reached()).toEqual({ C: [1, 2], A: [1, 1], Won: [0, 0], Lost: [0, 0] });
    const there = await json<Funnel>(await api(`/reports/funnel?pipelineId=${other.id}`, { as: owner }), 200);
    expect(there.stages.map((s) => [s.current, s.reached])).toEqual([[0, 1], [1, 1], [0, 0], [0, 0]]);

    // 63 stages ever: a new stage gets no bit, and the funnel reads the history instead.
    for (let i = 0; i < 59; i++) {
      q = await json<P>(await api(`/pipelines/${q.id}/stages`, { as: owner, body: { name: `Extra ${i}` } }), 201);
      const extra = q.stages.find((s) => s.name === `Extra ${i}`)!;
      expect((await api(`/pipelines/${q.id}/stages/${extra.id}?moveTo=${c.id}`, { method: 'DELETE', as: owner, headers: ifMatch(q.version) })).status).toBeLessThan(300);
      q = await json<P>(await api(`/pipelines/${q.id}`, { as: owner }), 200);
    }
    q = await json<P>(await api(`/pipelines/${q.id}/stages`, { as: owner, body: { name: 'D', position: 2 } }), 201);
    const bits = await env.DB.prepare('select name, bit from pipeline_stages where pipeline_id = ? and deleted_at is null order by position').bind(q.id).all<{ name: string; bit: number | null }>();
    expect(bits.results.find((s) => s.name === 'D')!.bit).toBeNull();
    const d = q.stages.find((s) => s.name === 'D')!;
    const inA = (await json<{ items: Deal[] }>(await api(`/deals?pipelineId=${q.id}&stageId=${a.id}`, { as: owner }), 200)).items[0];
    await json(await moveDeal(owner, inA, { stageId: d.id }), 200);
    expect(await reached()).toEqual({ C: [1, 2], A: [0, 1], D: [1, 1], Won: [0, 0], Lost: [0, 0] });
  });

  it('keeps the average days per stage right through owner changes, source edits and deletion', async () => {
    const q = await newPipeline('Days');
    const [talk, offer] = q.stages;
    const days = async (as: Session, qs = '') => {
      const f = await json<Funnel>(await api(`/reports/funnel?pipelineId=${q.id}${qs}`, { as }), 200);
      return f.stages.slice(0, 2).map((s) => s.avgDays);
    };
    const moved = async (as: Session, seconds: number, body: Record<string, unknown> = {}) => {
      const d = await createDeal(as, { pipelineId: q.id, stageId: talk.id, ...body });
      const after = await json<Deal>(await moveDeal(as, d, { stageId: offer.id }), 200);
      await env.DB.prepare('update deal_stage_history set seconds_in_previous = ? where deal_id = ? and from_stage_id = ?').bind(seconds, d.id, talk.id).run();
      return after;
    };
    const a = await moved(repA, 2 * 86_400, { source: 'web' });
    await moved(repB, 4 * 86_400);
    expect(await days(owner)).toEqual([3, null]);
    expect(await days(repA)).toEqual([2, null]);
    expect(await days(owner, '&source=web')).toEqual([2, null]);

    // Handed to rep B and given another source: it leaves A's report and the web figure.
    const handed = await json<Deal>(await api(`/deals/${a.id}`, { method: 'PATCH', as: owner, body: { ownerId: repB.me.user.id, source: 'fair' }, headers: ifMatch(a.version) }), 200);
    expect(await days(repA)).toEqual([null, null]);
    expect(await days(repB)).toEqual([3, null]);
    expect(await days(owner, '&source=web')).toEqual([null, null]);

    // Deleted: it leaves every figure.
    expect((await api(`/deals/${a.id}`, { method: 'DELETE', as: owner, headers: ifMatch(handed.version) })).status).toBe(204);
    expect(await days(owner)).toEqual([4, null]);
  });

  it('analyses won and lost deals by reason and by source', async () => {
    type WL = { won: { count: number; amount: number }; lost: { count: number; amount: number }; byReason: { reason: string; count: number; amount: number }[]; bySource: { source: string; won: number; lost: number; wonAmount: number; lostAmount: number; winRate: number | null }[] };
    const r = await json<WL>(await api(`/reports/won-lost?pipelineId=${p.id}`, { as: owner }), 200);
    expect(r.won).toEqual({ count: 1, amount: 100_00 });
    expect(r.lost).toEqual({ count: 2, amount: 500_00 });
    expect(r.byReason).toEqual([{ reason: 'Price', count: 2, amount: 500_00 }]);
    expect(r.bySource).toEqual([
      { source: 'web', won: 1, lost: 1, wonAmount: 100_00, lostAmount: 200_00, winRate: 0.5 },
      { source: 'fair', won: 0, lost: 1, wonAmount: 0, lostAmount: 300_00, winRate: 0 },
    ]);
    const repA_ = await json<WL>(await api(`/reports/won-lost?pipelineId=${p.id}`, { as: repA }), 200);
    expect(repA_.lost).toEqual({ count: 1, amount: 200_00 });
    expect(d).toHaveLength(5);
  });
});
