/**
 * Whether the embedded fonts can print a text: a name, address or item text with a character no
 * font has would print as an empty box, and an invoice must state the buyer's name legibly. Import
 * and compute refuse such a record with the field and the character named. The coverage is a
 * generated table (glyph-coverage.generated.ts), so the check needs no font files.
 */
import { InvalidInputError } from '../errors.js';
import { COVERED_RANGES } from './glyph-coverage.generated.js';
import { needsNoGlyph } from './glyphless.js';

let starts: Uint32Array | undefined;
let ends: Uint32Array | undefined;

function load(): void {
  const ranges = COVERED_RANGES.split(',').map((range) => {
    const [a, b = a] = range.split('-') as [string, string?];
    return [parseInt(a, 36), parseInt(b, 36)] as const;
  });
  starts = Uint32Array.from(ranges.map((r) => r[0]));
  ends = Uint32Array.from(ranges.map((r) => r[1]));
}

/** Whether some embedded font has a glyph for the code point. */
export function isPrintable(codePoint: number): boolean {
  if (starts === undefined) load();
  let low = 0;
  let high = starts!.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (codePoint < starts![mid]!) high = mid - 1;
    else if (codePoint > ends![mid]!) low = mid + 1;
    else return true;
  }
  return false;
}

/** The distinct characters of `text` that no embedded font prints, in order of appearance. */
export function unprintableCharacters(text: string): string[] {
  const found: string[] = [];
  for (const char of text) {
    if (needsNoGlyph(char) || isPrintable(char.codePointAt(0)!)) continue;
    if (!found.includes(char)) found.push(char);
  }
  return found;
}

const describe = (char: string): string =>
  `"${char}" (U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;

/** Refuse a text the fonts cannot print, naming the field and the characters. */
export function checkPrintable(text: string, where: string): void {
  const missing = unprintableCharacters(text);
  if (missing.length === 0) return;
  throw new InvalidInputError(
    `${missing.slice(0, 3).map(describe).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}: no font of the invoice prints ${missing.length === 1 ? 'this character' : 'these characters'}`,
    where,
  );
}

/** Every text of an invoice (names, addresses, items, notes) must be printable; `where` prefixes the path. */
export function checkPrintableDetail(value: unknown, where: string): void {
  if (typeof value === 'string') checkPrintable(value, where);
  else if (Array.isArray(value)) value.forEach((item, i) => checkPrintableDetail(item, `${where}[${i}]`));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) checkPrintableDetail(item, `${where}.${key}`);
  }
}
