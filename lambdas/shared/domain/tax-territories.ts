/**
 * Where an address is for VAT. Some parts of member states are outside the EU VAT area (VAT
 * Directive 2006/112/EC Art. 6): a supply there is taxed like one to a third country. Others
 * belong to a neighbour's VAT area (Monaco with France, the Isle of Man with the UK).
 * The territories are recognised by the country of the address and its postal code; an address
 * that uses the territory's own ISO code (IC is not one; AX, GP, MQ, GF, RE, YT, MF are) is a
 * third country by that code already.
 */

export interface SpecialTerritory {
  /** The territory's name, printed in the tax note. */
  name: string;
  /** The legal basis of its exclusion. */
  basis: string;
  /** Its Unicode region code where it has one (IC, EA, AX): its name in the reader's language. */
  regionCode?: string;
}

interface TerritoryRule extends SpecialTerritory {
  country: string;
  postalCode: RegExp;
}

const ART_6_1 = 'Art. 6(1) Directive 2006/112/EC';
const ART_6_2 = 'Art. 6(2) Directive 2006/112/EC';

const TERRITORIES: readonly TerritoryRule[] = [
  { country: 'ES', postalCode: /^3[58]\d{3}$/, name: 'Canary Islands', basis: ART_6_1, regionCode: 'IC' },
  { country: 'ES', postalCode: /^51\d{3}$/, name: 'Ceuta', basis: ART_6_2, regionCode: 'EA' },
  { country: 'ES', postalCode: /^52\d{3}$/, name: 'Melilla', basis: ART_6_2, regionCode: 'EA' },
  { country: 'FI', postalCode: /^22\d{3}$/, name: 'Åland Islands', basis: ART_6_1, regionCode: 'AX' },
  { country: 'GR', postalCode: /^63086$/, name: 'Mount Athos', basis: ART_6_1 },
  { country: 'DE', postalCode: /^78266$/, name: 'Büsingen am Hochrhein', basis: ART_6_2 },
  { country: 'DE', postalCode: /^27498$/, name: 'Heligoland', basis: ART_6_2 },
  { country: 'IT', postalCode: /^23041$/, name: 'Livigno', basis: ART_6_2 },
  { country: 'IT', postalCode: /^22061$/, name: "Campione d'Italia", basis: ART_6_2 },
  { country: 'FR', postalCode: /^97[1-46]\d{2}$/, name: 'French overseas departments', basis: ART_6_1 },
];

/** Countries whose addresses are in another country's VAT area. */
const VAT_AREA_OF: Readonly<Record<string, string>> = { MC: 'FR', IM: 'GB' };

export interface VatLocation {
  /** The country whose VAT rules apply (the address's, or its VAT area's). */
  country: string;
  /** Set when the address is in a territory outside the EU VAT area. */
  territory?: SpecialTerritory;
}

export function vatLocationOf(address: { country: string; postalCode?: string | undefined }): VatLocation {
  const postalCode = (address.postalCode ?? '').replace(/\s/g, '');
  const rule = TERRITORIES.find((t) => t.country === address.country && t.postalCode.test(postalCode));
  const country = VAT_AREA_OF[address.country] ?? address.country;
  return rule === undefined ? { country } : { country, territory: { name: rule.name, basis: rule.basis } };
}
