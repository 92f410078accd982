/**
 * When an invoice cannot be an EN 16931 e-invoice, and why: the invoice itself is still issued
 * (PDF and JSON), only its e-invoice is not made.
 */
import { currencyOf } from '../../domain/money.js';
import type { InvoiceDraft } from '../../domain/types.js';

/** EN 16931 amounts have at most two decimals (its semantic data type Amount). */
export const EN16931_MAX_DECIMALS = 2;

/**
 * The ISO 4217 codes EN 16931 admits (BR-CL-03, BR-CL-05), as its validation artefacts 1.3.16 list
 * them; test/unit/documents/e-invoice.test.ts keeps this equal to the vendored list. BGN is gone
 * (Bulgaria adopted the euro on 2026-01-01), so a BGN invoice can no longer be an e-invoice.
 */
export const EN16931_CURRENCIES: ReadonlySet<string> = new Set(
  (
    'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE ' +
    'CHF CHW CLF CLP CNH CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD ' +
    'GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP ' +
    'LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB ' +
    'PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STD SVC SYP SZL THB ' +
    'TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VES VED VND VUV WST XAF XAG XAU XBA XBB XBC ' +
    'XBD XCD XCG XDR XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR ZMW ZWG'
  ).split(' '),
);

/**
 * Why an invoice cannot be an EN 16931 e-invoice, or undefined when it can. The invoice itself is
 * still issued (PDF and JSON); only its e-invoice is not made.
 */
export function eInvoiceRefusal(detail: InvoiceDraft): string | undefined {
  const currencies = [
    detail.currency,
    ...detail.taxes.flatMap((t) => (t.national ? [t.national.currency] : [])),
  ];
  for (const code of currencies) {
    const refusal = currencyRefusal(code);
    if (refusal !== undefined) return refusal;
  }
  if (detail.taxes.length !== 1 || detail.taxes[0]?.category === undefined) {
    return `an e-invoice needs one VAT breakdown with its category (records issued before categories have none)`;
  }
  if (detail.seller.email === undefined) {
    return `an e-invoice names the seller's electronic address (BT-34): set seller.email`;
  }
  if (detail.buyer.eInvoiceProfile === 'XRECHNUNG') {
    // XRechnung (BR-DE-1, -2, -5, -6, -15): payment instructions, the seller's contact with a
    // name and a telephone number, and the buyer reference (a public buyer's Leitweg-ID).
    if (detail.buyer.reference === undefined)
      return `an XRechnung names the buyer reference (BT-10, the Leitweg-ID): set the customer's buyerReference`;
    if (detail.seller.contact === undefined)
      return `an XRechnung names the seller's contact with a telephone number (BR-DE-2): set seller.contact`;
    if (detail.seller.bankAccount === undefined)
      return `an XRechnung states payment instructions (BR-DE-1): set seller.bankAccount`;
  }
  if (detail.taxes.some((t) => t.category === 'O') && detail.seller.legalRegistrationId === undefined) {
    return `an invoice not subject to VAT carries no VAT id (BR-O-02), so the seller is named by its legal registration id (BT-30, BR-CO-26): set seller.legalRegistrationId`;
  }
  return undefined;
}

/** Why amounts in `code` cannot be stated in an e-invoice, or undefined when they can. */
export function currencyRefusal(code: string): string | undefined {
  const { exponent } = currencyOf(code, 'e-invoice currency');
  if (exponent > EN16931_MAX_DECIMALS) {
    return `EN 16931 states amounts with at most ${EN16931_MAX_DECIMALS} decimals, and ${code} has ${exponent}`;
  }
  return EN16931_CURRENCIES.has(code)
    ? undefined
    : `${code} is not in the currency code list of EN 16931 (BR-CL-03)`;
}
