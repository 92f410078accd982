/**
 * The embedded Unicode fonts: Noto Sans (Latin, Greek, Cyrillic: "Müller & Søn", "Łódź") and
 * Noto Sans JP (kana and kanji: "株式会社"), regular and bold, from their npm packages. In the
 * Lambda bundle they are copied to INVOICER_FONT_DIR (see infra/constructs/billing-functions.ts).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';

export type FontFace = 'latin' | 'latinBold' | 'cjk' | 'cjkBold';

const FILES: Record<FontFace, string> = {
  latin: 'noto-sans/400Regular/NotoSans_400Regular.ttf',
  latinBold: 'noto-sans/700Bold/NotoSans_700Bold.ttf',
  cjk: 'noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf',
  cjkBold: 'noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf',
};

const require = createRequire(import.meta.url);

function resolveFont(file: string): string {
  const dir = process.env.INVOICER_FONT_DIR;
  if (dir) {
    const bundled = path.join(dir, path.basename(file));
    if (existsSync(bundled)) return bundled;
  }
  return require.resolve(`@expo-google-fonts/${file}`);
}

let paths: Record<FontFace, string> | undefined;

export function fontPaths(): Record<FontFace, string> {
  paths ??= Object.fromEntries(
    Object.entries(FILES).map(([face, file]) => [face, resolveFont(file)]),
  ) as Record<FontFace, string>;
  return paths;
}

let latinFont: { hasGlyphForCodePoint(cp: number): boolean } | undefined;

/** Splits text into runs that one font can print: Latin where Noto Sans has the glyph, else CJK. */
export function fontRuns(text: string, bold: boolean): { face: FontFace; text: string }[] {
  latinFont ??= fontkit.openSync(fontPaths().latin) as unknown as {
    hasGlyphForCodePoint(cp: number): boolean;
  };
  const runs: { face: FontFace; text: string }[] = [];
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    const latin = cp < 0x80 || latinFont.hasGlyphForCodePoint(cp);
    const face: FontFace = latin ? (bold ? 'latinBold' : 'latin') : bold ? 'cjkBold' : 'cjk';
    const last = runs.at(-1);
    if (last && last.face === face) last.text += char;
    else runs.push({ face, text: char });
  }
  return runs;
}
