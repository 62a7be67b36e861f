import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { request as apiRequest, type APIRequestContext, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { hasNoHorizontalOverflow, launchBrowser, snapshot } from './browser';

const baseURL = inject('baseURL');
const owner = { workspaceName: 'Lotus Tea House', name: 'Chen Hui', email: 'owner@lotus-leads.test', password: 'lotus-password-1' };
const rep = { name: 'Zhou Min', email: 'zhou.min@lotus-leads.test', password: 'zhou-password-12' };
const formName = 'Website enquiry';

const shown = (locator: Locator, timeout = 15_000) => locator.first().waitFor({ state: 'visible', timeout });

/**
 * A company website on another origin (another port): a plain HTML <form> that posts to the
 * form's public address, with the campaign in hidden fields, and the site's own thank-you page.
 */
function startWebsite(formAction: () => string): Promise<{ server: Server; origin: string }> {
  const contactPage = () => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Contact Lotus Tea</title></head>
<body>
  <h1>Write to us</h1>
  <form action="${formAction()}" method="post">
    <label>Your name <input name="name" required></label>
    <label>Email <input type="email" name="email"></label>
    <label>Phone <input type="tel" name="phone"></label>
    <label>Message <textarea name="message"></textarea></label>
    <label><input type="checkbox" name="consent" value="yes"> I agree to be contacted by Lotus Tea.</label>
    <input type="hidden" name="utm_source" value="newsletter">
    <input type="hidden" name="utm_medium" value="email">
    <input type="hidden" name="utm_campaign" value="spring-oolong">
    <input type="hidden" name="landing_page" value="/contact.html">
    <input type="text" name="_hearth_hp" value="" tabindex="-1" autocomplete="off" style="position:absolute;left:-9999px" aria-hidden="true">
    <button type="submit">Send</button>
  </form>
</body></html>`;
  const thanksPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Thanks</title></head><body><h1>Thank you for writing to Lotus Tea</h1></body></html>`;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/contact.html' || path === '/thanks.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(path === '/contact.html' ? contactPage() : thanksPage);
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

describe('leads from a plain HTML form on another website and from a signed integration reach the inbox, routed and deduplicated', () => {
  let browser: Browser;
  let ownerContext: BrowserContext;
  let repContext: BrowserContext;
  let page: Page;
  let repPage: Page;
  let website: { server: Server; origin: string };
  let formKey = '';
  let formId = '';
  let repId = '';
  let leadId = '';
  let contactId = '';

  beforeAll(async () => {
    website = await startWebsite(() => `${baseURL}/f/${formKey}`);
    browser = await launchBrowser();
    ownerContext = await browser.newContext({ baseURL, locale: 'en-US', viewport: { width: 1280, height: 800 } });
    page = await ownerContext.newPage();
    const api = ownerContext.request;
    const headers = { origin: baseURL };
    expect((await api.post('/api/v1/auth/signup', { data: owner, headers })).status()).toBe(201);

    // A rep joins by invitation (the link comes from the outbox, as a person would get it by email).
    expect((await api.post('/api/v1/invitations', { data: { email: rep.email, role: 'rep' }, headers })).status()).toBe(201);
    const outbox = await (await api.get('/api/v1/outbox')).json();
    const invitation = outbox.items.find((m: { toAddress: string }) => m.toAddress === rep.email);
    const token = decodeURIComponent(/token=([^\s"'<&]+)/.exec(invitation.textBody)![1]);
    const repApi: APIRequestContext = await apiRequest.newContext({ baseURL });
    const accepted = await repApi.post('/api/v1/auth/invitations/accept', { data: { token, name: rep.name, password: rep.password }, headers });
    expect(accepted.status()).toBe(201);
    repId = (await accepted.json()).user.id;
    await repApi.dispose();

    // The form: plain fields, the site's thank-you page, and every new lead goes to the rep.
    const created = await api.post('/api/v1/forms', {
      headers,
      data: {
        name: formName,
        locale: 'en',
        fields: [
          { name: 'name', label: 'Your name', type: 'text', mapTo: 'contact.name', required: true },
          { name: 'email', label: 'Email', type: 'email', mapTo: 'contact.email', required: false },
          { name: 'phone', label: 'Phone', type: 'tel', mapTo: 'contact.phone', required: false },
          { name: 'message', label: 'Message', type: 'textarea', mapTo: 'note', required: false },
        ],
        consentText: 'I agree to be contacted by Lotus Tea.',
        thankYouUrl: `${website.origin}/thanks.html`,
        allowedOrigins: [website.origin],
        ownerRule: { kind: 'fixed', userId: repId },
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    const form = await created.json();
    formKey = form.key;
    formId = form.id;

    repContext = await browser.newContext({ baseURL, locale: 'en-US', viewport: { width: 360, height: 740 } });
    repPage = await repContext.newPage();
    expect((await repContext.request.post('/api/v1/auth/login', { data: { email: rep.email, password: rep.password }, headers })).status()).toBe(200);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => website?.server.close(resolve));
  });

  it('shows the form with its embed snippet and a plain HTML example to the admin', async () => {
    await page.goto('/settings/forms');
    await page.getByRole('link', { name: formName }).click();
    await page.waitForURL(`**/settings/forms/${formId}`);
    await shown(page.getByRole('heading', { name: formName, level: 1 }));
    await shown(page.getByText(formKey));
    await expect.poll(() => page.getByLabel('One-line embed snippet').textContent()).toContain(`/f/${formKey}/embed.js`);
    await expect.poll(() => page.getByLabel('Plain HTML form').textContent()).toContain(`action="${baseURL}/f/${formKey}" method="post"`);
    await snapshot(page, 'leads-form-editor');
  });

  it('posts from the other website and lands on its thank-you page', async () => {
    const visitor = await browser.newPage({ locale: 'en-US' });
    await visitor.goto(`${website.origin}/contact.html`);
    await visitor.getByLabel('Your name').fill('Li Na');
    await visitor.getByLabel('Email').fill('li.na@example.com');
    await visitor.getByLabel('Phone').fill('138 0013 8000');
    await visitor.getByLabel('Message').fill('Do you ship oolong to Hangzhou?');
    await visitor.getByLabel('I agree to be contacted by Lotus Tea.').check();
    await visitor.getByRole('button', { name: 'Send' }).click();
    await visitor.waitForURL(`${website.origin}/thanks.html`);
    await shown(visitor.getByRole('heading', { name: 'Thank you for writing to Lotus Tea' }));
    await visitor.close();
  });

  it('appears in the inbox with the owner the form\'s rule picked, and its campaign', async () => {
    // The queue consumer of wrangler dev processes the submission by itself: the inbox is polled.
    await page.goto('/leads?view=all');
    await shown(page.getByRole('heading', { name: 'Leads', level: 1 }));
    const row = page.getByRole('list', { name: 'Leads' }).getByRole('listitem').filter({ hasText: 'Li Na' });
    await expect
      .poll(async () => {
        await page.reload();
        await page.getByRole('heading', { name: 'Leads', level: 1 }).waitFor();
        await page.getByRole('list', { name: 'Leads' }).or(page.getByText('No leads yet')).first().waitFor();
        return row.count();
      }, { timeout: 60_000, interval: 1000 })
      .toBe(1);
    await shown(row.getByText(rep.name));
    await shown(row.getByText('spring-oolong'));
    await snapshot(page, 'leads-inbox-owner');

    await row.getByRole('link', { name: 'Li Na' }).click();
    await page.waitForURL(/\/leads\/lead_[^/]+$/);
    leadId = new URL(page.url()).pathname.split('/')[2];
    await shown(page.getByRole('heading', { name: /Li Na/, level: 1 }));
    const who = page.getByLabel('Who', { exact: true });
    await shown(who.getByText(rep.name));
    await shown(who.getByText('+8613800138000'));
    const attribution = page.getByLabel('Where they came from');
    await shown(attribution.getByText('spring-oolong'));
    await shown(attribution.getByText('newsletter'));
    await shown(page.getByText('I agree to be contacted by Lotus Tea.'));
    contactId = ((await who.getByRole('link', { name: 'Li Na' }).getAttribute('href')) ?? '').split('/')[2];
    expect(contactId).toMatch(/^con_/);
  });

  it('is in the rep\'s "Assigned to me" view, on a phone', async () => {
    await repPage.goto('/leads?view=mine');
    await shown(repPage.getByRole('tab', { name: /Assigned to me/, selected: true }));
    await shown(repPage.getByRole('list', { name: 'Leads' }).getByRole('link', { name: 'Li Na' }));
    expect(await hasNoHorizontalOverflow(repPage)).toBe(true);
    await snapshot(repPage, 'leads-inbox-rep-phone');

    // The lead itself and the form's page (with its snippets) fit a phone too.
    await repPage.getByRole('list', { name: 'Leads' }).getByRole('link', { name: 'Li Na' }).click();
    await shown(repPage.getByRole('heading', { name: /Li Na/, level: 1 }));
    await shown(repPage.getByRole('list', { name: 'Submissions' }).getByText('Do you ship oolong to Hangzhou?'));
    expect(await hasNoHorizontalOverflow(repPage)).toBe(true);
    await snapshot(repPage, 'leads-lead-rep-phone');
    await repPage.goto(`/settings/forms/${formId}`);
    await shown(repPage.getByRole('heading', { name: formName, level: 1 }));
    await shown(repPage.getByLabel('Plain HTML form'));
    expect(await hasNoHorizontalOverflow(repPage)).toBe(true);
    await snapshot(repPage, 'leads-form-rep-phone');
  });

  it('attaches a second post with the phone written differently to the same customer', async () => {
    const visitor = await browser.newPage({ locale: 'en-US' });
    await visitor.goto(`${website.origin}/contact.html`);
    await visitor.getByLabel('Your name').fill('Li Na');
    await visitor.getByLabel('Phone').fill('+86 138-0013-8000');
    await visitor.getByLabel('Message').fill('Also: do you sell gift boxes?');
    await visitor.getByRole('button', { name: 'Send' }).click();
    await visitor.waitForURL(`${website.origin}/thanks.html`);
    await visitor.close();

    // One customer with this phone, whose timeline has both submissions.
    await page.goto(`/customers/${contactId}`);
    await shown(page.getByRole('heading', { name: 'Li Na', level: 1 }));
    const entries = page.getByRole('list', { name: 'Timeline' }).getByText(`Form submitted: ${formName}`);
    await expect
      .poll(async () => {
        await page.reload();
        await page.getByRole('list', { name: 'Timeline' }).waitFor();
        return entries.count();
      }, { timeout: 60_000, interval: 1000 })
      .toBe(2);
    await snapshot(page, 'leads-customer-timeline');

    const search = await ownerContext.request.get('/api/v1/contacts', { params: { q: '13800138000' } });
    const found = (await search.json()).items as { id: string }[];
    expect(found.map((c) => c.id)).toEqual([contactId]);

    // The lead counts both submissions, and the second one says it matched the existing customer.
    await page.goto(`/leads/${leadId}`);
    await shown(page.getByRole('heading', { name: /Li Na/, level: 1 }));
    await snapshot(page, 'leads-lead-detail');
    const submissions = page.getByRole('list', { name: 'Submissions' }).getByRole('listitem');
    await expect.poll(() => submissions.count()).toBe(2);
    await shown(submissions.first().getByText('Matched an existing customer'));
  });

  it('converts the lead into a customer with a deal in a pipeline', async () => {
    await page.goto(`/leads/${leadId}`);
    await shown(page.getByRole('heading', { name: /Li Na/, level: 1 }));
    await page.getByRole('button', { name: 'Convert' }).click();
    const dialog = page.getByRole('dialog', { name: 'Convert Li Na' });
    await shown(dialog);
    await dialog.getByLabel('Open a deal').check();
    await dialog.getByLabel('Deal title').fill('Oolong for Hangzhou');
    await dialog.getByLabel(/^Amount/).fill('1280');
    await dialog.getByRole('button', { name: 'Convert' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await shown(page.getByRole('heading', { name: /Li Na/, level: 1 }).getByText('Converted'));
    await page.getByRole('link', { name: 'Open the deal' }).click();
    await page.waitForURL(/\/pipeline\/[^/]+$/);
    await shown(page.getByRole('heading', { name: 'Oolong for Hangzhou', level: 1 }));
  });

  it('counts the lead, its customer and its deal under its campaign in the lead-source report', async () => {
    await page.goto('/reports');
    await page.getByRole('link', { name: /Lead sources/ }).click();
    await page.waitForURL('**/leads/report');
    await shown(page.getByRole('heading', { name: 'Lead sources', level: 1 }));
    await page.getByLabel('Group by').selectOption('campaign');
    await page.waitForURL(/by=campaign/);
    await snapshot(page, 'leads-report-campaign');
    const table = page.getByRole('table', { name: 'Leads by Campaign' });
    const row = table.getByRole('row').filter({ hasText: 'spring-oolong' });
    await shown(row, 30_000);
    expect(await row.getByRole('cell').allTextContents()).toEqual(['1', '1', '100%', '1', '100%']);
    await shown(page.getByRole('img', { name: 'Leads and conversions by Campaign' }));
    await snapshot(page, 'leads-source-report');
  });

  it('subscribes an address to lead events and shows its signing secret once', async () => {
    await page.goto('/settings/webhooks');
    await shown(page.getByRole('heading', { name: 'Webhooks', level: 1 }));
    await page.getByRole('tab', { name: 'Outgoing events' }).click();
    await page.getByRole('button', { name: 'New subscription' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New subscription' });
    await dialog.getByLabel('Address (URL)').fill(`${website.origin}/hearth-events`);
    await dialog.getByRole('button', { name: 'Subscribe' }).click();
    const secret = page.getByRole('dialog', { name: 'Signing secret' });
    await shown(secret);
    expect(await secret.getByLabel('Secret').textContent()).toMatch(/^whsec_/);
    await secret.getByRole('button', { name: 'I have copied it' }).click();
    const list = page.getByRole('list', { name: 'Outgoing events' });
    await shown(list.getByText(`${website.origin}/hearth-events`));
    await shown(list.getByText('lead.created'));
  });

  it('takes a signed lead from another system through an incoming source made in settings', async () => {
    await page.goto('/settings/webhooks');
    await page.getByRole('button', { name: 'New source' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New source' });
    await dialog.getByLabel('Name', { exact: true }).fill('Tea fair sign-ups');
    await dialog.getByRole('button', { name: 'Create source' }).click();
    const secretDialog = page.getByRole('dialog', { name: 'Secret for Tea fair sign-ups' });
    await shown(secretDialog);
    const secret = (await secretDialog.getByLabel('Secret').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);
    // The signing example shown with the secret is the one a developer copies.
    await shown(secretDialog.getByText('X-Hearth-Signature', { exact: false }));
    await secretDialog.getByRole('button', { name: 'I have copied it' }).click();
    await shown(page.getByRole('list', { name: 'Incoming lead sources' }).getByText('Tea fair sign-ups'));

    const sources = await (await ownerContext.request.get('/api/v1/hook-sources')).json();
    const url: string = sources.items.find((s: { name: string }) => s.name === 'Tea fair sign-ups').url;
    const body = JSON.stringify({ name: 'Wang Lei', email: 'wang.lei@example.com', phone: '+86 139 0000 1111' });
    const timestamp = Math.floor(Date.now() / 1000).toString();
    const sign = (key: string) => `sha256=${createHmac('sha256', key).update(`${timestamp}.${body}`).digest('hex')}`;
    const post = (signature: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hearth-timestamp': timestamp, 'x-hearth-signature': signature, 'x-hearth-delivery': randomUUID() }, body });
    expect((await post(sign('whsec_not-the-secret'))).status).toBe(401);
    expect((await post(sign(secret))).status).toBe(202);

    await page.goto('/leads?view=new');
    const row = page.getByRole('list', { name: 'Leads' }).getByRole('listitem').filter({ hasText: 'Wang Lei' });
    await expect
      .poll(async () => {
        await page.reload();
        await page.getByRole('list', { name: 'Leads' }).or(page.getByText('No new leads waiting')).first().waitFor();
        return row.count();
      }, { timeout: 60_000, interval: 1000 })
      .toBe(1);
    await shown(row.getByText('Unassigned'));
  });

  it('lets a rep claim an unassigned lead from the New view on a phone', async () => {
    await repPage.goto('/leads?view=new');
    const row = repPage.getByRole('list', { name: 'Leads' }).getByRole('listitem').filter({ hasText: 'Wang Lei' });
    await shown(row);
    await row.getByRole('button', { name: 'Claim Wang Lei' }).click();
    await shown(repPage.getByText('Wang Lei is now yours.'));
    await row.waitFor({ state: 'detached' });
    await repPage.getByRole('tab', { name: /Assigned to me/ }).click();
    await shown(repPage.getByRole('list', { name: 'Leads' }).getByRole('link', { name: 'Wang Lei' }));
  });

  it('keeps a post caught by the honeypot in the spam folder, and restores it as a lead', async () => {
    // A bot fills the hidden field: it is answered like a person, and kept as spam.
    const res = await fetch(`${baseURL}/f/${formKey}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: website.origin },
      body: new URLSearchParams({ name: 'Zhao Qiang', email: 'zhao.qiang@example.com', _hearth_hp: 'http://spam.example' }).toString(),
    });
    expect(res.status).toBe(303);

    await page.goto('/leads?view=spam');
    const spam = page.getByRole('list', { name: 'Spam submissions' }).getByRole('listitem').filter({ hasText: 'Zhao Qiang' });
    await shown(spam);
    await shown(spam.getByText('hidden field filled in'));
    await spam.getByRole('button', { name: 'Not spam' }).click();
    await shown(page.getByText('Restored: it will be processed as a lead.'));
    await spam.waitFor({ state: 'detached' });

    await page.goto('/leads?view=all');
    const row = page.getByRole('list', { name: 'Leads' }).getByRole('listitem').filter({ hasText: 'Zhao Qiang' });
    await expect
      .poll(async () => {
        await page.reload();
        await page.getByRole('list', { name: 'Leads' }).waitFor();
        return row.count();
      }, { timeout: 60_000, interval: 1000 })
      .toBe(1);
    await shown(row.getByText(rep.name));
  });

  it('creates a form in settings: a missing name is named, then the form gets its key and snippets', async () => {
    await page.goto('/settings/forms');
    await page.getByRole('link', { name: 'New form' }).first().click();
    await page.waitForURL('**/settings/forms/new');
    await shown(page.getByRole('heading', { name: 'New form', level: 1 }));
    // The suggested fields are there; without a name the API refuses and the field says why.
    await shown(page.getByRole('listitem', { name: 'Field 2' }));
    await page.getByRole('button', { name: 'Create form' }).click();
    await expect.poll(() => page.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await shown(page.getByText('This field is required.'));
    expect(page.url()).toMatch(/\/settings\/forms\/new$/);

    await page.getByLabel('Name', { exact: true }).fill('Tea tasting sign-up');
    const budget = page.getByRole('listitem', { name: 'Field 4' });
    await budget.getByLabel('Label').fill('Group size');
    await expect.poll(() => budget.getByLabel('Name in the post').inputValue()).toBe('group_size');
    await budget.getByLabel('Goes to').selectOption('none');
    // No team exists yet, so taking turns is not offered; one fixed person is.
    expect(await page.locator('option[value="round_robin"]').isDisabled()).toBe(true);
    await page.getByLabel('Owner', { exact: true }).first().selectOption('fixed');
    await page.getByLabel('Owner', { exact: true }).nth(1).selectOption({ label: rep.name });
    await page.getByRole('button', { name: 'Create form' }).click();
    await page.waitForURL(/\/settings\/forms\/frm_[^/]+$/);
    await shown(page.getByRole('heading', { name: 'Tea tasting sign-up', level: 1 }));
    await expect.poll(() => page.getByLabel('Plain HTML form').textContent()).toContain('name="group_size"');
    await shown(page.getByLabel('One-line embed snippet'));
    await snapshot(page, 'leads-form-created');

    await page.goto('/settings/webhooks');
    await shown(page.getByRole('list', { name: 'Incoming lead sources' }).getByText('Tea fair sign-ups'));
    await snapshot(page, 'leads-webhooks-inbound');
  });
});
