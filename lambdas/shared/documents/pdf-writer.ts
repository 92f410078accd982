/**
 * Text on a pdfkit page in every script: font runs per face (fonts.ts), right-to-left runs in
 * visual order (bidi.ts), line breaking that knows CJK and Thai, and ActualText where shaping hides
 * what a run says. pdf.ts lays the invoice out with it.
 */
import { directionOf, visualPieces, type Direction } from './bidi.js';
import {
  documentFont,
  familyOrder,
  fontRuns,
  type FontFace,
  type FontFamily,
  type FontRun,
} from './fonts.js';

type Doc = PDFKit.PDFDocument;

export const INK = '#1a1a1a';
export const RULE = '#c8c8c8';
export const BAND = '#f1f3f4';

export interface Style {
  size?: number;
  bold?: boolean;
  color?: string;
}

export { directionOf };

export class Writer {
  private readonly order: readonly FontFamily[];
  private readonly registered = new Set<FontFace>();

  constructor(
    readonly doc: Doc,
    locale: string,
  ) {
    this.order = familyOrder(locale);
  }

  /** Select a face, giving the document its own view of the font the first time (fonts.ts). */
  private use(face: FontFace, size: number): void {
    if (!this.registered.has(face)) {
      // pdfkit 0.20 takes a parsed fontkit font (PDFFontFactory.open checks for `layout`); its
      // type definitions list only paths and bytes.
      this.doc.registerFont(face, documentFont(face) as unknown as Uint8Array);
      this.registered.add(face);
    }
    this.doc.font(face).fontSize(size);
  }

  /** The font runs of one line in visual order, left to right (bidi.ts); right-to-left runs stay logical for the shaper. */
  private runs(text: string, bold: boolean, direction?: Direction): FontRun[] {
    return visualPieces(decomposeSaraAm(text), direction).flatMap((piece) => {
      const runs = fontRuns(piece.text, bold, this.order);
      return piece.rtl ? runs.reverse() : runs;
    });
  }

  width(text: string, { size = 9, bold = false }: Style = {}): number {
    let width = 0;
    for (const run of this.runs(text, bold)) {
      this.use(run.face, size);
      width += this.doc.widthOfString(run.text);
    }
    return width;
  }

  /** One line at (x, y) in as many font runs as it needs; `right` right-aligns it at that x. */
  line(
    text: string,
    x: number,
    y: number,
    style: Style & { right?: boolean; direction?: Direction } = {},
  ): void {
    const size = style.size ?? 9;
    const runs = this.runs(text, style.bold ?? false, style.direction);
    let cursor = x;
    if (style.right === true) {
      for (const run of runs) {
        this.use(run.face, size);
        cursor -= this.doc.widthOfString(run.text);
      }
    }
    this.doc.fillColor(style.color ?? INK);
    for (const run of runs) {
      this.use(run.face, size);
      // Reordered vowel signs: ActualText tells text extraction, search and screen readers what it says.
      const actual = REORDERED_SCRIPT.test(run.text);
      if (actual) this.doc.markContent('Span', { actual: run.text });
      this.doc.text(run.text, cursor, y, { lineBreak: false });
      if (actual) this.doc.endMarkedContent();
      cursor += this.doc.widthOfString(run.text);
    }
  }

  /**
   * Break text into lines no wider than `width`: at spaces, between CJK characters (which need no
   * space), and inside a word only when the word alone is too wide. Each line is the longest run
   * of pieces that fits, found by bisection (a line is never narrower with more pieces), so a long
   * paragraph costs a few measurements per line rather than one per word.
   */
  wrap(text: string, width: number, style: Style = {}): string[] {
    if (this.width(text, style) <= width) return [text.trimEnd()];
    const pieces = breakPieces(text);
    const lines: string[] = [];
    // The line being built; it may start with the tail of a word broken on the line before.
    let current = '';
    let at = 0;
    const fits = (to: number): boolean =>
      this.width((current + pieces.slice(at, to).join('')).trimEnd(), style) <= width;
    while (at < pieces.length) {
      // The most pieces from `at` that still fit after `current`.
      let low = at;
      let high = pieces.length;
      while (low < high) {
        const mid = Math.ceil((low + high) / 2);
        if (fits(mid)) low = mid;
        else high = mid - 1;
      }
      if (low > at) {
        current += pieces.slice(at, low).join('');
        at = low;
        if (at === pieces.length) break;
      }
      // The next piece does not fit: the line ends, and the piece starts the next one, broken
      // between characters if it is wider than a line.
      if (current.trim() !== '') lines.push(current.trimEnd());
      current = '';
      for (const { segment: char } of GRAPHEMES.segment((pieces[at] as string).trimStart())) {
        if (current !== '' && this.width(current + char, style) > width) {
          lines.push(current);
          current = '';
        }
        current += char;
      }
      at++;
    }
    if (current.trim() !== '' || lines.length === 0) lines.push(current.trimEnd());
    return lines;
  }

  rule(x1: number, x2: number, y: number, color = RULE, width = 0.6): void {
    this.doc.moveTo(x1, y).lineTo(x2, y).lineWidth(width).strokeColor(color).stroke();
  }

  band(x: number, y: number, width: number, height: number, color = BAND): void {
    this.doc.rect(x, y, width, height).fillColor(color).fill();
  }
}

/**
 * Scripts whose shaping moves vowel signs before the consonant they follow (Devanagari, Bengali):
 * the glyphs' order is not the text's, so the run carries its text as ActualText. Not used more
 * widely: poppler places ActualText runs oddly, which scrambles the reading order of a page full
 * of them (Thai), and reverses right-to-left ActualText a second time.
 */
const REORDERED_SCRIPT = /[\p{Script=Devanagari}\p{Script=Bengali}]/u;

/**
 * Thai and Lao SARA AM print as two glyphs (NIKHAHIT + SARA AA) that a font's glyph-to-character
 * map cannot give back as one character; printed as its compatibility decomposition (the same
 * glyphs), the text extracts as NIKHAHIT + SARA AA, NFKC-equal to what was written.
 */
const decomposeSaraAm = (text: string): string =>
  text.replace(/\u0e33/gu, '\u0e4d\u0e32').replace(/\u0eb3/gu, '\u0ecd\u0eb2');

/** Thai (and Lao, Khmer, Myanmar) write words without spaces: a dictionary finds where lines may break. */
const NO_SPACE_SCRIPTS = /[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]/u;
const WORDS = new Intl.Segmenter('th', { granularity: 'word' });
const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** CJK punctuation that closes: ）」』】〕〉》、。，．！？：；ー and their full-width forms. */
const CJK_CLOSING =
  /^[\u3001\u3002\u3009\u300b\u300d\u300f\u3011\u3015\u30fc\uff01\uff09\uff0c\uff0e\uff1a\uff1b\uff1f]/u;

/**
 * Where a line may break: after a word and its spaces, between CJK characters (which need no
 * space), and between Thai words as Intl.Segmenter's dictionary finds them.
 */
function breakPieces(text: string): string[] {
  if (NO_SPACE_SCRIPTS.test(text)) {
    const pieces: string[] = [];
    for (const { segment } of WORDS.segment(text)) {
      if (/^\s+$/u.test(segment) && pieces.length > 0) pieces[pieces.length - 1] += segment;
      else pieces.push(segment);
    }
    return pieces;
  }
  const pieces =
    text.match(
      /[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]+\s*|\s+/gu,
    ) ?? [];
  // Kinsoku: a line never starts with closing CJK punctuation; it stays with what it closes.
  const joined: string[] = [];
  for (const piece of pieces) {
    if (joined.length > 0 && CJK_CLOSING.test(piece)) joined[joined.length - 1] += piece;
    else joined.push(piece);
  }
  return joined;
}
