/** The part of fontkit (pdfkit's own font engine; the package ships no types) that fonts.ts uses. */
declare module 'fontkit' {
  export interface Font {
    postscriptName: string;
    hasGlyphForCodePoint(codePoint: number): boolean;
    /** Every code point the cmap maps. */
    characterSet: number[];
    /** pdfkit recognises a parsed font by this method. */
    layout(text: string): unknown;
  }
  export function create(buffer: Buffer | Uint8Array): Font;
}
