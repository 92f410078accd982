/**
 * Locale formatting of the document's numbers and dates, exact: amounts go to Intl as decimal
 * strings built from integer minor units (Intl formats decimal strings without a float).
 */

/** Integer minor units to a decimal string in major units with the currency's exponent. */
export function minorToDecimal(amountMinor: number, exponent: number): string {
  const negative = amountMinor < 0;
  const digits = Math.abs(amountMinor)
    .toString()
    .padStart(exponent + 1, '0');
  const text = exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
  return negative ? `-${text}` : text;
}

// Intl.NumberFormat.format accepts decimal strings (ECMA-402 NumberFormat v3); TS's lib types lag behind.
type DecimalFormatter = { format(value: string): string };
const formatterCache = new Map<string, DecimalFormatter>();

function formatter(locale: string, options: Intl.NumberFormatOptions): DecimalFormatter {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatterCache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options) as unknown as DecimalFormatter;
    formatterCache.set(key, f);
  }
  return f;
}

export function formatMoney(amountMinor: number, currency: string, exponent: number, locale: string): string {
  return formatter(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(minorToDecimal(amountMinor, exponent));
}

/** A unit price (decimal string, major units): at least the currency's decimals, up to 6. */
export function formatUnitPrice(decimal: string, currency: string, exponent: number, locale: string): string {
  return formatter(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: Math.max(exponent, 6),
  }).format(decimal);
}

export function formatQuantity(decimal: string, locale: string): string {
  return formatter(locale, { maximumFractionDigits: 12 }).format(decimal);
}

export function formatPercent(rate: string, locale: string): string {
  return `${formatter(locale, { maximumFractionDigits: 4 }).format(rate)} %`;
}

/** `YYYY-MM-DD` in the locale's medium date style (the date itself, no time zone shift). */
export function formatDate(isoDate: string, locale: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y!, m! - 1, d!)),
  );
}
