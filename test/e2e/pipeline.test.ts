import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { APIRequestContext, Browser, Locator, Page } from 'playwright-core';
import { hasNoHorizontalOverflow, launchBrowser, snapshot } from './browser';

const baseURL = inject('baseURL');
const owner = { workspaceName: 'Kite Studio', name: 'Lin Mei', email: 'owner@kite-studio.test', password: 'kite-password-1' };

const shown = (locator: Locator) => locator.first().waitFor({ state: 'visible', timeout: 15_000 });
const column = (page: Page, stage: string) => page.getByRole('region', { name: stage, exact: true });
const total = (col: Locator, which: 'count' | 'amount' | 'weighted') => col.locator(`[data-total="${which}"]`).innerText();
const card = (col: Locator, name: string) => col.getByRole('listitem').filter({ has: col.page().getByRole('link', { name, exact: true }) });

async function api<T>(request: APIRequestContext, method: 'get' | 'post', path: string, data?: unknown): Promise<T> {
  const res = await request[method](`/api/v1${path}`, { data, headers: { origin: baseURL } });
  expect(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
}

/**
 * Presses the mouse on the card and carries it to the column in small steps; a column out of
 * sight is reached the way a person does it, by holding the card at the board's edge until the
 * board has scrolled it into view.
 */
async function dragWithMouse(page: Page, from: Locator, to: Locator) {
  const a = (await from.boundingBox())!;
  const y = a.y + a.height / 2;
  await page.mouse.move(a.x + a.width / 2, y);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 20, y + 5, { steps: 4 });
  const board = (await page.getByRole('group', { name: /^Board of / }).boundingBox())!;
  for (let i = 0; i < 200; i++) {
    const b = (await to.boundingBox())!;
    if (b.x >= board.x - 1 && b.x + b.width <= board.x + board.width + 1) {
      await page.mouse.move(b.x + b.width / 2, b.y + 80, { steps: 12 });
      break;
    }
    await page.mouse.move(b.x > board.x ? board.x + board.width - 8 : board.x + 8, y, { steps: 2 });
  }
  await page.mouse.up();
}

type Stage = { id: string; name: string; kind: 'open' | 'won' | 'lost' };

describe('moving deals across the pipeline board', () => {
  let browser: Browser;
  let page: Page;
  let stages: Stage[] = [];
  let redesignId = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    const context = await browser.newContext({ baseURL, locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    const res = await page.request.post('/api/v1/auth/signup', { data: owner, headers: { origin: baseURL } });
    expect(res.status()).toBe(201);
    // The deals come from the API: the form has its own checks below.
    const pipelines = await api<{ items: { id: string; stages: Stage[] }[] }>(page.request, 'get', '/pipelines');
    stages = pipelines.items[0].stages;
    const lead = stages[0].id;
    // Board totals add up the deals in the workspace's currency.
    const { workspace } = await api<{ workspace: { currency: string } }>(page.request, 'get', '/me');
    const currency = workspace.currency;
    redesignId = (await api<{ id: string }>(page.request, 'post', '/deals', { name: 'Website redesign', stageId: lead, amount: 1_200_000, currency, expectedCloseOn: '2026-12-15' })).id;
    await api(page.request, 'post', '/deals', { name: 'Brand workshop', stageId: lead, amount: 300_000, currency });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('drags a deal to the next stage with the mouse: totals change, the move is recorded, and it stays after a reload', async () => {
    const [first, second] = stages;
    await page.goto('/pipeline');
    const from = column(page, first.name);
    const to = column(page, second.name);
    await shown(card(from, 'Website redesign'));
    expect(await total(from, 'count')).toBe('2');
    expect(await total(from, 'amount')).toContain('15,000.00');
    expect(await total(to, 'count')).toBe('0');
    await snapshot(page, 'pipeline-board-desktop');

    await dragWithMouse(page, card(from, 'Website redesign'), to);
    await shown(card(to, 'Website redesign'));
    await expect.poll(() => total(to, 'count')).toBe('1');
    expect(await total(to, 'amount')).toContain('12,000.00');
    expect(await total(from, 'count')).toBe('1');
    expect(await total(from, 'amount')).toContain('3,000.00');
    expect(await total(from, 'amount')).not.toContain('15,000.00');
    // The server confirmed the move.
    await shown(page.getByText(`Website redesign moved to ${second.name}`));

    await page.reload();
    await shown(card(column(page, second.name), 'Website redesign'));
    expect(await total(column(page, second.name), 'count')).toBe('1');
    expect(await card(column(page, first.name), 'Website redesign').count()).toBe(0);

    await card(column(page, second.name), 'Website redesign').getByRole('link', { name: 'Website redesign' }).click();
    await page.waitForURL(`**/pipeline/${redesignId}`);
    await shown(page.getByRole('heading', { name: 'Website redesign', level: 1 }));
    await shown(page.getByRole('list', { name: 'Stage moves' }).getByText(`${first.name} → ${second.name}`));
    await snapshot(page, 'pipeline-deal-desktop');
  });

  it('moves a deal from the keyboard: Space picks up, arrows choose, Space drops', async () => {
    const [first, , third] = stages;
    await page.goto('/pipeline');
    const workshop = card(column(page, first.name), 'Brand workshop');
    await shown(workshop);
    // Arrows walk the board: right to the next column with deals, and back.
    await workshop.focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('Website redesign');
    await page.keyboard.press('ArrowLeft');
    expect(await page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('Brand workshop');
    await page.keyboard.press('Space');
    await shown(page.getByText(`Picked up Brand workshop in ${first.name}`, { exact: false }));
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await shown(page.getByText(`Brand workshop over ${third.name}.`));
    await page.keyboard.press('Space');
    await shown(card(column(page, third.name), 'Brand workshop'));
    await shown(page.getByText(`Brand workshop moved to ${third.name}`));
    expect(await total(column(page, third.name), 'count')).toBe('1');
    expect(await total(column(page, first.name), 'count')).toBe('0');
    // Focus stays on the moved card, so that it can be moved on at once.
    expect(await page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('Brand workshop');

    const deals = await api<{ items: { name: string; stageId: string }[] }>(page.request, 'get', '/deals');
    expect(deals.items.find((d) => d.name === 'Brand workshop')?.stageId).toBe(stages[2].id);
  });

  it('asks for the reason when a deal is dropped on a lost stage; Escape leaves it where it was', async () => {
    const lost = stages.find((s) => s.kind === 'lost')!;
    const third = stages[2];
    await page.goto('/pipeline');
    const workshop = card(column(page, third.name), 'Brand workshop');
    await shown(workshop);
    const dialog = page.getByRole('dialog', { name: `Brand workshop → ${lost.name}: why was it lost?` });
    await dragWithMouse(page, workshop, column(page, lost.name));
    await shown(dialog);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await card(column(page, third.name), 'Brand workshop').count()).toBe(1);
    expect(await total(column(page, lost.name), 'count')).toBe('0');

    await dragWithMouse(page, workshop, column(page, lost.name));
    await shown(dialog);
    await dialog.getByRole('button', { name: 'Mark as lost' }).click();
    await shown(dialog.getByText('This field is required.'));
    await dialog.getByRole('button', { name: 'Chose a competitor' }).click();
    await dialog.getByRole('button', { name: 'Mark as lost' }).click();
    await shown(card(column(page, lost.name), 'Brand workshop'));
    await shown(page.getByText(`Brand workshop moved to ${lost.name}`));
    const deals = await api<{ items: { name: string; status: string; lostReason: string | null }[] }>(page.request, 'get', '/deals');
    expect(deals.items.find((d) => d.name === 'Brand workshop')).toMatchObject({ status: 'lost', lostReason: 'Chose a competitor' });
  });

  it('moves a deal by touch on a phone: hold the card, carry it past the edge, the board scrolls, let go', async () => {
    const [first, second] = stages;
    await api(page.request, 'post', '/deals', { name: 'Tea ceremony kit', stageId: first.id, amount: 20_000 });
    const phone = await browser.newContext({ baseURL, locale: 'en-US', timezoneId: 'UTC', viewport: { width: 390, height: 800 }, hasTouch: true, isMobile: true, storageState: await page.context().storageState() });
    const p = await phone.newPage();
    try {
      await p.goto('/pipeline');
      const held = card(column(p, first.name), 'Tea ceremony kit');
      await shown(held);
      const box = (await held.boundingBox())!;
      const y = box.y + 20;
      // Real touch events (not mouse events dressed up): the browser's own scrolling is in play.
      const cdp = await phone.newCDPSession(p);
      const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x = 0, ty = 0) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y: ty }] });
      await touch('touchStart', box.x + box.width / 2, y);
      // Held still, the card lifts (a copy follows the finger).
      await p.waitForFunction(() => [...document.body.children].some((n) => n.getAttribute('aria-hidden') === 'true' && (n as HTMLElement).style.position === 'fixed'));
      const board = (await p.getByRole('group', { name: /^Board of / }).boundingBox())!;
      const target = column(p, second.name);
      for (let i = 0; i < 200; i++) {
        const b = (await target.boundingBox())!;
        if (b.x >= board.x - 1 && b.x + b.width <= board.x + board.width + 1) {
          await touch('touchMove', b.x + b.width / 2, y + 40);
          break;
        }
        await touch('touchMove', board.x + board.width - 6, y);
      }
      await touch('touchEnd');
      await shown(card(column(p, second.name), 'Tea ceremony kit'));
      await shown(p.getByText(`Tea ceremony kit moved to ${second.name}`));
      expect(await hasNoHorizontalOverflow(p)).toBe(true);
    } finally {
      await phone.close();
    }
  });

  it('refuses a move based on a stale card, says so and shows the deal as it is now', async () => {
    const [first, second] = stages;
    const deal = await api<{ id: string; version: number }>(page.request, 'post', '/deals', { name: 'Spring catalogue', stageId: first.id, amount: 50_000 });
    await page.goto('/pipeline');
    const from = column(page, first.name);
    await shown(card(from, 'Spring catalogue'));
    // A colleague renames it while this board is open.
    const res = await page.request.patch(`/api/v1/deals/${deal.id}`, { data: { name: 'Spring catalogue 2027' }, headers: { origin: baseURL, 'if-match': `"${deal.version}"` } });
    expect(res.status()).toBe(200);
    await dragWithMouse(page, card(from, 'Spring catalogue'), column(page, second.name));
    await shown(page.getByText('Spring catalogue was changed by someone else meanwhile', { exact: false }));
    await shown(card(from, 'Spring catalogue 2027'));
    expect(await card(column(page, second.name), 'Spring catalogue 2027').count()).toBe(0);
    const after = await api<{ stageId: string }>(page.request, 'get', `/deals/${deal.id}`);
    expect(after.stageId).toBe(first.id);
  });

  it('creates a deal from the form, naming the field that needs fixing', async () => {
    await page.goto('/pipeline/new');
    await shown(page.getByRole('heading', { name: 'New deal', level: 1 }));
    await page.getByLabel('Deal name').fill('Annual retainer');
    await page.getByLabel('Amount').fill('12,5x');
    await page.getByRole('button', { name: 'Create deal' }).click();
    await shown(page.getByText('Please correct the fields marked below.'));
    await expect.poll(() => page.getByLabel('Amount').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Amount').fill('8,800');
    await page.getByLabel('Expected close').fill('2027-01-31');
    await page.getByRole('button', { name: 'Create deal' }).click();
    await page.waitForURL(/\/pipeline\/deal_[^/]+$/);
    await shown(page.getByRole('heading', { name: 'Annual retainer', level: 1 }));
    await shown(page.getByText('Jan 31, 2027'));
  });

  it('fits a 360 px phone: the board scrolls inside itself, the page does not', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    for (const [path, name] of [
      ['/pipeline', 'board'],
      ['/pipeline/list', 'list'],
      [`/pipeline/${redesignId}`, 'deal'],
      ['/pipeline/new', 'form'],
      ['/reports/forecast', 'forecast'],
      ['/settings/pipelines', 'settings'],
    ] as const) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      expect(await hasNoHorizontalOverflow(page), path).toBe(true);
      await snapshot(page, `pipeline-${name}-phone`);
    }
    await page.setViewportSize({ width: 1400, height: 900 });
  });
  it('shows the forecast by month as a chart and a table', async () => {
    await page.goto('/reports');
    await page.getByRole('link', { name: /^Forecast/ }).click();
    await page.waitForURL('**/reports/forecast');
    await shown(page.getByRole('img', { name: 'Won, weighted and best case per month' }));
    // The default period starts this month; the deal closes in December 2026 whatever today is.
    await page.goto('/reports/forecast?from=2026-12&to=2027-01');
    const table = page.getByRole('table', { name: 'By month' });
    // Website redesign: 12,000.00 expected in December, in the second stage (25 %).
    const december = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Dec 2026' }) });
    await shown(december);
    expect(await december.innerText()).toContain('3,000.00');
    expect(await december.innerText()).toContain('12,000.00');
  });

  it('reassigns selected deals from the list in one go', async () => {
    // A colleague joins through an invitation (its link comes from the outbox).
    await api(page.request, 'post', '/invitations', { email: 'wei@kite-studio.test', role: 'rep' });
    const outbox = await api<{ items: { id: string }[] }>(page.request, 'get', '/outbox');
    const message = JSON.stringify(await api(page.request, 'get', `/outbox/${outbox.items[0].id}`));
    const token = /token=([\w-]+)/.exec(message)?.[1] ?? '';
    const other = await browser.newContext({ baseURL });
    const accepted = await other.request.post('/api/v1/auth/invitations/accept', { data: { token, name: 'Wei Zhang', password: 'wei-password-1' }, headers: { origin: baseURL } });
    expect(accepted.status()).toBe(201);
    await other.close();

    await page.goto('/pipeline/list');
    const table = page.getByRole('table', { name: 'Deals' });
    await shown(table.getByRole('link', { name: 'Website redesign' }));
    await table.getByRole('checkbox', { name: 'Select Website redesign' }).check();
    await table.getByRole('checkbox', { name: 'Select Annual retainer' }).check();
    await page.getByRole('region', { name: 'Selection' }).getByRole('button', { name: 'Reassign' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reassign 2 deals' });
    await shown(dialog);
    await dialog.getByLabel('Owner').selectOption({ label: 'Wei Zhang' });
    await dialog.getByRole('button', { name: 'Reassign' }).click();
    await shown(page.getByText('2 deals now belong to Wei Zhang'));
    await shown(table.getByRole('row').filter({ hasText: 'Website redesign' }).getByText('Wei Zhang'));
    await shown(table.getByRole('row').filter({ hasText: 'Annual retainer' }).getByText('Wei Zhang'));
    expect(await table.getByRole('row').filter({ hasText: 'Tea ceremony kit' }).getByText('Wei Zhang').count()).toBe(0);
  });

  it('removes a stage in the settings, moving its deals to the stage picked', async () => {
    const [, second, third] = stages;
    await page.goto('/settings/pipelines');
    const rows = page.getByRole('list', { name: /^Stages of / });
    await shown(rows.getByRole('form', { name: second.name }));
    await rows.getByRole('button', { name: `Remove ${second.name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Remove the stage ${second.name}?` });
    await shown(dialog);
    await dialog.getByLabel('Move its deals to').selectOption({ label: `${third.name} (Open)` });
    await dialog.getByRole('button', { name: 'Remove stage' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await rows.getByRole('form', { name: second.name }).count()).toBe(0);

    await page.goto('/pipeline');
    await shown(card(column(page, third.name), 'Website redesign'));
    expect(await column(page, second.name).count()).toBe(0);
    await card(column(page, third.name), 'Website redesign').getByRole('link', { name: 'Website redesign' }).click();
    await shown(page.getByRole('list', { name: 'Stage moves' }).getByText(`${second.name} → ${third.name}`));
  });
});
