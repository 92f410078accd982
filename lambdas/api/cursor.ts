/**
 * Opaque page cursors: the DynamoDB key after a page, with the listing it belongs to, as
 * base64url JSON. A cursor is accepted only by the listing that made it (same customer, same
 * period and status), so one customer's cursor never opens another's list.
 */
import { API_ERROR, ApiError } from './errors.js';

interface CursorBody {
  /** The listing: `customer:<id>` or `period:<YYYY-MM>:<status|*>`. */
  s: string;
  k: Record<string, unknown>;
}

export function encodeCursor(scope: string, key: Record<string, unknown>): string {
  const body: CursorBody = { s: scope, k: key };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/**
 * The key a cursor resumes from; a cursor that is malformed, of another listing, or whose key
 * leaves the listing's partition (`bound`: attributes the key must have) is a 400.
 */
export function decodeCursor(
  scope: string,
  cursor: string,
  bound: Record<string, string>,
): Record<string, unknown> {
  let body: Partial<CursorBody> | null;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorBody>;
  } catch {
    body = null;
  }
  const key = body?.k;
  const values = key && typeof key === 'object' ? Object.values(key) : [];
  if (
    body?.s !== scope ||
    !key ||
    Array.isArray(key) ||
    values.length === 0 ||
    !values.every((v) => typeof v === 'string') ||
    Object.entries(bound).some(([name, value]) => (key as Record<string, unknown>)[name] !== value)
  ) {
    throw new ApiError(API_ERROR.badCursor, 'cursor is not one this listing gave out');
  }
  return key as Record<string, unknown>;
}
