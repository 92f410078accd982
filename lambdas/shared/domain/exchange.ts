/**
 * VAT in the national currency (VAT Directive Art. 230, with Art. 91(2)): an invoice whose
 * currency is not the national currency of the member state whose VAT it charges must also state
 * the VAT in that national currency. The conversion uses the ECB's euro reference rates (units of
 * each currency per 1 EUR) of the date of supply, or the latest published before it (none on
 * weekends and TARGET holidays), at most 7 days back; a cross rate goes through the euro.
 *
 * The rates are an input table (`EcbRates`): on AWS an object in the documents bucket that the
 * operator updates from the ECB's daily feed; locally a fixture (workflows/local/demo/).
 */
import { InvalidInputError } from '../errors.js';
import { addDays } from './periods.js';
import { currencyOf, divideToMinor, parseDecimal } from './money.js';
import { isEuMemberState } from './tax-rates.js';

export interface EcbRates {
  /** Where the rates come from, printed with the converted amount. */
  source: string;
  /** By date (YYYY-MM-DD): units of each currency per 1 EUR, as decimal strings ("1.0412"). */
  rates: Record<string, Record<string, string>>;
}

/** The VAT of an invoice line in the national currency of the taxing member state. */
export interface NationalVat {
  currency: string;
  taxMinor: number;
  /** The ECB rates used (units per 1 EUR) of the invoice and the national currency, EUR omitted. */
  rates: { currency: string; perEur: string }[];
  rateDate: string;
  source: string;
}

/** Member states outside the euro area, with their currency and the day they joined it, if any. */
const NATIONAL_CURRENCIES: Readonly<Record<string, { currency: string; euroFrom?: string }>> = {
  BG: { currency: 'BGN', euroFrom: '2026-01-01' },
  CZ: { currency: 'CZK' },
  DK: { currency: 'DKK' },
  HU: { currency: 'HUF' },
  PL: { currency: 'PLN' },
  RO: { currency: 'RON' },
  SE: { currency: 'SEK' },
};

/** How far back the latest published rate may be (ECB publishes on TARGET business days). */
const MAX_RATE_AGE_DAYS = 7;

/** The national currency of an EU member state on a date; undefined outside the EU. */
export function nationalCurrencyOf(country: string, date: string): string | undefined {
  if (!isEuMemberState(country)) return undefined;
  const own = NATIONAL_CURRENCIES[country];
  return own === undefined || (own.euroFrom !== undefined && date >= own.euroFrom) ? 'EUR' : own.currency;
}

/** The ECB rates of the latest day on or before `date` (up to 7 days back) that has both currencies. */
export function ratesOn(
  table: EcbRates,
  date: string,
  currencies: string[],
): { rateDate: string; perEur: Record<string, string> } {
  for (let back = 0; back <= MAX_RATE_AGE_DAYS; back++) {
    const day = addDays(date, -back);
    const rates = table.rates[day];
    if (rates && currencies.every((c) => c === 'EUR' || rates[c] !== undefined))
      return { rateDate: day, perEur: rates };
  }
  throw new InvalidInputError(
    `no ECB reference rate for ${currencies.filter((c) => c !== 'EUR').join(' and ')} on ${date} or the ${MAX_RATE_AGE_DAYS} days before`,
    'exchange rates',
  );
}

/**
 * The VAT amount in the national currency when Art. 230 asks for it (standard-rated VAT of an EU
 * member state on an invoice in another currency); undefined when it does not.
 */
export function nationalVatOf(args: {
  taxMinor: number;
  invoiceCurrency: string;
  taxCountry: string | undefined;
  supplyDate: string;
  rates: EcbRates | undefined;
}): NationalVat | undefined {
  const { taxMinor, invoiceCurrency, taxCountry, supplyDate } = args;
  const national = taxCountry === undefined ? undefined : nationalCurrencyOf(taxCountry, supplyDate);
  if (national === undefined || national === invoiceCurrency) return undefined;
  if (args.rates === undefined) {
    throw new InvalidInputError(
      `the VAT of a ${invoiceCurrency} invoice taxed in ${taxCountry} must also be stated in ${national} (Art. 230), and no ECB rates were given`,
      'exchange rates',
    );
  }
  const { rateDate, perEur } = ratesOn(args.rates, supplyDate, [invoiceCurrency, national]);
  const taxInNational = convertMinor(taxMinor, invoiceCurrency, national, perEur, rateDate, 'national VAT');
  return {
    currency: national,
    taxMinor: taxInNational,
    rates: [invoiceCurrency, national]
      .filter((c) => c !== 'EUR')
      .map((c) => ({ currency: c, perEur: perEur[c] as string })),
    rateDate,
    source: args.rates.source,
  };
}

/**
 * An amount in minor units of `from` converted to minor units of `to` through the euro, with
 * `perEur` (units per 1 EUR, EUR itself implied) of `rateDate`, by the one rounding rule.
 */
export function convertMinor(
  amountMinor: number,
  from: string,
  to: string,
  perEur: Record<string, string>,
  rateDate: string,
  label: string,
): number {
  const rateOf = (c: string) =>
    c === 'EUR' ? { units: 1n, scale: 0 } : parseDecimal(perEur[c], `exchange rate ${c} on ${rateDate}`);
  const fromRate = rateOf(from);
  const toRate = rateOf(to);
  const fromExp = currencyOf(from).exponent;
  const toExp = currencyOf(to).exponent;
  // amount in `to` minor units = amount / 10^fromExp / fromRate * toRate * 10^toExp.
  return divideToMinor(
    BigInt(amountMinor) * toRate.units * 10n ** BigInt(toExp + fromRate.scale),
    fromRate.units * 10n ** BigInt(fromExp + toRate.scale),
    label,
  );
}
