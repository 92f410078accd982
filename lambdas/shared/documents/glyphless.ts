/**
 * Characters printed without a glyph of their own, one definition for the renderer (fonts.ts) and
 * the printability check (glyph-coverage.ts, which must not load the fonts).
 */

/** Spaces some locales format with (fr/ch: U+202F, U+00A0) that a face may lack: print as a space. */
export const SPACE_FALLBACK = /[\u00a0\u2000-\u200a\u202f\u205f\u3000]/u;
/** Bidirectional controls: they steer the reordering (bidi.ts) and are not printed. */
export const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** Zero-width non-joiner and joiner: shaping hints that ride on the character before them. */
export const JOINER = /[\u200c\u200d]/u;
/** Zero-width space: a break opportunity, printed as nothing. */
const ZERO_WIDTH_SPACE = /\u200b/u;
/** Variation selectors: they pick a glyph of the character before them. */
export const VARIATION_SELECTOR = /\p{Variation_Selector}/u;

/** Whether a character needs no glyph of its own in any font. */
export const needsNoGlyph = (char: string): boolean =>
  SPACE_FALLBACK.test(char) ||
  BIDI_CONTROL.test(char) ||
  JOINER.test(char) ||
  ZERO_WIDTH_SPACE.test(char) ||
  VARIATION_SELECTOR.test(char);
