/**
 * The embedded Unicode fonts: one Noto family per script (font-files.ts), regular and bold, from
 * their npm packages.
 *
 * Where the files come from: first `INVOICER_FONT_DIR` (the Lambda bundle copies the TTFs there
 * under their original file names, see infra/constructs/billing-functions.ts), else the npm
 * packages resolved from this module. A face's bytes are read and its tables parsed the first time
 * a document needs it, once per process; each document gets its own view of them
 * (`documentFonts`), see there for why. A document embeds only the faces its text uses.
 *
 * Which font prints a character: the first family, in the document's order (`familyOrder`: Latin,
 * the alphabetic scripts, then the CJK families with the reader's own first, since Han characters
 * take each country's shapes, then emoji), whose cmap has a glyph for it, so mixed strings such as
 * "株式会社サンプル (Tokyo)" print in runs. Combining marks, variation selectors and joiners stay
 * with the character before them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';
import { ENV } from '../contracts/env.js';
import { catalogueLanguageOf } from '../i18n/languages.js';
import { FONT_FAMILIES, FONT_FILES, faceOf, type FontFace, type FontFamily } from './font-files.js';
import { BIDI_CONTROL, JOINER, SPACE_FALLBACK } from './glyphless.js';
import { ShapingCache } from './shaping-cache.js';
import { SubsetCache } from './subset-cache.js';

export { FONT_FAMILIES, FONT_FILES, faceOf, type FontFace, type FontFamily };

const FONT_DIR_ENV = ENV.fontDir;
const require = createRequire(import.meta.url);

/** The absolute path of a face's TTF (INVOICER_FONT_DIR first, then the npm package). */
export function fontPath(face: FontFace): string {
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

const bytesOf = new Map<FontFace, Buffer>();
const parsedOf = new Map<FontFace, fontkit.Font>();

/** A face's TTF bytes, read once per process. */
export function fontData(face: FontFace): Buffer {
  let bytes = bytesOf.get(face);
  if (bytes === undefined) bytesOf.set(face, (bytes = readFileSync(fontPath(face))));
  return bytes;
}

/** A face parsed by fontkit once per process: coverage checks, and the tables every document view shares. */
export function loadedFont(face: FontFace): fontkit.Font {
  let font = parsedOf.get(face);
  if (font === undefined) parsedOf.set(face, (font = fontkit.create(fontData(face))));
  return font;
}

/** Marks (variation selectors among them) and zero-width joiners: printed by the face of the character they belong to. */
const attached = (char: string): boolean => MARK.test(char) || JOINER.test(char);
const MARK = /\p{M}/u;

const CJK_FOR_LANGUAGE: Readonly<Record<string, FontFamily[]>> = {
  ja: ['jp', 'kr', 'sc', 'tc'],
  ko: ['kr', 'jp', 'sc', 'tc'],
  zh: ['sc', 'tc', 'jp', 'kr'],
};

const orders = new Map<string, readonly FontFamily[]>();

/** The order families are tried in for a document in `locale` (one array per locale: it keys a cache). */
export function familyOrder(locale: string): readonly FontFamily[] {
  let order = orders.get(locale);
  if (order === undefined) orders.set(locale, (order = Object.freeze(orderFor(locale))));
  return order;
}

function orderFor(locale: string): FontFamily[] {
  const language = locale.toLowerCase().split(/[-_]/)[0] ?? '';
  // Traditional Chinese is told as the catalogues tell it (zh-Hant, zh-TW, zh-HK, zh-MO).
  const cjk =
    catalogueLanguageOf(locale) === 'zh-Hant'
      ? (['tc', 'sc', 'jp', 'kr'] as FontFamily[])
      : Object.hasOwn(CJK_FOR_LANGUAGE, language)
        ? CJK_FOR_LANGUAGE[language]!
        : (['jp', 'kr', 'sc', 'tc'] as FontFamily[]);
  return ['latin', 'arabic', 'hebrew', 'thai', 'devanagari', ...cjk, 'emoji'];
}

const coverage = new Map<FontFamily, Set<number>>();

/** Whether the family has a glyph for the code point (regular and bold share a cmap: tested). */
export function familyHas(family: FontFamily, codePoint: number): boolean {
  let set = coverage.get(family);
  if (set === undefined) coverage.set(family, (set = new Set(loadedFont(family).characterSet)));
  return set.has(codePoint);
}

/**
 * Scripts with a family of their own print in it even where Noto Sans has glyphs too (it covers
 * Devanagari, for one): the script's own family carries its shaping rules and matching marks.
 */
const OWN_FAMILY: readonly [RegExp, FontFamily][] = [
  [/\p{Script=Arabic}/u, 'arabic'],
  [/\p{Script=Hebrew}/u, 'hebrew'],
  [/\p{Script=Thai}/u, 'thai'],
  [/\p{Script=Devanagari}/u, 'devanagari'],
  [/\p{Script=Hangul}/u, 'kr'],
];

/** The family that prints the code point: its script's own, else the first in `order` with a glyph; null when none has one. */
export function familyFor(codePoint: number, order: readonly FontFamily[]): FontFamily | null {
  let chosen = chosenFamilies.get(order);
  if (chosen === undefined) chosenFamilies.set(order, (chosen = new Map()));
  let family = chosen.get(codePoint);
  if (family === undefined) chosen.set(codePoint, (family = choose(codePoint, order)));
  return family;
}

const chosenFamilies = new WeakMap<readonly FontFamily[], Map<number, FontFamily | null>>();

function choose(codePoint: number, order: readonly FontFamily[]): FontFamily | null {
  const char = String.fromCodePoint(codePoint);
  for (const [script, family] of OWN_FAMILY) {
    if (script.test(char) && familyHas(family, codePoint)) return family;
  }
  for (const family of order) if (familyHas(family, codePoint)) return family;
  return null;
}

export interface FontRun {
  face: FontFace;
  text: string;
}

/**
 * Split text into runs that one face prints, in the document's family order. Bidi controls are
 * dropped; exotic spaces become plain spaces. A character no face has never reaches here: the
 * record is refused before an invoice is issued (glyph-coverage.ts); should one slip through, the
 * face of its neighbours prints its .notdef box rather than the render failing.
 */
export function fontRuns(
  text: string,
  bold: boolean,
  order: readonly FontFamily[] = familyOrder('en'),
): FontRun[] {
  const runs: FontRun[] = [];
  for (let char of text) {
    if (BIDI_CONTROL.test(char)) continue;
    const last = runs.at(-1);
    if (last !== undefined && attached(char)) {
      last.text += char;
      continue;
    }
    let family = familyFor(char.codePointAt(0)!, order);
    if (family === null && SPACE_FALLBACK.test(char)) {
      char = ' ';
      family = 'latin';
    }
    const face = family === null ? (last?.face ?? faceOf('latin', bold)) : faceOf(family, bold);
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
 * A fresh font for one document that shares the process-wide parsed tables. Parsing (cmap, glyf,
 * GSUB/GPOS of a 5 MB CJK face) is most of a render's CPU; the decoded tables are read-only. What a
 * render must not share is the font's glyph cache: fontkit keeps glyph objects with the code points
 * they were first reached by, and pdfkit writes those into the ToUnicode map, so a shared font would
 * make a PDF depend on the documents rendered before it. A view has its own glyph cache, layout
 * engine and subset (fontkit's own getVariation() builds fonts the same way: a new font over the
 * same bytes, `_tables` shared). Creating one decodes only the table directory. Shaped words are
 * shared too, through a cache that replays them on the view (shaping-cache.ts), and so are the
 * encoded subsets (subset-cache.ts).
 */
export function documentFont(face: FontFace): fontkit.Font {
  const shared = loadedFont(face);
  const view = fontkit.create(fontData(face));
  (view as unknown as FontTables)._tables = (shared as unknown as FontTables)._tables;
  shaping.attach(view, face);
  subsets.attach(view, face);
  return view;
}
