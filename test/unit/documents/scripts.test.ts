/**
 * Every script a customer's name may be written in reaches the PDF as shaped, extractable text in
 * a font that has it (pdftotext, pdffonts: what a reader's tools see), in reading order; a
 * character no font has is refused at import and before a number is reserved.
 */
import { readFileSync } from 'node:fs';
import { directionOf, visualPieces } from '../../../lambdas/shared/documents/bidi.js';
import { FONT_FAMILIES, fontRuns, familyOrder, loadedFont } from '../../../lambdas/shared/documents/fonts.js';
import { formatDate, formatMoney } from '../../../lambdas/shared/documents/format.js';
import {
  checkPrintable,
  checkPrintableDetail,
  unprintableCharacters,
} from '../../../lambdas/shared/documents/glyph-coverage.js';
import { renderInvoicePdf } from '../../../lambdas/shared/documents/pdf.js';
import { validateInvoiceDetail } from '../../../lambdas/shared/documents/schema.js';
import { parseCustomer, parsePricePlan } from '../../../lambdas/shared/domain/records.js';
import { InvalidInputError } from '../../../lambdas/shared/errors.js';
import {
  coveredRangesOfFonts,
  GENERATED_COVERAGE_FILE,
  serializeRanges,
} from '../../../scripts/fonts/coverage-source.js';
import { pdfFontNames, pdfText, readableText } from '../../support/poppler.js';
import { loadFixture } from './support.js';

/** A name per script, the locale that customer reads in, and the family that must print it. */
const NAMES = [
  { script: 'Arabic', locale: 'ar-EG', name: 'شركة النور للتجارة', family: 'NotoSansArabic' },
  { script: 'Hebrew', locale: 'he-IL', name: 'חברת אלפא בע"מ', family: 'NotoSansHebrew' },
  { script: 'Korean', locale: 'ko-KR', name: '주식회사 한빛소프트', family: 'NotoSansKR' },
  { script: 'Simplified Chinese', locale: 'zh-CN', name: '北京云数科技有限公司', family: 'NotoSansSC' },
  { script: 'Traditional Chinese', locale: 'zh-TW', name: '台灣資訊股份有限公司', family: 'NotoSansTC' },
  { script: 'Japanese', locale: 'ja-JP', name: '株式会社サンプル', family: 'NotoSansJP' },
  { script: 'Thai', locale: 'th-TH', name: 'บริษัท สยามเทคโนโลยี จำกัด', family: 'NotoSansThai' },
  { script: 'Devanagari', locale: 'hi-IN', name: 'भारत सॉफ्टवेयर लिमिटेड', family: 'NotoSansDevanagari' },
  { script: 'Greek', locale: 'el-GR', name: 'Ελληνική Εταιρεία Α.Ε.', family: 'NotoSans' },
  { script: 'Cyrillic', locale: 'bg-BG', name: 'Българска Компания ООД', family: 'NotoSans' },
  { script: 'Emoji', locale: 'de-DE', name: 'Rakete 🚀 GmbH', family: 'NotoEmoji' },
];

async function renderWithBuyer(name: string, locale: string): Promise<Buffer> {
  const detail = loadFixture('eur-domestic-de');
  detail.buyer.name = name;
  detail.locale = locale;
  return renderInvoicePdf(validateInvoiceDetail(detail));
}

describe('names in every script', () => {
  it.each(NAMES)('prints a $script name as text, in $family', async ({ name, locale, family }) => {
    const pdf = await renderWithBuyer(name, locale);
    const text = readableText(pdfText(pdf));
    for (const word of name.split(' ').filter((w) => !/\p{Extended_Pictographic}/u.test(w)))
      expect(text).toContain(word.normalize('NFKC'));
    expect(pdfFontNames(pdf).some((font) => font.startsWith(`${family}-`))).toBe(true);
  });

  it('embeds only the faces a document uses', async () => {
    const fonts = pdfFontNames(await renderWithBuyer('Müller & Søn GmbH', 'de-DE'));
    expect([...new Set(fonts)].sort()).toEqual(['NotoSans-Bold', 'NotoSans-Regular']);
  });

  it('gives the same bytes for the same right-to-left record', async () => {
    const first = await renderWithBuyer('شركة ACME 2 (مصر)', 'ar-EG');
    expect((await renderWithBuyer('شركة ACME 2 (مصر)', 'ar-EG')).equals(first)).toBe(true);
  });
});

describe('bidirectional text (UAX #9)', () => {
  it('lays out mixed Arabic and Latin in reading order, brackets mirrored', () => {
    // Visual, left to right: "(مصر) ACME 2 شركة"; Arabic words stay logical for the shaper.
    expect(visualPieces('شركة ACME 2 (مصر)')).toEqual([
      { text: '(', rtl: false },
      { text: 'مصر', rtl: true },
      { text: ') ACME 2 ', rtl: false },
      { text: 'شركة', rtl: true },
    ]);
  });

  it('keeps numbers left to right inside right-to-left text', () => {
    expect(visualPieces('מספר 2026-001')).toEqual([
      { text: '2026-001 ', rtl: false },
      { text: 'מספר', rtl: true },
    ]);
  });

  it('leaves left-to-right text alone and tells paragraph directions', () => {
    expect(visualPieces('Müller & Søn')).toEqual([{ text: 'Müller & Søn', rtl: false }]);
    expect(directionOf('שלום world')).toBe('rtl');
    expect(directionOf('hello שלום')).toBe('ltr');
  });
});

describe('fonts per script', () => {
  it('prints each script in its own family, Han in the reader’s', () => {
    expect(fontRuns('中国', false, familyOrder('zh-CN'))).toEqual([{ face: 'sc', text: '中国' }]);
    expect(fontRuns('中国', false, familyOrder('zh-TW'))).toEqual([{ face: 'tc', text: '中国' }]);
    expect(fontRuns('中国', false, familyOrder('ja-JP'))).toEqual([{ face: 'jp', text: '中国' }]);
    expect(fontRuns('भारत', true, familyOrder('en'))).toEqual([{ face: 'devanagariBold', text: 'भारत' }]);
    expect(fontRuns('\u200fA', false)).toEqual([{ face: 'latin', text: 'A' }]);
  });

  it('regular and bold of every family have the same characters', () => {
    for (const family of FONT_FAMILIES) {
      expect(loadedFont(`${family}Bold`).characterSet.length).toBe(loadedFont(family).characterSet.length);
    }
  });

  it('the generated coverage table matches the fonts (npm run fonts:coverage rewrites it)', () => {
    expect(readFileSync(GENERATED_COVERAGE_FILE, 'utf8')).toBe(serializeRanges(coveredRangesOfFonts()));
  });
});

describe('characters no font prints', () => {
  it('are found, and exotic spaces and bidi controls are not among them', () => {
    expect(unprintableCharacters('Pharaoh \u{13000} Ltd\u202f\u200f')).toEqual(['\u{13000}']);
    expect(unprintableCharacters(NAMES.map((n) => n.name).join(' '))).toEqual([]);
  });

  it('are refused with the field and the character named', () => {
    expect(() => checkPrintable('A \u{13000}', 'customer c.legalName')).toThrow(
      'customer c.legalName: "\u{13000}" (U+13000): no font of the invoice prints this character',
    );
    expect(() => checkPrintableDetail({ lines: [{ description: 'x\u{1d800}' }] }, 'detail')).toThrow(
      /^detail\.lines\[0\]\.description: /,
    );
  });

  it('refuse a customer or plan at import', () => {
    const customer = {
      customerId: 'cus_1',
      legalName: 'Pharaoh \u{13000} Ltd',
      email: 'a@example.com',
      billingAddress: { line1: 'Street 1', city: 'Cairo', country: 'EG' },
      currency: 'EUR',
      locale: 'ar-EG',
      planId: 'pro',
      status: 'active',
    };
    expect(() => parseCustomer(customer)).toThrow(InvalidInputError);
    expect(() => parseCustomer(customer)).toThrow(/^customer cus_1\.legalName: "\u{13000}"/u);
    expect(() =>
      parseCustomer({
        ...customer,
        legalName: 'OK',
        billingAddress: { ...customer.billingAddress, city: '\u{13000}' },
      }),
    ).toThrow(/^customer cus_1\.billingAddress\.city: /);
    const plan = {
      planId: 'pro',
      name: 'Pro \u{13000}',
      currency: 'EUR',
      baseFeeMinor: 100,
      components: [],
    };
    expect(() => parsePricePlan(plan)).toThrow(/^plan pro\.name: /);
  });
});

describe('digits', () => {
  it('are Latin in every locale, whatever numbering system it prefers or asks for', () => {
    for (const locale of [
      'ar-EG',
      'fa-IR',
      'bn-BD',
      'th-TH-u-nu-thai',
      'de-DE-u-nu-arab',
      'hi-IN-u-nu-deva',
    ]) {
      expect(formatMoney(123456, 'EUR', 2, locale)).toMatch(/1.?234.56|1.?23.?456/u);
      expect(formatMoney(123456, 'EUR', 2, locale)).not.toMatch(
        /[\u0660-\u0669\u06f0-\u06f9\u09e6-\u09ef\u0e50-\u0e59\u0966-\u096f]/u,
      );
      expect(formatDate('2026-11-01', locale)).toMatch(/\d/);
    }
  });
});
