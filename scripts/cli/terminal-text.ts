/**
 * Text from outside (customer ids, names, reasons, error messages quoting input) made safe for a
 * terminal: control characters (C0, DEL, C1: ESC sequences, newlines, carriage returns) and the
 * bidirectional overrides that reorder what a reader sees are shown as visible escapes (`\x1b`,
 * `\n`, `\u202e`), so no value can recolour the screen, move the cursor, or print a line of its own.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is this module's purpose
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escape(char: string): string {
  const named = NAMED[char];
  if (named !== undefined) return named;
  const code = char.codePointAt(0)!;
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

export const printable = (text: string): string => text.replace(UNSAFE, escape);

/** Every string inside a value made printable (for text output built from records). */
export function printableDeep<T>(value: T): T {
  if (typeof value === 'string') return printable(value) as T;
  if (Array.isArray(value)) return value.map(printableDeep) as T;
  if (value !== null && typeof value === 'object') {
    // No prototype: a value's own `__proto__` key stays a key.
    const out = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(value)) out[k] = printableDeep(v);
    return out as T;
  }
  return value;
}
