/**
 * Exact money and decimal quantities.
 *
 * - Amounts leave this module as integers in minor units of their currency (JS numbers, always
 *   checked with Number.isSafeInteger). Inside, everything is bigint: dinero.js 2 with its bigint
 *   calculator, so intermediate products (quantity x unit price x tax rate) never overflow.
 * - Quantities, unit prices, percentages and rates are decimal strings, parsed strictly into
 *   scaled integers (`Decimal`: units / 10^scale). No float ever holds an amount.
 *
 * THE ROUNDING RULE (the only place amounts are rounded is `roundToMinor`):
 *   round half away from zero ("commercial rounding", half-up for positive amounts) to the
 *   currency's minor unit. It is applied to
 *     - each priced amount printed on the invoice: a line, or each tier row of a tiered line
 *       (the line is then the sum of its printed rows, so the invoice always adds up);
 *     - each percentage discount, computed on the subtotal;
 *     - each tax amount, computed per rate on the sum of the taxable amounts (once per rate).
 */
import {
  dinero,
  halfAwayFromZero,
  multiply,
  toDecimal,
  toSnapshot,
  transformScale,
  type Dinero,
  type DineroCurrency,
} from 'dinero.js/bigint';
import {
  AED,
  AUD,
  BGN,
  BHD,
  BRL,
  CAD,
  CHF,
  CNY,
  CZK,
  DKK,
  EGP,
  EUR,
  GBP,
  HKD,
  HUF,
  ILS,
  INR,
  ISK,
  JOD,
  JPY,
  KRW,
  KWD,
  NOK,
  NZD,
  OMR,
  PLN,
  RON,
  SAR,
  SEK,
  SGD,
  THB,
  TND,
  TWD,
  USD,
} from 'dinero.js/bigint/currencies';
import { InvalidInputError } from '../errors.js';

// The rounding rule: half away from zero at the minor unit of the currency, per printed amount
// (line, tier row, discount) and once per tax rate; applied in roundToMinor alone.

/** Currencies invoicer bills in (ISO 4217, with their exponents from dinero.js). */
const CURRENCIES: Readonly<Record<string, DineroCurrency<bigint>>> = {
  AED,
  AUD,
  BGN,
  BHD,
  BRL,
  CAD,
  CHF,
  CNY,
  CZK,
  DKK,
  EGP,
  EUR,
  GBP,
  HKD,
  HUF,
  ILS,
  INR,
  ISK,
  JOD,
  JPY,
  KRW,
  KWD,
  NOK,
  NZD,
  OMR,
  PLN,
  RON,
  SAR,
  SEK,
  SGD,
  THB,
  TND,
  TWD,
  USD,
};

export const SUPPORTED_CURRENCIES: readonly string[] = Object.keys(CURRENCIES).sort();

export interface Currency {
  code: string;
  /** Number of decimals of the minor unit: EUR 2, JPY 0, KWD 3. */
  exponent: number;
  dinero: DineroCurrency<bigint>;
}

export function isKnownCurrency(code: unknown): code is string {
  return typeof code === 'string' && Object.hasOwn(CURRENCIES, code);
}

/** The currency for an ISO 4217 code; unknown codes are an InvalidInputError at `where`. */
export function currencyOf(code: unknown, where = 'currency'): Currency {
  if (!isKnownCurrency(code)) {
    throw new InvalidInputError(
      `unknown or unsupported currency ${JSON.stringify(code)} (supported: ${SUPPORTED_CURRENCIES.join(', ')})`,
      where,
    );
  }
  const currency = CURRENCIES[code] as DineroCurrency<bigint>;
  return { code, exponent: Number(currency.exponent), dinero: currency };
}

// ---------------------------------------------------------------------------------------------
// Decimals

/** An exact non-negative (or, for internal results, signed) decimal: `units / 10^scale`. */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

export interface ParseDecimalOptions {
  /** Most digits after the point (default 12). */
  maxFractionDigits?: number;
  /** Most digits before the point (default 15). */
  maxIntegerDigits?: number;
}

const DECIMAL_PATTERN = /^(\d+)(?:\.(\d+))?$/;

/**
 * Parse a decimal string such as "1234.5" or "0.0015" exactly. Rejects anything else with an
 * InvalidInputError at `where`: non-strings, signs, exponent notation, NaN/Infinity, spaces,
 * thousands separators, a bare or trailing point, and too many digits.
 */
export function parseDecimal(text: unknown, where: string, options: ParseDecimalOptions = {}): Decimal {
  const maxFraction = options.maxFractionDigits ?? 12;
  const maxInteger = options.maxIntegerDigits ?? 15;
  if (typeof text !== 'string') {
    throw new InvalidInputError(
      `must be a decimal string such as "12.5", got ${typeof text === 'number' ? `the number ${text}` : typeof text}`,
      where,
    );
  }
  const match = DECIMAL_PATTERN.exec(text);
  if (match === null) {
    const reason = text.trim().startsWith('-')
      ? 'must not be negative'
      : /^[+-]?\d*\.?\d+e[+-]?\d+$/i.test(text.trim())
        ? 'exponent notation is not allowed'
        : 'is not a decimal number (digits with an optional "." and fraction, no sign or spaces)';
    throw new InvalidInputError(`${reason}: ${JSON.stringify(text)}`, where);
  }
  const integer = match[1] as string;
  const fraction = match[2] ?? '';
  if (integer.replace(/^0+(?=\d)/, '').length > maxInteger) {
    throw new InvalidInputError(`too many digits before the point (at most ${maxInteger}): ${text}`, where);
  }
  if (fraction.length > maxFraction) {
    throw new InvalidInputError(`too many decimals (at most ${maxFraction}): ${text}`, where);
  }
  return normalize({ units: BigInt(integer + fraction), scale: fraction.length });
}

/** Drop trailing zeros of the fraction so equal values have one representation. */
function normalize(d: Decimal): Decimal {
  let { units, scale } = d;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return { units, scale };
}

export const ZERO: Decimal = { units: 0n, scale: 0 };

export function decimalFromInt(value: number | bigint): Decimal {
  return { units: BigInt(value), scale: 0 };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * 10n ** BigInt(scale - a.scale), b.units * 10n ** BigInt(scale - b.scale), scale];
}

export function compareDecimal(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function addDecimal(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return normalize({ units: x + y, scale });
}

export function subtractDecimal(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return normalize({ units: x - y, scale });
}

export function minDecimal(a: Decimal, b: Decimal): Decimal {
  return compareDecimal(a, b) <= 0 ? a : b;
}

export function maxDecimal(a: Decimal, b: Decimal): Decimal {
  return compareDecimal(a, b) >= 0 ? a : b;
}

export function isZeroDecimal(a: Decimal): boolean {
  return a.units === 0n;
}

/** ceil(a / b) for a >= 0, b > 0: the number of started packages. */
export function ceilDivide(a: Decimal, b: Decimal): bigint {
  const [x, y] = align(a, b);
  if (y <= 0n) throw new RangeError('ceilDivide: divisor must be positive');
  return (x + y - 1n) / y;
}

/** Canonical decimal string: no exponent, no trailing zeros ("1234.5", "0.0015", "-3"). */
export function formatDecimal(d: Decimal): string {
  const n = normalize(d);
  const negative = n.units < 0n;
  const digits = (negative ? -n.units : n.units).toString().padStart(n.scale + 1, '0');
  const text = n.scale === 0 ? digits : `${digits.slice(0, -n.scale)}.${digits.slice(-n.scale)}`;
  return negative ? `-${text}` : text;
}

// ---------------------------------------------------------------------------------------------
// Money

/** An exact amount of money at any precision (e.g. 0.0015 EUR x 1234.5 calls). */
export type ExactMoney = Dinero<bigint>;

/** The exact product of a quantity and a price in major units (no rounding). */
export function priceTimesQuantity(unitPrice: Decimal, quantity: Decimal, currency: Currency): ExactMoney {
  const price = dinero({
    amount: unitPrice.units,
    currency: currency.dinero,
    scale: BigInt(unitPrice.scale),
  });
  return multiply(price, { amount: quantity.units, scale: BigInt(quantity.scale) });
}

/** An exact amount from a decimal in major units ("1.50" EUR). */
export function exactMajor(amount: Decimal, currency: Currency): ExactMoney {
  return dinero({ amount: amount.units, currency: currency.dinero, scale: BigInt(amount.scale) });
}

/** An exact amount from integer minor units. */
export function exactMinor(amountMinor: number, currency: Currency): ExactMoney {
  return dinero({ amount: BigInt(amountMinor), currency: currency.dinero, scale: currency.dinero.exponent });
}

/**
 * THE rounding rule, in its one place: half away from zero to the currency's minor unit.
 * Returns integer minor units as a safe JS number.
 */
export function roundToMinor(amount: ExactMoney, where = 'amount'): number {
  const { currency } = toSnapshot(amount);
  const rounded = toSnapshot(transformScale(amount, currency.exponent, halfAwayFromZero)).amount;
  return toSafeNumber(rounded, where);
}

/** `base x percent / 100`, rounded by the rule: percentage discounts and tax amounts. */
export function percentOfMinor(
  baseMinor: number,
  percent: Decimal,
  currency: Currency,
  where: string,
): number {
  const product = multiply(exactMinor(baseMinor, currency), {
    amount: percent.units,
    scale: BigInt(percent.scale + 2),
  });
  return roundToMinor(product, where);
}

/**
 * `amount x part / whole` (a base fee for the days served), rounded by the same rule as
 * roundToMinor: half away from zero. Done in integers, as the ratio need not be a finite decimal.
 */
export function prorateMinor(amountMinor: number, part: number, whole: number, where: string): number {
  if (
    !Number.isSafeInteger(amountMinor) ||
    !Number.isInteger(part) ||
    !Number.isInteger(whole) ||
    whole <= 0
  ) {
    throw new InvalidInputError(`cannot prorate ${amountMinor} by ${part}/${whole}`, where);
  }
  return divideToMinor(BigInt(amountMinor) * BigInt(part), BigInt(whole), where);
}

/**
 * `numerator / denominator` minor units (denominator > 0), rounded by the same rule as
 * roundToMinor, half away from zero: for ratios that need not be finite decimals (prorating,
 * currency conversion).
 */
export function divideToMinor(numerator: bigint, denominator: bigint, where: string): number {
  const sign = numerator < 0n ? -1n : 1n;
  const rounded = (2n * numerator * sign + denominator) / (2n * denominator);
  return toSafeNumber(rounded * sign, where);
}

export function toSafeNumber(value: bigint, where: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new InvalidInputError(`amount ${value} minor units is beyond the safe integer range`, where);
  }
  return n;
}

/** Sum integer minor amounts exactly; fails loudly instead of losing precision. */
export function sumMinor(values: readonly number[], where = 'total'): number {
  let total = 0n;
  for (const value of values) {
    if (!Number.isSafeInteger(value)) throw new InvalidInputError(`${value} is not an integer amount`, where);
    total += BigInt(value);
  }
  return toSafeNumber(total, where);
}

/** Minor units as a plain major-unit decimal string with the currency's decimals ("12.30", "1500", "1.005"). */
export function minorToDecimalString(amountMinor: number, currency: Currency): string {
  return toDecimal(exactMinor(amountMinor, currency));
}

/** Minor units of a currency given by its code as a plain decimal string ("12.30", "1500", "1.005"). */
export const decimalAmount = (amountMinor: number, currencyCode: string): string =>
  minorToDecimalString(amountMinor, currencyOf(currencyCode));

/** A major-unit decimal converted to minor units exactly; fails when it has more decimals than the currency. */
export function majorToMinorExact(amount: Decimal, currency: Currency, where: string): number {
  if (amount.scale > currency.exponent) {
    throw new InvalidInputError(
      `${formatDecimal(amount)} has more decimals than ${currency.code} allows (${currency.exponent})`,
      where,
    );
  }
  return toSafeNumber(amount.units * 10n ** BigInt(currency.exponent - amount.scale), where);
}
