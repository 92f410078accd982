/** The part of fontkit (pdfkit's font engine, no bundled types) the renderer uses. */
declare module 'fontkit' {
  export function openSync(path: string): { hasGlyphForCodePoint(codePoint: number): boolean };
}
