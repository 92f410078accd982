import { InvalidInputError } from '../../../lambdas/shared/errors.js';
import {
  checkGapless,
  formatInvoiceNumber,
  isValidInvoiceNumber,
  nextSequence,
  parseInvoiceNumber,
  seriesForIssueDate,
} from '../../../lambdas/shared/domain/numbering.js';

describe('invoice numbers', () => {
  it('formats and parses the canonical form', () => {
    expect(formatInvoiceNumber('INV-2026', 123)).toBe('INV-2026-000123');
    expect(formatInvoiceNumber('INV-2026', 1)).toBe('INV-2026-000001');
    expect(formatInvoiceNumber('INV-2026', 1234567)).toBe('INV-2026-1234567');
    expect(parseInvoiceNumber('INV-2026-000123')).toEqual({
      series: 'INV-2026',
      prefix: 'INV',
      year: 2026,
      sequence: 123,
    });
    expect(parseInvoiceNumber('INV-2026-1234567').sequence).toBe(1234567);
  });

  it('derives one series per year of the issue date', () => {
    expect(seriesForIssueDate('2026-02-01')).toBe('INV-2026');
    expect(seriesForIssueDate('2027-01-01')).toBe('INV-2027');
    expect(seriesForIssueDate('2026-02-01', 'CN')).toBe('CN-2026');
    expect(() => seriesForIssueDate('2026-02-30')).toThrow(InvalidInputError);
    expect(() => seriesForIssueDate('2026-02-01', 'inv')).toThrow(InvalidInputError);
  });

  it.each([
    'INV-2026-123',
    'INV-2026-0000123',
    'INV-2026-000000',
    'inv-2026-000001',
    'INV-26-000001',
    'INV2026000001',
    '',
  ])('rejects non-canonical %j', (text) => {
    expect(isValidInvoiceNumber(text)).toBe(false);
    expect(() => parseInvoiceNumber(text, 'row x.invoiceNumber')).toThrow(/^row x\.invoiceNumber: /);
  });

  it('rejects bad sequences and series', () => {
    expect(() => formatInvoiceNumber('INV-2026', 0)).toThrow(InvalidInputError);
    expect(() => formatInvoiceNumber('INV-2026', 1.5)).toThrow(InvalidInputError);
    expect(() => formatInvoiceNumber('INV2026', 1)).toThrow(InvalidInputError);
  });

  it('nextSequence starts at 1', () => {
    expect(nextSequence(undefined)).toBe(1);
    expect(nextSequence(0)).toBe(1);
    expect(nextSequence(41)).toBe(42);
    expect(() => nextSequence(-1)).toThrow(InvalidInputError);
  });
});

describe('checkGapless', () => {
  const n = (series: string, ...seqs: number[]) => seqs.map((s) => formatInvoiceNumber(series, s));

  it('accepts complete series in any order', () => {
    const report = checkGapless([...n('INV-2026', 3, 1, 2), ...n('INV-2027', 1)]);
    expect(report.ok).toBe(true);
    expect(report.series).toEqual([
      { series: 'INV-2026', count: 3, first: 1, last: 3, gaps: [], duplicates: [] },
      { series: 'INV-2027', count: 1, first: 1, last: 1, gaps: [], duplicates: [] },
    ]);
  });

  it('reports gaps (including a missing start) and duplicates per series', () => {
    const report = checkGapless([...n('INV-2026', 1, 2, 5, 5, 9), ...n('INV-2027', 2, 3)]);
    expect(report.ok).toBe(false);
    expect(report.series[0]).toEqual({
      series: 'INV-2026',
      count: 5,
      first: 1,
      last: 9,
      gaps: [
        { from: 3, to: 4 },
        { from: 6, to: 8 },
      ],
      duplicates: [5],
    });
    expect(report.series[1]?.gaps).toEqual([{ from: 1, to: 1 }]);
  });

  it('lists strings that are not invoice numbers', () => {
    const report = checkGapless(['INV-2026-000001', 'garbage']);
    expect(report.ok).toBe(false);
    expect(report.invalid).toEqual(['garbage']);
  });

  it('an empty list is trivially gapless', () => {
    expect(checkGapless([])).toEqual({ ok: true, series: [], invalid: [] });
  });
});
