import { and, asc, desc, gt, lt, or, eq, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import { badRequest } from './errors';

/** `?limit=` (default 50, max 200) and an opaque `cursor`, shared by every list. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type PageQuery = z.infer<typeof pageQuery>;

export type Page<T> = { items: T[]; nextCursor: string | null };

type CursorValue = { k: string | number; id: string };

function encodeCursor(value: CursorValue): string {
  return btoa(unescape(encodeURIComponent(JSON.stringify(value)))).replace(/=+$/, '');
}

/** The position a page's cursor names (400 when it is not one this API issued), or null on the first page. */
export const cursorOf = (page: PageQuery): CursorValue | null => (page.cursor ? decodeCursor(page.cursor) : null);

function decodeCursor(cursor: string): CursorValue {
  try {
    const value = JSON.parse(decodeURIComponent(escape(atob(cursor))));
    if ((typeof value.k === 'string' || typeof value.k === 'number') && typeof value.id === 'string') return value;
  } catch {
    /* fall through to the 400 below */
  }
  throw badRequest('invalid_cursor', 'The cursor is not valid; start again from the first page.', [
    { field: 'cursor', message: 'Not a cursor this API issued.', code: 'invalid' },
  ]);
}

/**
 * Keyset pagination over (sortColumn, id): the page reads only the rows it returns, plus one to
 * know whether there is a next page. Never an OFFSET, never a COUNT.
 */
export function keyset(
  page: PageQuery,
  sortColumn: SQLiteColumn,
  idColumn: SQLiteColumn,
  direction: 'asc' | 'desc' = 'desc',
  /** The cursor's position given as-is (e.g. placeholders for a statement built once), instead of decoding `page.cursor`. */
  after?: { k: unknown; id: unknown },
): { where: SQL | undefined; orderBy: SQL[]; limit: number } {
  const cmp = direction === 'desc' ? lt : gt;
  const order = direction === 'desc' ? desc : asc;
  let where: SQL | undefined;
  const position = after ?? (page.cursor ? decodeCursor(page.cursor) : null);
  if (position) {
    const { k, id } = position;
    where = or(cmp(sortColumn, k), and(eq(sortColumn, k), cmp(idColumn, id)));
  }
  return { where, orderBy: [order(sortColumn), order(idColumn)], limit: page.limit + 1 };
}

/** Cuts the extra row off and turns the last row into the next cursor. */
export function toPage<T>(rows: T[], page: PageQuery, key: (row: T) => { k: string | number; id: string }): Page<T> {
  const hasMore = rows.length > page.limit;
  const items = hasMore ? rows.slice(0, page.limit) : rows;
  return { items, nextCursor: hasMore ? encodeCursor(key(items[items.length - 1])) : null };
}
