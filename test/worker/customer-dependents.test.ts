import { createScheduledController, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { handleScheduled } from '../../worker/jobs/cron';
import { api, json } from './helpers';
import { buildWorld, createContact, rawRow, type ContactBody, type World } from './customers-world';

// A customer's deals, tasks, form submissions, leads and follow-up plans belong to later areas;
// merge, purge, export and erasure must carry them all the same.

const DAY = 86400_000;
let w: World;
let ws: string;
let seq = 0;

/** What lead capture and follow-up plans leave behind for a person, written as those modules store it. */
async function leadTrail(contactId: string, cadenceId: string) {
  const n = ++seq;
  const at = new Date().toISOString();
  const submission = `sub_dep_${n}`;
  const payload = JSON.stringify({ name: 'Dora Dep', email: `dora${n}@example.com`, message: 'Call me about the kettle' });
  await env.DB.batch([
    env.DB.prepare(
      `insert into form_submissions (id, workspace_id, channel, status, payload, headers, dedupe_key, contact_id, consent_text, referrer, landing_page, received_at, updated_at)
       values (?, ?, 'form', 'processed', ?, '{"user-agent":"Mozilla"}', ?, ?, 'I agree to be contacted', 'https://search.example/?q=dora', 'https://shop.example/kettles', ?, ?)`,
    ).bind(submission, ws, payload, `dedupe-${n}`, contactId, at, at),
    env.DB.prepare(
      `insert into leads (id, workspace_id, contact_id, submission_id, last_submission_id, source, created_at, updated_at) values (?, ?, ?, ?, ?, 'form', ?, ?)`,
    ).bind(`lead_dep_${n}`, ws, contactId, submission, submission, at, at),
    env.DB.prepare(
      `insert into cadence_enrollments (id, workspace_id, cadence_id, contact_id, status, started_on, timezone, next_step_at, created_at, updated_at)
       values (?, ?, ?, ?, 'active', '2026-11-01', 'Asia/Shanghai', ?, ?, ?)`,
    ).bind(`enr_dep_${n}`, ws, cadenceId, contactId, at, at, at),
  ]);
  return { submission, lead: `lead_dep_${n}`, enrollment: `enr_dep_${n}` };
}

async function dealAndTask(contactId: string) {
  const deal = await json<{ id: string }>(await api('/deals', { as: w.owner, body: { name: `Kettles ${++seq}`, contactId, amount: 120000 } }), 201);
  const task = await json<{ id: string }>(
    await api('/tasks', { as: w.owner, body: { title: 'Call back', type: 'call', dueDate: '2026-12-01', contactId, notes: 'Her husband picks up before 9' } }),
    201,
  );
  return { deal: deal.id, task: task.id };
}

beforeAll(async () => {
  w = await buildWorld();
  ws = w.owner.me.workspace.id;
});

describe('merging two contacts', () => {
  it('moves deals, tasks, submissions and leads, and keeps a plan both were on running once', async () => {
    const target = await createContact(w.owner, { name: 'Dora Target' });
    const source = await createContact(w.owner, { name: 'Dora Source' });
    const onTarget = await leadTrail(target.id, 'cad_shared');
    const onSource = await leadTrail(source.id, 'cad_shared');
    const onlySource = await leadTrail(source.id, 'cad_only_source');
    const { deal, task } = await dealAndTask(source.id);

    await json(await api(`/contacts/${target.id}/merge`, { as: w.owner, body: { sourceId: source.id } }), 200);

    expect(await rawRow('deals', deal)).toMatchObject({ contact_id: target.id });
    expect(await rawRow('tasks', task)).toMatchObject({ contact_id: target.id });
    expect(await rawRow('form_submissions', onSource.submission)).toMatchObject({ contact_id: target.id });
    expect(await rawRow('leads', onSource.lead)).toMatchObject({ contact_id: target.id });
    expect(await rawRow('cadence_enrollments', onTarget.enrollment)).toMatchObject({ contact_id: target.id, status: 'active' });
    expect(await rawRow('cadence_enrollments', onSource.enrollment)).toMatchObject({ contact_id: target.id, status: 'stopped', stopped_reason: 'merged' });
    expect(await rawRow('cadence_enrollments', onlySource.enrollment)).toMatchObject({ contact_id: target.id, status: 'active' });
    const deals = await json<{ items: { id: string }[] }>(await api(`/deals?contactId=${target.id}`, { as: w.owner }), 200);
    expect(deals.items.map((d) => d.id)).toContain(deal);
  });
});

describe('export and erasure', () => {
  it('export carries deals, tasks, submissions and leads; erasure blanks what the person typed and task notes', async () => {
    const person = await createContact(w.owner, { name: 'Erin Erase', emails: ['erin@example.com'] });
    const trail = await leadTrail(person.id, 'cad_erase');
    const { deal, task } = await dealAndTask(person.id);

    const exported = await json<Record<string, { id: string }[]>>(await api(`/contacts/${person.id}/export`, { as: w.owner }), 200);
    expect(exported.deals.map((d) => d.id)).toEqual([deal]);
    expect(exported.tasks.map((t) => t.id)).toEqual([task]);
    expect(exported.form_submissions.map((s) => s.id)).toEqual([trail.submission]);
    expect(exported.leads.map((l) => l.id)).toEqual([trail.lead]);

    await json(await api(`/contacts/${person.id}/erase`, { as: w.owner, method: 'POST' }), 200);
    const submission = await rawRow<Record<string, unknown>>('form_submissions', trail.submission);
    expect(submission).toMatchObject({ payload: '{}', headers: '{}', referrer: null, landing_page: null, consent_text: 'I agree to be contacted' });
    expect(JSON.stringify(submission)).not.toContain('Dora Dep');
    expect(await rawRow('tasks', task)).toMatchObject({ notes: null, title: 'Call back' });
    expect(await rawRow('deals', deal)).toMatchObject({ amount: 120000 });
  });
});

describe('the nightly purge', () => {
  it('deletes what the person typed, their leads and plans; deals and tasks stay, unlinked', async () => {
    const doomed = await createContact(w.owner, { name: 'Pam Purge' });
    const trail = await leadTrail(doomed.id, 'cad_purge');
    const { deal, task } = await dealAndTask(doomed.id);
    await json<ContactBody>(await api(`/contacts/${doomed.id}`, { as: w.owner, method: 'DELETE' }), 200);
    await env.DB.prepare('update contacts set deleted_at = ? where id = ?').bind(new Date(Date.now() - 31 * DAY).toISOString(), doomed.id).run();
    await handleScheduled(createScheduledController({ scheduledTime: new Date(), cron: '0 3 * * *' }), env);

    expect(await rawRow('contacts', doomed.id)).toBeNull();
    expect(await rawRow('form_submissions', trail.submission)).toBeNull();
    expect(await rawRow('leads', trail.lead)).toBeNull();
    expect(await rawRow('cadence_enrollments', trail.enrollment)).toBeNull();
    expect(await rawRow('deals', deal)).toMatchObject({ contact_id: null });
    expect(await rawRow('tasks', task)).toMatchObject({ contact_id: null });
  });
});
