/**
 * Invoice numbers, the pure parts: `INV-2026-000123` = series `INV-2026` (prefix + year of the
 * issue date) + a sequence that starts at 1 and is gapless within the series. Allocation (the
 * atomic counter in DynamoDB) lives with the store; a number that was reserved and failed is
 * kept as VOID, so `checkGapless` over all issued + void numbers must report no gaps.
 */
import { InvalidInputError } from '../errors.js';
import { parseIsoDate } from './periods.js';

export const DEFAULT_PREFIX = 'INV';
/** Sequences are zero-padded to at least this many digits (they grow beyond 999999, never wrap). */
export const SEQUENCE_DIGITS = 6;

const PREFIX_PATTERN = /^[A-Z][A-Z0-9]{0,15}$/;
const SERIES_PATTERN = /^([A-Z][A-Z0-9]{0,15})-(\d{4})$/;
const NUMBER_PATTERN = /^([A-Z][A-Z0-9]{0,15})-(\d{4})-(\d+)$/;

export interface ParsedInvoiceNumber {
  series: string;
  prefix: string;
  year: number;
  sequence: number;
}

/** The series an invoice with this issue date belongs to: `INV-2026`. */
export function seriesForIssueDate(issueDate: string, prefix = DEFAULT_PREFIX): string {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new InvalidInputError(
      `must be 1-16 upper-case letters/digits starting with a letter: "${prefix}"`,
      'prefix',
    );
  }
  const { year } = parseIsoDate(issueDate, 'issueDate');
  return `${prefix}-${year}`;
}

/** Where invoices issued on a day are numbered: the issue date and that date's series. */
export interface BillingSeries {
  issueDate: string;
  series: string;
  /** The number of the `sequence`-th invoice of the series. */
  numberFor(sequence: number): string;
}

/** The one rule for the series: the year of the issue date (issued 2027-01-04 -> INV-2027). */
export function billingSeriesOf(issueDate: string): BillingSeries {
  const series = seriesForIssueDate(issueDate);
  return { issueDate, series, numberFor: (sequence) => formatInvoiceNumber(series, sequence) };
}

export function isValidSeries(series: unknown): series is string {
  return typeof series === 'string' && SERIES_PATTERN.test(series);
}

function checkSequence(sequence: number): void {
  if (!Number.isSafeInteger(sequence) || sequence < 1) {
    throw new InvalidInputError(`must be a whole number >= 1, got ${sequence}`, 'sequence');
  }
}

/** `formatInvoiceNumber('INV-2026', 123) === 'INV-2026-000123'`. */
export function formatInvoiceNumber(series: string, sequence: number): string {
  if (!isValidSeries(series))
    throw new InvalidInputError(`not a series like "INV-2026": "${series}"`, 'series');
  checkSequence(sequence);
  return `${series}-${String(sequence).padStart(SEQUENCE_DIGITS, '0')}`;
}

/** Parse a number; only the canonical form is accepted (so one invoice has exactly one spelling). */
export function parseInvoiceNumber(text: unknown, where = 'invoiceNumber'): ParsedInvoiceNumber {
  const match = typeof text === 'string' ? NUMBER_PATTERN.exec(text) : null;
  if (match === null) {
    throw new InvalidInputError(
      `not an invoice number like "INV-2026-000123": ${JSON.stringify(text)}`,
      where,
    );
  }
  const prefix = match[1] as string;
  const year = Number(match[2]);
  const sequence = Number(match[3]);
  const series = `${prefix}-${match[2] as string}`;
  if (!Number.isSafeInteger(sequence) || sequence < 1 || formatInvoiceNumber(series, sequence) !== text) {
    throw new InvalidInputError(
      `not in canonical form (sequence >= 1, padded to ${SEQUENCE_DIGITS} digits): ${text}`,
      where,
    );
  }
  return { series, prefix, year, sequence };
}

export function isValidInvoiceNumber(text: unknown): boolean {
  try {
    parseInvoiceNumber(text);
    return true;
  } catch {
    return false;
  }
}

/** The next sequence of a series given the last allocated one (undefined: series not started). */
export function nextSequence(lastAllocated: number | undefined): number {
  if (lastAllocated === undefined) return 1;
  if (!Number.isSafeInteger(lastAllocated) || lastAllocated < 0) {
    throw new InvalidInputError(`must be a whole number >= 0, got ${lastAllocated}`, 'lastAllocated');
  }
  return lastAllocated + 1;
}

export interface SeriesReport {
  series: string;
  count: number;
  first: number;
  last: number;
  /** Missing sequences between 1 and the highest one seen, as inclusive ranges. */
  gaps: { from: number; to: number }[];
  /** Sequences seen more than once. */
  duplicates: number[];
}

export interface GaplessReport {
  ok: boolean;
  series: SeriesReport[];
  /** Strings that are not invoice numbers at all. */
  invalid: string[];
}

/**
 * Check that each series runs 1..n with no gap and no duplicate. Every number ever allocated
 * (ISSUED, NOTIFIED and VOID alike) must be passed in; a VOID number fills its place.
 */
export function checkGapless(numbers: readonly string[]): GaplessReport {
  const bySeries = new Map<string, number[]>();
  const invalid: string[] = [];
  for (const text of numbers) {
    let parsed: ParsedInvoiceNumber;
    try {
      parsed = parseInvoiceNumber(text);
    } catch {
      invalid.push(text);
      continue;
    }
    const list = bySeries.get(parsed.series) ?? [];
    list.push(parsed.sequence);
    bySeries.set(parsed.series, list);
  }
  const series = [...bySeries.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, sequences]): SeriesReport => {
      const sorted = [...sequences].sort((a, b) => a - b);
      const duplicates: number[] = [];
      const gaps: { from: number; to: number }[] = [];
      let expected = 1;
      for (const [i, sequence] of sorted.entries()) {
        if (i > 0 && sequence === sorted[i - 1]) {
          if (duplicates.at(-1) !== sequence) duplicates.push(sequence);
          continue;
        }
        if (sequence > expected) gaps.push({ from: expected, to: sequence - 1 });
        expected = sequence + 1;
      }
      return {
        series: name,
        count: sorted.length,
        first: sorted[0] as number,
        last: sorted.at(-1) as number,
        gaps,
        duplicates,
      };
    });
  const ok = invalid.length === 0 && series.every((s) => s.gaps.length === 0 && s.duplicates.length === 0);
  return { ok, series, invalid };
}

/** The sequence of a slot in its batch's block (sequences last - size + 1 ... last). */
export function blockSequence(
  block: { last: number; size: number } | null | undefined,
  slot: number | null | undefined,
): number | undefined {
  if (!block || slot === null || slot === undefined) return undefined;
  if (!Number.isInteger(slot) || slot < 0 || slot >= block.size)
    throw new Error(`slot ${slot} is outside the batch's block of ${block.size} numbers`);
  return block.last - block.size + 1 + slot;
}
