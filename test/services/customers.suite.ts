// Customer services on both databases: search (FTS5 trigram), derived figures from orders, merge
// and the timeline rely on SQL that must behave the same on D1 and on libSQL.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../../worker/db/client';
import { contacts } from '../../worker/db/schema';
import type { Env } from '../../worker/env';
import type { Ctx } from '../../worker/lib/context';
import { signup } from '../../worker/modules/auth/auth.service';
import { actorFromSession } from '../../worker/modules/auth/session.service';
import { createContact, listContacts } from '../../worker/modules/contacts/contacts.service';
import { mergeContacts } from '../../worker/modules/contacts/contacts.merge';
import { createActivity } from '../../worker/modules/activities/activities.service';
import { createOrder } from '../../worker/modules/orders/orders.service';
import { timelineOf } from '../../worker/modules/history/timeline.service';

const env = {
  APP_NAME: 'Hearth',
  MAIL_TRANSPORT: 'outbox',
  MAIL_FROM: 'Hearth <no-reply@hearth.local>',
  SESSION_SECRET: 'test-session-secret-0123456789abcdef',
  FIELD_ENCRYPTION_KEY: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=',
} as Env;
const meta = { ip: null, userAgent: 'vitest', requestId: null, origin: 'http://localhost' };
let seq = 0;

/** Registers the customer service tests against one database. */
export function customerServiceSuite(label: string, getDb: () => Promise<Db> | Db) {
  async function ownerCtx(): Promise<Ctx> {
    const db = await getDb();
    const base = { db, env, meta, now: () => new Date() };
    const { token } = await signup(base, { workspaceName: '华茂', name: 'Owner', email: `cust.${Date.now()}.${++seq}@example.com`, password: 'correct horse battery' });
    return { ...base, actor: (await actorFromSession(db, token, new Date()))!.actor };
  }
  const list = (ctx: Ctx, q: string) => listContacts(ctx, { q, limit: 50, sort: '-updatedAt' });

  describe(`customer services on ${label}`, () => {
    it('finds a two-character Chinese name, a phone fragment and a note', async () => {
      const ctx = await ownerCtx();
      const wang = await createContact(ctx, { name: '王芳', phones: ['138 1234 5678'] });
      await createContact(ctx, { name: 'Li Na', emails: ['li.na@example.com'], phones: ['+86 139 0000 4321'] });
      await createActivity(ctx, { type: 'note', contactId: wang.id, body: '想要蓝色的款式' });
      expect((await list(ctx, '王芳')).items.map((c) => c.name)).toEqual(['王芳']);
      expect((await list(ctx, '4321')).items.map((c) => c.name)).toEqual(['Li Na']);
      expect((await list(ctx, '蓝色的')).items.map((c) => c.name)).toEqual(['王芳']);
    });

    it('keeps spend from paid orders and both histories through a merge', async () => {
      const ctx = await ownerCtx();
      const a = await createContact(ctx, { name: 'Zhang Wei', emails: ['zw@example.com'] });
      const b = await createContact(ctx, { name: 'Wei Zhang', phones: ['13700001111'] });
      await createOrder(ctx, { contactId: a.id, status: 'paid', currency: 'CNY', items: [{ name: 'Tea', quantity: 2, unitPrice: 5000 }] });
      await createOrder(ctx, { contactId: b.id, status: 'paid', currency: 'CNY', items: [{ name: 'Cups', quantity: 1, unitPrice: 3000 }] });
      await createActivity(ctx, { type: 'call', contactId: b.id, subject: 'Called about cups' });
      await mergeContacts(ctx, a.id, b.id);
      const row = await ctx.db.select().from(contacts).where(eq(contacts.id, a.id)).get();
      expect(row).toMatchObject({ totalSpent: 13000, orderCount: 2, lifecycle: 'customer' });
      expect(row!.phones).toEqual(['+8613700001111']);
      const timeline = await timelineOf(ctx, { type: 'contact', id: a.id }, { limit: 50 });
      const kinds = timeline.items.map((i: { kind: string }) => i.kind);
      expect(kinds.filter((k: string) => k === 'order')).toHaveLength(2);
      expect(kinds).toContain('activity');
    });
  });
}
