import { SELF, createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { JobMessage } from '../../worker/env';
import { handleQueue } from '../../worker/jobs/queue';
import { api, failingFields, json, problem } from './helpers';
import { buildWorld, countWhere, createContact, rawRow, type World } from './customers-world';

type Form = { id: string; key: string; version: number; publicUrl: string; embedSnippet: string; [k: string]: unknown };
type Submission = { id: string; status: string; contactId: string | null; leadId: string | null; outcome: string | null; conflicts: { field: string; existing: unknown; submitted: unknown }[]; lastError: string | null; payload: Record<string, unknown>; attempts: number; utmSource: string | null; landingPage: string | null; consentText: string | null; scoreReasons: string[] };

let w: World;
let form: Form;

const contactForm = (extra: Record<string, unknown> = {}) => ({
  name: 'Contact us',
  locale: 'en',
  fields: [
    { name: 'name', label: 'Name', type: 'text', mapTo: 'contact.name', required: true },
    { name: 'email', label: 'Email', type: 'email', mapTo: 'contact.email', required: false },
    { name: 'phone', label: 'Phone', type: 'tel', mapTo: 'contact.phone', required: false },
    { name: 'message', label: 'Message', type: 'textarea', mapTo: 'note', required: false },
  ],
  consentText: 'I agree to be contacted about my enquiry.',
  thankYouUrl: 'https://shop.example.com/thanks',
  allowedOrigins: ['https://shop.example.com'],
  minFillSeconds: 0,
  ...extra,
});

async function createForm(body: Record<string, unknown>): Promise<Form> {
  return json<Form>(await api('/forms', { as: w.owner, body }), 201);
}

function postForm(key: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return SELF.fetch(`http://localhost/f/${key}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://shop.example.com', 'cf-connecting-ip': '203.0.113.7', ...headers },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

function postJson(key: string, body: unknown, headers: Record<string, string> = {}) {
  return SELF.fetch(`http://localhost/f/${key}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'https://shop.example.com', 'cf-connecting-ip': '203.0.113.8', ...headers },
    body: JSON.stringify(body),
    redirect: 'manual',
  });
}

const submission = (id: string) => api(`/lead-submissions/${id}`, { as: w.owner }).then((r) => json<Submission>(r, 200));
async function settled(id: string, status = 'processed'): Promise<Submission> {
  return vi.waitFor(
    async () => {
      const s = await submission(id);
      expect(s.status).toBe(status);
      return s;
    },
    { timeout: 15_000, interval: 50 },
  );
}
const subIdByEmail = async (email: string) => (await env.DB.prepare("select id from form_submissions where json_extract(payload, '$.email') = ? order by received_at desc").bind(email).first<{ id: string }>())?.id;

beforeAll(async () => {
  w = await buildWorld('Form Works');
  form = await createForm(contactForm({ ownerRule: { kind: 'fixed', userId: w.repA.me.user.id } }));
});

describe('forms (admin)', () => {
  it('creates a form with a public key, URL and one-line embed snippet', async () => {
    expect(form.key).toMatch(/^[\w-]{12,}$/);
    expect(form.publicUrl).toBe(`http://localhost/f/${form.key}`);
    expect(form.embedSnippet).toBe(`<script src="http://localhost/f/${form.key}/embed.js" async></script>`);
    const list = await json<{ items: Form[] }>(await api('/forms', { as: w.repA }), 200);
    expect(list.items.map((f) => f.id)).toContain(form.id);
  });

  it('names the fields that are wrong, and stores nothing', async () => {
    const before = await countWhere('forms', '1=1');
    const res = await api('/forms', { as: w.owner, body: { name: '', fields: [{ name: 'city', label: 'City', type: 'text', mapTo: 'contact.city' }] } });
    expect(await failingFields(res)).toEqual(expect.arrayContaining(['name']));
    const noReach = await api('/forms', { as: w.owner, body: { name: 'x', fields: [{ name: 'city', label: 'City', type: 'text', mapTo: 'contact.city' }] } });
    expect(await failingFields(noReach)).toEqual(['fields']);
    expect(await countWhere('forms', '1=1')).toBe(before);
  });

  it('is configured by admins only, and invisible to another workspace', async () => {
    await problem(await api('/forms', { as: w.repA, body: contactForm() }), 403);
    await problem(await api(`/forms/${form.id}`, { as: w.outsider }), 404);
    await problem(await api(`/forms/${form.id}`, { as: w.owner, method: 'PATCH', body: { name: 'Renamed' } }), 428);
  });
});

describe('POST /f/:formKey', () => {
  it('serves a hosted form page and an embed snippet', async () => {
    const page = await SELF.fetch(`http://localhost/f/${form.key}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('name="email"');
    expect(html).toContain('I agree to be contacted about my enquiry.');
    expect(html).toContain('name="_hearth_hp"');
    const js = await SELF.fetch(`http://localhost/f/${form.key}/embed.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(await js.text()).toContain(`http://localhost/f/${form.key}`);
    expect((await SELF.fetch('http://localhost/f/nope')).status).toBe(404);
  });

  it('a plain browser post is stored, answered 303 to the thank-you URL, and becomes a lead for the rule\'s owner', async () => {
    const res = await postForm(form.key, { name: 'Li Lei', email: 'li.lei@example.com', phone: '138 0013 8000', message: 'Call me', consent: 'yes', utm_source: 'google', utm_campaign: 'spring', landing_page: 'https://shop.example.com/?utm_source=google' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('https://shop.example.com/thanks');
    const id = (await subIdByEmail('li.lei@example.com'))!;
    const done = await settled(id);
    expect(done).toMatchObject({ outcome: 'created', utmSource: 'google', consentText: 'I agree to be contacted about my enquiry.' });
    expect(done.scoreReasons).toEqual(['+10 email', '+10 phone']);
    const contact = await rawRow<{ owner_id: string; lifecycle: string; source: string; phones: string }>('contacts', done.contactId!);
    expect(contact).toMatchObject({ owner_id: w.repA.me.user.id, lifecycle: 'lead', source: 'form', phones: '["+8613800138000"]' });
    const lead = await json<{ ownerId: string; utmCampaign: string; score: number }>(await api(`/leads/${done.leadId}`, { as: w.repA }), 200);
    expect(lead).toMatchObject({ ownerId: w.repA.me.user.id, utmCampaign: 'spring' });
    expect(lead.score).toBeGreaterThan(0);
    // The owner is told in the app and by email; the person's timeline shows the submission.
    expect(await countWhere('notifications', "user_id = ? and kind = 'lead.assigned'", w.repA.me.user.id)).toBe(1);
    expect(await countWhere('activities', "contact_id = ? and json_extract(meta, '$.event') = 'form.submitted'", done.contactId)).toBe(1);
  });

  it('an invalid browser post gets a readable page that keeps what was typed, and nothing is stored', async () => {
    const before = await countWhere('form_submissions', '1=1');
    const res = await postForm(form.key, { name: '', email: 'not-an-email', message: 'Keep <this> text' });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('Name is required.');
    expect(html).toContain('Enter a valid email address.');
    expect(html).toContain('value="not-an-email"');
    expect(html).toContain('Keep &lt;this&gt; text');
    expect(await countWhere('form_submissions', '1=1')).toBe(before);
  });

  it('a JSON post gets 201 with the id, or 422 problem+json naming the field; CORS follows the allowed origins', async () => {
    const ok = await postJson(form.key, { name: 'Han Meimei', email: 'han@example.com' });
    const body = await json<{ id: string }>(ok, 201);
    expect(body.id).toMatch(/^sub_/);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    expect(await failingFields(await postJson(form.key, { name: 'X', email: 'bad' }))).toEqual(['email']);
    await problem(await postJson(form.key, { name: 'X', email: 'x@example.com' }, { origin: 'https://evil.example' }), 403, 'origin_not_allowed');
    const preflight = await SELF.fetch(`http://localhost/f/${form.key}`, { method: 'OPTIONS', headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Content-Type/);
    expect((await SELF.fetch(`http://localhost/f/${form.key}`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } })).status).toBe(403);
    await settled(body.id);
  });

  it('accepts multipart/form-data', async () => {
    const fd = new FormData();
    fd.set('name', 'Multi Part');
    fd.set('email', 'multi@example.com');
    const res = await SELF.fetch(`http://localhost/f/${form.key}`, { method: 'POST', body: fd, headers: { 'cf-connecting-ip': '203.0.113.9' }, redirect: 'manual' });
    expect(res.status).toBe(303);
    await settled((await subIdByEmail('multi@example.com'))!);
  });

  it('refuses a body over the cap with 413', async () => {
    const res = await postJson(form.key, { name: 'Big', email: 'big@example.com', message: 'x'.repeat(70 * 1024) });
    await problem(res, 413);
  });
});

describe('returning people', () => {
  it('the same email in another case attaches to the existing contact, fills empty fields and records conflicts', async () => {
    const known = await createContact(w.repB, { name: 'Wang Fang', emails: ['wang.fang@example.com'] });
    const res = await postJson(form.key, { name: 'Fang Wang', email: 'Wang.Fang@Example.COM', phone: '+86 139-0013-9000' });
    const { id } = await json<{ id: string }>(res, 201);
    const done = await settled(id);
    expect(done).toMatchObject({ outcome: 'attached', contactId: known.id });
    expect(done.conflicts).toEqual([{ field: 'name', existing: 'Wang Fang', submitted: 'Fang Wang' }]);
    const row = await rawRow<{ name: string; phones: string; owner_id: string }>('contacts', known.id);
    expect(row).toMatchObject({ name: 'Wang Fang', phones: '["+8613900139000"]', owner_id: w.repB.me.user.id });
    expect(await countWhere('contacts', "emails like '%wang.fang@example.com%'")).toBe(1);
  });

  it('the same phone in another format attaches to the existing contact', async () => {
    const known = await createContact(w.repB, { name: 'Zhao Lei', phones: ['13700137000'] });
    const { id } = await json<{ id: string }>(await postJson(form.key, { name: 'Zhao Lei', phone: '+86 137 0013 7000' }), 201);
    const done = await settled(id);
    expect(done).toMatchObject({ outcome: 'attached', contactId: known.id });
    expect(await countWhere('contacts', "phones like '%+8613700137000%'")).toBe(1);
    // The second submission of a person with an open lead joins that lead.
    const again = await json<{ id: string }>(await postJson(form.key, { name: 'Zhao Lei', phone: '137-0013-7000', message: 'Any news?' }), 201);
    const second = await settled(again.id);
    expect(second.leadId).toBe(done.leadId);
    expect(await countWhere('leads', 'contact_id = ?', known.id)).toBe(1);
    expect(await countWhere('activities', "contact_id = ? and json_extract(meta, '$.event') = 'form.submitted'", known.id)).toBe(2);
  });
});

describe('abuse guards', () => {
  it('a filled honeypot looks like success but lands in spam, and can be restored', async () => {
    const res = await postForm(form.key, { name: 'Bot', email: 'bot@example.com', _hearth_hp: 'http://spam.example' }, { 'cf-connecting-ip': '198.51.100.1' });
    expect(res.status).toBe(303);
    const id = (await subIdByEmail('bot@example.com'))!;
    expect(await submission(id)).toMatchObject({ status: 'spam', leadId: null });
    const spam = await json<{ items: { id: string }[] }>(await api('/lead-submissions?status=spam', { as: w.owner }), 200);
    expect(spam.items.map((s) => s.id)).toContain(id);
    expect(await json(await api(`/lead-submissions/${id}/not-spam`, { as: w.owner, method: 'POST' }), 202)).toMatchObject({ status: 'received' });
    expect((await settled(id)).leadId).toMatch(/^lead_/);
  });

  it('a form sent faster than a person can fill it is spam', async () => {
    const quick = await createForm(contactForm({ name: 'Quick', minFillSeconds: 5 }));
    await postForm(quick.key, { name: 'Fast Bot', email: 'fast@example.com', _hearth_ts: String(Date.now() - 1000) }, { 'cf-connecting-ip': '198.51.100.2' });
    expect(await submission((await subIdByEmail('fast@example.com'))!)).toMatchObject({ status: 'spam' });
  });

  it('limits posts per address with 429 and Retry-After', async () => {
    const limited = await createForm(contactForm({ name: 'Limited', ipLimitPerMinute: 2 }));
    const ip = { 'cf-connecting-ip': '198.51.100.3' };
    expect((await postJson(limited.key, { name: 'A', email: 'a1@example.com' }, ip)).status).toBe(201);
    expect((await postJson(limited.key, { name: 'A', email: 'a2@example.com' }, ip)).status).toBe(201);
    const third = await postJson(limited.key, { name: 'A', email: 'a3@example.com' }, ip);
    await problem(third, 429, 'rate_limited');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await subIdByEmail('a3@example.com')).toBeUndefined();
    // Another address is not held back by the first one's limit.
    expect((await postJson(limited.key, { name: 'B', email: 'b1@example.com' }, { 'cf-connecting-ip': '198.51.100.4' })).status).toBe(201);
  });

  it('limits posts per form', async () => {
    const busy = await createForm(contactForm({ name: 'Busy', formLimitPerMinute: 1 }));
    expect((await postJson(busy.key, { name: 'A', email: 'busy1@example.com' }, { 'cf-connecting-ip': '198.51.100.5' })).status).toBe(201);
    const res = await postForm(busy.key, { name: 'B', email: 'busy2@example.com' }, { 'cf-connecting-ip': '198.51.100.6' });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeTruthy();
  });

  it('a double submit (same values, or the same Idempotency-Key) yields one submission and one lead', async () => {
    const a = await json<{ id: string }>(await postJson(form.key, { name: 'Double', email: 'double@example.com' }), 201);
    const b = await json<{ id: string }>(await postJson(form.key, { name: 'Double', email: 'double@example.com' }), 200);
    expect(b.id).toBe(a.id);
    const k1 = await json<{ id: string }>(await postJson(form.key, { name: 'Keyed', email: 'keyed@example.com', message: 'one' }, { 'idempotency-key': 'k-123' }), 201);
    const k2 = await json<{ id: string }>(await postJson(form.key, { name: 'Keyed', email: 'keyed@example.com', message: 'one, edited' }, { 'idempotency-key': 'k-123' }), 200);
    expect(k2.id).toBe(k1.id);
    await settled(a.id);
    expect(await countWhere('form_submissions', "json_extract(payload, '$.email') = 'double@example.com'")).toBe(1);
    expect(await countWhere('contacts', "emails like '%double@example.com%'")).toBe(1);
  });

  it('Turnstile, when on, is verified server-side', async () => {
    const guarded = await createForm(contactForm({ name: 'Guarded', turnstile: true, turnstileSiteKey: '0xSITE' }));
    const real = globalThis.fetch;
    const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (!url.startsWith('https://challenges.cloudflare.com/')) return real(input, init);
      const token = (init?.body as FormData).get('response');
      return Response.json({ success: token === 'good-token' });
    });
    try {
      const e = { ...env, TURNSTILE_SECRET_KEY: 'secret' };
      const { verifyTurnstile } = await import('../../worker/modules/forms/forms.intake');
      expect(await verifyTurnstile(e, 'good-token', null)).toBe(true);
      expect(await verifyTurnstile(e, 'bad-token', null)).toBe(false);
      // Without the secret configured, the form refuses rather than letting everything through.
      await problem(await postJson(guarded.key, { name: 'T', email: 't@example.com', 'cf-turnstile-response': 'good-token' }), 503);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('durable processing', () => {
  it('keeps the stored row when processing throws, lists it under attention needed, and retries it', async () => {
    await json(await api('/custom-fields', { as: w.owner, body: { entity: 'contact', key: 'budget', label: 'Budget', type: 'number' } }), 201);
    const budget = await createForm(contactForm({ name: 'Budget', fields: [...contactForm().fields, { name: 'budget', label: 'Budget', type: 'text', mapTo: 'custom.budget' }] }));
    const { id } = await json<{ id: string }>(await postJson(budget.key, { name: 'Budget Person', email: 'budget@example.com', budget: 'lots' }), 201);
    const failed = await settled(id, 'failed');
    expect(failed.payload).toMatchObject({ name: 'Budget Person', budget: 'lots' });
    expect(failed.lastError).toBeTruthy();
    expect(await countWhere('contacts', "emails like '%budget@example.com%'")).toBe(0);
    const attention = await json<{ items: { id: string }[] }>(await api('/lead-submissions?status=failed', { as: w.repA }), 200);
    expect(attention.items.map((s) => s.id)).toContain(id);
    expect((await json<{ attention: number }>(await api('/leads/counts', { as: w.owner }), 200)).attention).toBeGreaterThan(0);
    // The admin fixes the mapping; the retry processes the same raw payload.
    const current = await json<Form>(await api(`/forms/${budget.id}`, { as: w.owner }), 200);
    await json(await api(`/forms/${budget.id}`, { as: w.owner, method: 'PATCH', headers: { 'if-match': String(current.version) }, body: { fields: contactForm().fields.concat([{ name: 'budget', label: 'Budget', type: 'text', mapTo: 'note', required: false }]) } }), 200);
    await problem(await api(`/lead-submissions/${id}/retry`, { as: w.viewer, method: 'POST' }), 403);
    expect(await json(await api(`/lead-submissions/${id}/retry`, { as: w.owner, method: 'POST' }), 202)).toMatchObject({ status: 'received' });
    expect((await settled(id)).contactId).toMatch(/^con_/);
  });

  it('keeps the stored row through a crash mid-processing: retried with backoff, failed after the last attempt, never dropped', async () => {
    // A row as the public endpoint stores it, whose queue message is driven by hand here.
    const at = new Date().toISOString();
    const id = 'sub_CRASH0000000000000000000';
    await env.DB.prepare(
      `insert into form_submissions (id, workspace_id, form_id, channel, status, payload, headers, dedupe_key, conflicts, received_at, updated_at) values (?, ?, ?, 'form', 'received', ?, '{}', 'crash-1', '[]', ?, ?)`,
    )
      .bind(id, w.owner.me.workspace.id, form.id, JSON.stringify({ name: 'Crash Person', email: 'crash@example.com' }), at, at)
      .run();
    // D1 refuses every batch: the contact, lead and timeline entry cannot be written.
    const broken = { ...env, DB: { prepare: (query: string) => env.DB.prepare(query), batch: () => Promise.reject(new Error('D1 is unavailable')) } as unknown as D1Database };
    const run = async (attempts: number) => {
      const message: JobMessage = { type: 'lead.process', key: id, payload: { submissionId: id, workspaceId: w.owner.me.workspace.id } };
      const batch = createMessageBatch<JobMessage>('hearth-jobs', [{ id: `crash-${attempts}`, timestamp: new Date(), attempts, body: message }]);
      const ctx = createExecutionContext();
      await handleQueue(batch, broken);
      return getQueueResult(batch, ctx);
    };
    const first = await run(1);
    expect(first.retryMessages.map((m) => m.msgId)).toEqual(['crash-1']);
    expect(await rawRow('form_submissions', id)).toMatchObject({ status: 'received', attempts: 1, last_error: 'D1 is unavailable', payload: JSON.stringify({ name: 'Crash Person', email: 'crash@example.com' }) });
    const last = await run(5);
    expect(last.explicitAcks).toEqual(['crash-5']);
    expect(await rawRow('form_submissions', id)).toMatchObject({ status: 'failed', attempts: 2 });
    expect(await countWhere('contacts', "emails like '%crash@example.com%'")).toBe(0);
    // Retried from "attention needed" once the database is back: one contact, one lead.
    await json(await api(`/lead-submissions/${id}/retry`, { as: w.owner, method: 'POST' }), 202);
    expect((await settled(id)).leadId).toMatch(/^lead_/);
    expect(await countWhere('contacts', "emails like '%crash@example.com%'")).toBe(1);
  });

  it('a redelivered queue message makes no second lead, contact or notification', async () => {
    const { id } = await json<{ id: string }>(await postJson(form.key, { name: 'Redelivered', email: 'again@example.com' }), 201);
    const first = await settled(id);
    const message: JobMessage = { type: 'lead.process', key: id, payload: { submissionId: id, workspaceId: w.owner.me.workspace.id } };
    const batch = createMessageBatch<JobMessage>('hearth-jobs', [
      { id: 'again-1', timestamp: new Date(), attempts: 2, body: message },
      { id: 'again-2', timestamp: new Date(), attempts: 3, body: message },
    ]);
    const ctx = createExecutionContext();
    await handleQueue(batch, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['again-1', 'again-2']);
    expect(await countWhere('leads', 'contact_id = ?', first.contactId)).toBe(1);
    expect(await countWhere('contacts', "emails like '%again@example.com%'")).toBe(1);
    expect(await countWhere('notifications', 'record_id = ?', first.leadId)).toBe(1);
    expect(await countWhere('activities', "contact_id = ? and json_extract(meta, '$.event') = 'form.submitted'", first.contactId)).toBe(1);
  });

  it('two submissions of a new person processed at the same instant make one contact: the second is retried and attaches', async () => {
    const at = new Date().toISOString();
    const insert = (id: string, payload: Record<string, string>) =>
      env.DB.prepare(
        `insert into form_submissions (id, workspace_id, form_id, channel, status, payload, headers, dedupe_key, conflicts, received_at, updated_at) values (?, ?, ?, 'form', 'received', ?, '{}', ?, '[]', ?, ?)`,
      )
        .bind(id, w.owner.me.workspace.id, form.id, JSON.stringify(payload), id, at, at)
        .run();
    await insert('sub_TWIN1000000000000000000', { name: 'Twin Person', email: 'Twin@Example.com', phone: '138 0013 9001' });
    await insert('sub_TWIN2000000000000000000', { name: 'Twin Person', email: 'twin@example.com', phone: '+86 13800139001' });
    const deliver = async (id: string, attempts = 1) => {
      const message: JobMessage = { type: 'lead.process', key: id, payload: { submissionId: id, workspaceId: w.owner.me.workspace.id } };
      const batch = createMessageBatch<JobMessage>('hearth-jobs', [{ id, timestamp: new Date(), attempts, body: message }]);
      const ctx = createExecutionContext();
      await handleQueue(batch, env);
      return getQueueResult(batch, ctx);
    };
    // Both runs look the person up before either has created them.
    const results = await Promise.all([deliver('sub_TWIN1000000000000000000'), deliver('sub_TWIN2000000000000000000')]);
    const retried = results.flatMap((r) => r.retryMessages.map((m) => m.msgId));
    for (const id of retried) await deliver(id, 2);
    const first = await settled('sub_TWIN1000000000000000000');
    const second = await settled('sub_TWIN2000000000000000000');
    expect(await countWhere('contacts', "emails like '%twin@example.com%' and deleted_at is null")).toBe(1);
    expect(second.contactId).toBe(first.contactId);
    expect(await countWhere('leads', 'contact_id = ?', first.contactId)).toBe(1);
    expect([first.outcome, second.outcome].sort()).toEqual(['attached', 'created']);
  });

  it('the cron sweep re-queues a submission whose queue message never arrived', async () => {
    const at = new Date(Date.now() - 10 * 60_000).toISOString();
    await env.DB.prepare(
      `insert into form_submissions (id, workspace_id, form_id, channel, status, payload, headers, dedupe_key, conflicts, received_at, updated_at) values ('sub_STUCK0000000000000000000', ?, ?, 'form', 'received', ?, '{}', 'stuck-1', '[]', ?, ?)`,
    )
      .bind(w.owner.me.workspace.id, form.id, JSON.stringify({ name: 'Stuck Person', email: 'stuck@example.com' }), at, at)
      .run();
    const { sweepStuckSubmissions } = await import('../../worker/modules/leads/leads.process');
    const { getDb } = await import('../../worker/db/client');
    expect(await sweepStuckSubmissions({ db: await getDb(env), env, now: new Date() })).toBeGreaterThanOrEqual(1);
    expect((await settled('sub_STUCK0000000000000000000')).contactId).toMatch(/^con_/);
  });
});
