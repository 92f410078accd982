/**
 * Standard VAT rates with the dates they apply from, chosen by the date of supply (for a monthly
 * service, the period's last day: VAT Directive Art. 63/64(1), chargeable at the end of each
 * period to which a payment relates). Invoicer bills digital services, so reduced rates do not
 * apply.
 *
 * Source: the European Commission's "VAT rates applied in the Member States" list and the
 * national announcements of each change, checked 2026-11-30. Changes since 2023-01-01, the first
 * date on file: LU 16 -> 17 (2024-01-01, end of the 2023 temporary cut), EE 20 -> 22 (2024-01-01)
 * -> 24 (2025-07-01), FI 24 -> 25.5 (2024-09-01), SK 20 -> 23 (2025-01-01), RO 19 -> 21
 * (2025-08-01), CH/LI 7.7 -> 8.1 (2024-01-01). A supply before 2023-01-01 has no rate on file and
 * is refused rather than guessed.
 */
import { InvalidInputError } from '../errors.js';

/** A rate (percent, decimal string) in force from `from` (inclusive) until the next entry. */
export interface DatedRate {
  from: string;
  rate: string;
}

export const RATES_ON_FILE_FROM = '2023-01-01';

const constant = (rate: string): DatedRate[] => [{ from: RATES_ON_FILE_FROM, rate }];

/** Standard rates of the EU member states, oldest first. */
export const EU_STANDARD_RATES: Readonly<Record<string, readonly DatedRate[]>> = {
  AT: constant('20'),
  BE: constant('21'),
  BG: constant('20'),
  CY: constant('19'),
  CZ: constant('21'),
  DE: constant('19'),
  DK: constant('25'),
  EE: [
    { from: RATES_ON_FILE_FROM, rate: '20' },
    { from: '2024-01-01', rate: '22' },
    { from: '2025-07-01', rate: '24' },
  ],
  ES: constant('21'),
  FI: [
    { from: RATES_ON_FILE_FROM, rate: '24' },
    { from: '2024-09-01', rate: '25.5' },
  ],
  FR: constant('20'),
  GR: constant('24'),
  HR: constant('25'),
  HU: constant('27'),
  IE: constant('23'),
  IT: constant('22'),
  LT: constant('21'),
  LU: [
    { from: RATES_ON_FILE_FROM, rate: '16' },
    { from: '2024-01-01', rate: '17' },
  ],
  LV: constant('21'),
  MT: constant('18'),
  NL: constant('21'),
  PL: constant('23'),
  PT: constant('23'),
  RO: [
    { from: RATES_ON_FILE_FROM, rate: '19' },
    { from: '2025-08-01', rate: '21' },
  ],
  SE: constant('25'),
  SI: constant('22'),
  SK: [
    { from: RATES_ON_FILE_FROM, rate: '20' },
    { from: '2025-01-01', rate: '23' },
  ],
};

/**
 * Standard rates outside the EU where the seller is taken to be registered for consumer sales of
 * digital services (the UK, Switzerland with Liechtenstein, Norway all require it).
 */
const SWISS_VAT_AREA: readonly DatedRate[] = [
  { from: RATES_ON_FILE_FROM, rate: '7.7' },
  { from: '2024-01-01', rate: '8.1' },
];

export const NON_EU_STANDARD_RATES: Readonly<Record<string, readonly DatedRate[]>> = {
  GB: constant('20'),
  // Liechtenstein is in the Swiss VAT area: one table for both.
  CH: SWISS_VAT_AREA,
  LI: SWISS_VAT_AREA,
  NO: constant('25'),
};

export const EU_MEMBER_STATES: readonly string[] = Object.keys(EU_STANDARD_RATES);

export function isEuMemberState(country: string): boolean {
  return Object.hasOwn(EU_STANDARD_RATES, country);
}

/** Countries with a standard rate on file (the EU, GB, CH, LI, NO). */
export function hasStandardRate(country: string): boolean {
  return isEuMemberState(country) || Object.hasOwn(NON_EU_STANDARD_RATES, country);
}

/** The standard rate of `country` on `date` (YYYY-MM-DD); InvalidInputError when none is on file. */
export function standardRateOn(country: string, date: string, where = 'tax rate'): string {
  const table = EU_STANDARD_RATES[country] ?? NON_EU_STANDARD_RATES[country];
  if (table === undefined) throw new InvalidInputError(`no standard VAT rate on file for ${country}`, where);
  let rate: string | undefined;
  for (const entry of table) if (entry.from <= date) rate = entry.rate;
  if (rate === undefined) {
    throw new InvalidInputError(
      `no VAT rate on file for ${country} on ${date} (rates are on file from ${RATES_ON_FILE_FROM})`,
      where,
    );
  }
  return rate;
}
