/**
 * Embedded font subsets shared between documents. pdfkit embeds, per document and face, the subset
 * of glyphs the document used (fontkit's TTFSubset.encode: glyf, loca, hmtx and the copied tables),
 * which costs about a fifth of a render. The encoded bytes are a function of the font and of the
 * glyph ids in the order they were included, nothing else, so documents whose subsets list the same
 * glyphs in the same order get the same bytes from here.
 */

import { LRUCache } from 'lru-cache';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Font = any;

/** Subsets kept per face, least recently used out first (a Latin subset is a few KB). */
const MAX_SUBSETS_PER_FACE = 500;

export class SubsetCache {
  private readonly faces = new Map<string, LRUCache<string, Uint8Array>>();

  /** Makes the subsets `font.createSubset()` returns encode through the cache of `face`. */
  attach(font: Font, face: string): void {
    let entries = this.faces.get(face);
    if (!entries) this.faces.set(face, (entries = new LRUCache({ max: MAX_SUBSETS_PER_FACE })));
    const cache = entries;
    const createSubset = font.createSubset.bind(font) as () => any;
    font.createSubset = () => {
      const subset = createSubset();
      const encode = subset.encode.bind(subset) as () => Uint8Array;
      subset.encode = (): Uint8Array => {
        const key = (subset.glyphs as number[]).join(',');
        let bytes = cache.get(key);
        if (!bytes) cache.set(key, (bytes = encode()));
        return bytes;
      };
      return subset;
    };
  }
}
