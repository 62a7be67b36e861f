import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { api, json, problem } from './helpers';
import { buildWorld, countWhere, rawRow, type World } from './customers-world';

type Lead = { id: string; status: string; ownerId: string | null; contact: { id: string; name: string; lifecycle: string }; dealId: string | null; formName: string | null; version: number; submissions?: { id: string }[] };

let w: World;
let formKey: string;
let ipSeq = 0;

async function submit(name: string, email: string, extra: Record<string, string> = {}): Promise<Lead> {
  ipSeq += 1;
  const res = await SELF.fetch(`http://localhost/f/${formKey}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': `192.0.2.${ipSeq}` },
    body: JSON.stringify({ name, email, ...extra }),
  });
  const { id } = await json<{ id: string }>(res, 201);
  const leadId = await vi.waitFor(
    async () => {
      const row = await rawRow<{ status: string; lead_id: string }>('form_submissions', id);
      expect(row?.status).toBe('processed');
      return row!.lead_id;
    },
    { timeout: 15_000, interval: 50 },
  );
  return json<Lead>(await api(`/leads/${leadId}`, { as: w.owner }), 200);
}

beforeAll(async () => {
  w = await buildWorld('Inbox Co');
  const form = await json<{ key: string }>(
    await api('/forms', {
      as: w.owner,
      body: { name: 'Website', locale: 'en', minFillSeconds: 0, fields: [{ name: 'name', label: 'Name', type: 'text', mapTo: 'contact.name', required: true }, { name: 'email', label: 'Email', type: 'email', mapTo: 'contact.email', required: true }] },
    }),
    201,
  );
  formKey = form.key;
});

describe('lead inbox', () => {
  it('shows unowned new leads to reps, who can claim them (once)', async () => {
    const lead = await submit('Sun Li', 'sun.li@example.com', { utm_source: 'baidu', utm_campaign: 'autumn' });
    expect(lead).toMatchObject({ status: 'new', ownerId: null, formName: 'Website' });
    const inbox = await json<{ items: Lead[] }>(await api('/leads?view=new', { as: w.repB }), 200);
    expect(inbox.items.map((l) => l.id)).toContain(lead.id);
    expect((await json<{ new: number }>(await api('/leads/counts', { as: w.repB }), 200)).new).toBeGreaterThanOrEqual(1);
    const claimed = await json<Lead>(await api(`/leads/${lead.id}/claim`, { as: w.repB, method: 'POST' }), 200);
    expect(claimed.ownerId).toBe(w.repB.me.user.id);
    expect((await rawRow<{ owner_id: string }>('contacts', lead.contact.id))?.owner_id).toBe(w.repB.me.user.id);
    await problem(await api(`/leads/${lead.id}/claim`, { as: w.repA, method: 'POST' }), 404);
    await problem(await api(`/leads/${lead.id}/claim`, { as: w.owner, method: 'POST' }), 409, 'already_owned');
    const mine = await json<{ items: Lead[] }>(await api('/leads?view=mine', { as: w.repB }), 200);
    expect(mine.items.map((l) => l.id)).toEqual([lead.id]);
  });

  it('assigns (the new owner is notified), qualifies and converts to a customer', async () => {
    const lead = await submit('Zhou Xun', 'zhou.xun@example.com');
    await problem(await api(`/leads/${lead.id}/assign`, { as: w.viewer, method: 'POST', body: { ownerId: w.repA.me.user.id } }), 403);
    const assigned = await json<Lead>(await api(`/leads/${lead.id}/assign`, { as: w.manager, method: 'POST', body: { ownerId: w.repA.me.user.id } }), 200);
    expect(assigned.ownerId).toBe(w.repA.me.user.id);
    expect(await countWhere('notifications', "user_id = ? and record_id = ? and kind = 'lead.assigned'", w.repA.me.user.id, lead.id)).toBe(1);
    // Rep B no longer sees it; rep A does.
    await problem(await api(`/leads/${lead.id}`, { as: w.repB }), 404);
    const qualified = await json<Lead>(await api(`/leads/${lead.id}/qualify`, { as: w.repA, method: 'POST' }), 200);
    expect(qualified).toMatchObject({ status: 'qualified', contact: { lifecycle: 'prospect' } });
    const converted = await json<Lead>(await api(`/leads/${lead.id}/convert`, { as: w.repA, method: 'POST', body: { customer: true } }), 200);
    expect(converted).toMatchObject({ status: 'converted', contact: { lifecycle: 'customer' } });
    // The person's changes are contact edits like any other: audited with who made them, each once.
    const edits = await env.DB.prepare("select actor_id, changes from audit_log where record_type = 'contact' and record_id = ? and action = 'contact.updated' order by created_at, rowid")
      .bind(lead.contact.id)
      .all<{ actor_id: string; changes: string }>();
    expect(edits.results.map((r) => [r.actor_id, JSON.parse(r.changes)])).toEqual([
      [w.manager.me.user.id, { ownerId: { before: null, after: w.repA.me.user.id } }],
      [w.repA.me.user.id, { lifecycle: { before: 'lead', after: 'prospect' } }],
      [w.repA.me.user.id, { lifecycle: { before: 'prospect', after: 'customer' } }],
    ]);
    expect(await rawRow<{ version: number }>('contacts', lead.contact.id)).toMatchObject({ version: 4, owner_id: w.repA.me.user.id });
  });

  it('converts a lead to a deal in the default pipeline, linked to the person', async () => {
    const lead = await submit('Deal Maker', 'deal.maker@example.com');
    const converted = await json<Lead>(await api(`/leads/${lead.id}/convert`, { as: w.owner, method: 'POST', body: { deal: { amount: 500000, currency: 'CNY' } } }), 200);
    expect(converted.status).toBe('converted');
    expect(converted.dealId).toMatch(/^deal_/);
    expect(await rawRow<{ contact_id: string; amount: number }>('deals', converted.dealId!)).toMatchObject({ contact_id: lead.contact.id, amount: 500000 });
    await problem(await api(`/leads/${lead.id}/convert`, { as: w.owner, method: 'POST', body: { customer: true } }), 409);
    const byForm = await json<{ rows: { key: string; deals: number }[] }>(await api(`/leads/report?by=form`, { as: w.owner }), 200);
    expect(byForm.rows.find((r) => r.key === 'Website')?.deals).toBe(1);
  });

  it('names the field when a conversion asks for nothing, and changes nothing', async () => {
    const lead = await submit('Empty Convert', 'empty.convert@example.com');
    const res = await api(`/leads/${lead.id}/convert`, { as: w.owner, method: 'POST', body: {} });
    expect((await problem(res, 422)).errors?.map((e) => e.field)).toEqual(['customer']);
    expect((await json<Lead>(await api(`/leads/${lead.id}`, { as: w.owner }), 200)).status).toBe('new');
  });

  it('marks a lead as spam and back', async () => {
    const lead = await submit('Spammy', 'spammy@example.com');
    expect(await json<Lead>(await api(`/leads/${lead.id}/spam`, { as: w.owner, method: 'POST' }), 200)).toMatchObject({ status: 'spam' });
    const spam = await json<{ items: { leadId: string }[] }>(await api('/lead-submissions?status=spam', { as: w.owner }), 200);
    expect(spam.items.map((s) => s.leadId)).toContain(lead.id);
    expect(await json<Lead>(await api(`/leads/${lead.id}/not-spam`, { as: w.owner, method: 'POST' }), 200)).toMatchObject({ status: 'new' });
  });

  it('reports leads and their conversion by source, campaign and form, over visible leads only', async () => {
    const bySource = await json<{ rows: { key: string; leads: number; customers: number }[] }>(await api('/leads/report?by=source', { as: w.owner }), 200);
    expect(bySource.rows.find((r) => r.key === 'baidu')).toMatchObject({ leads: 1 });
    expect(bySource.rows.find((r) => r.key === 'direct')?.customers).toBe(1);
    const byForm = await json<{ rows: { key: string; leads: number }[] }>(await api('/leads/report?by=form', { as: w.owner }), 200);
    expect(byForm.rows).toEqual([expect.objectContaining({ key: 'Website', leads: 5 })]);
    const byCampaign = await json<{ rows: { key: string; leads: number }[] }>(await api('/leads/report?by=campaign', { as: w.repA }), 200);
    // Rep A sees the lead assigned to them and the unowned ones, not rep B's baidu lead.
    expect(byCampaign.rows.find((r) => r.key === 'autumn')).toBeUndefined();
    await problem(await api('/leads/report?by=nothing', { as: w.owner }), 422);
    expect((await json<{ items: Lead[] }>(await api('/leads', { as: w.outsider }), 200)).items).toEqual([]);
  });
});

describe('routing', () => {
  it('round-robins a team, tags the person, opens a deal, tells the watchers and acknowledges in the form\'s language', async () => {
    const team = await json<{ id: string }>(await api('/teams', { as: w.owner, body: { name: 'Inbound' } }), 201);
    const { userWithRole } = await import('./helpers');
    const r1 = await userWithRole(w.owner, 'rep', { teamId: team.id, name: 'Round One' });
    const r2 = await userWithRole(w.owner, 'rep', { teamId: team.id, name: 'Round Two' });
    const tag = await json<{ id: string }>(await api('/tags', { as: w.owner, body: { name: 'web-lead' } }), 201);
    const routed = await json<{ key: string }>(
      await api('/forms', {
        as: w.owner,
        body: {
          name: 'Demo request',
          locale: 'en',
          minFillSeconds: 0,
          fields: [{ name: 'name', label: 'Name', type: 'text', mapTo: 'contact.name', required: true }, { name: 'email', label: 'Email', type: 'email', mapTo: 'contact.email', required: true }],
          ownerRule: { kind: 'round_robin', teamId: team.id },
          tagIds: [tag.id],
          createDeal: true,
          notifyUserIds: [w.manager.me.user.id],
          ackEmail: true,
          thankYouMessage: 'We will call you within a day.',
        },
      }),
      201,
    );
    const previousKey = formKey;
    formKey = routed.key;
    try {
      const a = await submit('Round Robin A', 'rra@example.com');
      const b = await submit('Round Robin B', 'rrb@example.com');
      expect(new Set([a.ownerId, b.ownerId])).toEqual(new Set([r1.me.user.id, r2.me.user.id]));
      expect(await countWhere('record_tags', "tag_id = ? and record_id = ?", tag.id, a.contact.id)).toBe(1);
      const withDeal = await vi.waitFor(async () => {
        const l = await json<Lead>(await api(`/leads/${a.id}`, { as: w.owner }), 200);
        expect(l.dealId).toMatch(/^deal_/);
        return l;
      }, { timeout: 15_000, interval: 50 });
      expect(await rawRow<{ contact_id: string; owner_id: string }>('deals', withDeal.dealId!)).toMatchObject({ contact_id: a.contact.id, owner_id: a.ownerId });
      expect(await countWhere('notifications', "user_id = ? and kind = 'lead.created'", w.manager.me.user.id)).toBe(2);
      const ack = await env.DB.prepare("select subject, text_body from outbox where kind = 'lead.ack' and to_address = 'rra@example.com'").all<{ subject: string; text_body: string }>();
      expect(ack.results).toHaveLength(1);
      expect(ack.results[0].subject).toBe('We received your message');
      expect(ack.results[0].text_body).toContain('We will call you within a day.');
    } finally {
      formKey = previousKey;
    }
  });

  it('refuses routing to people, teams or pipelines that do not exist', async () => {
    const res = await api('/forms', {
      as: w.owner,
      body: { name: 'Bad routing', fields: [{ name: 'email', label: 'Email', type: 'email', mapTo: 'contact.email' }], ownerRule: { kind: 'fixed', userId: 'usr_nobody' }, pipelineId: 'pl_nothing' },
    });
    expect((await problem(res, 422)).errors?.map((e) => e.field).sort()).toEqual(['ownerRule', 'pipelineId']);
  });
});
