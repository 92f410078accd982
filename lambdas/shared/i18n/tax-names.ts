/**
 * What each country calls its VAT, as its invoices print it: "USt." in Germany, "MWST/TVA/IVA" in
 * Switzerland, "MVA" in Norway, "消費税" in Japan. A tax summary row names the tax in the reader's
 * language and adds the taxing country's own name where that differs ("VAT (MWST/TVA/IVA) 8.1%").
 */
const TAX_NAMES: Readonly<Record<string, string>> = {
  AT: 'USt.',
  BE: 'btw/TVA',
  BG: 'ДДС',
  CH: 'MWST/TVA/IVA',
  CY: 'ΦΠΑ',
  CZ: 'DPH',
  DE: 'USt.',
  DK: 'moms',
  EE: 'km',
  ES: 'IVA',
  FI: 'ALV',
  FR: 'TVA',
  GB: 'VAT',
  GR: 'ΦΠΑ',
  HR: 'PDV',
  HU: 'ÁFA',
  IE: 'VAT',
  IT: 'IVA',
  JP: '消費税',
  LI: 'MWST',
  LT: 'PVM',
  LU: 'TVA',
  LV: 'PVN',
  MT: 'VAT',
  NL: 'btw',
  NO: 'MVA',
  PL: 'VAT',
  PT: 'IVA',
  RO: 'TVA',
  SE: 'moms',
  SI: 'DDV',
  SK: 'DPH',
};

/**
 * Countries with more than one official language name the tax in each: a Swiss reader of German
 * says MWST, of French TVA. Keyed by country, then catalogue language.
 */
const TAX_NAMES_BY_LANGUAGE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  BE: { nl: 'btw', fr: 'TVA', de: 'MwSt.' },
  CH: { de: 'MWST', fr: 'TVA', it: 'IVA' },
  LU: { fr: 'TVA', de: 'MwSt.' },
  LI: { de: 'MWST' },
};

/** The taxing country's own name for its VAT, if known. */
export const taxNameOf = (country: string | undefined): string | undefined =>
  country !== undefined && Object.hasOwn(TAX_NAMES, country) ? TAX_NAMES[country] : undefined;

/**
 * The tax as a reader sees it named: the country's own word in the reader's language where it has
 * one (MWST for a Swiss reader of German), else the reader's word with the country's own beside it
 * where that differs ("VAT (MWST/TVA/IVA)").
 */
export function taxLabel(readerWord: string, country: string | undefined, language: string): string {
  const byLanguage = country === undefined ? undefined : TAX_NAMES_BY_LANGUAGE[country];
  if (byLanguage !== undefined && Object.hasOwn(byLanguage, language)) return byLanguage[language]!;
  const own = taxNameOf(country);
  return own === undefined || own.toLowerCase() === readerWord.toLowerCase()
    ? readerWord
    : `${readerWord} (${own})`;
}
