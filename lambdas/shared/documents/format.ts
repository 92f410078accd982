/**
 * Locale formatting for documents, exact and float-free: amounts arrive as integer minor units and
 * quantities/prices as decimal strings; we hand Intl.NumberFormat a DECIMAL STRING (Node >= 22 formats
 * strings exactly, with no conversion to a double), so "0.00057" or 9007199254740991 minor units
 * print digit for digit. Dates are plain ISO days, formatted in UTC so the host time zone never
 * shifts them.
 *
 * Digits are always Latin (0-9), whatever numbering system the locale prefers or asks for with
 * `-u-nu-` (Arabic-Indic in ar-EG, Persian in fa-IR, Bengali in bn-BD, Thai in th-TH-u-nu-thai):
 * the e-invoice states amounts in Latin digits, the printed and the machine-read amounts must be
 * the same figures, and Latin digits are what every tax office accepts. Separators, grouping,
 * currency placement and month names still follow the locale.
 *
 * Formatters are cached per (locale, options): building an Intl formatter costs far more than using it.
 */

/** The one numbering system documents use (see above). */
export const DOCUMENT_NUMBERING_SYSTEM = 'latn';

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(options)}`;
  let format = cache.get(key) as Intl.NumberFormat | undefined;
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, { ...options, numberingSystem: DOCUMENT_NUMBERING_SYSTEM });
    cache.set(key, format);
  }
  return format;
}

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${JSON.stringify(options)}`;
  let format = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, {
      ...options,
      timeZone: 'UTC',
      numberingSystem: DOCUMENT_NUMBERING_SYSTEM,
    });
    cache.set(key, format);
  }
  return format;
}

// The ES lib typings only admit number | bigint, but ECMA-402 (Intl.NumberFormat v3) formats
// decimal strings exactly; this is the one place that relies on it.
type ExactFormat = (value: string) => string;
const exact = (format: Intl.NumberFormat): ExactFormat => format.format as unknown as ExactFormat;

function parseDecimalString(value: string, what: string): { negative: boolean; fractionDigits: number } {
  const match = typeof value === 'string' ? DECIMAL.exec(value) : null;
  if (match === null) throw new Error(`${what}: not a decimal string like "12.5": ${JSON.stringify(value)}`);
  return { negative: match[1] === '-', fractionDigits: match[3]?.length ?? 0 };
}

function checkExponent(exponent: number, what: string): void {
  if (!Number.isInteger(exponent) || exponent < 0 || exponent > 6) {
    throw new Error(`${what}: currency exponent must be a whole number 0-6, got ${exponent}`);
  }
}

/** 123456 minor units with exponent 2 -> "1234.56"; -5 with exponent 3 -> "-0.005". Exact. */
export function minorToDecimalString(amountMinor: number, exponent: number): string {
  if (!Number.isSafeInteger(amountMinor)) {
    throw new Error(`amount: must be a whole number of minor units, got ${amountMinor}`);
  }
  checkExponent(exponent, 'amount');
  const digits = String(Math.abs(amountMinor)).padStart(exponent + 1, '0');
  const sign = amountMinor < 0 ? '-' : '';
  if (exponent === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** `formatMoney(123456, 'EUR', 2, 'de-DE') === '1.234,56 €'`; always exactly `exponent` decimals. */
export function formatMoney(amountMinor: number, currency: string, exponent: number, locale: string): string {
  const format = numberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  });
  return exact(format)(minorToDecimalString(amountMinor, exponent));
}

/**
 * A unit price (decimal string in major units) with the currency: at least the currency's decimals,
 * more when the price has them (`"0.00057"` EUR -> `0,00057 €`), never rounded.
 */
export function formatUnitPrice(
  unitPrice: string,
  currency: string,
  exponent: number,
  locale: string,
): string {
  checkExponent(exponent, 'unit price');
  const { fractionDigits } = parseDecimalString(unitPrice, 'unit price');
  const format = numberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: Math.max(exponent, fractionDigits),
  });
  return exact(format)(unitPrice);
}

/** A quantity (decimal string) with grouping and all its decimals: "1234.5" -> "1.234,5" (de). */
export function formatQuantity(quantity: string, locale: string): string {
  const { fractionDigits } = parseDecimalString(quantity, 'quantity');
  const format = numberFormat(locale, { minimumFractionDigits: 0, maximumFractionDigits: fractionDigits });
  return exact(format)(quantity);
}

/** A percentage given as a decimal string: "19" -> "19 %" (de), "19%" (en), "7.7" -> "7,7 %" (fr). */
export function formatPercent(rate: string, locale: string): string {
  const { fractionDigits } = parseDecimalString(rate, 'tax rate');
  const format = numberFormat(locale, {
    style: 'unit',
    unit: 'percent',
    minimumFractionDigits: 0,
    maximumFractionDigits: fractionDigits,
  });
  return exact(format)(rate);
}

function utcDay(date: string): Date {
  const match = ISO_DATE.exec(date);
  const day = match === null ? undefined : new Date(Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!));
  if (day === undefined || day.toISOString().slice(0, 10) !== date) {
    throw new Error(`date: not a calendar date like "2026-11-01": ${JSON.stringify(date)}`);
  }
  return day;
}

/** `formatDate('2026-11-01', 'de-DE') === '1. November 2026'`; `ja-JP` -> `2026年11月1日`. */
export function formatDate(date: string, locale: string): string {
  return dateFormat(locale, { dateStyle: 'long' }).format(utcDay(date));
}

/** A date range as the locale writes it: "1.–31. Oktober 2026" (de), "October 1 – 31, 2026" (en-US). */
export function formatDateRange(start: string, end: string, locale: string): string {
  return dateFormat(locale, { dateStyle: 'long' }).formatRange(utcDay(start), utcDay(end));
}

const regionNames = new Map<string, Intl.DisplayNames>();

/** A country's name in the reader's language ("AT" -> "Österreich" in de); the code if unknown. */
export function formatCountry(code: string, locale: string): string {
  let names = regionNames.get(locale);
  if (names === undefined) {
    names = new Intl.DisplayNames(locale, { type: 'region', fallback: 'code' });
    regionNames.set(locale, names);
  }
  return names.of(code) ?? code;
}
