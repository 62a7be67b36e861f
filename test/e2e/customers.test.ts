import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { hasNoHorizontalOverflow, launchBrowser, snapshot } from './browser';

const baseURL = inject('baseURL');
const owner = { workspaceName: 'Lotus Tea House', name: 'Chen Hui', email: 'owner@lotus-tea.test', password: 'lotus-password-1' };

const shown = (locator: Locator) => locator.first().waitFor({ state: 'visible', timeout: 15_000 });
const customerId = (page: Page) => new URL(page.url()).pathname.split('/')[2];

async function addNote(page: Page, customer: string, text: string) {
  await page.getByRole('toolbar', { name: 'Quick actions' }).getByRole('button', { name: 'Add a note' }).click();
  const dialog = page.getByRole('dialog', { name: `Add a note to ${customer}` });
  await shown(dialog);
  await dialog.getByLabel('Note').fill(text);
  await dialog.getByRole('button', { name: 'Add a note' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await shown(page.getByRole('list', { name: 'Timeline' }).getByText(text));
}

describe('a customer entered twice is merged into one with both histories', () => {
  let browser: Browser;
  let page: Page;
  let firstId = '';
  let secondId = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    const context = await browser.newContext({ baseURL, locale: 'en-US', viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    // The workspace comes from the API: the sign-up pages have their own browser test.
    const res = await page.request.post('/api/v1/auth/signup', { data: owner, headers: { origin: baseURL } });
    expect(res.status()).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('creates a customer and notes a conversation on the timeline', async () => {
    await page.goto('/customers');
    await shown(page.getByRole('heading', { name: 'Customers', level: 1 }));
    await shown(page.getByText('No customers yet'));
    await page.getByRole('link', { name: 'New customer' }).first().click();
    await page.waitForURL('**/customers/new');
    await page.getByLabel('Name', { exact: true }).fill('王芳');
    await page.getByLabel('Phone 1').fill('138 0013 8000');
    await page.getByRole('button', { name: 'Create customer' }).click();
    await page.waitForURL(/\/customers\/con_[^/]+$/);
    firstId = customerId(page);
    await shown(page.getByRole('heading', { name: '王芳', level: 1 }));
    // The phone was normalized to E.164 and is a tap-to-call link.
    await expect.poll(() => page.getByRole('link', { name: '+8613800138000' }).getAttribute('href')).toBe('tel:+8613800138000');
    await addNote(page, '王芳', 'Prefers oolong; call after 6 pm.');
  });

  it('offers the existing customer when the same phone is entered again, differently written', async () => {
    await page.goto('/customers/new');
    await page.getByLabel('Name', { exact: true }).fill('Fang Wang');
    await page.getByLabel('Phone 1').fill('+86 138-0013-8000');
    await page.getByRole('button', { name: 'Create customer' }).click();
    const prompt = page.getByRole('dialog', { name: 'This customer may already exist' });
    await shown(prompt);
    const match = prompt.getByRole('listitem').filter({ hasText: '王芳' });
    await shown(match.getByText('Same phone'));
    await shown(match.getByRole('link', { name: 'Open' }));
    await snapshot(page, 'customers-duplicate-prompt');

    await match.getByRole('button', { name: 'Merge into this one' }).click();
    await page.waitForURL(`**/customers/${firstId}/merge?source=*`);
    secondId = new URL(page.url()).searchParams.get('source') ?? '';
    expect(secondId).toMatch(/^con_/);
    await shown(page.getByRole('heading', { name: 'Merge customers', level: 1 }));
    await shown(page.getByText('Fang Wang will be merged into 王芳.', { exact: false }));
  });

  it('merges after a note on the second record too, keeping both histories', async () => {
    // The second record has its own history before the merge.
    await page.getByRole('link', { name: 'Fang Wang' }).first().click();
    await page.waitForURL(`**/customers/${secondId}`);
    await shown(page.getByRole('heading', { name: 'Fang Wang', level: 1 }));
    await addNote(page, 'Fang Wang', 'Asked for a quote on 20 gift boxes.');
    await page.goBack();
    await shown(page.getByRole('heading', { name: 'Merge customers', level: 1 }));
    await snapshot(page, 'customers-merge-desktop');

    await page.getByRole('button', { name: 'Merge into 王芳' }).click();
    await page.waitForURL(`**/customers/${firstId}`);
    await shown(page.getByRole('heading', { name: '王芳', level: 1 }));
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await shown(timeline.getByText('Merged Fang Wang into 王芳'));
    await shown(timeline.getByText('Prefers oolong; call after 6 pm.'));
    await shown(timeline.getByText('Asked for a quote on 20 gift boxes.'));
    await snapshot(page, 'customers-merged-desktop');

    // The merged record's old link leads to the survivor.
    await page.goto(`/customers/${secondId}`);
    await page.waitForURL(`**/customers/${firstId}`);
    await shown(page.getByRole('heading', { name: '王芳', level: 1 }));

    // One customer remains with that phone, found by its last four digits.
    await page.goto('/customers?q=8000');
    await shown(page.getByRole('link', { name: '王芳' }));
    await shown(page.getByText('1 customer', { exact: true }));
    expect(await page.getByRole('table', { name: 'Customers' }).getByRole('row').count()).toBe(2);
    expect(await page.getByRole('link', { name: 'Fang Wang' }).count()).toBe(0);
  });

  it('says when a customer or a company is archived or in the bin, and brings them back', async () => {
    const company = await page.request.post('/api/v1/companies', { data: { name: 'Archived Teas' }, headers: { origin: baseURL } });
    const companyId: string = (await company.json()).id;
    const person = await page.request.post('/api/v1/contacts', { data: { name: 'Li Archive', force: true }, headers: { origin: baseURL } });
    const personId: string = (await person.json()).id;
    for (const [path, api] of [
      [`/customers/${personId}`, `/api/v1/contacts/${personId}`],
      [`/companies/${companyId}`, `/api/v1/companies/${companyId}`],
    ]) {
      expect((await page.request.post(`${api}/archive`, { headers: { origin: baseURL } })).status()).toBe(200);
      await page.goto(path);
      const archived = page.getByRole('status').filter({ hasText: 'Archived on' });
      await shown(archived);
      await archived.getByRole('button', { name: 'Unarchive' }).click();
      await archived.waitFor({ state: 'hidden' });

      expect((await page.request.delete(api, { headers: { origin: baseURL } })).status()).toBe(200);
      await page.reload();
      const inBin = page.getByRole('status').filter({ hasText: 'In the recycle bin since' });
      await shown(inBin);
      await inBin.getByRole('button', { name: 'Restore' }).click();
      await inBin.waitFor({ state: 'hidden' });
    }
  });

  it('fits a 360 px phone, where the list is cards', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    // Dark mode changes colours, not layout: it is only photographed, when screenshots are asked for.
    const schemes = process.env.E2E_SCREENSHOTS ? (['light', 'dark'] as const) : (['light'] as const);
    for (const scheme of schemes) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [path, name] of [
        ['/customers', 'list'],
        [`/customers/${firstId}`, 'detail'],
        ['/customers/new', 'form'],
        ['/companies', 'companies'],
      ] as const) {
        await page.goto(path);
        await page.waitForLoadState('networkidle');
        expect(await hasNoHorizontalOverflow(page), `${path} (${scheme})`).toBe(true);
        await snapshot(page, `customers-${name}-phone-${scheme}`);
      }
    }
    // A company's page shows its history, empty at first, then with a call logged for it, and fits the phone too.
    const company = await page.request.post('/api/v1/companies', { data: { name: 'Lotus Suppliers' }, headers: { origin: baseURL } });
    expect(company.status()).toBe(201);
    const companyId: string = (await company.json()).id;
    await page.goto(`/companies/${companyId}`);
    await shown(page.getByRole('heading', { name: 'History', level: 2 }));
    await shown(page.getByText('No history yet'));
    const call = await page.request.post('/api/v1/activities', { data: { type: 'call', companyId, body: 'Ordered 40 tins for spring.' }, headers: { origin: baseURL } });
    expect(call.status()).toBe(201);
    await page.reload();
    await shown(page.getByRole('list', { name: 'History' }).getByText('Ordered 40 tins for spring.'));
    expect(await hasNoHorizontalOverflow(page), 'company detail').toBe(true);
    // On a phone the list is a column of cards, not a table.
    await page.goto('/customers');
    await shown(page.getByRole('list', { name: 'Customers' }).getByRole('link', { name: '王芳' }));
    expect(await page.getByRole('table').count()).toBe(0);
  });
});
