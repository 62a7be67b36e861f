import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { hasNoHorizontalOverflow, launchBrowser, snapshot } from './browser';

const baseURL = inject('baseURL');
const owner = { workspace: 'Acme Trading', name: 'Li Wei', email: 'owner@acme.test', password: 'owner-password-1' };
const rep = { name: 'Sam Rivera', email: 'sam@acme.test', password: 'rep-password-12' };

const shown = (locator: Locator) => locator.first().waitFor({ state: 'visible', timeout: 15_000 });
const htmlLang = (page: Page) => page.evaluate(() => document.documentElement.lang);

describe('the SPA is served for every app path', () => {
  it('answers / and a deep link with the app shell', async () => {
    for (const path of ['/', '/customers/x', '/settings/users']) {
      const res = await fetch(baseURL + path, { headers: { accept: 'text/html' } });
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html, path).toContain('<div id="app">');
      expect(html, path).toMatch(/<script type="module"[^>]+src="\/assets\//);
    }
  });
});

describe('an owner invites a rep who works in another language', () => {
  let browser: Browser;
  let ownerContext: BrowserContext;
  let repContext: BrowserContext;
  let ownerPage: Page;
  let repPage: Page;
  let invitationLink = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    ownerContext = await browser.newContext({ baseURL, locale: 'en-US', viewport: { width: 1280, height: 800 } });
    ownerPage = await ownerContext.newPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('signs up the owner with Chinese chosen as the UI language', async () => {
    await ownerPage.goto('/signup');
    await shown(ownerPage.getByRole('heading', { name: 'Create your workspace' }));
    await ownerPage.getByLabel('Language').selectOption('zh-CN');
    await shown(ownerPage.getByRole('heading', { name: '创建您的工作区' }));
    expect(await htmlLang(ownerPage)).toBe('zh-CN');

    // A password that is too short comes back from the API and is shown next to its field.
    await ownerPage.getByLabel('公司名称').fill(owner.workspace);
    await ownerPage.getByLabel('您的姓名').fill(owner.name);
    await ownerPage.getByLabel('工作邮箱').fill(owner.email);
    await ownerPage.getByLabel('密码').fill('short');
    await ownerPage.getByRole('button', { name: '创建工作区' }).click();
    await shown(ownerPage.getByText('密码至少需要 10 个字符。'));

    await ownerPage.getByLabel('密码').fill(owner.password);
    await ownerPage.getByRole('button', { name: '创建工作区' }).click();
    await ownerPage.waitForURL('**/customers');
    await shown(ownerPage.getByRole('heading', { name: '客户', level: 1 }));
    await snapshot(ownerPage, 'owner-customers-desktop');

    // The choice is saved with the account: a fresh load is still in Chinese.
    await ownerPage.reload();
    await shown(ownerPage.getByRole('heading', { name: '客户', level: 1 }));
    expect(await htmlLang(ownerPage)).toBe('zh-CN');
    await ownerPage.goto('/settings/profile');
    await expect.poll(() => ownerPage.getByLabel('语言').inputValue()).toBe('zh-CN');
  });

  it('invites a rep from Settings and finds the link in the Outbox', async () => {
    await ownerPage.getByRole('navigation', { name: '设置' }).getByRole('link', { name: '成员' }).click();
    await ownerPage.waitForURL('**/settings/users');
    await shown(ownerPage.getByRole('cell', { name: owner.email }));
    await ownerPage.getByRole('button', { name: '邀请成员' }).click();
    const dialog = ownerPage.getByRole('dialog', { name: '邀请同事' });
    await shown(dialog);
    await dialog.getByLabel('邮箱').fill(rep.email);
    expect(await dialog.getByLabel('角色').inputValue()).toBe('rep');
    await dialog.getByRole('button', { name: '发送邀请' }).click();
    await shown(ownerPage.getByText(`已向 ${rep.email} 发送邀请。`));
    const invitationRow = ownerPage.getByRole('row').filter({ hasText: rep.email });
    await shown(invitationRow.getByText('待接受'));
    await snapshot(ownerPage, 'owner-users-desktop');

    await ownerPage.getByRole('navigation', { name: '设置' }).getByRole('link', { name: '发件箱' }).click();
    await ownerPage.waitForURL('**/settings/outbox');
    const message = ownerPage.getByRole('row').filter({ hasText: rep.email }).getByRole('link');
    await shown(message);
    await message.click();
    await ownerPage.waitForURL(/\/settings\/outbox\/.+/);
    const link = ownerPage.getByRole('link', { name: /\/accept-invitation\?token=/ });
    await shown(link);
    invitationLink = (await link.getAttribute('href')) ?? '';
    expect(invitationLink.startsWith(`${baseURL}/accept-invitation?token=`)).toBe(true);
    await snapshot(ownerPage, 'owner-outbox-message');
  });

  it('lets the rep accept in English and sign in again', async () => {
    repContext = await browser.newContext({ baseURL, locale: 'en-US', viewport: { width: 1280, height: 800 } });
    repPage = await repContext.newPage();
    await repPage.goto(invitationLink);
    await shown(repPage.getByRole('heading', { name: `Join ${owner.workspace}` }));
    await shown(repPage.getByText('Sales rep'));
    await shown(repPage.getByText(rep.email));
    expect(await htmlLang(repPage)).toBe('en');
    await repPage.getByLabel('Your name').fill(rep.name);
    await repPage.getByLabel('Choose a password').fill(rep.password);
    await repPage.getByRole('button', { name: 'Accept and join' }).click();
    await repPage.waitForURL('**/customers');
    await shown(repPage.getByRole('heading', { name: 'Customers', level: 1 }));

    await repPage.getByRole('button', { name: 'Sign out' }).click();
    await repPage.waitForURL('**/login');
    await repPage.getByLabel('Email').fill(rep.email);
    await repPage.getByLabel('Password').fill(rep.password);
    await repPage.getByRole('button', { name: 'Sign in' }).click();
    await repPage.waitForURL('**/customers');
    await shown(repPage.getByRole('heading', { name: 'Customers', level: 1 }));
    await shown(repPage.getByText(rep.name));
    expect(await htmlLang(repPage)).toBe('en');

    // Meanwhile the owner's UI stays in Chinese.
    await ownerPage.goto('/customers');
    await shown(ownerPage.getByRole('heading', { name: '客户', level: 1 }));
    await shown(ownerPage.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '销售管道' }));
  });

  it('keeps user management from the rep', async () => {
    await repPage.goto('/settings/profile');
    const settingsNav = repPage.getByRole('navigation', { name: 'Settings' });
    await shown(settingsNav.getByRole('link', { name: 'Profile' }));
    expect(await settingsNav.getByRole('link', { name: 'Users' }).count()).toBe(0);
    expect(await settingsNav.getByRole('link', { name: 'Audit log' }).count()).toBe(0);

    await repPage.goto('/settings/users');
    await shown(repPage.getByRole('heading', { name: 'You do not have access to this page' }));
    expect(await repPage.getByRole('button', { name: 'Invite someone' }).count()).toBe(0);
    expect(await repPage.getByText(owner.email).count()).toBe(0);
  });

  it('renders deep links inside the layout and fits a 360 px phone', async () => {
    await repPage.setViewportSize({ width: 360, height: 740 });
    await repPage.goto('/customers/x');
    await shown(repPage.getByRole('heading', { name: 'Customer', level: 1 }));
    await shown(repPage.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Pipeline' }));
    expect(repPage.url()).toBe(`${baseURL}/customers/x`);
    for (const path of ['/customers/x', '/pipeline', '/settings/profile', '/settings/teams', '/settings/api']) {
      await repPage.goto(path);
      await repPage.waitForLoadState('networkidle');
      expect(await hasNoHorizontalOverflow(repPage), path).toBe(true);
    }
    await snapshot(repPage, 'rep-settings-phone');

    await ownerPage.setViewportSize({ width: 360, height: 740 });
    for (const path of ['/settings/users', '/settings/audit', '/settings/outbox', '/settings/workspace']) {
      await ownerPage.goto(path);
      await ownerPage.waitForLoadState('networkidle');
      expect(await hasNoHorizontalOverflow(ownerPage), path).toBe(true);
    }
    await snapshot(ownerPage, 'owner-workspace-phone');
  });
});
