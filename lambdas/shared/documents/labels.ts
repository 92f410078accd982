/**
 * Document labels in the reader's language, from the catalogues (../i18n/): the locale's language
 * picks them ("de-AT" -> de), English where there is no catalogue (a record with such a locale is
 * refused at import; this covers pages for browsers and older records). Amount, date and number
 * formats follow the full locale (format.ts), so "en-IN" gets English words with Indian grouping.
 */
import { catalogueFor, type DocumentLabels } from '../i18n/catalogue.js';

export { languageOf, type Language } from '../i18n/languages.js';
export type Labels = DocumentLabels;

export const labelsFor = (locale: string): Labels => catalogueFor(locale).document;
