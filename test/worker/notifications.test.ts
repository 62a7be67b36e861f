import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Env } from '../../worker/env';
import { getDb } from '../../worker/db/client';
import { notify, type NotifyInput } from '../../worker/modules/notifications/notifications.service';
import { api, apiKey, json, problem, signup, userWithRole, type Session } from './helpers';

type Notification = { id: string; kind: string; title: string; body: string | null; link: string | null; readAt: string | null; createdAt: string };
type Page = { items: Notification[]; nextCursor: string | null };

let owner: Session;
let rep: Session;
let stranger: Session;

const deps = async () => ({ db: await getDb(env as Env), env: env as Env, now: () => new Date() });

const dealAssigned = (userId: string, workspaceId: string, key: string, email = true): NotifyInput => ({
  workspaceId,
  userId,
  kind: 'deal.assigned',
  key,
  link: '/pipeline/deals/dl_1',
  email,
  message: (locale) => (locale === 'en' ? { title: 'New deal: Acme renewal', body: 'Assigned to you.' } : { title: '新商机：Acme 续约', body: '已分配给您。' }),
});

const outboxTo = (address: string) =>
  env.DB.prepare('select subject, text_body from outbox where to_address = ? order by created_at').bind(address).all<{ subject: string; text_body: string }>();

beforeAll(async () => {
  owner = await signup({ workspaceName: 'Bell Co', locale: 'en' });
  rep = await userWithRole(owner, 'rep');
  stranger = await signup({ workspaceName: 'Elsewhere' });
});

describe('notify()', () => {
  it('creates one bell entry and one email per key, however often it is called', async () => {
    const d = await deps();
    const input = dealAssigned(rep.me.user.id, owner.me.workspace.id, `test:once:${rep.me.user.id}`);
    const results = await Promise.all([notify(d, input), notify(d, input)]);
    expect(await notify(d, input)).toBe(false);
    expect(results.filter(Boolean)).toHaveLength(1);

    const page = await json<Page>(await api('/notifications', { as: rep }), 200);
    expect(page.items.filter((n) => n.kind === 'deal.assigned')).toHaveLength(1);
    const mails = (await outboxTo(rep.email)).results.filter((m) => m.subject.includes('Acme'));
    expect(mails).toHaveLength(1);
  });

  it('writes in the recipient language and links to the record', async () => {
    const zh = await signup({ workspaceName: '中文公司' });
    const d = await deps();
    await notify(d, dealAssigned(zh.me.user.id, zh.me.workspace.id, `test:zh:${zh.me.user.id}`));
    const [n] = (await json<Page>(await api('/notifications', { as: zh }), 200)).items;
    expect(n).toMatchObject({ title: '新商机：Acme 续约', link: '/pipeline/deals/dl_1', readAt: null });
    const [mail] = (await outboxTo(zh.email)).results.filter((m) => m.subject.includes('Acme'));
    expect(mail.text_body).toContain('您好');
    expect(mail.text_body).toContain('/pipeline/deals/dl_1');
  });

  it('sends nothing to a deactivated user or to someone in another workspace', async () => {
    const d = await deps();
    expect(await notify(d, dealAssigned(stranger.me.user.id, owner.me.workspace.id, 'test:cross'))).toBe(false);
    const gone = await userWithRole(owner, 'rep');
    await json(await api(`/users/${gone.me.user.id}/deactivate`, { as: owner, method: 'POST' }), 200);
    expect(await notify(d, dealAssigned(gone.me.user.id, owner.me.workspace.id, 'test:gone'))).toBe(false);
    expect((await outboxTo(gone.email)).results.filter((m) => m.subject.includes('Acme'))).toHaveLength(0);
  });
});

describe('the bell API', () => {
  it('counts unread, marks one and then all read, only for the caller', async () => {
    const d = await deps();
    const me = await userWithRole(owner, 'rep');
    for (const i of [1, 2, 3]) await notify(d, dealAssigned(me.me.user.id, owner.me.workspace.id, `test:bell:${me.me.user.id}:${i}`, false));
    expect(await json(await api('/notifications/unread-count', { as: me }), 200)).toEqual({ unread: 3 });

    const page = await json<Page>(await api('/notifications?limit=2', { as: me }), 200);
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).not.toBeNull();
    await problem(await api(`/notifications/${page.items[0].id}/read`, { as: rep, method: 'POST' }), 404);
    const read = await json<Notification>(await api(`/notifications/${page.items[0].id}/read`, { as: me, method: 'POST' }), 200);
    expect(read.readAt).not.toBeNull();
    expect(await json(await api('/notifications/unread-count', { as: me }), 200)).toEqual({ unread: 2 });
    expect((await json<Page>(await api('/notifications?unread=1', { as: me }), 200)).items).toHaveLength(2);

    expect(await json(await api('/notifications/read-all', { as: me, method: 'POST' }), 200)).toEqual({ updated: 2 });
    expect(await json(await api('/notifications/unread-count', { as: me }), 200)).toEqual({ unread: 0 });
  });

  it('needs a signed-in user', async () => {
    await problem(await api('/notifications'), 401);
    const key = await apiKey(owner, ['contacts:read']);
    await problem(await api('/notifications', { headers: { Authorization: `Bearer ${key.key}` } }), 403);
  });

  it('rejects a bad query with the field named', async () => {
    const p = await problem(await api('/notifications?unread=maybe', { as: rep }), 422);
    expect(p.errors?.map((e) => e.field)).toContain('unread');
  });
});
