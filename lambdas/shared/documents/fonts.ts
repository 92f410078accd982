/**
 * The embedded Unicode fonts: Noto Sans (Latin, Greek, Cyrillic: "Müller & Søn", "Łódź") and
 * Noto Sans JP (kana and kanji: "株式会社"), regular and bold, from their npm packages.
 *
 * Where the files come from: first `INVOICER_FONT_DIR` (the Lambda bundle copies the four TTFs
 * there under their original file names, see infra/constructs/billing-functions.ts), else the npm
 * packages resolved from this module. The bytes are read and their tables parsed once per process;
 * each document gets its own view of them (`documentFonts`), see there for why.
 *
 * Which font prints a character: the first face, Latin then Japanese, whose cmap has a glyph for it
 * (fontkit, the engine pdfkit itself embeds with), so mixed strings such as "株式会社サンプル (Tokyo)"
 * print in runs. Combining marks stay with their base character.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';
import { ENV } from '../contracts/env.js';
import { FONT_FILES, type FontFace } from './font-files.js';
import { ShapingCache } from './shaping-cache.js';
import { SubsetCache } from './subset-cache.js';

export type FontScript = 'latin' | 'cjk';
export { FONT_FILES, type FontFace };

const FONT_DIR_ENV = ENV.fontDir;

const FACES = Object.keys(FONT_FILES) as FontFace[];
const require = createRequire(import.meta.url);

function resolveFont(face: FontFace): string {
  const file = FONT_FILES[face];
  const dir = process.env[FONT_DIR_ENV];
  if (dir) {
    const bundled = path.join(dir, path.basename(file));
    if (existsSync(bundled)) return bundled;
  }
  try {
    return require.resolve(`@expo-google-fonts/${file}`);
  } catch (error) {
    const where = dir ? `${path.join(dir, path.basename(file))} nor ` : '';
    throw new Error(
      `font ${face}: found neither ${where}@expo-google-fonts/${file} (set ${FONT_DIR_ENV} to the folder holding ${path.basename(file)})`,
      { cause: error },
    );
  }
}

let paths: Record<FontFace, string> | undefined;
let data: Record<FontFace, Buffer> | undefined;

/** Absolute paths of the four TTFs (INVOICER_FONT_DIR first, then the npm packages). */
export function fontPaths(): Readonly<Record<FontFace, string>> {
  paths ??= Object.fromEntries(FACES.map((face) => [face, resolveFont(face)])) as Record<FontFace, string>;
  return paths;
}

/** The TTF bytes, read once per process. */
export function fontData(): Readonly<Record<FontFace, Buffer>> {
  data ??= Object.fromEntries(FACES.map((face) => [face, readFileSync(fontPaths()[face])])) as Record<
    FontFace,
    Buffer
  >;
  return data;
}

/** Spaces some locales format with (fr/ch: U+202F, U+00A0) that a face may lack: print as a space. */
const SPACE_FALLBACK = /[\u00a0\u2000-\u200a\u202f\u205f\u3000]/u;
const COMBINING = /\p{M}/u;

let parsed: Record<FontFace, fontkit.Font> | undefined;

/** The four faces parsed by fontkit once per process: coverage checks, and the tables every document view shares. */
export function loadedFonts(): Readonly<Record<FontFace, fontkit.Font>> {
  parsed ??= Object.fromEntries(FACES.map((face) => [face, fontkit.create(fontData()[face])])) as Record<
    FontFace,
    fontkit.Font
  >;
  return parsed;
}

const coverage = new Map<number, FontScript | null>();

/** Which script's face has a glyph for this code point (null: neither). Regular and bold share a cmap. */
export function scriptFor(codePoint: number): FontScript | null {
  let script = coverage.get(codePoint);
  if (script === undefined) {
    const fonts = loadedFonts();
    script = fonts.latin.hasGlyphForCodePoint(codePoint)
      ? 'latin'
      : fonts.cjk.hasGlyphForCodePoint(codePoint)
        ? 'cjk'
        : null;
    coverage.set(codePoint, script);
  }
  return script;
}

export interface FontRun {
  face: FontFace;
  text: string;
}

/**
 * Split text into runs that one face prints. A character no face has is printed by the face of its
 * neighbours (as the font's .notdef box), except exotic spaces, which become plain spaces.
 */
export function fontRuns(text: string, bold: boolean): FontRun[] {
  const runs: FontRun[] = [];
  for (let char of text) {
    const last = runs.at(-1);
    if (last !== undefined && COMBINING.test(char)) {
      last.text += char;
      continue;
    }
    let script = scriptFor(char.codePointAt(0)!);
    if (script === null && SPACE_FALLBACK.test(char)) {
      char = ' ';
      script = 'latin';
    }
    const chosen = script ?? (last?.face.startsWith('cjk') ? 'cjk' : 'latin');
    const face: FontFace = chosen === 'latin' ? (bold ? 'latinBold' : 'latin') : bold ? 'cjkBold' : 'cjk';
    if (last !== undefined && last.face === face) last.text += char;
    else runs.push({ face, text: char });
  }
  return runs;
}

const shaping = new ShapingCache();
const subsets = new SubsetCache();

/** fontkit's font object beyond its typed surface: the decoded tables it caches by tag. */
interface FontTables {
  _tables: Record<string, unknown>;
}

/**
 * Fresh fonts for one document that share the process-wide parsed tables. Parsing (cmap, glyf,
 * GSUB/GPOS of a 5 MB CJK face) is most of a render's CPU; the decoded tables are read-only. What a
 * render must not share is the font's glyph cache: fontkit keeps glyph objects with the code points
 * they were first reached by, and pdfkit writes those into the ToUnicode map, so a shared font would
 * make a PDF depend on the documents rendered before it. A view has its own glyph cache, layout
 * engine and subset (fontkit's own getVariation() builds fonts the same way: a new font over the
 * same bytes, `_tables` shared). Creating one decodes only the table directory. Shaped words are
 * shared too, through a cache that replays them on the view (shaping-cache.ts), and so are the
 * encoded subsets (subset-cache.ts).
 */
export function documentFonts(): Record<FontFace, fontkit.Font> {
  const shared = loadedFonts();
  const bytes = fontData();
  return Object.fromEntries(
    FACES.map((face) => {
      const view = fontkit.create(bytes[face]);
      (view as unknown as FontTables)._tables = (shared[face] as unknown as FontTables)._tables;
      shaping.attach(view, face);
      subsets.attach(view, face);
      return [face, view];
    }),
  ) as Record<FontFace, fontkit.Font>;
}
