/**
 * Tax rates and VAT-id formats.
 *
 * Rates are the STANDARD rates by the customer's country, as in force on 2026-01-01 (the EU
 * "VAT rates in the EU" list; changes since 2024: FI 25.5 from 2024-09, SK 23 from 2025-01,
 * EE 24 from 2025-07, RO 21 from 2025-08). Invoicer bills digital services, so reduced rates do
 * not apply.
 *
 * Rules (seller country from configuration, buyer country from the billing address):
 * 1. EU business buyer (VAT id of valid format for the buyer's country) and a seller from ANOTHER
 *    country -> reverse charge: 0 %, labelled as such, with the Art. 196 note on the invoice.
 *    Art. 196 applies to any supplier not established in the buyer's member state, so this
 *    covers the EU cross-border case and also a non-EU seller (e.g. GB) selling to an EU business.
 * 2. Otherwise the standard rate of the buyer's country (domestic sales, EU B2C under OSS, and
 *    UK 20 / CH 8.1 / NO 25, where the seller is taken to be VAT-registered).
 * 3. US: 0 %. State sales tax is out of scope (it depends on state, nexus and product taxability).
 * 4. Any other country: 0 % by default (exports of services outside the listed territories).
 * Not modelled: non-EU B2B reverse-charge schemes (UK, CH, NO), VIES online checks (only the
 * FORMAT of a VAT id is validated), special territories (Canary Islands, Åland, ...).
 *
 * A VAT id that is given but malformed is an InvalidInputError: silently charging VAT instead
 * of reverse-charging (or vice versa) would issue a wrong, legally binding invoice.
 */
import { InvalidInputError } from '../errors.js';

export const EU_VAT_RATES: Readonly<Record<string, string>> = {
  AT: '20',
  BE: '21',
  BG: '20',
  CY: '19',
  CZ: '21',
  DE: '19',
  DK: '25',
  EE: '24',
  ES: '21',
  FI: '25.5',
  FR: '20',
  GR: '24',
  HR: '25',
  HU: '27',
  IE: '23',
  IT: '22',
  LT: '21',
  LU: '17',
  LV: '21',
  MT: '18',
  NL: '21',
  PL: '23',
  PT: '23',
  RO: '21',
  SE: '25',
  SI: '22',
  SK: '23',
};

export const EU_MEMBER_STATES: readonly string[] = Object.keys(EU_VAT_RATES);

/** Standard rates outside the EU that invoicer charges; every other country is 0 %. */
export const OTHER_TAX_RATES: Readonly<Record<string, string>> = {
  GB: '20',
  CH: '8.1',
  LI: '8.1', // Liechtenstein shares the Swiss VAT territory
  NO: '25',
  US: '0',
};

export const REVERSE_CHARGE_NOTE =
  'Reverse charge: VAT to be accounted for by the recipient (Art. 196 Council Directive 2006/112/EC)';

export function isEuMemberState(country: string): boolean {
  return Object.hasOwn(EU_VAT_RATES, country);
}

/** The standard rate (percent, decimal string) for a buyer country; "0" when none is charged. */
export function standardRateFor(country: string): string {
  return EU_VAT_RATES[country] ?? OTHER_TAX_RATES[country] ?? '0';
}

// ---------------------------------------------------------------------------------------------
// VAT-id formats (EU: the VIES formats; the prefix is the VAT country code, EL for Greece).

const EU_VAT_FORMATS: Readonly<Record<string, RegExp>> = {
  AT: /^ATU\d{8}$/,
  BE: /^BE[01]\d{9}$/,
  BG: /^BG\d{9,10}$/,
  CY: /^CY\d{8}[A-Z]$/,
  CZ: /^CZ\d{8,10}$/,
  DE: /^DE\d{9}$/,
  DK: /^DK\d{8}$/,
  EE: /^EE\d{9}$/,
  ES: /^ES(?:[A-Z]\d{7}[A-Z0-9]|\d{8}[A-Z])$/,
  FI: /^FI\d{8}$/,
  FR: /^FR[A-HJ-NP-Z0-9]{2}\d{9}$/,
  GR: /^EL\d{9}$/,
  HR: /^HR\d{11}$/,
  HU: /^HU\d{8}$/,
  IE: /^IE(?:\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W])$/,
  IT: /^IT\d{11}$/,
  LT: /^LT(?:\d{9}|\d{12})$/,
  LU: /^LU\d{8}$/,
  LV: /^LV\d{11}$/,
  MT: /^MT\d{8}$/,
  NL: /^NL\d{9}B\d{2}$/,
  PL: /^PL\d{10}$/,
  PT: /^PT\d{9}$/,
  RO: /^RO[1-9]\d{1,9}$/,
  SE: /^SE\d{10}01$/,
  SI: /^SI\d{8}$/,
  SK: /^SK\d{10}$/,
};

const EXAMPLES: Readonly<Record<string, string>> = {
  DE: 'DE123456789',
  GR: 'EL123456789',
  GB: 'GB123456789',
  CH: 'CHE-123.456.789 MWST',
  LI: 'LI12345',
  NO: 'NO123456789MVA',
};

export interface VatIdCheck {
  /** The id in canonical form, as printed on the invoice. */
  normalized: string;
  /** True when the format is known for the country (EU, GB, CH, NO) and it matched. */
  knownFormat: boolean;
}

/**
 * Validate the FORMAT of a VAT id for the buyer's country and return its canonical form.
 * Spaces, dots and hyphens are ignored; letters may be lower case. Throws InvalidInputError at
 * `where` (e.g. "customer cus_7.vatId") when it does not match.
 */
export function validateVatId(vatId: string, country: string, where: string): VatIdCheck {
  const compact = vatId.toUpperCase().replace(/[\s.-]/g, '');
  const fail = (why: string): never => {
    throw new InvalidInputError(
      `${JSON.stringify(vatId)} is not a valid VAT id for ${country}: ${why}`,
      where,
    );
  };
  const eu = EU_VAT_FORMATS[country];
  if (eu !== undefined) {
    if (country === 'GR' && compact.startsWith('GR'))
      fail('Greek VAT ids use the prefix EL (e.g. EL123456789)');
    const prefix = country === 'GR' ? 'EL' : country;
    if (!compact.startsWith(prefix)) fail(`it must start with the country prefix ${prefix}`);
    if (!eu.test(compact)) fail(`it does not match the ${prefix} format`);
    return { normalized: compact, knownFormat: true };
  }
  switch (country) {
    case 'GB': {
      // GB standard (9 digits), branch (12), government (GD), health (HA); XI for Northern Ireland.
      if (!/^(?:GB|XI)(?:\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2})$/.test(compact))
        fail(`expected e.g. ${EXAMPLES.GB}`);
      return { normalized: compact, knownFormat: true };
    }
    case 'CH':
    case 'LI': {
      // Swiss UID + VAT suffix (MWST / TVA / IVA); Liechtenstein companies also use Swiss UIDs.
      const match = /^CHE(\d{3})(\d{3})(\d{3})(MWST|TVA|IVA)?$/.exec(compact);
      if (match !== null) {
        const suffix = match[4] === undefined ? '' : ` ${match[4]}`;
        return { normalized: `CHE-${match[1]}.${match[2]}.${match[3]}${suffix}`, knownFormat: true };
      }
      if (country === 'LI' && /^LI\d{5}$/.test(compact)) return { normalized: compact, knownFormat: true };
      return fail(`expected e.g. ${EXAMPLES.CH}`);
    }
    case 'NO': {
      if (!/^NO\d{9}MVA$/.test(compact)) fail(`expected e.g. ${EXAMPLES.NO}`);
      return { normalized: compact, knownFormat: true };
    }
    default: {
      // No format on file: accept a plausible tax id (it never changes the tax here).
      if (!/^[A-Z0-9]{4,20}$/.test(compact)) fail('expected 4-20 letters or digits');
      return { normalized: vatId.trim(), knownFormat: false };
    }
  }
}

export interface TaxTreatment {
  /** Percent as decimal string. */
  rate: string;
  label: string;
  reverseCharge: boolean;
  notes: string[];
  /** The buyer's VAT id in canonical form (undefined when none was given). */
  buyerVatId?: string;
}

export interface TaxParties {
  sellerCountry: string;
  buyerCountry: string;
  buyerVatId?: string | undefined;
  /** Where to point errors about the buyer's VAT id, e.g. "customer cus_7.vatId". */
  vatIdWhere: string;
}

/** Decide the tax treatment of an invoice (one rate per invoice: all lines are the same service). */
export function taxTreatment({
  sellerCountry,
  buyerCountry,
  buyerVatId,
  vatIdWhere,
}: TaxParties): TaxTreatment {
  const hasVatId = buyerVatId !== undefined && buyerVatId.trim() !== '';
  const check = hasVatId ? validateVatId(buyerVatId, buyerCountry, vatIdWhere) : undefined;
  const withVatId = check === undefined ? {} : { buyerVatId: check.normalized };
  if (check !== undefined && isEuMemberState(buyerCountry) && sellerCountry !== buyerCountry) {
    return {
      rate: '0',
      label: 'VAT 0 % (reverse charge)',
      reverseCharge: true,
      notes: [REVERSE_CHARGE_NOTE],
      ...withVatId,
    };
  }
  const rate = standardRateFor(buyerCountry);
  const label =
    rate === '0' ? (buyerCountry === 'US' ? 'Sales tax not charged (0 %)' : 'No tax (0 %)') : `VAT ${rate} %`;
  return { rate, label, reverseCharge: false, notes: [], ...withVatId };
}
