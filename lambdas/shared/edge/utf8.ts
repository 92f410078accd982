/**
 * Strict UTF-8: bytes that are not UTF-8 are refused, never replaced with U+FFFD (a legal name
 * silently changed on an invoice is worse than a row sent back).
 */
import { EdgeInputError } from './edge-error.js';

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return strict.decode(bytes);
  } catch {
    throw new EdgeInputError('is not valid UTF-8', what);
  }
}

/** Whether `bytes` are valid UTF-8 (no exception, for row-by-row reports). */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where UTF-8 `bytes` first go wrong: `{ invalidAt }`, or `{ complete }`, the length of the
 * prefix made of whole characters (a character cut at the end is left for the next chunk).
 */
export function scanUtf8(bytes: Uint8Array): { invalidAt: number } | { complete: number } {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const size =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (size === 0) return { invalidAt: i };
    if (i + size > bytes.length) {
      // A cut character: valid so far only if what is there can still begin one.
      return isUtf8Prefix(bytes.subarray(i)) ? { complete: i } : { invalidAt: i };
    }
    if (!isUtf8(bytes.subarray(i, i + size))) return { invalidAt: i };
    i += size;
  }
  return { complete: i };
}

function isUtf8Prefix(bytes: Uint8Array): boolean {
  const streaming = new TextDecoder('utf-8', { fatal: true });
  try {
    streaming.decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}
