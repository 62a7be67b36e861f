import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { outbox } from '../db/schema';
import type { Db, Statement } from '../db/client';
import type { Env } from '../env';
import { newId } from './ids';

export type MailMessage = {
  workspaceId: string | null;
  kind: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
};

type OutboxRow = typeof outbox.$inferSelect;

/** How a message leaves the system. Locally ("outbox") nothing leaves: the outbox is the inbox. */
export interface MailTransport {
  readonly name: Env['MAIL_TRANSPORT'];
  send(message: OutboxRow, from: string): Promise<void>;
}

const keptLocally: MailTransport = { name: 'outbox', send: async () => {} };

function httpTransport(name: 'resend' | 'postmark', apiKey: string | undefined): MailTransport {
  return {
    name,
    async send(m, from) {
      if (!apiKey) throw new Error(`MAIL_API_KEY is required for MAIL_TRANSPORT=${name}`);
      const res =
        name === 'resend'
          ? await fetch('https://api.resend.com/emails', {
              method: 'POST',
              headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'idempotency-key': m.id },
              body: JSON.stringify({ from, to: [m.toAddress], subject: m.subject, text: m.textBody, html: m.htmlBody ?? undefined }),
            })
          : await fetch('https://api.postmarkapp.com/email', {
              method: 'POST',
              headers: { 'x-postmark-server-token': apiKey, 'content-type': 'application/json', accept: 'application/json' },
              body: JSON.stringify({ From: from, To: m.toAddress, Subject: m.subject, TextBody: m.textBody, HtmlBody: m.htmlBody ?? undefined }),
            });
      if (!res.ok) throw new Error(`${name} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    },
  };
}

function encodeHeader(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${btoa(String.fromCharCode(...new TextEncoder().encode(value)))}?=`;
}

function base64Lines(text: string): string {
  const b64 = btoa(String.fromCharCode(...new TextEncoder().encode(text)));
  return b64.replace(/.{1,76}/g, '$&\r\n');
}

/** A minimal RFC 5322 message, as Cloudflare's send_email binding takes raw MIME. */
export function toMime(m: Pick<OutboxRow, 'id' | 'toAddress' | 'subject' | 'textBody'>, from: string, now: Date): string {
  const domain = from.match(/@([^>\s]+)/)?.[1] ?? 'hearth.local';
  return [
    `From: ${from}`,
    `To: ${m.toAddress}`,
    `Subject: ${encodeHeader(m.subject)}`,
    `Message-ID: <${m.id}@${domain}>`,
    `Date: ${now.toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(m.textBody),
  ].join('\r\n');
}

function cloudflareTransport(env: Env): MailTransport {
  return {
    name: 'cloudflare',
    async send(m, from) {
      if (!env.EMAIL) throw new Error('the EMAIL (send_email) binding is missing');
      const { EmailMessage } = await import('cloudflare:email');
      const sender = from.match(/<([^>]+)>/)?.[1] ?? from;
      await env.EMAIL.send(new EmailMessage(sender, m.toAddress, toMime(m, from, new Date())));
    },
  };
}

export function transportFor(env: Env): MailTransport {
  switch (env.MAIL_TRANSPORT) {
    case 'cloudflare':
      return cloudflareTransport(env);
    case 'resend':
    case 'postmark':
      return httpTransport(env.MAIL_TRANSPORT, env.MAIL_API_KEY);
    default:
      return keptLocally;
  }
}

/**
 * The Mailer: every message is written to the outbox (in the caller's batch, so a message exists
 * exactly when the change that caused it does) and delivered from the queue.
 */
export class Mailer {
  constructor(
    private readonly db: Db,
    private readonly env: Env,
    private readonly now: () => Date,
    private readonly transport: MailTransport = transportFor(env),
  ) {}

  /** The outbox row for a message; run it in the same batch as the change. */
  compose(message: MailMessage): { id: string; statement: Statement } {
    const id = newId('msg', this.now().getTime());
    const isLocal = this.transport.name === 'outbox';
    const statement = this.db.insert(outbox).values({
      id,
      workspaceId: message.workspaceId,
      kind: message.kind,
      toAddress: message.to,
      subject: message.subject,
      textBody: message.text,
      htmlBody: message.html ?? null,
      status: isLocal ? 'kept' : 'queued',
      transport: this.transport.name,
      createdAt: this.now().toISOString(),
    });
    return { id, statement };
  }

  /**
   * Like compose(), but the row is written only if `condition` holds when the batch runs. After a
   * claim in the same batch (e.g. `update … set email_message_id = :id where email_message_id is
   * null`), a condition on that claim makes the message exactly-once however often a job retries.
   */
  composeIf(message: MailMessage, condition: (id: string) => SQL, id = newId('msg', this.now().getTime())): { id: string; statement: Statement } {
    const status = this.transport.name === 'outbox' ? 'kept' : 'queued';
    // Columns in the outbox's declared order: the builder inserts into all of them.
    const statement = this.db.insert(outbox).select(
      sql`select ${id}, ${message.workspaceId}, ${message.kind}, ${message.to}, ${message.subject}, ${message.text}, ${message.html ?? null},
        ${status}, ${this.transport.name}, 0, null, ${this.now().toISOString()}, null where ${condition(id)}`,
    );
    return { id, statement };
  }

  /**
   * After the batch committed: hand the messages to the queue for delivery. `known` carries the
   * messages just composed, by id, so that the local outbox needs no read to print them.
   */
  async dispatch(ids: string[], known: Record<string, MailMessage> = {}): Promise<void> {
    if (ids.length === 0) return;
    if (this.transport.name === 'outbox') {
      // With no mail transport configured (local use), the terminal running `npm start` is the
      // only place a locked-out user can find their reset link: the outbox page needs a sign-in.
      const unknown = ids.filter((id) => !known[id]);
      const rows = unknown.length ? await this.db.select().from(outbox).where(inArray(outbox.id, unknown)) : [];
      const printed = [...ids.filter((id) => known[id]).map((id) => ({ to: known[id].to, subject: known[id].subject, text: known[id].text })), ...rows.map((m) => ({ to: m.toAddress, subject: m.subject, text: m.textBody }))];
      for (const m of printed) console.log(`[outbox] to ${m.to}: ${m.subject}\n${m.text}`);
      return;
    }
    await this.env.JOBS.sendBatch(ids.map((id) => ({ body: { type: 'mail.deliver', key: id, payload: { id } } })));
  }

  /** Delivers one queued message; a message already sent is not sent again. */
  async deliver(id: string): Promise<'sent' | 'skipped'> {
    const row = await this.db.select().from(outbox).where(eq(outbox.id, id)).get();
    if (!row || row.status !== 'queued') return 'skipped';
    try {
      await this.transport.send(row, this.env.MAIL_FROM);
    } catch (err) {
      await this.db
        .update(outbox)
        .set({ attempts: row.attempts + 1, error: String(err instanceof Error ? err.message : err).slice(0, 500) })
        .where(eq(outbox.id, id));
      throw err;
    }
    await this.db
      .update(outbox)
      .set({ status: 'sent', attempts: row.attempts + 1, error: null, sentAt: this.now().toISOString() })
      .where(and(eq(outbox.id, id), eq(outbox.status, 'queued')));
    return 'sent';
  }

  /** Marks a message that exhausted its retries. */
  async markFailed(id: string): Promise<void> {
    await this.db.update(outbox).set({ status: 'failed' }).where(and(eq(outbox.id, id), eq(outbox.status, 'queued')));
  }
}
