/**
 * Paying from the document: the bank account and a payment reference on every invoice that has an
 * account, and the payment codes a banking app scans. The reference is the ISO 11649 structured
 * creditor reference ("RF" + check digits) of the invoice number, so a bank statement names the
 * invoice it pays. EPC QR (GiroCode, EPC069-12) on EUR invoices, the Swiss QR-bill payment part
 * (swissqrbill) on CHF ones: both follow from the detail alone and draw the same bytes each time.
 * This module is what the codes say, with no drawing library: the read API and compute load it too.
 * pdf-payment.ts draws them; qr-bill-check.ts checks a QR-bill against the standard.
 */
import { friendlyFormatIBAN } from 'ibantools';
import type { Data as SwissQrBillData } from 'swissqrbill/types';
import { InvalidInputError } from '../errors.js';
import type { InvoiceDetail, InvoiceDraft } from '../domain/types.js';
import { languageOf } from '../i18n/languages.js';
import { minorToDecimalString } from './format.js';

/** ISO 7064 mod 97-10 over letters as numbers (A=10 … Z=35), as ISO 11649 and IBANs compute it. */
function mod97(text: string): number {
  let remainder = 0;
  for (const char of text) {
    const value = parseInt(char, 36);
    for (const digit of String(value)) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder;
}

/** The ISO 11649 creditor reference of an invoice number: "INV-2026-000101" -> "RF46INV2026000101". */
export function creditorReference(invoiceNumber: string): string {
  const reference = invoiceNumber.toUpperCase().replace(/[^0-9A-Z]/g, '');
  if (reference === '' || reference.length > 21)
    throw new InvalidInputError(
      `cannot make a creditor reference of ${JSON.stringify(invoiceNumber)}`,
      'invoiceNumber',
    );
  const check = 98 - mod97(`${reference}RF00`);
  return `RF${String(check).padStart(2, '0')}${reference}`;
}

/** Whether a creditor reference's check digits hold (02 to 98: 00, 01 and 99 are never made). */
export const isValidCreditorReference = (reference: string): boolean =>
  /^RF(?:0[2-9]|[1-8][0-9]|9[0-8])[0-9A-Z]{1,21}$/.test(reference) &&
  mod97(`${reference.slice(4)}${reference.slice(0, 4)}`) === 1;

/** A reference or IBAN in groups of four, as people read and type it. */
export const groupsOfFour = (text: string): string => text.replace(/(.{4})(?=.)/g, '$1 ');

/** What the payment block states: [label, value] pairs; empty without an account or on a credit note. */
export function paymentFacts(
  detail: InvoiceDetail,
  L: { bankTransfer: string; accountHolder: string; paymentReference: string },
): [string, string][] {
  const account = detail.seller.bankAccount;
  if (account === undefined || detail.documentType === 'credit_note' || detail.totalMinor <= 0) return [];
  return [
    [
      L.bankTransfer,
      `IBAN ${friendlyFormatIBAN(account.iban) ?? account.iban}${account.bic ? ` · BIC ${account.bic}` : ''}`,
    ],
    [L.accountHolder, detail.seller.name],
    [L.paymentReference, groupsOfFour(creditorReference(detail.invoiceNumber))],
  ];
}

/**
 * The EPC QR payload (EPC069-12 version 002, UTF-8, SEPA credit transfer): BIC, name (70
 * characters), IBAN, amount, and the creditor reference as structured remittance information.
 */
export function epcQrPayload(detail: InvoiceDetail): string {
  const account = detail.seller.bankAccount;
  if (account === undefined)
    throw new InvalidInputError('an EPC QR code needs a bank account', 'seller.bankAccount');
  return [
    'BCD',
    '002',
    '1',
    'SCT',
    account.bic ?? '',
    [...detail.seller.name].slice(0, 70).join(''),
    account.iban,
    `EUR${minorToDecimalString(detail.totalMinor, 2)}`,
    '',
    creditorReference(detail.invoiceNumber),
  ].join('\n');
}

const QR_BILL_LANGUAGES = { de: 'DE', fr: 'FR', it: 'IT', en: 'EN' } as const;

/** The QR-bill's own language: the reader's where the standard has it, else English. */
export function qrBillLanguage(locale: string): 'DE' | 'FR' | 'IT' | 'EN' {
  const language = languageOf(locale);
  return Object.hasOwn(QR_BILL_LANGUAGES, language)
    ? QR_BILL_LANGUAGES[language as keyof typeof QR_BILL_LANGUAGES]
    : 'EN';
}

/** The Swiss QR-bill of a CHF invoice: creditor and debtor as structured addresses, the RF reference. */
export function swissQrBillData(
  detail: InvoiceDetail | (InvoiceDraft & { invoiceNumber: string }),
): SwissQrBillData {
  const { seller, buyer } = detail;
  const account = seller.bankAccount;
  if (account === undefined)
    throw new InvalidInputError('a QR-bill needs a bank account', 'seller.bankAccount');
  const party = (p: typeof seller) => ({
    name: p.name,
    address: [p.address.line1, p.address.line2].filter(Boolean).join(', '),
    zip: p.address.postalCode ?? '',
    city: p.address.city,
    country: p.address.country,
  });
  const debtor = party(buyer);
  return {
    currency: 'CHF',
    amount: Number(minorToDecimalString(detail.totalMinor, 2)),
    creditor: { ...party(seller), account: account.iban },
    // The debtor is optional; one without a postcode is left for the payer to fill in.
    ...(debtor.zip === '' ? {} : { debtor }),
    reference: creditorReference(detail.invoiceNumber),
    message: detail.invoiceNumber,
  };
}
