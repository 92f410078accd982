import {
  formatCountry,
  formatDate,
  formatDateRange,
  formatMoney,
  formatPercent,
  formatQuantity,
  formatUnitPrice,
  minorToDecimalString,
} from '../../../lambdas/shared/documents/format.js';
import { labelsFor, languageOf } from '../../../lambdas/shared/documents/labels.js';

/** Intl separates numbers and symbols with no-break spaces (U+00A0, U+2009, U+202F); compare them as spaces. */
const plain = (text: string): string => text.replace(/[\u00a0\u2009\u202f]/g, ' ');

describe('minorToDecimalString', () => {
  it.each([
    [123456, 2, '1234.56'],
    [5, 2, '0.05'],
    [-5, 3, '-0.005'],
    [0, 2, '0.00'],
    [26038, 0, '26038'],
    [9007199254740991, 2, '90071992547409.91'],
  ])('%d with exponent %d is %s', (minor, exponent, expected) => {
    expect(minorToDecimalString(minor, exponent)).toBe(expected);
  });

  it('rejects fractions and unsafe integers, naming them', () => {
    expect(() => minorToDecimalString(1.5, 2)).toThrow(
      'amount: must be a whole number of minor units, got 1.5',
    );
    expect(() => minorToDecimalString(2 ** 53, 2)).toThrow('whole number of minor units');
    expect(() => minorToDecimalString(1, 1.5)).toThrow('currency exponent must be a whole number');
  });
});

describe('formatMoney', () => {
  it.each([
    ['en-US', '€1,234.56'],
    ['en-GB', '€1,234.56'],
    ['de-DE', '1.234,56 €'],
    ['fr-FR', '1 234,56 €'],
    ['es-ES', '1234,56 €'],
    ['ja-JP', '€1,234.56'],
  ])('EUR 1234.56 in %s is %s', (locale, expected) => {
    expect(plain(formatMoney(123456, 'EUR', 2, locale))).toBe(expected);
  });

  it('prints 0- and 3-decimal currencies with their own exponent', () => {
    expect(formatMoney(26038, 'JPY', 0, 'ja-JP')).toBe('￥26,038');
    expect(plain(formatMoney(1235567, 'KWD', 3, 'en-KW'))).toBe('KWD 1,235.567');
    expect(plain(formatMoney(1235567, 'KWD', 3, 'de-DE'))).toBe('1.235,567 KWD');
  });

  it('keeps every digit of amounts beyond double precision', () => {
    // 90071992547409.91 as a float prints as ...409.9 or ...410; the decimal string does not.
    expect(formatMoney(9007199254740991, 'USD', 2, 'en-US')).toBe('$90,071,992,547,409.91');
  });

  it('signs discounts', () => {
    expect(plain(formatMoney(-2828, 'EUR', 2, 'de-DE'))).toBe('-28,28 €');
  });
});

describe('quantities, unit prices and rates', () => {
  it('never rounds a unit price below the currency decimals', () => {
    expect(plain(formatUnitPrice('0.00057', 'EUR', 2, 'de-DE'))).toBe('0,00057 €');
    expect(formatUnitPrice('8.5', 'EUR', 2, 'en-GB')).toBe('€8.50');
    expect(formatUnitPrice('3', 'JPY', 0, 'ja-JP')).toBe('￥3');
  });

  it('prints quantities with grouping and all their decimals', () => {
    expect(formatQuantity('1234.5', 'de-DE')).toBe('1.234,5');
    expect(formatQuantity('123456', 'en-US')).toBe('123,456');
    expect(formatQuantity('0.000001', 'fr-FR')).toBe('0,000001');
    expect(() => formatQuantity('1e3', 'en')).toThrow('quantity: not a decimal string like "12.5": "1e3"');
  });

  it('prints rates as the locale writes percentages', () => {
    expect(formatPercent('19', 'en-GB')).toBe('19%');
    expect(plain(formatPercent('19', 'de-DE'))).toBe('19 %');
    expect(plain(formatPercent('7.7', 'fr-FR'))).toBe('7,7 %');
  });
});

describe('dates', () => {
  it.each([
    ['en-US', 'November 1, 2026'],
    ['en-GB', '1 November 2026'],
    ['de-DE', '1. November 2026'],
    ['fr-FR', '1 novembre 2026'],
    ['es-ES', '1 de noviembre de 2026'],
    ['ja-JP', '2026年11月1日'],
  ])('2026-11-01 in %s is %s', (locale, expected) => {
    expect(formatDate('2026-11-01', locale)).toBe(expected);
  });

  it('does not shift days with the host time zone', () => {
    expect(formatDate('2026-12-31', 'en-GB')).toBe('31 December 2026');
    expect(formatDate('2026-01-01', 'en-GB')).toBe('1 January 2026');
  });

  it('writes billing periods as ranges', () => {
    expect(plain(formatDateRange('2026-10-01', '2026-10-31', 'de-DE'))).toBe('1.–31. Oktober 2026');
    expect(plain(formatDateRange('2026-10-01', '2026-10-31', 'en-GB'))).toBe('1 – 31 October 2026');
  });

  it('rejects non-dates', () => {
    expect(() => formatDate('2026-02-30', 'en')).toThrow(
      'date: not a calendar date like "2026-11-01": "2026-02-30"',
    );
  });

  it('names countries in the reader language', () => {
    expect(formatCountry('AT', 'de-AT')).toBe('Österreich');
    expect(formatCountry('JP', 'ja-JP')).toBe('日本');
    expect(formatCountry('PL', 'fr-FR')).toBe('Pologne');
  });
});

describe('labels', () => {
  it.each([
    ['de-DE', 'de'],
    ['de-AT', 'de'],
    ['fr-CA', 'fr'],
    ['es', 'es'],
    ['ja-JP', 'ja'],
    ['en-GB', 'en'],
    ['pl-PL', 'pl'],
    ['nn-NO', 'nb'],
    ['ar-EG', 'ar'],
    ['xx', 'en'],
  ])('%s picks %s', (locale, language) => {
    expect(languageOf(locale)).toBe(language);
  });

  it('translates every label into every language', () => {
    const en = labelsFor('en');
    for (const locale of ['de', 'fr', 'es', 'ja']) {
      const labels = labelsFor(locale);
      for (const key of [
        'invoice',
        'invoiceNumber',
        'issueDate',
        'dueDate',
        'billTo',
        'quantity',
        'unitPrice',
      ] as const) {
        expect(labels[key]).not.toBe(en[key]);
      }
      expect(labels.reverseChargeNote).toContain('2006/112');
      expect(labels.reverseChargeNote).not.toBe(en.reverseChargeNote);
      expect(labels.page(2, 7)).toMatch(/2.*7/);
    }
    expect(labelsFor('de-DE').invoice).toBe('Rechnung');
    expect(labelsFor('fr-FR').page(1, 3)).toBe('Page 1 sur 3');
    expect(labelsFor('es-ES').unitPrice).toBe('Precio unitario');
    expect(labelsFor('ja-JP').invoice).toBe('請求書');
    expect(labelsFor('en').page(1, 3)).toBe('Page 1 of 3');
  });
});
