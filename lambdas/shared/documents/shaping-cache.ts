/**
 * Text shaping shared between documents. Once the fonts are parsed, OpenType shaping (fontkit's
 * GSUB/GPOS lookups) is most of a render, and invoices repeat the same words; pdfkit caches shaped
 * words per document only.
 *
 * Why a replay and not a shared result: fontkit keeps a glyph object per glyph id in the font, with
 * the code points it was first requested with, and pdfkit writes those into the PDF's ToUnicode
 * map. So a document must request its glyphs in exactly the order live shaping would. The cache
 * records, for each face and text, every `getGlyph(id, codePoints)` call a live `font.layout(text)`
 * makes, in order, plus the positions; on a hit it replays those calls on the document's own font
 * and returns the same glyphs and positions. The font's glyph cache therefore evolves exactly as
 * with live shaping, and a document's bytes do not depend on what the cache held (the PDF tests
 * compare cold and warm renders across processes and orders).
 *
 * A result is kept only if its glyphs are the results of the calls just before the final
 * `glyphForCodePoint(0x20)` (fontkit 2: glyphsForString, then the shaped glyphs, then
 * hideDefaultIgnorables), in that order or, for a right-to-left run, reversed (fontkit reverses
 * it last), checked object by object; anything else (a default-ignorable character
 * swapped for a space, a shaper that builds glyphs its own way) is shaped live every time.
 */

import { LRUCache } from 'lru-cache';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Font = any;
type GlyphRun = any;

interface ShapedText {
  /**
   * Every getGlyph call of the live layout, in order, packed (a cache of plain arrays would hold
   * millions of small objects over a long run): glyph id, number of code points, the code points.
   */
  calls: Int32Array;
  callCount: number;
  /** Index in `calls` of the first glyph of the result. */
  firstGlyphCall: number;
  glyphCount: number;
  /** xAdvance, yAdvance, xOffset, yOffset per glyph, before pdfkit scales them. */
  positions: Float64Array;
  script: string;
  language: string | null;
  direction: string;
  features: unknown;
}

/** Text that cannot be replayed: shaped live each time. */
const LIVE = 'live';

/**
 * Entries per face; the least recently used go first. Bounds memory over a run of any length (an
 * entry is well under 1 KB); the words invoices share (labels, units, plan names) stay.
 */
const MAX_ENTRIES_PER_FACE = 5_000;

export class ShapingCache {
  private readonly faces = new Map<string, LRUCache<string, ShapedText | typeof LIVE>>();
  private runPrototype: object | undefined;
  private positionClass: (new (xa: number, ya: number, xo: number, yo: number) => object) | undefined;

  /** Makes `font.layout(text)` (no features) answer from the cache of `face`. */
  attach(font: Font, face: string): void {
    const liveLayout = font.layout.bind(font) as (text: unknown, ...rest: unknown[]) => GlyphRun;
    let entries = this.faces.get(face);
    if (!entries) this.faces.set(face, (entries = new LRUCache({ max: MAX_ENTRIES_PER_FACE })));
    const cache = entries;
    font.layout = (text: unknown, ...rest: unknown[]): GlyphRun => {
      if (typeof text !== 'string' || rest.some((arg) => arg !== undefined)) return liveLayout(text, ...rest);
      const hit = cache.get(text);
      if (hit === LIVE) return liveLayout(text);
      if (hit) return this.replay(font, hit);
      const { run, shaped } = this.record(font, () => liveLayout(text));
      cache.set(text, shaped ?? LIVE);
      return run;
    };
  }

  private record(font: Font, layout: () => GlyphRun): { run: GlyphRun; shaped: ShapedText | undefined } {
    const calls: number[] = [];
    const results: unknown[] = [];
    const getGlyph = font.getGlyph as (id: number, codePoints?: number[]) => unknown;
    let lastId = -1;
    font.getGlyph = (id: number, codePoints: number[] = []) => {
      calls.push(id, codePoints.length, ...codePoints);
      lastId = id;
      const glyph = getGlyph.call(font, id, codePoints);
      results.push(glyph);
      return glyph;
    };
    let run: GlyphRun;
    try {
      run = layout();
    } finally {
      delete font.getGlyph; // back to the prototype's method
    }
    // fontkit reverses the shaped glyphs of a right-to-left run after shaping them in order.
    const rtl = run.direction === 'rtl';
    const glyphs = rtl ? [...(run.glyphs as unknown[])].reverse() : (run.glyphs as unknown[]);
    const firstGlyphCall = results.length - 1 - glyphs.length;
    const replayable =
      firstGlyphCall >= 0 &&
      lastId === font._cmapProcessor.lookup(0x20) &&
      glyphs.every((glyph, i) => glyph === results[firstGlyphCall + i]);
    if (!replayable) return { run, shaped: undefined };
    this.runPrototype ??= Object.getPrototypeOf(run) as object;
    const positions = new Float64Array(glyphs.length * 4);
    run.positions.forEach((p: any, i: number) => {
      this.positionClass ??= p.constructor;
      positions.set([p.xAdvance, p.yAdvance, p.xOffset, p.yOffset], i * 4);
    });
    const shaped: ShapedText = {
      calls: Int32Array.from(calls),
      callCount: results.length,
      firstGlyphCall,
      glyphCount: glyphs.length,
      positions,
      script: run.script,
      language: run.language,
      direction: run.direction,
      features: Object.freeze(structuredClone(run.features)),
    };
    return { run, shaped };
  }

  private replay(font: Font, shaped: ShapedText): GlyphRun {
    const { calls } = shaped;
    const results: unknown[] = [];
    for (let at = 0; results.length < shaped.callCount;) {
      const id = calls[at]!;
      const count = calls[at + 1]!;
      results.push(font.getGlyph(id, Array.from(calls.subarray(at + 2, at + 2 + count))));
      at += 2 + count;
    }
    const inOrder = results.slice(shaped.firstGlyphCall, shaped.firstGlyphCall + shaped.glyphCount);
    const glyphs = shaped.direction === 'rtl' ? inOrder.reverse() : inOrder;
    const Position = this.positionClass!;
    const p = shaped.positions;
    const positions = glyphs.map(
      (_, i) => new Position(p[i * 4]!, p[i * 4 + 1]!, p[i * 4 + 2]!, p[i * 4 + 3]!),
    );
    return Object.assign(Object.create(this.runPrototype!), {
      glyphs,
      positions,
      script: shaped.script,
      language: shaped.language,
      direction: shaped.direction,
      features: shaped.features,
    });
  }
}
