/**
 * The languages invoices, hosted pages and e-mails are written in: one catalogue each
 * (./catalogues/). A customer's BCP 47 locale picks the language by its primary subtag ("de-AT" ->
 * de, "no"/"nn" -> nb); amounts, dates and numbers follow the full locale (documents/format.ts).
 */
export const LANGUAGES = [
  'en',
  'de',
  'fr',
  'es',
  'it',
  'nl',
  'pl',
  'pt',
  'sv',
  'da',
  'nb',
  'fi',
  'ja',
  'ko',
  'zh',
  'zh-Hant',
  'ar',
  'he',
  'th',
] as const;
export type Language = (typeof LANGUAGES)[number];

/** Written right to left: pages get `dir="rtl"`. */
export const RIGHT_TO_LEFT: ReadonlySet<Language> = new Set(['ar', 'he']);

/** Other primary subtags for a catalogue's language. */
const ALIASES: Readonly<Record<string, Language>> = { no: 'nb', nn: 'nb', iw: 'he' };

const KNOWN: ReadonlySet<string> = new Set(LANGUAGES);

/** Chinese written in Traditional characters: zh-Hant, and Taiwan, Hong Kong and Macao by default. */
function isTraditionalChinese(locale: string): boolean {
  try {
    return new Intl.Locale(locale).maximize().script === 'Hant';
  } catch {
    return false;
  }
}

/** The catalogue language of a locale, or undefined when there is none for it. */
export function catalogueLanguageOf(locale: string): Language | undefined {
  const primary = locale.toLowerCase().split(/[-_]/)[0] ?? '';
  if (primary === 'zh' && isTraditionalChinese(locale)) return 'zh-Hant';
  if (KNOWN.has(primary)) return primary as Language;
  return Object.hasOwn(ALIASES, primary) ? ALIASES[primary] : undefined;
}

/** The language a text for `locale` is written in: its catalogue's, English where it has none. */
export const languageOf = (locale: string): Language => catalogueLanguageOf(locale) ?? 'en';
