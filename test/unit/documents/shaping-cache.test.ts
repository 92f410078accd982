import * as fontkit from 'fontkit';
import { fontData } from '../../../lambdas/shared/documents/fonts.js';
import { ShapingCache } from '../../../lambdas/shared/documents/shaping-cache.js';
import { SubsetCache } from '../../../lambdas/shared/documents/subset-cache.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type AnyFont = any;

// Ligatures (fi, fl), precomposed and combining accents, Greek, Cyrillic, digits with a no-break
// space, a zero-width space (default-ignorable: never replayed) and a repeat.
const TEXTS = [
  'Rechnung',
  'office',
  'ﬁnance',
  'flow',
  'Müller & Søn',
  'Łódź',
  'Lo\u0301dz\u0301',
  'Ελλάδα Москва',
  '1.234,56\u00a0€',
  'A\u200bB',
  'office',
];

function shapeAll(font: AnyFont, texts: string[]) {
  const runs = texts.map((text) => {
    const run = font.layout(text);
    return {
      text,
      glyphs: run.glyphs.map((g: AnyFont) => ({ id: g.id, codePoints: [...g.codePoints] })),
      positions: run.positions.map((p: AnyFont) => ({ ...p })),
      advanceWidth: run.advanceWidth,
    };
  });
  // The font's glyph cache: what pdfkit's ToUnicode map is written from.
  const glyphCache = Object.entries(font._glyphs as Record<string, AnyFont>)
    .map(([id, g]) => [Number(id), [...g.codePoints]])
    .sort((a, b) => (a[0] as number) - (b[0] as number));
  return { runs, glyphCache };
}

describe('ShapingCache', () => {
  it('gives a document the glyphs, positions and glyph cache of live shaping, whatever it holds', () => {
    const bytes = fontData('latin');
    const live = shapeAll(fontkit.create(bytes), TEXTS);

    const cache = new ShapingCache();
    const warming = fontkit.create(bytes);
    cache.attach(warming, 'latin');
    shapeAll(warming, [...TEXTS].reverse()); // fills the cache in another order

    const cached = fontkit.create(bytes);
    cache.attach(cached, 'latin');
    expect(shapeAll(cached, TEXTS)).toEqual(live);
    expect(live.runs.find((r) => r.text === 'office')?.glyphs.length).toBeLessThan(6); // a ligature
  });
});

describe('SubsetCache', () => {
  it('returns the bytes a fresh subset with the same glyphs encodes', () => {
    const bytes = fontData('latin');
    const cache = new SubsetCache();
    const subsetOf = (font: AnyFont, gids: number[]) => {
      const subset = font.createSubset();
      for (const gid of gids) subset.includeGlyph(gid);
      return Buffer.from(subset.encode());
    };
    const first = fontkit.create(bytes) as AnyFont;
    cache.attach(first, 'latin');
    const gids = first.layout('Rechnung 2026').glyphs.map((g: AnyFont) => g.id);
    const encoded = subsetOf(first, gids);
    const again = fontkit.create(bytes) as AnyFont;
    cache.attach(again, 'latin');
    expect(subsetOf(again, gids).equals(encoded)).toBe(true);
    expect(subsetOf(fontkit.create(bytes), gids).equals(encoded)).toBe(true);
    expect(subsetOf(again, [...gids].reverse()).equals(encoded)).toBe(false);
  });
});
