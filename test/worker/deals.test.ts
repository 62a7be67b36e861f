import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, auditRows, failingFields, json, lastEmailTo, problem, type Session } from './helpers';
import { createContact, createProduct, logActivity, seedCompany, timeline } from './customer-helpers';
import { buildWorld } from './customers-world';
import { backdate, createDeal, defaultPipeline, getDeal, history, ifMatch, moveDeal, type Deal, type Pipeline } from './deals-helpers';

let owner: Session;
let manager: Session;
let repA: Session;
let repB: Session;
let viewer: Session;
let outsider: Session;
let teamId: string;
let pipeline: Pipeline;
let open1: Pipeline['stages'][number];
let open2: Pipeline['stages'][number];
let won: Pipeline['stages'][number];
let lost: Pipeline['stages'][number];

beforeAll(async () => {
  ({ owner, manager, repA, repB, viewer, outsider, teamId } = await buildWorld('Deal Makers'));
  pipeline = await defaultPipeline(owner);
  [open1, open2] = pipeline.stages;
  won = pipeline.stages.find((s) => s.kind === 'won')!;
  lost = pipeline.stages.find((s) => s.kind === 'lost')!;
});

type Page<T> = { items: T[]; nextCursor: string | null };
const list = async (as: Session, qs = '') => json<Page<Deal>>(await api(`/deals${qs}`, { as }), 200);
const count = async (sql: string, ...binds: unknown[]) => (await env.DB.prepare(sql).bind(...binds).first<{ n: number }>())!.n;

describe('deals', () => {
  it('creates a deal for a customer with catalog line items, tags and a first history row', async () => {
    const contact = await createContact(repA, { name: '王芳' });
    const product = await createProduct(owner, { name: `Tea set ${crypto.randomUUID().slice(0, 4)}`, unitPrice: 250_00, currency: 'CNY' });
    const tag = await json<{ id: string }>(await api('/tags', { as: owner, body: { name: 'Hot' } }), 201);
    const res = await api('/deals', {
      as: repA,
      body: { name: 'Spring order', contactId: contact.id, items: [{ productId: product.id, quantity: 4 }, { name: 'Delivery', quantity: 1, unitPrice: 50_00 }], expectedCloseOn: '2026-12-15', source: 'referral', tagIds: [tag.id] },
    });
    const deal = await json<Deal>(res, 201);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(deal).toMatchObject({
      name: 'Spring order',
      pipelineId: pipeline.id,
      stageId: open1.id,
      status: 'open',
      contactId: contact.id,
      contactName: '王芳',
      amount: 1050_00,
      currency: 'CNY',
      ownerId: repA.me.user.id,
      probability: open1.probability,
      weightedAmount: Math.round((1050_00 * open1.probability) / 100),
      rotting: false,
      version: 1,
    });
    expect(deal.items!.map((i) => [i.productId, i.name, i.quantity, i.unitPrice, i.total])).toEqual([
      [product.id, product.name, 4, 250_00, 1000_00],
      [null, 'Delivery', 1, 50_00, 50_00],
    ]);
    expect(deal.tags.map((t) => t.id)).toEqual([tag.id]);
    const h = await history(repA, deal.id);
    expect(h.items.map((e) => [e.fromStageId, e.toStageId, e.movedBy])).toEqual([[null, open1.id, repA.me.user.id]]);
    // The customer's timeline shows the new deal.
    const entries = (await timeline(repA, contact.id)).items;
    expect(entries.map((e) => e.activity?.meta)).toContainEqual(expect.objectContaining({ event: 'deal.created', dealId: deal.id }));
    expect((await auditRows(owner, { recordType: 'deal', recordId: deal.id })).map((a) => a.action)).toEqual(['deal.created']);
  });

  it('names each failing field and stores nothing', async () => {
    const before = await count('select count(*) as n from deals where workspace_id = ?', owner.me.workspace.id);
    const fields = await failingFields(await api('/deals', { as: repA, body: { name: '', amount: 1.5, currency: 'yuan', expectedCloseOn: '15/12/2026' } }));
    expect(fields).toEqual(expect.arrayContaining(['name', 'amount', 'currency', 'expectedCloseOn']));
    expect(await failingFields(await api('/deals', { as: repA, body: { name: 'X', stageId: 'stg_nope' } }))).toEqual(['stageId']);
    expect(await failingFields(await api('/deals', { as: repA, body: { name: 'X', pipelineId: 'pip_nope' } }))).toEqual(['pipelineId']);
    expect(await failingFields(await api('/deals', { as: repA, body: { name: 'X', stageId: lost.id } }))).toEqual(['lostReason']);
    expect(await failingFields(await api('/deals', { as: repA, body: { name: 'X', items: [{ productId: 'prd_nope', quantity: 1 }] } }))).toEqual(['items.0.productId']);
    expect(await failingFields(await api('/deals', { as: repA, body: { name: 'X', customFields: { nope: 1 } } }))).toEqual(['customFields.nope']);
    expect(await failingFields(await api('/deals', { as: repA, body: { name: 'X', contractStartOn: '2027-01-01', contractEndOn: '2026-01-01' } }))).toEqual(['contractEndOn']);
    expect(await count('select count(*) as n from deals where workspace_id = ?', owner.me.workspace.id)).toBe(before);
  });

  it('stamps won and lost dates on entering those stages, needs a lost reason, and clears them when reopened', async () => {
    const deal = await createDeal(repA, { amount: 300_00 });
    const moved = await json<Deal>(await moveDeal(repA, deal, { stageId: open2.id }), 200);
    expect(moved).toMatchObject({ stageId: open2.id, status: 'open', version: 2, wonAt: null });
    const w = await json<Deal>(await moveDeal(repA, moved, { stageId: won.id }), 200);
    expect(w).toMatchObject({ status: 'won', lostAt: null, version: 3 });
    expect(w.wonAt).toBeTruthy();
    expect(w.closedAt).toBe(w.wonAt);

    // Lost without a reason: 422 naming it, and nothing changes.
    expect(await failingFields(await moveDeal(repA, w, { stageId: lost.id }))).toEqual(['lostReason']);
    expect(await getDeal(repA, deal.id)).toMatchObject({ status: 'won', version: 3 });

    const l = await json<Deal>(await moveDeal(repA, w, { stageId: lost.id, lostReason: 'Budget cut' }), 200);
    expect(l).toMatchObject({ status: 'lost', lostReason: 'Budget cut', wonAt: null });
    expect(l.lostAt).toBeTruthy();
    const reopened = await json<Deal>(await moveDeal(repA, l, { stageId: open1.id }), 200);
    expect(reopened).toMatchObject({ status: 'open', wonAt: null, lostAt: null, closedAt: null, lostReason: null });

    const h = await history(repA, deal.id);
    expect(h.items.map((e) => e.toStageId)).toEqual([open1.id, open2.id, won.id, lost.id, open1.id]);
    expect(h.items.slice(1).every((e) => typeof e.secondsInPrevious === 'number' && e.secondsInPrevious >= 0)).toBe(true);
    expect(h.timeInStage.map((t) => t.stageId).sort()).toEqual([open1.id, open2.id, won.id, lost.id].sort());
    const actions = (await auditRows(owner, { recordType: 'deal', recordId: deal.id })).map((a) => a.action);
    expect(actions).toEqual(['deal.stage_changed', 'deal.lost', 'deal.won', 'deal.stage_changed', 'deal.created']);
  });

  it('refuses a stale move with 412 and changes nothing (no stage, no history, no timeline entry)', async () => {
    const contact = await createContact(repA);
    const deal = await createDeal(repA, { contactId: contact.id });
    const first = await json<Deal>(await moveDeal(repA, deal, { stageId: open2.id }), 200);
    const activitiesBefore = await count('select count(*) as n from activities where deal_id = ?', deal.id);
    const stale = await problem(await moveDeal(repA, deal, { stageId: won.id }), 412, 'version_mismatch');
    expect(stale.currentVersion).toBe(2);
    await problem(await api(`/deals/${deal.id}/move`, { as: repA, body: { stageId: won.id } }), 428);
    expect(await getDeal(repA, deal.id)).toMatchObject({ stageId: open2.id, status: 'open', version: first.version, wonAt: null });
    expect((await history(repA, deal.id)).items).toHaveLength(2);
    expect(await count('select count(*) as n from activities where deal_id = ?', deal.id)).toBe(activitiesBefore);
  });

  it('edits under If-Match: 412 when stale, items replace and re-total', async () => {
    const deal = await createDeal(repA, { amount: 10_00 });
    const patch = (version: number, body: unknown) => api(`/deals/${deal.id}`, { method: 'PATCH', as: repA, body, headers: ifMatch(version) });
    const edited = await json<Deal>(await patch(1, { nextStep: 'Call Monday', items: [{ name: 'Consulting', quantity: 3, unitPrice: 200_00 }], expectedCloseOn: '2027-02-10' }), 200);
    expect(edited).toMatchObject({ nextStep: 'Call Monday', amount: 600_00, expectedCloseOn: '2027-02-10', version: 2 });
    expect(edited.items!.map((i) => i.name)).toEqual(['Consulting']);
    await problem(await patch(1, { name: 'Stale' }), 412, 'version_mismatch');
    await problem(await api(`/deals/${deal.id}`, { method: 'PATCH', as: repA, body: { name: 'x' } }), 428);
    expect(await failingFields(await patch(2, { amount: -1 }))).toEqual(['amount']);
    expect(await getDeal(repA, deal.id)).toMatchObject({ name: deal.name, amount: 600_00, version: 2 });
  });

  it('shows a rep only their deals, a manager their team, and lets a viewer read but not write', async () => {
    const mine = await createDeal(repA, { name: 'A-only' });
    const other = await createDeal(repB, { name: 'B-only' });
    await problem(await api(`/deals/${mine.id}`, { as: repB }), 404);
    await problem(await moveDeal(repB, mine, { stageId: open2.id }), 404);
    await problem(await api(`/deals/${mine.id}/history`, { as: repB }), 404);
    await problem(await api(`/deals/${mine.id}/timeline`, { as: repB }), 404);
    expect((await list(repB)).items.map((d) => d.id)).not.toContain(mine.id);
    const managerSees = (await list(manager, '?limit=200')).items.map((d) => d.id);
    expect(managerSees).toContain(mine.id);
    expect(managerSees).not.toContain(other.id);
    expect((await getDeal(viewer, other.id)).id).toBe(other.id);
    await problem(await api('/deals', { as: viewer, body: { name: 'Nope' } }), 403);
    await problem(await moveDeal(viewer, other, { stageId: open2.id }), 403);
    await problem(await api(`/deals/${mine.id}`, { as: outsider }), 404);
    // A rep cannot hand a deal to someone else.
    await problem(await api('/deals', { as: repA, body: { name: 'Gift', ownerId: repB.me.user.id } }), 403);
  });

  it('lists with filters and a cursor', async () => {
    const tag = crypto.randomUUID().slice(0, 6);
    for (let i = 0; i < 5; i++) await createDeal(repB, { name: `Page ${tag} ${i}`, source: `src-${tag}`, expectedCloseOn: i < 2 ? '2027-03-05' : '2027-04-05' });
    const page1 = await list(repB, `?source=src-${tag}&limit=2`);
    expect(page1.items).toHaveLength(2);
    const page2 = await list(repB, `?source=src-${tag}&limit=2&cursor=${page1.nextCursor}`);
    const page3 = await list(repB, `?source=src-${tag}&limit=2&cursor=${page2.nextCursor}`);
    expect(page3.nextCursor).toBeNull();
    expect(new Set([...page1.items, ...page2.items, ...page3.items].map((d) => d.id)).size).toBe(5);
    expect((await list(repB, `?source=src-${tag}&closeMonth=2027-03`)).items).toHaveLength(2);
    expect((await list(repB, `?q=${tag}&ownerId=me`)).items).toHaveLength(5);
    expect((await list(owner, `?source=src-${tag}&ownerId=${repA.me.user.id}`)).items).toHaveLength(0);
    await createDeal(repA, { name: `Page ${tag} team`, source: `src-${tag}` });
    const east = (await list(owner, `?source=src-${tag}&teamId=${teamId}`)).items;
    expect(east.map((d) => d.ownerId)).toEqual([repA.me.user.id]);
    expect(await failingFields(await api('/deals?closeMonth=2027-13', { as: repB }))).toEqual(['closeMonth']);
  });

  it('builds the board: per-stage count, amount and weighted amount, rotting cards, filters', async () => {
    const p = await json<Pipeline>(await api('/pipelines', { as: owner, body: { name: 'Board test', stages: [{ name: 'Talk', probability: 20, rottingDays: 7 }, { name: 'Offer', probability: 60 }, { name: 'Won', kind: 'won' }, { name: 'Lost', kind: 'lost' }] } }), 201);
    const [talk, offer] = p.stages;
    const a = await createDeal(repA, { pipelineId: p.id, amount: 1000_00, source: 'web' });
    await createDeal(repA, { pipelineId: p.id, amount: 500_00, source: 'fair' });
    const c = await createDeal(repB, { pipelineId: p.id, stageId: offer.id, amount: 333_33 });
    await createDeal(repB, { pipelineId: p.id, stageId: offer.id, amount: 999_00, currency: 'USD' });
    await backdate(a.id, { stage_entered_at: '2026-01-01T00:00:00.000Z', last_activity_at: '2026-01-01T00:00:00.000Z' });

    type Board = { currency: string; columns: { stage: { id: string }; count: number; amount: number; weightedAmount: number; deals: Deal[]; nextCursor: string | null }[] };
    const b = await json<Board>(await api(`/deals/board?pipelineId=${p.id}`, { as: owner }), 200);
    expect(b.currency).toBe('CNY');
    const col = (id: string) => b.columns.find((x) => x.stage.id === id)!;
    expect(col(talk.id)).toMatchObject({ count: 2, amount: 1500_00, weightedAmount: 300_00 });
    // The USD deal counts but its money is not added to yuan.
    expect(col(offer.id)).toMatchObject({ count: 2, amount: 333_33, weightedAmount: Math.round(333_33 * 0.6) });
    expect(col(talk.id).deals.find((d) => d.id === a.id)!.rotting).toBe(true);
    expect(col(offer.id).deals.find((d) => d.id === c.id)!.rotting).toBe(false);

    const repView = await json<Board>(await api(`/deals/board?pipelineId=${p.id}`, { as: repA }), 200);
    expect(repView.columns.find((x) => x.stage.id === offer.id)!.count).toBe(0);
    const web = await json<Board>(await api(`/deals/board?pipelineId=${p.id}&source=web`, { as: owner }), 200);
    expect(web.columns.map((x) => x.count)).toEqual([1, 0, 0, 0]);
    const paged = await json<Board>(await api(`/deals/board?pipelineId=${p.id}&cardsPerStage=1`, { as: owner }), 200);
    expect(paged.columns[0].deals).toHaveLength(1);
    const rest = await list(owner, `?pipelineId=${p.id}&stageId=${talk.id}&limit=1&cursor=${paged.columns[0].nextCursor}`);
    expect(rest.items.map((d) => d.id)).not.toContain(paged.columns[0].deals[0].id);
    expect((await list(owner, `?pipelineId=${p.id}&rotting=true`)).items.map((d) => d.id)).toEqual([a.id]);
  });

  it('reassigns in bulk only what the actor may see, and tells the new owner once', async () => {
    const a1 = await createDeal(repA);
    const a2 = await createDeal(repA);
    const b1 = await createDeal(repB);
    const res = await json<{ updated: number; skipped: string[] }>(await api('/deals/bulk/reassign', { as: manager, body: { ids: [a1.id, a2.id, b1.id], ownerId: manager.me.user.id } }), 200);
    expect(res).toEqual({ updated: 2, skipped: [b1.id] });
    expect((await getDeal(owner, a1.id)).ownerId).toBe(manager.me.user.id);
    expect((await getDeal(owner, b1.id)).ownerId).toBe(repB.me.user.id);

    const toRepA = await json<{ updated: number }>(await api('/deals/bulk/reassign', { as: owner, body: { ids: [a1.id, a2.id], ownerId: repA.me.user.id } }), 200);
    expect(toRepA.updated).toBe(2);
    const bell = await json<{ items: { kind: string; title: string }[] }>(await api('/notifications', { as: repA }), 200);
    expect(bell.items.filter((n) => n.kind === 'deal.assigned').map((n) => n.title)).toContainEqual(expect.stringContaining('2'));
    await problem(await api('/deals/bulk/reassign', { as: viewer, body: { ids: [a1.id], ownerId: viewer.me.user.id } }), 403);
    expect(await failingFields(await api('/deals/bulk/reassign', { as: owner, body: { ids: [], ownerId: repA.me.user.id } }))).toEqual(['ids']);
  });

  it('notifies a new owner in the app and by email, once per assignment', async () => {
    const deal = await createDeal(owner, { name: 'Handed over', ownerId: repB.me.user.id });
    const bell = await json<{ items: { kind: string; recordId: string | null }[] }>(await api('/notifications', { as: repB }), 200);
    expect(bell.items.filter((n) => n.recordId === deal.id)).toHaveLength(1);
    const mail = await lastEmailTo(owner, repB.email);
    expect(mail.subject).toContain('Handed over');
    // An edit that keeps the owner notifies nobody again.
    await json(await api(`/deals/${deal.id}`, { method: 'PATCH', as: owner, body: { nextStep: 'Ship' }, headers: ifMatch(1) }), 200);
    const again = await json<{ items: { recordId: string | null }[] }>(await api('/notifications', { as: repB }), 200);
    expect(again.items.filter((n) => n.recordId === deal.id)).toHaveLength(1);
    // Handing it to someone else (an edit of the owner) tells them.
    await json(await api(`/deals/${deal.id}`, { method: 'PATCH', as: owner, body: { ownerId: repA.me.user.id }, headers: ifMatch(2) }), 200);
    const bellA = await json<{ items: { recordId: string | null; kind: string }[] }>(await api('/notifications', { as: repA }), 200);
    expect(bellA.items.filter((n) => n.recordId === deal.id && n.kind === 'deal.assigned')).toHaveLength(1);
  });

  it("shares its timeline with its customer's, and follows a merge of the customer", async () => {
    const company = await seedCompany(repA, repA.me.user.id, `Shared Co ${crypto.randomUUID().slice(0, 4)}`);
    const contact = await createContact(repA, { name: 'Li Lei', companyId: company });
    await logActivity(repA, { contactId: contact.id, type: 'call', subject: 'Intro call' });
    const deal = await createDeal(repA, { contactId: contact.id });
    expect(deal.companyId).toBe(company);
    await json(await moveDeal(repA, deal, { stageId: open2.id }), 200);
    type Entry = { kind: string; activity?: { subject: string | null; summary: string | null; meta: Record<string, unknown> | null } };
    const t = await json<{ items: Entry[] }>(await api(`/deals/${deal.id}/timeline`, { as: repA }), 200);
    expect(t.items.map((e) => e.activity?.meta?.event ?? e.activity?.subject)).toEqual(['deal.stage_changed', 'deal.created', 'Intro call']);
    expect(t.items[0].activity!.summary).toContain(deal.name);
    expect(t.items[0].activity!.summary).toContain(open2.name);
    const companyTimeline = await json<{ items: Entry[] }>(await api(`/companies/${company}/timeline`, { as: repA }), 200);
    expect(companyTimeline.items.map((e) => e.activity?.meta?.event)).toContain('deal.stage_changed');

    const survivor = await createContact(repA, { name: 'Li Lei (new)' });
    await json(await api(`/contacts/${survivor.id}/merge`, { as: repA, body: { sourceId: contact.id } }), 200);
    expect((await getDeal(repA, deal.id)).contactId).toBe(survivor.id);
  });

  it("logs activities on a deal: on its timeline and its customer's, and the deal stops rotting", async () => {
    const company = await seedCompany(repA, repA.me.user.id, `Busy Co ${crypto.randomUUID().slice(0, 4)}`);
    const contact = await createContact(repA, { name: 'Zhao Min', companyId: company });
    const deal = await createDeal(repA, { contactId: contact.id });
    await backdate(deal.id, { stage_entered_at: '2026-01-01T00:00:00.000Z', last_activity_at: '2026-01-01T00:00:00.000Z' });
    expect((await getDeal(repA, deal.id)).rotting).toBe(true);
    expect((await list(repA, `?contactId=${contact.id}&rotting=true`)).items.map((d) => d.id)).toEqual([deal.id]);

    // No customer given: the deal's contact and company are used.
    const call = await json<{ id: string; dealId: string | null; contactId: string | null; companyId: string | null; occurredAt: string }>(
      await api('/activities', { as: repA, body: { dealId: deal.id, type: 'call', subject: 'Pricing call' } }),
      201,
    );
    expect(call).toMatchObject({ dealId: deal.id, contactId: contact.id, companyId: company });
    const after = await getDeal(repA, deal.id);
    expect(after).toMatchObject({ rotting: false, lastActivityAt: call.occurredAt, version: deal.version });
    expect((await list(repA, `?contactId=${contact.id}&rotting=true`)).items).toEqual([]);
    // A note about long ago does not move the deal's last activity back.
    await logActivity(repA, { dealId: deal.id, type: 'note', body: 'Met at the fair last year', occurredAt: '2025-06-01T08:00:00Z' });
    expect((await getDeal(repA, deal.id)).lastActivityAt).toBe(call.occurredAt);

    const keys = (items: { activity?: { id: string } }[]) => items.map((e) => e.activity?.id);
    expect(keys((await json<{ items: { activity?: { id: string } }[] }>(await api(`/deals/${deal.id}/timeline`, { as: repA }), 200)).items)).toContain(call.id);
    expect(keys((await timeline(repA, contact.id)).items)).toContain(call.id);
    expect(keys((await json<{ items: { activity?: { id: string } }[] }>(await api(`/companies/${company}/timeline`, { as: repA }), 200)).items)).toContain(call.id);
    expect((await json<{ items: { id: string }[] }>(await api(`/activities?dealId=${deal.id}`, { as: repA }), 200)).items.map((a) => a.id)).toContain(call.id);

    // A deal without a customer keeps the activity on the deal; whoever may see the deal sees it.
    const bare = await createDeal(repA);
    const note = await json<{ id: string; dealId: string; contactId: string | null }>(await api('/activities', { as: repA, body: { dealId: bare.id, type: 'note', body: 'Internal pricing note' } }), 201);
    expect(note).toMatchObject({ dealId: bare.id, contactId: null, companyId: null });
    expect(keys((await json<{ items: { activity?: { id: string } }[] }>(await api(`/deals/${bare.id}/timeline`, { as: repA }), 200)).items)).toContain(note.id);
    await json(await api(`/activities/${note.id}`, { as: manager }), 200);
    await problem(await api(`/activities/${note.id}`, { as: repB }), 404);
  });

  it('refuses an activity on a deal the actor may not see (422 dealId) and stores nothing', async () => {
    const others = await createDeal(repB);
    const before = await count('select count(*) as n from activities where deal_id = ?', others.id);
    expect(await failingFields(await api('/activities', { as: repA, body: { dealId: others.id, type: 'note', body: 'Not mine' } }))).toEqual(['dealId']);
    expect(await failingFields(await api('/activities', { as: repA, body: { dealId: 'deal_nope', type: 'note', body: 'Nobody' } }))).toEqual(['dealId']);
    expect(await failingFields(await api('/activities', { as: outsider, body: { dealId: others.id, type: 'note', body: 'Other workspace' } }))).toEqual(['dealId']);
    await problem(await api('/activities', { as: viewer, body: { dealId: others.id, type: 'note', body: 'Read only' } }), 403);
    expect(await count('select count(*) as n from activities where deal_id = ?', others.id)).toBe(before);
    expect((await getDeal(repB, others.id)).lastActivityAt).toBe(others.lastActivityAt);
  });

  it('deletes under If-Match', async () => {
    const deal = await createDeal(repA);
    await problem(await api(`/deals/${deal.id}`, { method: 'DELETE', as: repA, headers: ifMatch(2) }), 412);
    expect((await api(`/deals/${deal.id}`, { method: 'DELETE', as: repA, headers: ifMatch(1) })).status).toBe(204);
    await problem(await api(`/deals/${deal.id}`, { as: repA }), 404);
    expect((await list(repA, '?limit=200')).items.map((d) => d.id)).not.toContain(deal.id);
  });

  it('emits deal.created, deal.stage_changed and deal.won to webhook subscribers, once per change', async () => {
    await json(await api('/webhooks', { as: owner, body: { url: 'https://example.com/hook', events: ['deal.created', 'deal.stage_changed', 'deal.won', 'deal.lost'] } }), 201);
    const deal = await createDeal(repA, { name: 'Hooked' });
    const w = await json<Deal>(await moveDeal(repA, deal, { stageId: won.id }), 200);
    const rows = await env.DB.prepare('select event, payload from webhook_deliveries where workspace_id = ? and payload like ? order by created_at, event').bind(owner.me.workspace.id, `%${deal.id}%`).all<{ event: string; payload: string }>();
    expect(rows.results.map((r) => r.event).sort()).toEqual(['deal.created', 'deal.stage_changed', 'deal.won']);
    const wonPayload = JSON.parse(rows.results.find((r) => r.event === 'deal.won')!.payload);
    expect(wonPayload.data).toMatchObject({ deal: { id: deal.id, status: 'won', version: w.version }, fromStageId: open1.id, toStageId: won.id });
  });

  it('appears in the OpenAPI document', async () => {
    const doc = await json<{ paths: Record<string, unknown> }>(await api('/openapi.json'), 200);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/deals', '/api/v1/deals/{id}/move', '/api/v1/deals/board', '/api/v1/pipelines', '/api/v1/assignment-rules']));
  });
});
