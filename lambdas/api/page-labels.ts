/**
 * The hosted invoice page's own words (the document's are documents/labels.ts), from the same
 * catalogues (../shared/i18n/). The language follows the invoice's locale; a page without an invoice
 * (an unknown link) follows the browser's Accept-Language.
 */
import { catalogueFor, type PageLabels } from '../shared/i18n/catalogue.js';
import { catalogueLanguageOf } from '../shared/i18n/languages.js';

export type { PageLabels };

export const pageLabelsFor = (locale: string): PageLabels => catalogueFor(locale).page;

/** The first language of an Accept-Language header the page speaks, else English. */
export function localeOfAcceptLanguage(header: string | undefined): string {
  const ranked = (header ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((r) => r.tag !== '' && r.tag !== '*' && r.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked.find((r) => catalogueLanguageOf(r.tag) !== undefined)?.tag ?? 'en';
}
