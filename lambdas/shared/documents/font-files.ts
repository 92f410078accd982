/**
 * The TTF files the PDF renderer embeds, as paths under `@expo-google-fonts/`. A plain list (no
 * font engine loaded) so that CDK can copy the same files into the render bundle's fonts/.
 */
export type FontFace = 'latin' | 'latinBold' | 'cjk' | 'cjkBold';

/** Package-relative paths; the file names are what the bundle's font folder (ENV.fontDir) holds. */
export const FONT_FILES: Readonly<Record<FontFace, string>> = {
  latin: 'noto-sans/400Regular/NotoSans_400Regular.ttf',
  latinBold: 'noto-sans/700Bold/NotoSans_700Bold.ttf',
  cjk: 'noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf',
  cjkBold: 'noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf',
};
