import { and, eq, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { companies, contacts } from '../../db/schema';
import type { Ctx } from '../../lib/context';
import { invalid, type FieldError } from '../../lib/errors';
import { companyVisibleTo } from '../companies/companies.service';
import { contactVisibleTo } from '../contacts/contacts.service';

/** Activities, orders and tickets: rows that hang off a contact and/or a company. */
export type LinkedTable = { workspaceId: SQLiteColumn; contactId: SQLiteColumn; companyId: SQLiteColumn };

const visibleContactExists = (ctx: Pick<Ctx, 'actor'>, idColumn: SQLiteColumn) =>
  sql`exists (select 1 from ${contacts} where ${contacts.id} = ${idColumn} and ${contactVisibleTo(ctx)} and ${contacts.mergedIntoId} is null)`;

const visibleCompanyExists = (ctx: Pick<Ctx, 'actor'>, idColumn: SQLiteColumn) =>
  sql`exists (select 1 from ${companies} where ${companies.id} = ${idColumn} and ${companyVisibleTo(ctx)})`;

/**
 * A history row is visible exactly when the record it belongs to is: its contact when it has one,
 * else its company. The contact wins when both are set, so a company page never reveals what was
 * said to a person the reader may not see.
 */
export function linkedVisibleTo(ctx: Pick<Ctx, 'actor'>, table: LinkedTable): SQL {
  return and(
    eq(table.workspaceId, ctx.actor.workspaceId),
    or(
      and(isNotNull(table.contactId), visibleContactExists(ctx, table.contactId)),
      and(isNull(table.contactId), isNotNull(table.companyId), visibleCompanyExists(ctx, table.companyId)),
    ),
  )!;
}

export type Link = { contactId: string | null; companyId: string | null };

/**
 * Checks the contact and company a new history row points at. The contact must be visible (and
 * not deleted); its company is filled in when none is given, so the company's timeline shows what
 * happened with its people. A company given alone must be visible, since it then decides who sees
 * the row; beside a contact it only has to exist.
 */
export async function resolveLink(ctx: Ctx, input: { contactId?: string | null; companyId?: string | null }): Promise<Link> {
  const errors: FieldError[] = [];
  let companyId = input.companyId ?? null;
  let contactId: string | null = null;
  if (input.contactId) {
    const contact = await ctx.db
      .select({ id: contacts.id, companyId: contacts.companyId })
      .from(contacts)
      .where(and(eq(contacts.id, input.contactId), contactVisibleTo(ctx), isNull(contacts.deletedAt), isNull(contacts.mergedIntoId)))
      .get();
    if (!contact) errors.push({ field: 'contactId', message: 'No such customer.', code: 'not_found' });
    else {
      contactId = contact.id;
      companyId ??= contact.companyId;
    }
  }
  if (input.companyId) {
    const company = await ctx.db
      .select({ id: companies.id })
      .from(companies)
      .where(
        and(
          eq(companies.id, input.companyId),
          input.contactId ? eq(companies.workspaceId, ctx.actor.workspaceId) : companyVisibleTo(ctx),
          isNull(companies.deletedAt),
          isNull(companies.mergedIntoId),
        ),
      )
      .get();
    if (!company) errors.push({ field: 'companyId', message: 'No such company.', code: 'not_found' });
  }
  if (!input.contactId && !input.companyId) errors.push({ field: 'contactId', message: 'Choose a customer or a company.', code: 'required' });
  if (errors.length) throw invalid(errors);
  return { contactId, companyId };
}
