import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { APIRequestContext, Browser, Locator, Page } from 'playwright-core';
import { hasNoHorizontalOverflow, launchBrowser, snapshot } from './browser';

const baseURL = inject('baseURL');
const zone = 'Asia/Shanghai';
const owner = { workspaceName: 'Bamboo Tea House', name: 'Gao Lan', email: 'owner@bamboo-tea.test', password: 'bamboo-password-1', timezone: zone, locale: 'en' };
const customerName = 'Xu Ming';
const companyName = 'Xu Family Teas';
const dealName = 'Autumn tasting menu';

const shown = (locator: Locator) => locator.first().waitFor({ state: 'visible', timeout: 15_000 });
/** The "Open tasks" card of a record page (a card is a section headed by its title). */
const tasksCard = (page: Page) => page.locator('section', { has: page.getByRole('heading', { name: /^Open tasks/, level: 2 }) });
const taskRow = (card: Locator, title: string) => card.locator('li[data-task-id]', { hasText: title });

async function api<T>(request: APIRequestContext, method: 'get' | 'post', path: string, data?: unknown): Promise<T> {
  const res = await request[method](`/api/v1${path}`, { data, headers: { origin: baseURL } });
  expect(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
}

/** Today in the workspace's zone, and a day some days from it (Shanghai has no daylight saving). */
function localToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('follow-ups on the customer, company and deal pages', () => {
  let browser: Browser;
  let page: Page;
  let contactId = '';
  let companyId = '';
  let dealId = '';
  const dayAfterTomorrow = addDays(localToday(), 2);

  beforeAll(async () => {
    browser = await launchBrowser();
    // The browser runs in UTC while the person works in Shanghai: times must show in the person's zone.
    const context = await browser.newContext({ baseURL, locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    const res = await page.request.post('/api/v1/auth/signup', { data: owner, headers: { origin: baseURL } });
    expect(res.status()).toBe(201);
    const company = await api<{ id: string }>(page.request, 'post', '/companies', { name: companyName });
    companyId = company.id;
    const contact = await api<{ id: string }>(page.request, 'post', '/contacts', { name: customerName, companyId });
    contactId = contact.id;
    const pipelines = await api<{ items: { id: string; stages: { id: string; kind: string }[] }[] }>(page.request, 'get', '/pipelines');
    const pipeline = pipelines.items[0];
    const deal = await api<{ id: string }>(page.request, 'post', '/deals', { name: dealName, pipelineId: pipeline.id, stageId: pipeline.stages[0].id, contactId, amount: 880000 });
    dealId = deal.id;
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('"New task" on a customer opens the form with the customer filled in, and the saved task shows in the customer\'s Open tasks', async () => {
    await page.goto(`/customers/${contactId}`);
    const card = tasksCard(page);
    await shown(card.getByText('No open tasks.', { exact: false }));
    // The quick actions' "Add a task" leads to the same form.
    expect(await page.getByRole('toolbar').getByRole('link', { name: 'Add a task' }).getAttribute('href')).toContain(`contactId=${contactId}`);

    await card.getByRole('link', { name: 'New task' }).click();
    await page.waitForURL((url) => url.pathname === '/tasks/new' && url.searchParams.get('contactId') === contactId);
    // The customer is chosen already (shown as a chip that can be removed).
    await shown(page.getByRole('button', { name: `Remove ${customerName}` }));

    await page.getByLabel('Title', { exact: true }).fill('Call about the autumn order');
    await page.getByLabel('Type', { exact: true }).selectOption('call');
    await page.getByLabel('All day', { exact: true }).check();
    await page.getByLabel('Date', { exact: true }).fill(dayAfterTomorrow);
    await page.getByRole('button', { name: 'Create task' }).click();

    // Saving goes back to the customer, where the task is listed with its day, type and assignee.
    await page.waitForURL((url) => url.pathname === `/customers/${contactId}`);
    const row = taskRow(tasksCard(page), 'Call about the autumn order');
    await shown(row);
    const day = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${dayAfterTomorrow}T00:00:00Z`));
    await shown(row.getByText(`${day} · all day`));
    await shown(row.getByText('Call', { exact: true }));
    await shown(row.getByText(`Assigned to ${owner.name}`));

    const stored = await api<{ items: { title: string; contactId: string; companyId: string; dueDate: string | null; dueAt: string | null }[] }>(page.request, 'get', `/tasks?contactId=${contactId}`);
    expect(stored.items).toEqual([expect.objectContaining({ title: 'Call about the autumn order', contactId, companyId, dueDate: dayAfterTomorrow, dueAt: null })]);
    await snapshot(page, 'followups-customer-open-tasks');
  });

  it('a timed task shows its time in the person\'s zone, not the browser\'s', async () => {
    // 15:30 in Shanghai is 07:30 UTC: the browser's own zone would show 7:30 AM.
    const dueAt = new Date(`${dayAfterTomorrow}T15:30:00+08:00`).toISOString();
    await api(page.request, 'post', '/tasks', { title: 'Visit the shop with samples', type: 'visit', dueAt, contactId, reminderOffsets: [] });
    await page.goto(`/customers/${contactId}`);
    const row = taskRow(tasksCard(page), 'Visit the shop with samples');
    await shown(row);
    await shown(row.getByText('3:30 PM', { exact: false }));
    expect(await row.innerText()).not.toContain('7:30');
    await shown(row.getByText('Visit', { exact: true }));
  });

  it('the company page lists its people\'s open tasks too', async () => {
    await page.goto(`/companies/${companyId}`);
    const card = tasksCard(page);
    await shown(taskRow(card, 'Call about the autumn order'));
    await shown(taskRow(card, 'Visit the shop with samples'));
    expect(await card.getByRole('link', { name: 'New task' }).getAttribute('href')).toContain(`companyId=${companyId}`);
  });

  it('"Done" asks what happened, removes the task from Open tasks and puts the outcome on the timeline', async () => {
    await page.goto(`/customers/${contactId}`);
    const card = tasksCard(page);
    const row = taskRow(card, 'Call about the autumn order');
    await shown(row);
    await row.getByRole('button', { name: 'Mark “Call about the autumn order” done' }).click();
    const dialog = page.getByRole('dialog', { name: 'Done: “Call about the autumn order”' });
    await shown(dialog);
    await dialog.getByLabel('Outcome').fill('Ordered 20 kg of oolong');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await shown(page.getByText('Task done.'));
    await expect.poll(() => row.count()).toBe(0);
    await shown(taskRow(card, 'Visit the shop with samples'));
    await shown(page.getByText('Ordered 20 kg of oolong'));

    const open = await api<{ items: { title: string }[] }>(page.request, 'get', `/tasks?contactId=${contactId}&status=open`);
    expect(open.items.map((t) => t.title)).toEqual(['Visit the shop with samples']);
    const done = await api<{ items: { title: string; outcome: string | null }[] }>(page.request, 'get', `/tasks?contactId=${contactId}&status=done`);
    expect(done.items).toEqual([expect.objectContaining({ title: 'Call about the autumn order', outcome: 'Ordered 20 kg of oolong' })]);
  });

  it('"New task" on a deal fills in the deal and its customer, and the task shows on the deal', async () => {
    await page.goto(`/pipeline/${dealId}`);
    const card = tasksCard(page);
    await shown(card.getByText('No open tasks.', { exact: false }));
    await card.getByRole('link', { name: 'New task' }).click();
    await page.waitForURL((url) => url.pathname === '/tasks/new' && url.searchParams.get('dealId') === dealId);
    await shown(page.getByRole('button', { name: `Remove ${dealName}` }));
    await shown(page.getByRole('button', { name: `Remove ${customerName}` }));
    await page.getByLabel('Title', { exact: true }).fill('Send the tasting menu quote');
    await page.getByLabel('Type', { exact: true }).selectOption('email');
    await page.getByRole('button', { name: 'Create task' }).click();

    await page.waitForURL((url) => url.pathname === `/pipeline/${dealId}`);
    const row = taskRow(tasksCard(page), 'Send the tasting menu quote');
    await shown(row);
    await shown(row.getByText('Email', { exact: true }));
    const stored = await api<{ items: { dealId: string; contactId: string }[] }>(page.request, 'get', `/tasks?dealId=${dealId}`);
    expect(stored.items).toEqual([expect.objectContaining({ dealId, contactId })]);
  });

  it('fits a 360 px phone in dark mode without sideways scrolling', async () => {
    const phone = await browser.newContext({ baseURL, locale: 'en-US', timezoneId: zone, viewport: { width: 360, height: 780 }, colorScheme: 'dark' });
    try {
      await phone.addCookies(await page.context().cookies());
      const small = await phone.newPage();
      for (const path of [`/customers/${contactId}`, `/companies/${companyId}`, `/pipeline/${dealId}`]) {
        await small.goto(path);
        await shown(tasksCard(small).locator('li[data-task-id]'));
        expect(await small.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true);
        expect(await hasNoHorizontalOverflow(small), path).toBe(true);
      }
      await small.goto(`/customers/${contactId}`);
      await shown(tasksCard(small).locator('li[data-task-id]'));
      await snapshot(small, 'followups-customer-phone-dark');
    } finally {
      await phone.close();
    }
  });
});
