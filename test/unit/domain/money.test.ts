import { InvalidInputError } from '../../../lambdas/shared/errors.js';
import {
  SUPPORTED_CURRENCIES,
  ceilDivide,
  currencyOf,
  exactMajor,
  formatDecimal,
  majorToMinorExact,
  minorToDecimalString,
  parseDecimal,
  percentOfMinor,
  priceTimesQuantity,
  roundToMinor,
  sumMinor,
} from '../../../lambdas/shared/domain/money.js';

const EUR = currencyOf('EUR');

function errorOf(fn: () => unknown): InvalidInputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('expected an InvalidInputError');
}

describe('currencies', () => {
  it.each([
    ['EUR', 2],
    ['USD', 2],
    ['GBP', 2],
    ['CHF', 2],
    ['SEK', 2],
    ['NOK', 2],
    ['DKK', 2],
    ['PLN', 2],
    ['JPY', 0],
    ['KWD', 3],
    ['BHD', 3],
  ])('%s has exponent %i', (code, exponent) => {
    expect(currencyOf(code).exponent).toBe(exponent);
    expect(SUPPORTED_CURRENCIES).toContain(code);
  });

  it('rejects unknown currencies with the place named', () => {
    const error = errorOf(() => currencyOf('XYZ', 'plan pro.currency'));
    expect(error.where).toBe('plan pro.currency');
    expect(error.message).toContain('"XYZ"');
    expect(() => currencyOf('eur')).toThrow(InvalidInputError);
    expect(() => currencyOf(undefined)).toThrow(InvalidInputError);
  });
});

describe('parseDecimal', () => {
  it.each([
    ['0', '0'],
    ['1234.5', '1234.5'],
    ['0.0015', '0.0015'],
    ['10.000', '10'],
    ['007.50', '7.5'],
  ])('parses %s exactly', (text, canonical) => {
    expect(formatDecimal(parseDecimal(text, 'q'))).toBe(canonical);
  });

  it('keeps the exact scaled integer', () => {
    expect(parseDecimal('0.0015', 'q')).toEqual({ units: 15n, scale: 4 });
    expect(parseDecimal('1234.50', 'q')).toEqual({ units: 12345n, scale: 1 });
  });

  it.each([
    ['-1', 'must not be negative'],
    ['1e3', 'exponent notation'],
    ['1.5E-2', 'exponent notation'],
    ['NaN', 'not a decimal number'],
    ['Infinity', 'not a decimal number'],
    ['', 'not a decimal number'],
    [' 1', 'not a decimal number'],
    ['1,000', 'not a decimal number'],
    ['1.', 'not a decimal number'],
    ['.5', 'not a decimal number'],
    ['+1', 'not a decimal number'],
    ['abc', 'not a decimal number'],
    ['1234567890123456', 'too many digits before the point'],
    ['0.1234567890123', 'too many decimals'],
  ])('rejects %j (%s)', (text, reason) => {
    const error = errorOf(() => parseDecimal(text, 'usage u_1.quantity'));
    expect(error.where).toBe('usage u_1.quantity');
    expect(error.message).toContain(reason);
  });

  it('rejects non-strings, numbers included (no floats)', () => {
    expect(errorOf(() => parseDecimal(1.5, 'q')).message).toContain('the number 1.5');
    expect(() => parseDecimal(null, 'q')).toThrow(InvalidInputError);
  });

  it('honours custom digit limits', () => {
    expect(() => parseDecimal('1.234', 'q', { maxFractionDigits: 2 })).toThrow('too many decimals');
  });
});

describe('roundToMinor (half away from zero)', () => {
  it.each([
    ['0.005', '1', 'EUR', 1],
    ['0.0049', '1', 'EUR', 0],
    ['0.015', '1', 'EUR', 2],
    ['0.025', '1', 'EUR', 3],
    ['0.0015', '1234.5', 'EUR', 185], // 1.85175 -> 1.85
    ['0.0015', '1000', 'EUR', 150],
    ['2.5', '1', 'JPY', 3],
    ['1.5', '1', 'JPY', 2],
    ['0.0005', '1', 'KWD', 1],
    ['0.0004', '1', 'KWD', 0],
    ['1.2345', '1', 'KWD', 1235],
  ])('%s x %s %s -> %i minor', (price, quantity, code, minor) => {
    const currency = currencyOf(code);
    expect(
      roundToMinor(priceTimesQuantity(parseDecimal(price, 'p'), parseDecimal(quantity, 'q'), currency)),
    ).toBe(minor);
  });

  it('rounds negative halves away from zero too', () => {
    const minusHalfCent = priceTimesQuantity({ units: -5n, scale: 3 }, { units: 1n, scale: 0 }, EUR);
    expect(roundToMinor(minusHalfCent)).toBe(-1);
  });

  it('keeps large intermediates exact with bigint', () => {
    // 999,999,999.999999 units at 0.000001 EUR = 999.999999999999 EUR -> 1000.00
    expect(
      roundToMinor(
        priceTimesQuantity(parseDecimal('0.000001', 'p'), parseDecimal('999999999.999999', 'q'), EUR),
      ),
    ).toBe(100000);
  });

  it('refuses amounts beyond the safe integer range', () => {
    const huge = exactMajor(parseDecimal('999999999999999', 'p'), EUR); // 9.99e16 minor units
    const error = errorOf(() => roundToMinor(huge, 'line x'));
    expect(error.where).toBe('line x');
    expect(error.message).toContain('safe integer');
  });
});

describe('percentOfMinor', () => {
  it.each([
    [1000, '19', 'EUR', 190],
    [1005, '10', 'EUR', 101], // 100.5 -> 101
    [1004, '12.5', 'EUR', 126], // 125.5 -> 126
    [333, '7.7', 'EUR', 26], // 25.641 -> 26
    [105, '10', 'JPY', 11], // 10.5 -> 11
    [12345, '8.1', 'KWD', 1000], // 999.945 -> 1000
    [0, '25.5', 'EUR', 0],
  ])('%i x %s %% (%s) = %i', (base, percent, code, expected) => {
    expect(percentOfMinor(base, parseDecimal(percent, 'r'), currencyOf(code), 'tax')).toBe(expected);
  });
});

describe('helpers', () => {
  it('ceilDivide counts started packages', () => {
    expect(ceilDivide(parseDecimal('250', 'a'), parseDecimal('100', 'b'))).toBe(3n);
    expect(ceilDivide(parseDecimal('200', 'a'), parseDecimal('100', 'b'))).toBe(2n);
    expect(ceilDivide(parseDecimal('0', 'a'), parseDecimal('100', 'b'))).toBe(0n);
    expect(ceilDivide(parseDecimal('0.5', 'a'), parseDecimal('0.25', 'b'))).toBe(2n);
  });

  it('sumMinor is exact and refuses overflow', () => {
    expect(sumMinor([1, 2, -3, 10])).toBe(10);
    expect(() => sumMinor([Number.MAX_SAFE_INTEGER, 1], 'totals')).toThrow('totals');
    expect(() => sumMinor([1.5])).toThrow(InvalidInputError);
  });

  it('formats minor units in major units', () => {
    expect(minorToDecimalString(1230, EUR)).toBe('12.30');
    expect(minorToDecimalString(1500, currencyOf('JPY'))).toBe('1500');
    expect(minorToDecimalString(1005, currencyOf('KWD'))).toBe('1.005');
    expect(minorToDecimalString(-5, EUR)).toBe('-0.05');
  });

  it('majorToMinorExact refuses sub-minor precision', () => {
    expect(majorToMinorExact(parseDecimal('12.3', 'x'), EUR, 'x')).toBe(1230);
    expect(() => majorToMinorExact(parseDecimal('12.345', 'x'), EUR, 'fee')).toThrow('fee');
  });
});
