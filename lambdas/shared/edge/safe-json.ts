/**
 * The one JSON parser for anything that came from outside the process (request bodies, import
 * rows, cursors, stored objects read back): bytes decoded as strict UTF-8, size and nesting
 * depth checked before parsing, every object built with a null prototype, and the keys that
 * reach a prototype (`__proto__`, `constructor`, `prototype`) refused. Errors are EdgeInputError
 * naming what was wrong, never the engine's message with its position in someone else's text.
 */
import { EdgeInputError } from './edge-error.js';
import { decodeUtf8 } from './utf8.js';

/** Keys that reach an object's prototype when assigned or merged: refused everywhere. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export const isForbiddenKey = (key: string): boolean => FORBIDDEN_KEYS.has(key);

export interface SafeJsonLimits {
  /** Bytes (of the UTF-8 text) at most; default 1 MiB. */
  maxBytes?: number;
  /** Objects and arrays nested at most this deep; default 32. */
  maxDepth?: number;
}

const DEFAULT_MAX_BYTES = 1024 * 1024;
const DEFAULT_MAX_DEPTH = 32;

/** Deepest nesting of `[`/`{` outside strings; a linear scan, cheap next to JSON.parse. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/** A parsed value rebuilt with null-prototype objects; throws on a forbidden key. */
function rebuild(value: unknown, what: string, path: string): unknown {
  if (Array.isArray(value)) return value.map((item, i) => rebuild(item, what, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return value;
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    if (isForbiddenKey(key))
      throw new EdgeInputError(
        `has the key "${key}"${path ? ` in ${path}` : ''}, which is not accepted`,
        what,
      );
    out[key] = rebuild((value as Record<string, unknown>)[key], what, path ? `${path}.${key}` : key);
  }
  return out;
}

/**
 * JSON text -> a value whose objects have no prototype. `what` names the input in errors
 * ("row 3", "the request body", "cursor").
 */
export function parseJsonText(text: string, what: string, limits: SafeJsonLimits = {}): unknown {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  // UTF-16 length is at most the UTF-8 length, so this bound is checked without encoding.
  if (text.length > maxBytes || Buffer.byteLength(text, 'utf8') > maxBytes)
    throw new EdgeInputError(`is larger than ${maxBytes} bytes`, what);
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (nestingDepth(text) > maxDepth) throw new EdgeInputError(`nests deeper than ${maxDepth} levels`, what);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new EdgeInputError('is not JSON', what);
  }
  return rebuild(parsed, what, '');
}

/**
 * An object invoicer stored and reads back (a detail, a summary, a log entry, a run file): the
 * same checks, with no size limit of its own (its writer bounded it).
 */
export const parseStoredJson = (data: Uint8Array | string, what: string): unknown =>
  typeof data === 'string'
    ? parseJsonText(data, what, { maxBytes: Number.MAX_SAFE_INTEGER })
    : parseJsonBytes(data, what, { maxBytes: data.byteLength });

/** JSON bytes (strict UTF-8) -> a value whose objects have no prototype. */
export function parseJsonBytes(bytes: Uint8Array, what: string, limits: SafeJsonLimits = {}): unknown {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes.byteLength > maxBytes) throw new EdgeInputError(`is larger than ${maxBytes} bytes`, what);
  return parseJsonText(decodeUtf8(bytes, what), what, limits);
}
