/**
 * Right-to-left text for pdfkit, which lays out left to right only. The Unicode Bidirectional
 * Algorithm (UAX #9) resolves each character's embedding level (bidi-js); rule L2 then gives the
 * visual order of a line, with mirrored brackets (L4). What pdfkit draws left to right are pieces:
 * a run of Arabic or Hebrew letters is handed over in LOGICAL order, because fontkit shapes it
 * (Arabic joining forms, marks) in that order and itself reverses the shaped glyphs of a
 * right-to-left script; everything else (Latin words, numbers, spaces, punctuation) is handed over
 * in visual order. "شركة ACME 2" therefore prints as a reader of Arabic reads it.
 */
import bidiModule, { type Bidi } from 'bidi-js';
import { LRUCache } from 'lru-cache';

// The package is CommonJS whose module.exports is the factory; its types declare an ES default.
const bidi = (bidiModule as unknown as () => Bidi)();

/** Characters of a right-to-left script, and marks that ride on them: fontkit reverses these. */
const RTL_SCRIPT = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const MARK = /\p{M}/u;
/** Fast path: text without any right-to-left character or control needs no reordering. */
const ANY_RTL =
  /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u200f\u202b\u202e\u2067\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;

export type Direction = 'ltr' | 'rtl';

export interface VisualPiece {
  text: string;
  /** A right-to-left script run in logical order: the shaper reverses it. */
  rtl: boolean;
}

/** The paragraph direction of a text by its first strong character (UAX #9 P2–P3); `ltr` if none. */
export function directionOf(text: string): Direction {
  if (!ANY_RTL.test(text)) return 'ltr';
  return bidi.getEmbeddingLevels(text).paragraphs[0]?.level === 1 ? 'rtl' : 'ltr';
}

/** Lines laid out already (a line is measured several times while it is wrapped, then drawn). */
const laidOut = new LRUCache<string, readonly VisualPiece[]>({ max: 5_000 });

/** One line of text as pieces in visual order, left to right, in a paragraph of `direction`. */
export function visualPieces(text: string, direction: Direction = directionOf(text)): readonly VisualPiece[] {
  if (direction === 'ltr' && !ANY_RTL.test(text)) return text === '' ? [] : [{ text, rtl: false }];
  const key = `${direction}\u0000${text}`;
  let pieces = laidOut.get(key);
  if (pieces === undefined) laidOut.set(key, (pieces = Object.freeze(reorder(text, direction))));
  return pieces;
}

function reorder(text: string, direction: Direction): VisualPiece[] {
  const embedding = bidi.getEmbeddingLevels(text, direction);
  const mirrored =
    text === '' ? new Map<number, string>() : bidi.getMirroredCharactersMap(text, embedding.levels);
  // Code points (never split a surrogate pair) with their level and mirrored form.
  const chars: { char: string; level: number; logical: number }[] = [];
  let unit = 0;
  for (const char of text) {
    chars.push({ char: mirrored.get(unit) ?? char, level: embedding.levels[unit]!, logical: chars.length });
    unit += char.length;
  }
  // L2: from the highest level down to the lowest odd one, reverse every run at that level or above.
  const highest = Math.max(0, ...chars.map((c) => c.level));
  const lowestOdd = Math.min(...chars.map((c) => (c.level % 2 === 1 ? c.level : Infinity)));
  for (let level = highest; level >= lowestOdd; level--) {
    for (let start = 0; start < chars.length;) {
      if (chars[start]!.level < level) {
        start++;
        continue;
      }
      let end = start;
      while (end < chars.length && chars[end]!.level >= level) end++;
      chars.splice(start, end - start, ...chars.slice(start, end).reverse());
      start = end;
    }
  }
  const pieces: VisualPiece[] = [];
  for (let i = 0; i < chars.length;) {
    const c = chars[i]!;
    if (c.level % 2 === 1 && (RTL_SCRIPT.test(c.char) || MARK.test(c.char))) {
      // A right-to-left word: its characters stand in descending logical order; give them back in
      // logical order for shaping.
      let end = i + 1;
      while (
        end < chars.length &&
        chars[end]!.logical === chars[end - 1]!.logical - 1 &&
        chars[end]!.level % 2 === 1 &&
        (RTL_SCRIPT.test(chars[end]!.char) || MARK.test(chars[end]!.char))
      )
        end++;
      const word = chars
        .slice(i, end)
        .reverse()
        .map((x) => x.char)
        .join('');
      pieces.push({ text: word, rtl: true });
      i = end;
      continue;
    }
    const last = pieces.at(-1);
    if (last !== undefined && !last.rtl) last.text += c.char;
    else pieces.push({ text: c.char, rtl: false });
    i++;
  }
  return pieces;
}
