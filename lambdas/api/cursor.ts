/**
 * Page cursors, authenticated: the DynamoDB key after a page, with the listing it belongs to, as
 * base64url JSON followed by an HMAC-SHA256 (128 bits) over both under the deployment's cursor
 * key (a secret of its own: Secrets Manager on AWS, a file in the data dir locally). A cursor is
 * accepted only if the API made it, for the same listing (same customer, same period and status),
 * so a forged or edited cursor is a 400 before any DynamoDB call, and one customer's cursor never
 * opens another's list. Cursors do not expire; rotating the key ends every open one.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { EdgeInputError } from '../shared/edge/edge-error.js';
import { parseJsonBytes } from '../shared/edge/safe-json.js';
import { API_ERROR, ApiError } from './errors.js';

/** Bytes of the HMAC kept in a cursor. */
const MAC_BYTES = 16;
/** A cursor is a DynamoDB key of a few short strings: anything longer is refused unread. */
export const MAX_CURSOR_CHARS = 2048;
const CURSOR_FORMAT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/;

interface CursorBody {
  /** The listing: `customer:<id>` or `period:<YYYY-MM>:<status|*>`. */
  s: string;
  k: Record<string, string>;
}

const mac = (key: Buffer, body: string): Buffer =>
  createHmac('sha256', key).update(`invoicer-cursor|${body}`).digest().subarray(0, MAC_BYTES);

export function encodeCursor(key: Buffer, scope: string, lastKey: Record<string, unknown>): string {
  const body = Buffer.from(JSON.stringify({ s: scope, k: lastKey }), 'utf8').toString('base64url');
  return `${body}.${mac(key, body).toString('base64url')}`;
}

const refused = (): ApiError => new ApiError(API_ERROR.badCursor, 'cursor is not one this listing gave out');

/**
 * The key a cursor resumes from; a cursor that is malformed, not signed with this deployment's
 * key, of another listing, or whose key leaves the listing's partition (`bound`: attributes the
 * key must have) is a 400.
 */
export function decodeCursor(
  key: Buffer,
  scope: string,
  cursor: string,
  bound: Record<string, string>,
): Record<string, string> {
  if (cursor.length > MAX_CURSOR_CHARS || !CURSOR_FORMAT.test(cursor)) throw refused();
  const [body, signature] = cursor.split('.') as [string, string];
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== MAC_BYTES || !timingSafeEqual(given, mac(key, body))) throw refused();
  let parsed: unknown;
  try {
    parsed = parseJsonBytes(Buffer.from(body, 'base64url'), 'cursor', {
      maxBytes: MAX_CURSOR_CHARS,
      maxDepth: 2,
    });
  } catch (error) {
    if (error instanceof EdgeInputError) throw refused();
    throw error;
  }
  const { s, k } = (parsed ?? {}) as Partial<CursorBody>;
  const values = k !== null && typeof k === 'object' && !Array.isArray(k) ? Object.values(k) : [];
  if (
    s !== scope ||
    values.length === 0 ||
    !values.every((v) => typeof v === 'string') ||
    Object.entries(bound).some(([name, value]) => k![name] !== value)
  )
    throw refused();
  return k!;
}
