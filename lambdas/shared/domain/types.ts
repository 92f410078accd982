/**
 * The shapes every part of invoicer agrees on: what comes in (customer, plan, usage)
 * and what comes out (the invoice detail, the canonical record). Pure data, no AWS.
 *
 * Conventions:
 * - Money amounts are integers in minor units of the currency (`...Minor` fields).
 * - Quantities, unit prices, percentages and tax rates are decimal strings ("12.5", "0.0015")
 *   so that no float ever touches them. Unit prices are in MAJOR units of the currency.
 * - Dates are ISO `YYYY-MM-DD` strings; a billing period is `YYYY-MM`.
 */

export type CustomerStatus = 'active' | 'inactive';

export interface Address {
  line1: string;
  line2?: string;
  city: string;
  postalCode?: string;
  region?: string;
  /** ISO 3166-1 alpha-2, upper case ("DE", "GB", "US"). */
  country: string;
}

export type Discount =
  | { kind: 'percentage'; description: string; /** "10" = 10 %. */ percent: string }
  | { kind: 'fixed'; description: string; amountMinor: number };

export interface Customer {
  customerId: string;
  legalName: string;
  email: string;
  billingAddress: Address;
  vatId?: string;
  /** ISO 4217 code; must equal the plan's currency. */
  currency: string;
  /** BCP 47 tag; its language picks the document labels (en, de, fr, es, ja). */
  locale: string;
  planId: string;
  status: CustomerStatus;
  /**
   * The last day of service (YYYY-MM-DD) of a cancelled subscription: the period it falls in gets
   * a final invoice, its base fee prorated by day; later periods are not billed.
   */
  cancelledAt?: string;
  discounts?: Discount[];
  /** The buyer's reference for its invoices (EN 16931 BT-10): a purchase order, a Leitweg-ID. */
  buyerReference?: string;
  /** The syntax of the customer's EN 16931 e-invoice; UBL when absent. */
  eInvoiceSyntax?: EInvoiceSyntax;
  /** The PDF carries the e-invoice (CII) as a Factur-X / ZUGFeRD PDF/A-3. */
  facturX?: boolean;
  /**
   * XRECHNUNG: the e-invoice follows XRechnung, the German CIUS of EN 16931 that German public
   * buyers require (with `buyerReference` = their Leitweg-ID).
   */
  eInvoiceProfile?: EInvoiceProfile;
}

export type EInvoiceProfile = 'XRECHNUNG';

/** The two syntaxes of EN 16931: OASIS UBL 2.1 and UN/CEFACT CII D16B. */
export type EInvoiceSyntax = 'UBL' | 'CII';

export interface Tier {
  /** Inclusive upper bound of the tier in units; absent on the last (open-ended) tier. */
  upTo?: string;
  /** Price per unit in major units. */
  unitPrice: string;
  /** Flat fee for entering the tier, in major units (optional). */
  flatFee?: string;
}

export type PricingModel =
  | { model: 'per_unit'; unitPrice: string }
  /** Each unit is priced by the tier it falls in. */
  | { model: 'graduated'; tiers: Tier[] }
  /** All units are priced by the tier the total quantity falls in. */
  | { model: 'volume'; tiers: Tier[] }
  /** Price per started package of `packageSize` units. */
  | { model: 'package'; packageSize: string; packagePrice: string };

/** Texts per catalogue language ("de", "ja"): a plan's translations of its own words. */
export type Translations = Partial<Record<string, string>>;

export type PriceComponent = PricingModel & {
  metric: string;
  /** In the plan's `language`; `descriptions` holds its translations. */
  description: string;
  descriptions?: Translations;
  /** Units included free of charge before pricing applies. */
  includedQuantity?: string;
  /** Unit label printed on the invoice ("API calls", "GB"), with its translations. */
  unit?: string;
  units?: Translations;
};

export interface PricePlan {
  planId: string;
  /** In the plan's `language`; `names` holds its translations. */
  name: string;
  names?: Translations;
  /** The language name, descriptions and units are written in, the fallback for every other; en when absent. */
  language?: string;
  /** Print usage lines that come to 0 (hidden by default: "API calls, 0 calls, 0.00"). */
  showZeroAmountLines?: boolean;
  currency: string;
  /** Monthly base fee in minor units. */
  baseFeeMinor: number;
  components: PriceComponent[];
  /** Days from issue date to due date; 14 when absent. */
  paymentTermsDays?: number;
}

export interface UsageRecord {
  customerId: string;
  /** Billing period `YYYY-MM`. */
  period: string;
  metric: string;
  /** Decimal string; validated (non-negative, numeric) before pricing. */
  quantity: string;
  recordId: string;
}

export interface Party {
  name: string;
  address: Address;
  vatId?: string;
  email?: string;
}

/** Where customers pay: printed into the e-invoice's payment instructions (EN 16931 BG-16). */
export interface BankAccount {
  /** IBAN, without spaces. */
  iban: string;
  bic?: string;
}

/** Countries outside the EU whose VAT a foreign seller of digital services registers for. */
export const REGISTRATION_COUNTRIES = ['GB', 'CH', 'NO'] as const;
export type RegistrationCountry = (typeof REGISTRATION_COUNTRIES)[number];

/** The seller as an invoice states it: a party with what an e-invoice needs besides (EN 16931 BT-30, BG-16). */
export interface SellerParty extends Party {
  /** Legal registration id, e.g. "HRB 123456 B" (BT-30): names the seller where no VAT id may. */
  legalRegistrationId?: string;
  /** The court keeping the commercial register ("Amtsgericht Charlottenburg"): DE/AT business letters. */
  registerCourt?: string;
  /** Managing directors: DE (§ 35a GmbHG) and AT require them on business letters. */
  managingDirectors?: string[];
  /** The account this invoice is paid to (the seller's account for its currency). */
  bankAccount?: BankAccount;
  /** Who answers the buyer's questions (BG-6): XRechnung requires a name and a telephone number. */
  contact?: { name: string; phone: string };
  /** The seller's registration for the VAT this invoice charges, where that is not the EU VAT id. */
  taxRegistration?: { country: RegistrationCountry; id: string };
}

/** How an invoice can be paid by scanning: EPC QR (GiroCode, EUR) or the Swiss QR-bill (CHF). */
export type PaymentCode = 'EPC_QR' | 'SWISS_QR_BILL';

/** `credit`: the one line of a partial credit note. */
export type LineKind = 'base_fee' | 'usage' | 'discount' | 'credit';

export interface InvoiceLine {
  lineId: string;
  kind: LineKind;
  description: string;
  metric?: string;
  /** Billed quantity (after included units), decimal string. */
  quantity: string;
  unit?: string;
  /** Effective unit price in major units, decimal string (informational; amountMinor is authoritative). */
  unitPrice: string;
  /** Signed: discounts are negative. */
  amountMinor: number;
  /** Per-tier breakdown for tiered pricing, printed under the line. */
  tiers?: { description: string; quantity: string; unitPrice: string; amountMinor: number }[];
}

export interface TaxLine {
  /** VAT category (EN 16931 BT-118, UNCL5305): S standard, AE reverse charge, O not subject, E exempt, Z zero rated, K/G goods. */
  category?: 'S' | 'AE' | 'O' | 'E' | 'Z' | 'K' | 'G';
  /** Percentage as decimal string ("19", "7.7"). */
  rate: string;
  /** The country whose VAT this is (category S): its own name for the tax is printed. */
  country?: string;
  /** Label, e.g. "VAT 19 %", "Reverse charge". */
  label: string;
  taxableMinor: number;
  taxMinor: number;
  /** Why no VAT is charged (every category but S): the VATEX code (BT-121) and its text (BT-120). */
  exemptionReasonCode?: string;
  exemptionReason?: string;
  /** The VAT in the taxing member state's currency when the invoice is in another (Art. 230). */
  national?: {
    currency: string;
    taxMinor: number;
    /** ECB reference rates used, units per 1 EUR (EUR itself omitted). */
    rates: { currency: string; perEur: string }[];
    rateDate: string;
    source: string;
  };
}

export interface InvoicePeriod {
  /** `YYYY-MM` */
  id: string;
  /** First day, `YYYY-MM-DD`. */
  start: string;
  /** Last day, `YYYY-MM-DD`. */
  end: string;
}

/** What computing an invoice gives before a number is reserved. */
export interface InvoiceDraft {
  schemaVersion: '1.0';
  customerId: string;
  period: InvoicePeriod;
  currency: string;
  /** Currency exponent (EUR 2, JPY 0, KWD 3). */
  exponent: number;
  locale: string;
  seller: SellerParty;
  buyer: Party & {
    customerId: string;
    email: string;
    /** The buyer's reference (EN 16931 BT-10), e.g. a purchase order or a German Leitweg-ID. */
    reference?: string;
    /** The syntax its e-invoice is written in; UBL when absent. */
    eInvoiceSyntax?: EInvoiceSyntax;
    /** Its PDF is a Factur-X PDF that carries the e-invoice in CII. */
    facturX?: boolean;
    /** Its e-invoice follows XRechnung. */
    eInvoiceProfile?: EInvoiceProfile;
  };
  plan: { planId: string; name: string };
  lines: InvoiceLine[];
  /** A payment code the PDF prints (set when the seller enables it and the invoice qualifies). */
  paymentCode?: PaymentCode;
  subtotalMinor: number;
  discountMinor: number;
  taxableMinor: number;
  taxes: TaxLine[];
  taxTotalMinor: number;
  totalMinor: number;
  reverseCharge: boolean;
  /** Legal notes printed on the invoice (reverse charge wording, tax exemption). */
  notes: string[];
  paymentTermsDays: number;
}

/**
 * What a credit note adds to the record: the invoice it corrects and why. Its amounts are positive,
 * as EN 16931 states a credit note's (document type 381): they are what is credited.
 */
export interface CreditNoteFacts {
  documentType: 'credit_note';
  corrects: { invoiceNumber: string; issueDate: string };
  creditReason: string;
}

/** The canonical invoice record (the JSON detail in S3; the PDF is rendered from it alone). */
export interface InvoiceDetail extends InvoiceDraft, Partial<CreditNoteFacts> {
  invoiceNumber: string;
  series: string;
  issueDate: string;
  dueDate: string;
}

/** The seller (our company) printed on every invoice; comes from configuration (checked at synth). */
export interface SellerConfig extends Omit<SellerParty, 'taxRegistration'> {
  /** VAT registrations outside the EU: an invoice charging that country's VAT prints the number. */
  registrations?: Partial<Record<RegistrationCountry, string>>;
  /** Accounts by invoice currency ("CHF": a Swiss IBAN for QR-bills); `bankAccount` for the rest. */
  bankAccounts?: Partial<Record<string, BankAccount>>;
  /** Payment codes to print where the invoice qualifies: EPC QR on EUR, QR-bill on CHF. */
  paymentCodes?: { epcQr?: boolean; swissQrBill?: boolean };
}
