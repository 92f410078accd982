/**
 * What a catalogue holds: every word an invoice, its hosted page and its e-mail print, in one
 * language. Product texts (base fee, tiers, packages, legal notes) are written into the invoice
 * detail when it is computed, so the issued record, its PDF and its e-invoice say the same; labels
 * are applied when the detail is printed. Numbers and dates arrive formatted in the customer's
 * locale. test/unit/i18n/catalogues.test.ts checks that every catalogue is complete and distinct.
 */
import { LANGUAGES, languageOf, type Language } from './languages.js';
import { ar } from './catalogues/ar.js';
import { da } from './catalogues/da.js';
import { de } from './catalogues/de.js';
import { en } from './catalogues/en.js';
import { es } from './catalogues/es.js';
import { fi } from './catalogues/fi.js';
import { fr } from './catalogues/fr.js';
import { he } from './catalogues/he.js';
import { it } from './catalogues/it.js';
import { ja } from './catalogues/ja.js';
import { ko } from './catalogues/ko.js';
import { nb } from './catalogues/nb.js';
import { nl } from './catalogues/nl.js';
import { pl } from './catalogues/pl.js';
import { pt } from './catalogues/pt.js';
import { sv } from './catalogues/sv.js';
import { th } from './catalogues/th.js';
import { zh } from './catalogues/zh.js';
import { zhHant } from './catalogues/zh-hant.js';
import type { Catalogue } from './catalogue-types.js';

export type {
  Catalogue,
  DocumentLabels,
  PageLabels,
  NotificationPhrases,
  ProductTexts,
} from './catalogue-types.js';

export const CATALOGUES: Readonly<Record<Language, Catalogue>> = {
  en,
  de,
  fr,
  es,
  it,
  nl,
  pl,
  pt,
  sv,
  da,
  nb,
  fi,
  ja,
  ko,
  zh,
  'zh-Hant': zhHant,
  ar,
  he,
  th,
};

/** The catalogue for a locale; English where its language has none (pages for unknown browsers). */
export const catalogueFor = (locale: string): Catalogue => CATALOGUES[languageOf(locale)];

export { LANGUAGES };
