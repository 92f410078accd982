/**
 * Postal address blocks in each country's format, from Google's libaddressinput data
 * (localized-address-format): the order of name, street, postcode and town, a country's own
 * conventions (〒 before a Japanese postcode, the town before the postcode in the UK), the local
 * format for an address written in the country's own script and the Latin one otherwise. The
 * country's name, in the reader's language, ends every block. A Japanese company is addressed with
 * 御中 after its name.
 */
import { formatAddress } from 'localized-address-format';
import type { Party } from '../domain/types.js';
import { formatCountry } from './format.js';

/** Scripts an address may be written in that have a "local" format of their own (JP, KR, CN, TW, HK). */
const LOCAL_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** Countries whose format has no town field: the town leads the street line. */
const TOWN_IN_STREET = new Set(['JP']);

export interface AddressBlock {
  lines: string[];
  /** Which line is the party's name (null when the name was left out). */
  nameLine: number | null;
}

/** The party's address block as the post of its country writes it. */
export function addressBlock(
  party: Party,
  locale: string,
  { withName }: { withName: boolean },
): AddressBlock {
  const a = party.address;
  const all = [party.name, a.line1, a.line2, a.city, a.region, a.postalCode].join(' ');
  const local = LOCAL_SCRIPT.test(all);
  const townFirst = TOWN_IN_STREET.has(a.country);
  const street = [a.line1, ...(a.line2 ? [a.line2] : [])];
  if (townFirst) street[0] = `${a.city}${local ? '' : ', '}${street[0]}`;
  // A Japanese company name takes 御中 ("to the company"), in the local format only.
  const organization = withName ? (a.country === 'JP' && local ? `${party.name} 御中` : party.name) : '';
  const lines = formatAddress(
    {
      postalCountry: a.country,
      addressLines: street,
      ...(townFirst ? {} : { locality: a.city }),
      ...(a.postalCode ? { postalCode: a.postalCode } : {}),
      ...(a.region ? { administrativeArea: a.region } : {}),
      organization,
    },
    local ? 'local' : 'latin',
  ).filter((line) => line.trim() !== '');
  lines.push(formatCountry(a.country, locale));
  return { lines, nameLine: withName ? lines.indexOf(organization) : null };
}
