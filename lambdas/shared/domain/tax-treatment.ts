/**
 * The VAT treatment of one invoice: which category (EN 16931 / UNCL5305 codes), which rate, and
 * why, for a seller selling electronically supplied services (one rate per invoice: all lines are
 * the same service). Seller country from configuration, buyer location from the billing address
 * (tax-territories.ts), a business buyer is one with a valid VAT id, the rate is the one in force
 * on the date of supply (tax-rates.ts).
 *
 * Business buyer (B2B, place of supply where the customer is established, Art. 44):
 * 1. in the seller's own country -> S, the domestic rate;
 * 2. in another member state -> AE, reverse charge (Art. 196), 0 %, which needs the seller's VAT id
 *    on the invoice (Art. 226(3)): without it the invoice is refused;
 * 3. outside the EU VAT area (a third country or a territory of Art. 6) -> O, outside the scope
 *    of the seller's VAT, 0 %, the customer accounts for any tax due (UK, CH, NO included).
 * Consumer (B2C, place of supply where the consumer lives, Art. 58):
 * 4. in the EU VAT area -> S at the consumer's member-state rate (domestic, or via OSS);
 * 5. in the UK, Switzerland, Liechtenstein or Norway -> S at the local rate where the seller is
 *    registered there (`registrations` in its configuration: GB, CH (for CH and LI), NO), and the
 *    invoice states that registration; where it is not, O with the reason (not charged);
 * 6. anywhere else, special territories included -> O, 0 %, with the reason (US sales tax is not
 *    handled: it depends on state, nexus and product taxability).
 * Not decided here: exemptions (E), zero rating (Z) and intra-community supplies or exports of
 * goods (K, G): invoicer sells no goods and knows no exempt services; the codes exist for records
 * that carry them.
 */
import { InvalidInputError } from '../errors.js';
import { hasStandardRate, isEuMemberState, standardRateOn } from './tax-rates.js';
import { vatLocationOf, type SpecialTerritory } from './tax-territories.js';
import { validateVatId } from './vat-ids.js';
import type { Address, RegistrationCountry } from './types.js';

/** VAT category codes (UNCL5305 as EN 16931 BT-118 uses them). */
export const VAT_CATEGORY = {
  standard: 'S',
  reverseCharge: 'AE',
  outsideScope: 'O',
  exempt: 'E',
  zeroRated: 'Z',
  intraCommunitySupply: 'K',
  export: 'G',
} as const;
export type VatCategory = (typeof VAT_CATEGORY)[keyof typeof VAT_CATEGORY];

export const REVERSE_CHARGE_NOTE =
  'Reverse charge: VAT to be accounted for by the recipient (Art. 196 Council Directive 2006/112/EC)';

/** EN 16931 BT-121 exemption reason codes (the CEF VATEX list). */
export const VATEX = { reverseCharge: 'VATEX-EU-AE', notSubject: 'VATEX-EU-O' } as const;

/** Why the treatment is what it is, for the legal note in the customer's language (compute.ts). */
export type TaxReason =
  'reverseCharge' | 'notSubjectBusiness' | 'notSubjectConsumer' | 'usSalesTax' | 'notRegistered';

/** The registration whose VAT applies in a non-EU country: Liechtenstein is in the Swiss VAT area. */
const REGISTRATION_FOR: Readonly<Record<string, RegistrationCountry>> = {
  GB: 'GB',
  CH: 'CH',
  LI: 'CH',
  NO: 'NO',
};

export interface TaxTreatment {
  category: VatCategory;
  /** Percent as decimal string. */
  rate: string;
  /** Short English label, e.g. "VAT 19 %", "VAT 0 % (reverse charge)". */
  label: string;
  reverseCharge: boolean;
  /** Why no VAT is charged (every category but S): EN 16931 BT-121 code and BT-120 text. */
  exemptionReasonCode?: string;
  exemptionReason?: string;
  /** Legal notes printed on the invoice. */
  notes: string[];
  /** The buyer's VAT id in canonical form (undefined when none was given). */
  buyerVatId?: string;
  /** The country whose VAT is charged (S only). */
  taxCountry?: string;
  /** Why no VAT of the seller's is charged (every category but S). */
  reason?: TaxReason;
  /** The buyer's country: the place of supply of an electronically supplied service. */
  placeOfSupply: string;
  /** The territory outside the EU VAT area the buyer is in, if any (tax-territories.ts). */
  territory?: SpecialTerritory;
  /** The seller's registration that the charged VAT is declared under, where not its EU VAT id. */
  registration?: { country: RegistrationCountry; id: string };
}

export interface TaxParties {
  seller: {
    address: Address;
    vatId?: string | undefined;
    registrations?: Partial<Record<RegistrationCountry, string>> | undefined;
  };
  buyerAddress: Address;
  buyerVatId?: string | undefined;
  /** The date of supply, YYYY-MM-DD: the rate in force that day applies. */
  supplyDate: string;
  /** Where to point errors about the buyer's VAT id, e.g. "customer cus_7.vatId". */
  vatIdWhere: string;
}

const standard = (country: string, date: string, where: string): TaxTreatment => {
  const rate = standardRateOn(country, date, where);
  return {
    category: 'S',
    rate,
    label: `VAT ${rate} %`,
    reverseCharge: false,
    notes: [],
    taxCountry: country,
    placeOfSupply: country,
  };
};

const notSubject = (
  reason: TaxReason,
  placeOfSupply: string,
  exemptionReason: string,
  note: string,
): TaxTreatment => ({
  category: 'O',
  rate: '0',
  label: 'Not subject to VAT (0 %)',
  reverseCharge: false,
  exemptionReasonCode: VATEX.notSubject,
  exemptionReason,
  notes: [note],
  reason,
  placeOfSupply,
});

const withTerritory = (territory: SpecialTerritory | undefined) =>
  territory === undefined ? {} : { territory };

export function taxTreatment(parties: TaxParties): TaxTreatment {
  const { seller, buyerAddress, supplyDate, vatIdWhere } = parties;
  const sellerCountry = vatLocationOf(seller.address).country;
  const buyer = vatLocationOf(buyerAddress);
  const hasVatId = parties.buyerVatId !== undefined && parties.buyerVatId.trim() !== '';
  const check = hasVatId ? validateVatId(parties.buyerVatId!, buyerAddress.country, vatIdWhere) : undefined;
  const withVatId = check === undefined ? {} : { buyerVatId: check.normalized };
  const inEuVatArea = isEuMemberState(buyer.country) && buyer.territory === undefined;
  const rateWhere = `tax rate for ${buyer.country}`;
  const outside = buyer.territory
    ? `${buyer.territory.name} is outside the EU VAT area (${buyer.territory.basis})`
    : `the place of supply, ${buyer.country}, is outside the EU VAT area`;

  if (check !== undefined) {
    if (buyer.country === sellerCountry && buyer.territory === undefined && hasStandardRate(sellerCountry))
      return { ...standard(sellerCountry, supplyDate, rateWhere), ...withVatId };
    if (inEuVatArea) {
      if (seller.vatId === undefined || seller.vatId.trim() === '') {
        throw new InvalidInputError(
          `a reverse-charge invoice must show the seller's VAT id (Art. 226(3) Directive 2006/112/EC), and none is configured`,
          'seller.vatId',
        );
      }
      return {
        category: 'AE',
        rate: '0',
        label: 'VAT 0 % (reverse charge)',
        reverseCharge: true,
        exemptionReasonCode: VATEX.reverseCharge,
        exemptionReason: 'Reverse charge',
        notes: [REVERSE_CHARGE_NOTE],
        reason: 'reverseCharge',
        placeOfSupply: buyer.country,
        ...withVatId,
      };
    }
    return {
      ...withTerritory(buyer.territory),
      ...notSubject(
        'notSubjectBusiness',
        buyer.country,
        'Not subject to VAT: the customer accounts for any tax due',
        `Not subject to VAT in the seller's country: the place of supply is where the customer is established (Art. 44 Directive 2006/112/EC), and ${outside}. The customer accounts for any tax due.`,
      ),
      ...withVatId,
    };
  }
  if (inEuVatArea) return standard(buyer.country, supplyDate, rateWhere);
  if (buyer.territory === undefined && hasStandardRate(buyer.country)) {
    // A non-EU country whose VAT a foreign seller of digital services must register for.
    const country = Object.hasOwn(REGISTRATION_FOR, buyer.country)
      ? REGISTRATION_FOR[buyer.country]
      : undefined;
    const id = country === undefined ? undefined : seller.registrations?.[country];
    if (country === undefined || id === undefined || id.trim() === '') {
      return notSubject(
        'notRegistered',
        buyer.country,
        `Not subject to VAT: the seller is not registered for VAT in ${buyer.country}`,
        `Not subject to VAT: the place of supply is ${buyer.country}, where the seller is not registered for VAT.`,
      );
    }
    return { ...standard(buyer.country, supplyDate, rateWhere), registration: { country, id } };
  }
  if (buyer.country === 'US') {
    return notSubject(
      'usSalesTax',
      buyer.country,
      'Not subject to VAT; US sales tax not charged',
      'Not subject to VAT. US state sales tax is not charged on this invoice.',
    );
  }
  return {
    ...withTerritory(buyer.territory),
    ...notSubject(
      'notSubjectConsumer',
      buyer.country,
      'Not subject to VAT: place of supply outside the EU VAT area',
      `Not subject to VAT: ${outside} (place of supply for electronically supplied services to consumers, Art. 58 Directive 2006/112/EC).`,
    ),
  };
}
