/**
 * VAT ids: the format of each country's ids (EU: the VIES formats, the prefix being the VAT country
 * code, EL for Greece; GB, CH/LI, NO), and for EU ids the national check digits too, with jsvat
 * (the maintained implementation of each member state's algorithm). `FR00000000000` has the French
 * format and fails its check digits. The ids are not looked up in VIES here: whether a valid id is
 * registered is the seller's check (on AWS, VIES can be asked before a run).
 *
 * A VAT id that is given but invalid is an InvalidInputError: silently charging VAT instead of
 * reverse-charging (or vice versa) would issue a wrong, legally binding invoice.
 */
import { checkVAT, countries as jsvatCountries, type Country } from 'jsvat';
import { InvalidInputError } from '../errors.js';

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

/** Examples with valid check digits, for the messages. */
const EXAMPLES: Readonly<Record<string, string>> = {
  DE: 'DE123456788',
  GR: 'EL123456783',
  GB: 'GB123456727',
  CH: 'CHE-123.456.788 MWST',
  LI: 'LI12345',
  NO: 'NO123456785MVA',
};

/** jsvat's rules by ISO country code (Greece's under GR, its ids prefixed EL). */
const CHECK_DIGIT_RULES = new Map<string, Country>(jsvatCountries.map((c) => [c.codes[0] as string, c]));

/** False when the country's check digits are known and the id's are wrong. */
function checkDigitsHold(compact: string, country: string): boolean {
  const rules = CHECK_DIGIT_RULES.get(country);
  return rules === undefined || checkVAT(compact, [rules]).isValid;
}

export interface VatIdCheck {
  /** The id in canonical form, as printed on the invoice. */
  normalized: string;
  /** True when the format is known for the country (EU, GB, CH, NO) and it matched. */
  knownFormat: boolean;
}

/**
 * Validate a VAT id for the buyer's country (format, then check digits) and return its canonical
 * form. Spaces, dots and hyphens are ignored; letters may be lower case. Throws InvalidInputError
 * at `where` (e.g. "customer cus_7.vatId") when it is not valid.
 */
export function validateVatId(vatId: string, country: string, where: string): VatIdCheck {
  const compact = vatId.toUpperCase().replace(/[\s.-]/g, '');
  const fail = (why: string): never => {
    throw new InvalidInputError(
      `${JSON.stringify(vatId)} is not a valid VAT id for ${country}: ${why}`,
      where,
    );
  };
  const checked = (normalized: string): VatIdCheck => {
    if (!checkDigitsHold(compact, country)) fail('its check digits are wrong');
    return { normalized, knownFormat: true };
  };
  const eu = EU_VAT_FORMATS[country];
  if (eu !== undefined) {
    if (country === 'GR' && compact.startsWith('GR'))
      fail('Greek VAT ids use the prefix EL (e.g. EL123456783)');
    const prefix = country === 'GR' ? 'EL' : country;
    if (!compact.startsWith(prefix)) fail(`it must start with the country prefix ${prefix}`);
    if (!eu.test(compact)) fail(`it does not match the ${prefix} format`);
    return checked(compact);
  }
  switch (country) {
    case 'GB': {
      // GB standard (9 digits), branch (12), government (GD), health (HA); XI for Northern Ireland.
      if (!/^(?:GB|XI)(?:\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2})$/.test(compact))
        fail(`expected e.g. ${EXAMPLES.GB}`);
      // Northern Ireland's XI ids have no check digits on file.
      return compact.startsWith('XI') ? { normalized: compact, knownFormat: true } : checked(compact);
    }
    case 'CH':
    case 'LI': {
      // Swiss UID + VAT suffix (MWST / TVA / IVA); Liechtenstein companies also use Swiss UIDs.
      const match = /^CHE(\d{3})(\d{3})(\d{3})(MWST|TVA|IVA)?$/.exec(compact);
      if (match !== null) {
        const suffix = match[4] === undefined ? '' : ` ${match[4]}`;
        if (!checkDigitsHold(`CHE${match[1]}${match[2]}${match[3]}`, 'CH'))
          fail('its check digits are wrong');
        return { normalized: `CHE-${match[1]}.${match[2]}.${match[3]}${suffix}`, knownFormat: true };
      }
      if (country === 'LI' && /^LI\d{5}$/.test(compact)) return { normalized: compact, knownFormat: true };
      return fail(`expected e.g. ${EXAMPLES.CH}`);
    }
    case 'NO': {
      if (!/^NO\d{9}MVA$/.test(compact)) fail(`expected e.g. ${EXAMPLES.NO}`);
      return checked(compact);
    }
    default: {
      // No format on file: accept a plausible tax id (it never changes the tax here).
      if (!/^[A-Z0-9]{4,20}$/.test(compact)) fail('expected 4-20 letters or digits');
      return { normalized: vatId.trim(), knownFormat: false };
    }
  }
}
