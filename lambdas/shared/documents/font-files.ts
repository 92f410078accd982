/**
 * The TTF files the PDF renderer embeds, as paths under `@expo-google-fonts/`. A plain list (no
 * font engine loaded) so that CDK can copy the same files into the render bundle's fonts/.
 *
 * One Noto family per script invoices are written in: Latin (with Greek and Cyrillic), Arabic,
 * Hebrew, Thai, Devanagari, the four CJK families (Japanese, Korean, Simplified and Traditional
 * Chinese: the same Han code points take each country's glyph shapes), and monochrome Noto Emoji.
 */
export const FONT_FAMILIES = [
  'latin',
  'arabic',
  'hebrew',
  'thai',
  'devanagari',
  'jp',
  'kr',
  'sc',
  'tc',
  'emoji',
] as const;
export type FontFamily = (typeof FONT_FAMILIES)[number];
export type FontFace = FontFamily | `${FontFamily}Bold`;

const PACKAGES: Readonly<Record<FontFamily, [folder: string, file: string]>> = {
  latin: ['noto-sans', 'NotoSans'],
  arabic: ['noto-sans-arabic', 'NotoSansArabic'],
  hebrew: ['noto-sans-hebrew', 'NotoSansHebrew'],
  thai: ['noto-sans-thai', 'NotoSansThai'],
  devanagari: ['noto-sans-devanagari', 'NotoSansDevanagari'],
  jp: ['noto-sans-jp', 'NotoSansJP'],
  kr: ['noto-sans-kr', 'NotoSansKR'],
  sc: ['noto-sans-sc', 'NotoSansSC'],
  tc: ['noto-sans-tc', 'NotoSansTC'],
  emoji: ['noto-emoji', 'NotoEmoji'],
};

/** Package-relative paths; the file names are what the bundle's font folder (ENV.fontDir) holds. */
export const FONT_FILES: Readonly<Record<FontFace, string>> = Object.fromEntries(
  FONT_FAMILIES.flatMap((family) => {
    const [folder, file] = PACKAGES[family];
    return [
      [family, `${folder}/400Regular/${file}_400Regular.ttf`],
      [`${family}Bold`, `${folder}/700Bold/${file}_700Bold.ttf`],
    ];
  }),
) as Record<FontFace, string>;

/** The face of a family in a weight. */
export const faceOf = (family: FontFamily, bold: boolean): FontFace => (bold ? `${family}Bold` : family);
