import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { hasNoHorizontalOverflow, launchBrowser, snapshot } from './browser';

const baseURL = inject('baseURL');
const zone = 'Asia/Shanghai';
const owner = { workspaceName: 'Jade Garden Florists', name: 'Zhou Min', email: 'owner@jade-garden.test', password: 'jade-password-1', timezone: zone, locale: 'en' };
const title = 'Call the hotel about the lobby flowers';

const shown = (locator: Locator) => locator.first().waitFor({ state: 'visible', timeout: 15_000 });

/** The wall clock in the workspace's zone: the form takes a local date and time. */
function localNow(): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(new Date())
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** A wall-clock time on a day in the workspace's zone as a UTC instant (Shanghai has no daylight saving). */
const zonedIso = (date: string, time: string) => new Date(`${date}T${time}:00+08:00`).toISOString();
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** One tick of the one-minute cron, as Cron Triggers would run it (`wrangler dev --test-scheduled`). */
async function tickCron() {
  const res = await fetch(`${baseURL}/__scheduled?cron=*+*+*+*+*`);
  expect(res.status).toBe(200);
}

const bell = (page: Page) => page.getByRole('complementary').getByRole('button', { name: /^Notifications/ });

/** What the bell says, after nudging it the way a person coming back to the window does (focus). */
async function bellLabel(page: Page): Promise<string | null> {
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  return bell(page).getAttribute('aria-label');
}

async function reminderEmails(page: Page): Promise<number> {
  const res = await page.request.get('/api/v1/outbox?limit=100');
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { items: { subject: string }[] };
  return body.items.filter((m) => m.subject.includes(title)).length;
}

describe('a task reminder due now reaches the bell and the outbox once', () => {
  let browser: Browser;
  let page: Page;
  let taskId = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    const context = await browser.newContext({ baseURL, locale: 'en-US', timezoneId: zone, viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    // The workspace comes from the API: the sign-up pages have their own browser test.
    const res = await page.request.post('/api/v1/auth/signup', { data: owner, headers: { origin: baseURL } });
    expect(res.status()).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('creates a task with a reminder at its due time, due now, from the form', async () => {
    await page.goto('/tasks');
    await shown(page.getByRole('heading', { name: 'My day', level: 1 }));
    await shown(page.getByText('Your day is clear'));
    expect(await bell(page).getAttribute('aria-label')).toBe('Notifications');

    await page.getByRole('link', { name: 'New task' }).click();
    await page.waitForURL('**/tasks/new');
    // A title is required: the API's message shows next to the field and nothing is created.
    await page.getByRole('button', { name: 'Create task' }).click();
    await shown(page.getByText('This field is required.'));

    await page.getByLabel('Title', { exact: true }).fill(title);
    await page.getByLabel('Type', { exact: true }).selectOption('call');
    expect(await page.getByLabel('At a time', { exact: true }).isChecked()).toBe(true);
    const now = localNow();
    await page.getByLabel('Date', { exact: true }).fill(now.date);
    await page.getByLabel('Time', { exact: true }).fill(now.time);
    // One reminder, at the due time (the form suggests 15 minutes before).
    await page.getByText('15 min before', { exact: true }).click();
    await page.getByText('At due time', { exact: true }).click();
    expect(await page.getByLabel('At due time', { exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel('15 min before', { exact: true }).isChecked()).toBe(false);
    await snapshot(page, 'tasks-form');
    await page.getByRole('button', { name: 'Create task' }).click();

    await page.waitForURL((url) => url.pathname === '/tasks');
    const row = page.locator('li[data-task-id]', { hasText: title });
    await shown(row);
    taskId = (await row.first().getAttribute('data-task-id')) ?? '';
    expect(taskId).toMatch(/\S/);
    await snapshot(page, 'tasks-my-day');
  });

  it('the cron tick delivers the reminder: the bell shows it without a reload, and the email is in the outbox', async () => {
    await tickCron();
    // The local queue consumer delivers after a short batch delay; the bell picks it up on its own.
    await expect.poll(() => bellLabel(page), { timeout: 30_000, interval: 500 }).toBe('Notifications, 1 unread');
    await expect.poll(() => page.getByTestId('unread-count').first().textContent()).toBe('1');

    await bell(page).click();
    const panel = page.getByRole('region', { name: 'Notifications' });
    await shown(panel.getByText(`Reminder: ${title}`));
    await snapshot(page, 'tasks-bell-open');
    await page.keyboard.press('Escape');

    expect(await reminderEmails(page)).toBe(1);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Outbox' }).click();
    await page.waitForURL('**/settings/outbox');
    await shown(page.getByRole('link', { name: `Reminder: ${title}` }));
    await snapshot(page, 'tasks-reminder-outbox');
  });

  it('a second cron tick delivers nothing new', async () => {
    const emailsBefore = await reminderEmails(page);
    await tickCron();
    // Nothing can be waited for when nothing should happen: watch for longer than the queue's
    // batch delay (1 s) that neither the bell nor the outbox changes.
    for (let i = 0; i < 8; i++) {
      expect(await bellLabel(page)).toBe('Notifications, 1 unread');
      expect(await reminderEmails(page)).toBe(emailsBefore);
      await page.waitForTimeout(750);
    }
    const list = await page.request.get('/api/v1/notifications');
    const items = ((await list.json()) as { items: { title: string }[] }).items;
    expect(items.filter((n) => n.title === `Reminder: ${title}`)).toHaveLength(1);
  });

  it('opening the notification leads to the task and marks it read', async () => {
    await bell(page).click();
    const panel = page.getByRole('region', { name: 'Notifications' });
    await panel.getByRole('link', { name: new RegExp(`Reminder: ${title}`) }).click();
    await page.waitForURL(`**/tasks/${taskId}`);
    await shown(page.getByRole('heading', { name: title, level: 1 }));
    await expect.poll(() => bell(page).getAttribute('aria-label')).toBe('Notifications');

    await page.goto('/notifications');
    await shown(page.getByRole('heading', { name: 'Notifications', level: 1 }));
    await shown(page.getByRole('list', { name: 'Notifications' }).getByText(`Reminder: ${title}`));
    await page.getByRole('tab', { name: 'Unread' }).click();
    await shown(page.getByText('All caught up'));
  });

  it('completes the task from My day with an outcome', async () => {
    await page.goto('/tasks');
    const row = page.locator(`li[data-task-id="${taskId}"]`);
    await shown(row);
    await row.getByRole('button', { name: `Complete “${title}”` }).click();
    const dialog = page.getByRole('dialog', { name: `Complete “${title}”` });
    await shown(dialog);
    await dialog.getByLabel('Outcome').fill('Booked white lilies for Friday');
    await dialog.getByRole('button', { name: 'Complete' }).click();
    await shown(page.getByText('Task completed.'));
    await expect.poll(() => row.count()).toBe(0);

    await page.goto('/tasks/list?status=done');
    await shown(page.getByText('Outcome: Booked white lilies for Friday'));
  });

  it('drags a task to another day and time in the week calendar', async () => {
    const today = localNow().date;
    const created = await page.request.post('/api/v1/tasks', {
      data: { title: 'Send the spring catalogue', type: 'email', dueAt: zonedIso(today, '10:00'), timezone: zone, reminderOffsets: [] },
      headers: { origin: baseURL },
    });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    // Another day of the same week (Monday-first), at 14:00.
    const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
    const target = addDays(today, weekday < 6 ? 1 : -1);

    await page.goto(`/tasks/calendar?view=week&date=${today}`);
    const chip = page.locator(`a[data-task-id="${id}"]`);
    await shown(chip);
    const from = (await chip.boundingBox())!;
    const column = (await page.locator(`[data-drop-kind="time"][data-drop-date="${target}"]`).boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(column.x + column.width / 2, column.y + 14 * 48 + 6, { steps: 12 });
    await page.mouse.up();
    await shown(page.getByText('“Send the spring catalogue” rescheduled.'));
    await expect.poll(() => page.locator(`[data-drop-date="${target}"] a[data-task-id="${id}"]`).count()).toBe(1);

    const stored = (await (await page.request.get(`/api/v1/tasks/${id}`)).json()) as { dueAt: string };
    expect(stored.dueAt).toBe(zonedIso(target, '14:00'));
    await snapshot(page, 'tasks-calendar-week');
    // The month view shows it on the new day too.
    await page.getByRole('button', { name: 'Month' }).click();
    await expect.poll(() => page.locator(`[data-drop-kind="day"][data-drop-date="${target}"] a[data-task-id="${id}"]`).count()).toBe(1);
    await snapshot(page, 'tasks-calendar-month');
  });

  it('reschedules from the task page with the keyboard, the drag’s alternative', async () => {
    await page.goto('/tasks/list?q=spring');
    await page.getByRole('link', { name: 'Send the spring catalogue' }).click();
    await page.waitForURL(/\/tasks\/tsk_/);
    const id = new URL(page.url()).pathname.split('/')[2];
    await page.getByRole('button', { name: 'Reschedule' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Reschedule “Send the spring catalogue”' });
    await shown(dialog);
    const day = addDays(localNow().date, 9);
    await dialog.getByLabel('Date', { exact: true }).fill(day);
    await dialog.getByLabel('Time', { exact: true }).fill('09:30');
    await dialog.getByLabel('Time', { exact: true }).press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await expect
      .poll(async () => ((await (await page.request.get(`/api/v1/tasks/${id}`)).json()) as { dueAt: string }).dueAt)
      .toBe(zonedIso(day, '09:30'));
  });

  it('keeps reminder preferences in the profile: a daily digest at 18:00 and quiet hours', async () => {
    await page.goto('/settings/profile');
    await shown(page.getByRole('heading', { name: 'Reminders' }));
    await page.getByLabel('One daily digest email').check();
    await page.getByLabel('Send the digest at').selectOption('18');
    await page.getByLabel('Hold reminder emails during quiet hours').check();
    await page.getByLabel('From', { exact: true }).fill('22:00');
    await page.getByLabel('Until', { exact: true }).fill('07:30');
    await page.getByRole('button', { name: 'Save reminder settings' }).click();
    await shown(page.getByText('Reminder settings saved.'));

    await page.reload();
    await shown(page.getByRole('heading', { name: 'Reminders' }));
    await expect.poll(() => page.getByLabel('One daily digest email').isChecked()).toBe(true);
    expect(await page.getByLabel('Send the digest at').inputValue()).toBe('18');
    expect(await page.getByLabel('From', { exact: true }).inputValue()).toBe('22:00');
    const prefs = (await (await page.request.get('/api/v1/me/reminder-preferences')).json()) as Record<string, unknown>;
    expect(prefs).toMatchObject({ emailMode: 'digest', digestHour: 18, quietStart: '22:00', quietEnd: '07:30' });
  });

  it('a follow-up plan started by hand gives the owner its first step as a task', async () => {
    const contact = await page.request.post('/api/v1/contacts', { data: { name: 'Lin Yue' }, headers: { origin: baseURL } });
    expect(contact.status()).toBe(201);
    const contactId = ((await contact.json()) as { id: string }).id;

    await page.goto('/settings/follow-ups');
    await shown(page.getByRole('heading', { name: 'Follow-ups', level: 1 }));
    await shown(page.getByText('No follow-up plans yet'));
    await page.getByRole('button', { name: 'New plan' }).click();
    const dialog = page.getByRole('dialog', { name: 'New plan' });
    await shown(dialog);
    await dialog.getByLabel('Name', { exact: true }).fill('Welcome new customers');
    await dialog.getByLabel('Title', { exact: true }).fill('Welcome call');
    await dialog.getByRole('button', { name: 'Add a step' }).click();
    await dialog.getByLabel('Day', { exact: true }).nth(1).fill('7');
    await dialog.getByLabel('Type', { exact: true }).nth(1).selectOption('visit');
    await dialog.getByLabel('Title', { exact: true }).nth(1).fill('Visit the shop');
    await dialog.getByRole('button', { name: 'Save plan' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await shown(page.getByText('Day 7 · Visit: Visit the shop'));

    await page.getByRole('button', { name: 'Customers', exact: true }).click();
    await page.getByRole('combobox', { name: 'Start for a customer' }).fill('Lin');
    await page.getByRole('option', { name: 'Lin Yue' }).click();
    await shown(page.getByText('Plan started for Lin Yue.'));
    await shown(page.getByRole('list', { name: 'Customers in Welcome new customers' }).getByRole('link', { name: 'Lin Yue' }));
    await shown(page.getByText('Running'));
    await snapshot(page, 'tasks-follow-ups');

    // Day 1 is today: its task is the customer's owner's at once, in My day, linked to the customer.
    // (Later steps become tasks when their day comes: the server's tests cover the days.)
    await page.goto('/tasks');
    const row = page.getByRole('list', { name: 'Today' }).locator('li', { hasText: 'Welcome call' });
    await shown(row);
    await shown(row.getByRole('link', { name: 'Lin Yue' }));

    // Completing it puts the outcome on the customer's timeline.
    await row.getByRole('button', { name: 'Complete “Welcome call”' }).click();
    const complete = page.getByRole('dialog', { name: 'Complete “Welcome call”' });
    await complete.getByLabel('Outcome').fill('Wants a weekly bouquet');
    await complete.getByRole('button', { name: 'Complete' }).click();
    await shown(page.getByText('Task completed.'));
    await page.goto(`/customers/${contactId}`);
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await shown(timeline.getByText('Outcome: Wants a weekly bouquet'));
    await shown(timeline.getByText('Welcome call'));
  });

  it('turns on a data reminder and shows an empty failed-jobs list', async () => {
    await page.goto('/settings/follow-ups');
    await page.getByLabel('No contact with a customer').check();
    await page.getByRole('spinbutton').first().fill('45');
    await page.getByRole('button', { name: 'Save reminders' }).click();
    await shown(page.getByText('Data reminders saved.'));
    const rules = ((await (await page.request.get('/api/v1/settings/reminders')).json()) as { rules: { kind: string; isEnabled: boolean; days: number }[] }).rules;
    expect(rules.find((r) => r.kind === 'no_contact')).toMatchObject({ isEnabled: true, days: 45 });

    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Failed jobs' }).click();
    await shown(page.getByText('Nothing has failed'));
  });

  it('shows a viewer the tasks without ways to change them, and a rep only their own', async () => {
    /** Invites a colleague and signs them in (in their own browser context) from the emailed link. */
    async function colleague(email: string, role: 'viewer' | 'rep'): Promise<Page> {
      const invited = await page.request.post('/api/v1/invitations', { data: { email, role }, headers: { origin: baseURL } });
      expect(invited.status()).toBe(201);
      const outbox = (await (await page.request.get('/api/v1/outbox?limit=100')).json()) as { items: { id: string; toAddress: string }[] };
      const message = outbox.items.find((m) => m.toAddress === email)!;
      const { textBody } = (await (await page.request.get(`/api/v1/outbox/${message.id}`)).json()) as { textBody: string };
      const token = decodeURIComponent(/token=([^\s&]+)/.exec(textBody)![1]);
      const context = await browser.newContext({ baseURL, locale: 'en-US', timezoneId: zone, viewport: { width: 1280, height: 800 } });
      const other = await context.newPage();
      const accepted = await other.request.post('/api/v1/auth/invitations/accept', { data: { token, name: role === 'rep' ? 'Ma Lei' : 'Guo Jing', password: 'colleague-pass-1' }, headers: { origin: baseURL } });
      expect(accepted.status()).toBeLessThan(300);
      return other;
    }

    const viewer = await colleague('viewer@jade-garden.test', 'viewer');
    onTestFinished(() => viewer.context().close());
    await viewer.goto('/tasks/list?status=all');
    const row = viewer.locator('li[data-task-id]', { hasText: 'Send the spring catalogue' });
    await shown(row);
    expect(await viewer.getByRole('link', { name: 'New task' }).count()).toBe(0);
    expect(await row.getByRole('button', { name: /^Actions for/ }).count()).toBe(0);
    await row.getByRole('link', { name: 'Send the spring catalogue' }).click();
    await shown(viewer.getByRole('heading', { name: 'Send the spring catalogue', level: 1 }));
    expect(await viewer.getByLabel('Title', { exact: true }).isDisabled()).toBe(true);
    expect(await viewer.getByRole('button', { name: /Save task|Complete|Delete/ }).count()).toBe(0);
    const ownersTask = new URL(viewer.url()).pathname;

    const rep = await colleague('rep@jade-garden.test', 'rep');
    onTestFinished(() => rep.context().close());
    await rep.goto('/tasks/list?status=all');
    await shown(rep.getByText('No tasks match'));
    // Another person's task does not exist for a rep.
    await rep.goto(ownersTask);
    await shown(rep.getByText('This could not be loaded'));
  });

  it('shows the calendar and My day on a phone without sideways scrolling', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    // Each page once its content is in (not just its heading).
    const pages: [string, string][] = [
      ['/tasks', 'li[data-task-id], h3:text("Your day is clear")'],
      ['/tasks/calendar', '[data-drop-kind="day"] a[data-task-id]'],
      ['/tasks/calendar?view=week', '[data-drop-kind="allday"]'],
      ['/tasks/list?status=all', 'li[data-task-id]'],
      ['/tasks/new', 'textarea'],
      ['/notifications', 'li[data-unread], ul li'],
      ['/settings/follow-ups', 'text=Welcome new customers'],
      ['/settings/profile', 'text=Save reminder settings'],
      ['/settings/failed-jobs', 'text=Nothing has failed'],
    ];
    for (const [path, ready] of pages) {
      await page.goto(path);
      await shown(page.locator(ready));
      expect(await hasNoHorizontalOverflow(page), path).toBe(true);
      await snapshot(page, `tasks-phone-${path.replace(/\W+/g, '-')}`);
    }
  });
});
