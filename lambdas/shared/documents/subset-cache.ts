/**
 * Embedded font subsets shared between documents. pdfkit embeds, per document and face, the subset
 * of glyphs the document used (fontkit's TTFSubset.encode: glyf, loca, hmtx and the copied tables),
 * which costs about a fifth of a render. The encoded bytes are a function of the font and of the
 * glyph ids in the order they were included, nothing else, so documents whose subsets list the same
 * glyphs in the same order get the same bytes from here.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Font = any;

/** Subsets kept per face, least recently used out first (a Latin subset is a few KB). */
const MAX_SUBSETS_PER_FACE = 500;

export class SubsetCache {
  private readonly faces = new Map<string, Map<string, Uint8Array>>();

  /** Makes the subsets `font.createSubset()` returns encode through the cache of `face`. */
  attach(font: Font, face: string): void {
    let entries = this.faces.get(face);
    if (!entries) this.faces.set(face, (entries = new Map()));
    const cache = entries;
    const createSubset = font.createSubset.bind(font) as () => any;
    font.createSubset = () => {
      const subset = createSubset();
      const encode = subset.encode.bind(subset) as () => Uint8Array;
      subset.encode = (): Uint8Array => {
        const key = (subset.glyphs as number[]).join(',');
        let bytes = cache.get(key);
        if (bytes) cache.delete(key);
        else bytes = encode();
        cache.set(key, bytes);
        if (cache.size > MAX_SUBSETS_PER_FACE) cache.delete(cache.keys().next().value as string);
        return bytes;
      };
      return subset;
    };
  }
}
