/**
 * The texts compute writes into an invoice detail, in the customer's language: the catalogue's
 * product texts with numbers in the customer's format, and the legal note of its tax treatment.
 */
import { formatCountry, formatQuantity } from '../documents/format.js';
import type { LineTexts } from '../domain/line-texts.js';
import type { TaxTreatment } from '../domain/tax-treatment.js';
import { catalogueFor, type ProductTexts } from './catalogue.js';

export const productTextsFor = (locale: string): ProductTexts => catalogueFor(locale).products;

/** Pricing's words (tier ranges, flat fees, packages) in the customer's language and number format. */
export function lineTextsFor(locale: string): LineTexts {
  const products = productTextsFor(locale);
  return {
    number: (decimal) => formatQuantity(decimal, locale),
    tierUpTo: products.tierUpTo,
    tierBetween: products.tierBetween,
    tierOver: products.tierOver,
    tierFlatFee: products.tierFlatFee,
    packageUnit: products.packageUnit,
  };
}

/** The legal sentence of a treatment that charges none of the seller's VAT; undefined for S. */
export function taxNoteFor(treatment: TaxTreatment, locale: string): string | undefined {
  const { document, products } = catalogueFor(locale);
  // A territory outside the EU VAT area is named itself, not its country (Canary Islands, not Spain).
  const territory = treatment.territory;
  const country =
    territory === undefined
      ? formatCountry(treatment.placeOfSupply, locale)
      : territory.regionCode === undefined
        ? territory.name
        : formatCountry(territory.regionCode, locale);
  switch (treatment.reason) {
    case 'reverseCharge':
      return document.reverseChargeNote;
    case 'notSubjectBusiness':
      return products.notSubjectBusiness;
    case 'notSubjectConsumer':
      return products.notSubjectConsumer(country);
    case 'usSalesTax':
      return products.usSalesTax;
    case 'notRegistered':
      return products.notRegistered(country);
    case undefined:
      return undefined;
  }
}
