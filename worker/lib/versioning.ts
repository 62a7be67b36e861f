import type { Context } from 'hono';
import { AppError, badRequest } from './errors';

/**
 * The version a PATCH expects, from `If-Match` (`"3"`, `W/"3"` or `3`). Shared records require it,
 * so that a stale edit is refused with 412 instead of overwriting a colleague's change.
 */
export function requiredVersion(c: Context): number {
  const header = c.req.header('if-match');
  if (!header) throw new AppError(428, 'precondition_required', 'Send If-Match with the version you edited.', { errors: [{ field: 'If-Match', message: 'Required.', code: 'required' }] });
  const match = header.trim().match(/^(?:W\/)?"?(\d+)"?$/);
  if (!match) throw badRequest('invalid_if_match', 'If-Match must be the record version, e.g. "3".', [{ field: 'If-Match', message: 'Not a version.', code: 'invalid' }]);
  return Number(match[1]);
}

/** The ETag for a versioned record. */
export const etag = (version: number) => `"${version}"`;
