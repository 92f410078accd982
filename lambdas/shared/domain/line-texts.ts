/**
 * The words pricing writes into invoice lines (tier ranges, flat fees, package units), with numbers
 * in the customer's format. compute.ts takes them from the customer's catalogue (i18n/line-texts.ts);
 * PLAIN_LINE_TEXTS, English with plain decimals, is what pricing uses when called on its own.
 */
export interface LineTexts {
  /** A decimal string in the customer's number format ("100000" -> "100.000" in de). */
  number: (decimal: string) => string;
  tierUpTo: (upTo: string) => string;
  tierBetween: (from: string, upTo: string) => string;
  tierOver: (from: string) => string;
  tierFlatFee: (tier: string) => string;
  packageUnit: (count: number, size: string, unit: string) => string;
}

export const PLAIN_LINE_TEXTS: LineTexts = {
  number: (decimal) => decimal,
  tierUpTo: (upTo) => `up to ${upTo}`,
  tierBetween: (from, upTo) => `${from} to ${upTo}`,
  tierOver: (from) => `over ${from}`,
  tierFlatFee: (tier) => `Flat fee, ${tier}`,
  packageUnit: (count, size, unit) => `${count === 1 ? 'package' : 'packages'} of ${size} ${unit}`.trimEnd(),
};
