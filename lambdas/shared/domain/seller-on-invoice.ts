/**
 * The seller as one invoice states it: the account for the invoice's currency, the registration
 * under which its VAT is charged, the company particulars; and the payment code the invoice
 * carries where the seller enables one and the invoice qualifies (docs/documents.md).
 */
import type { PaymentCode, SellerConfig, SellerParty } from './types.js';

/** The seller as this invoice states it: the account for its currency, the registration for its VAT. */
export function sellerOnInvoice(
  seller: SellerConfig,
  currency: string,
  registration: SellerParty['taxRegistration'],
): SellerParty {
  const bankAccount = accountFor(seller, currency);
  return {
    name: seller.name,
    address: seller.address,
    ...(seller.vatId === undefined ? {} : { vatId: seller.vatId }),
    ...(seller.email === undefined ? {} : { email: seller.email }),
    ...(seller.legalRegistrationId === undefined ? {} : { legalRegistrationId: seller.legalRegistrationId }),
    ...(seller.registerCourt === undefined ? {} : { registerCourt: seller.registerCourt }),
    ...(seller.managingDirectors === undefined || seller.managingDirectors.length === 0
      ? {}
      : { managingDirectors: [...seller.managingDirectors] }),
    ...(bankAccount === undefined ? {} : { bankAccount }),
    ...(seller.contact === undefined ? {} : { contact: seller.contact }),
    ...(registration === undefined ? {} : { taxRegistration: registration }),
  };
}

const accountFor = (seller: SellerConfig, currency: string) =>
  (seller.bankAccounts !== undefined && Object.hasOwn(seller.bankAccounts, currency)
    ? seller.bankAccounts[currency]
    : undefined) ?? seller.bankAccount;

/** SEPA countries whose IBANs an EPC QR code may name (EPC069-12: the SEPA scheme's countries). */
const SEPA = new Set(
  'AD AT BE BG CH CY CZ DE DK EE ES FI FR GB GI GR HR HU IE IS IT LI LT LU LV MC MT NL NO PL PT RO SE SI SK SM VA'.split(
    ' ',
  ),
);

/** The payment code an invoice carries: enabled by the seller, and the currency and account fit it. */
export function paymentCodeOf(seller: SellerConfig, currency: string): { paymentCode?: PaymentCode } {
  const iban = accountFor(seller, currency)?.iban;
  if (iban === undefined) return {};
  const country = iban.slice(0, 2);
  if (seller.paymentCodes?.epcQr === true && currency === 'EUR' && SEPA.has(country))
    return { paymentCode: 'EPC_QR' };
  if (
    seller.paymentCodes?.swissQrBill === true &&
    currency === 'CHF' &&
    (country === 'CH' || country === 'LI')
  )
    return { paymentCode: 'SWISS_QR_BILL' };
  return {};
}
