/**
 * The fixtures read as their customers' tools read them (pdftotext): the buyer's name in every
 * script, no English fragment on an invoice in another language, tier rows that multiply out, each
 * discount once, and totals that add up as printed.
 */
import { renderInvoicePdf } from '../../lambdas/shared/documents/pdf.js';
import { validateInvoiceDetail } from '../../lambdas/shared/documents/schema.js';
import { tableRows, totalsRows } from '../../lambdas/shared/documents/wording.js';
import {
  parseDecimal,
  priceTimesQuantity,
  roundToMinor,
  currencyOf,
} from '../../lambdas/shared/domain/money.js';
import { CATALOGUES } from '../../lambdas/shared/i18n/catalogue.js';
import { languageOf } from '../../lambdas/shared/i18n/languages.js';
import { pdfText, readableText } from '../support/poppler.js';
import { VISUAL_FIXTURES, type VisualFixture } from './fixtures.js';

const texts = new Map<string, string>();
/**
 * Whether a printed cell is in the text: each of its words, without spacing or symbols (a wrapped
 * cell comes out with a break inside; right-to-left text puts a currency sign on the other side).
 * Arabic words are left out: Noto Sans Arabic draws ب ت ث ن ي on one dotless glyph plus dots, and a
 * PDF maps a glyph to one character, so extraction may give a sibling letter (docs/documents.md).
 */
function containsCell(text: string, cell: string): boolean {
  const compact = text.replace(/[^\p{L}\p{N}.,]/gu, '');
  const words = readableText(cell)
    .split(' ')
    .map((word) => word.replace(/[^\p{L}\p{N}.,]/gu, ''))
    .filter((word) => word !== '' && !/\p{Script=Arabic}/u.test(word));
  return words.length > 0 && words.every((word) => compact.includes(word));
}

async function textOf(fixture: VisualFixture): Promise<string> {
  let text = texts.get(fixture.name);
  if (text === undefined) {
    text = readableText(pdfText(await renderInvoicePdf(validateInvoiceDetail(fixture.detail))));
    texts.set(fixture.name, text);
  }
  return text;
}

/** Every fixed string of a catalogue (function texts called with placeholders, which are then cut out). */
function catalogueStrings(language: keyof typeof CATALOGUES): string[] {
  const strings: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') strings.push(value);
    else if (typeof value === 'function') {
      const filled = (value as (...a: unknown[]) => string)('\u0001', '\u0001', '\u0001', '\u0001');
      strings.push(...filled.split('\u0001'));
    } else if (typeof value === 'object' && value !== null) Object.values(value).forEach(walk);
  };
  walk({ ...CATALOGUES[language].document, ...CATALOGUES[language].products });
  return strings.map((s) => s.trim()).filter((s) => s.length >= 4);
}

const words = (name: string): string[] =>
  name.split(' ').filter((w) => !/\p{Extended_Pictographic}/u.test(w));

describe('text a reader extracts', () => {
  it.each(VISUAL_FIXTURES.map((f) => [f.name, f] as const))(
    '%s: the buyer name in its script',
    async (_, fixture) => {
      const text = await textOf(fixture);
      for (const word of words(fixture.detail.buyer.name)) expect(text).toContain(readableText(word));
    },
  );

  const foreign = VISUAL_FIXTURES.filter((f) => languageOf(f.detail.locale) !== 'en');
  it.each(foreign.map((f) => [f.name, f] as const))('%s: no English fragment', async (_, fixture) => {
    const text = await textOf(fixture);
    const own = catalogueStrings(languageOf(fixture.detail.locale)).join('\n');
    // English catalogue texts that the reader's catalogue does not also use (Plan, Total, SMS ...).
    const english = catalogueStrings('en').filter((s) => !own.includes(s));
    expect(english.length).toBeGreaterThan(30);
    const found = english.filter((s) =>
      new RegExp(`(^|[^A-Za-z])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z])`).test(text),
    );
    expect(found).toEqual([]);
  });

  it.each(VISUAL_FIXTURES.map((f) => [f.name, f] as const))(
    '%s: every printed row multiplies out',
    async (_, fixture) => {
      const { detail } = fixture;
      const currency = currencyOf(detail.currency);
      /** A row's quantity x unit price, rounded to the minor unit as the invoice rounds it. */
      const multipliedOut = (row: { quantity: string; unitPrice: string }): number =>
        roundToMinor(
          priceTimesQuantity(
            parseDecimal(row.unitPrice, 'price'),
            parseDecimal(row.quantity, 'quantity'),
            currency,
          ),
        );
      const text = await textOf(fixture);
      for (const line of detail.lines) {
        for (const row of line.tiers ?? []) {
          expect({ row: row.description, amount: multipliedOut(row) }).toEqual({
            row: row.description,
            amount: row.amountMinor,
          });
        }
        if ((line.tiers ?? []).length > 0) {
          expect(line.tiers!.reduce((sum, t) => sum + t.amountMinor, 0)).toBe(line.amountMinor);
        } else if (line.kind !== 'discount') {
          expect({ line: line.lineId, amount: multipliedOut(line) }).toEqual({
            line: line.lineId,
            amount: line.amountMinor,
          });
        }
      }
      for (const row of tableRows(detail)) {
        for (const cell of [row.quantity, row.unitPrice, row.amount].filter((c) => c !== ''))
          expect({ cell, found: containsCell(text, cell) }).toEqual({ cell, found: true });
      }
    },
  );

  it.each(VISUAL_FIXTURES.map((f) => [f.name, f] as const))(
    '%s: totals add up as printed, each discount once',
    async (_, fixture) => {
      const { detail } = fixture;
      const text = await textOf(fixture);
      const printedLines = detail.lines
        .filter((l) => l.kind !== 'discount')
        .reduce((sum, l) => sum + l.amountMinor, 0);
      const discounts = detail.lines.filter((l) => l.kind === 'discount');
      expect(printedLines).toBe(detail.subtotalMinor);
      expect(detail.subtotalMinor + discounts.reduce((s, l) => s + l.amountMinor, 0)).toBe(
        detail.taxableMinor,
      );
      expect(detail.taxableMinor + detail.taxes.reduce((s, t) => s + t.taxMinor, 0)).toBe(detail.totalMinor);
      for (const row of totalsRows(detail))
        expect({ total: row.value, found: containsCell(text, row.value) }).toEqual({
          total: row.value,
          found: true,
        });
      for (const discount of discounts) expect(text.split(discount.description).length - 1).toBe(1);
    },
  );

  it('includes a discount and a flat-fee tier row', () => {
    expect(VISUAL_FIXTURES.some((f) => f.detail.lines.some((l) => l.kind === 'discount'))).toBe(true);
    expect(
      VISUAL_FIXTURES.some((f) =>
        f.detail.lines.some((l) => (l.tiers ?? []).some((t) => t.quantity === '1')),
      ),
    ).toBe(true);
  });
});
