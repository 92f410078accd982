/**
 * The canonical invoice record -> an EN 16931 invoice in the data model of `@e-invoice-eu/core`
 * (UBL element names as JSON keys), which that library writes as UBL 2.1 or CII. Pure: the
 * e-invoice, like the PDF, comes from the record alone, so it is reproducible byte for byte.
 *
 * What maps to what:
 * - lines (base fee, usage, credit) -> invoice lines (BG-25) with a Rec 20 unit code; a price
 *   that does not give the line amount exactly (tiered pricing) is stated per the billed
 *   quantity (BT-149 base quantity), so quantity x price = amount always holds;
 * - discount lines -> document level allowances (BG-20) in the invoice's VAT category;
 * - the tax line -> the VAT breakdown (BG-23) with its category, rate and exemption reason;
 *   the VAT in the national currency (Art. 230) -> BT-6 and BT-111;
 * - a credit note -> document type 381 with the invoice it corrects (BG-3);
 * - the seller's bank account -> payment instructions (BG-16, SEPA credit transfer for EUR);
 * - seller and buyer e-mail -> their electronic addresses (BT-34, BT-49, scheme EM).
 * Category O ("not subject to VAT") carries no VAT ids (BR-O-02): the seller is then known by its
 * legal registration id (BT-30, BR-CO-26).
 */
import type { Invoice } from '@e-invoice-eu/core';
import { InvalidInputError } from '../../errors.js';
import { currencyOf, minorToDecimalString, parseDecimal, type Currency } from '../../domain/money.js';
import type { Address, InvoiceDetail, InvoiceLine, TaxLine } from '../../domain/types.js';
import { eInvoiceRefusal, EN16931_MAX_DECIMALS } from './refusal.js';
import { rec20UnitCode, UNIT_ONE } from './unit-codes.js';

const DOCUMENT_TYPE = { invoice: '380', creditNote: '381' } as const;
/** UNCL4461: 58 SEPA credit transfer, 30 credit transfer. */
const PAYMENT_MEANS = { sepaCreditTransfer: '58', creditTransfer: '30' } as const;
/** CEF EAS: electronic mail. */
const EMAIL_SCHEME = 'EM';

type UblInvoice = Invoice['ubl:Invoice'];
type Line = UblInvoice['cac:InvoiceLine'][number];
type CountryCode =
  UblInvoice['cac:AccountingSupplierParty']['cac:Party']['cac:PostalAddress']['cac:Country']['cbc:IdentificationCode'];

/** The EN 16931 invoice (or credit note) of a canonical record. */
export function toEn16931(detail: InvoiceDetail): Invoice {
  const where = `e-invoice of ${detail.invoiceNumber}`;
  const refusal = eInvoiceRefusal(detail);
  if (refusal !== undefined) throw new InvalidInputError(refusal, where);
  const currency = currencyOf(detail.currency, `${where}: currency`);
  const amount = (minor: number): string => minorToDecimalString(minor, currency);
  const tax = singleTax(detail, where);
  const outsideScope = tax.category === 'O';
  const creditNote = detail.documentType === 'credit_note';
  const code = detail.currency as UblInvoice['cbc:DocumentCurrencyCode'];

  const sellerEmail = detail.seller.email as string;
  const sellerLegalId = detail.seller.legalRegistrationId;
  const vatCategory = {
    'cbc:ID': tax.category as 'S',
    ...(outsideScope ? {} : { 'cbc:Percent': tax.rate }),
    'cac:TaxScheme': { 'cbc:ID': 'VAT' },
  };

  const itemLines = detail.lines.filter((l) => l.kind !== 'discount');
  const discounts = detail.lines.filter((l) => l.kind === 'discount');
  const lineExtensionMinor = itemLines.reduce((sum, l) => sum + l.amountMinor, 0);
  const notes = [...detail.notes];
  if (creditNote && detail.creditReason !== undefined)
    notes.unshift(`Reason for credit: ${detail.creditReason}`);

  const invoice: UblInvoice = {
    'cbc:ID': detail.invoiceNumber,
    'cbc:IssueDate': detail.issueDate,
    ...(creditNote ? {} : { 'cbc:DueDate': detail.dueDate }),
    'cbc:InvoiceTypeCode': creditNote ? DOCUMENT_TYPE.creditNote : DOCUMENT_TYPE.invoice,
    ...(notes.length > 0 ? { 'cbc:Note': notes } : {}),
    'cbc:DocumentCurrencyCode': code,
    ...(tax.national === undefined
      ? {}
      : { 'cbc:TaxCurrencyCode': tax.national.currency as UblInvoice['cbc:DocumentCurrencyCode'] }),
    'cbc:BuyerReference': detail.buyer.reference ?? detail.customerId,
    'cac:InvoicePeriod': { 'cbc:StartDate': detail.period.start, 'cbc:EndDate': detail.period.end },
    ...(creditNote && detail.corrects !== undefined
      ? {
          'cac:BillingReference': [
            {
              'cac:InvoiceDocumentReference': {
                'cbc:ID': detail.corrects.invoiceNumber,
                'cbc:IssueDate': detail.corrects.issueDate,
              },
            },
          ],
        }
      : {}),
    'cac:AccountingSupplierParty': {
      'cac:Party': {
        'cbc:EndpointID': sellerEmail,
        'cbc:EndpointID@schemeID': EMAIL_SCHEME,
        'cac:PostalAddress': postalAddress(detail.seller.address),
        ...(outsideScope || detail.seller.vatId === undefined
          ? {}
          : {
              'cac:PartyTaxScheme': [
                { 'cbc:CompanyID': detail.seller.vatId, 'cac:TaxScheme': { 'cbc:ID': 'VAT' } },
              ],
            }),
        'cac:PartyLegalEntity': {
          'cbc:RegistrationName': detail.seller.name,
          ...(sellerLegalId === undefined ? {} : { 'cbc:CompanyID': sellerLegalId }),
        },
        'cac:Contact': {
          ...(detail.seller.contact === undefined
            ? {}
            : { 'cbc:Name': detail.seller.contact.name, 'cbc:Telephone': detail.seller.contact.phone }),
          'cbc:ElectronicMail': sellerEmail,
        },
      },
    },
    'cac:AccountingCustomerParty': {
      'cac:Party': {
        'cbc:EndpointID': detail.buyer.email,
        'cbc:EndpointID@schemeID': EMAIL_SCHEME,
        'cac:PartyIdentification': { 'cbc:ID': detail.customerId },
        'cac:PostalAddress': postalAddress(detail.buyer.address),
        ...(outsideScope || detail.buyer.vatId === undefined
          ? {}
          : {
              'cac:PartyTaxScheme': {
                'cbc:CompanyID': detail.buyer.vatId,
                'cac:TaxScheme': { 'cbc:ID': 'VAT' },
              },
            }),
        'cac:PartyLegalEntity': { 'cbc:RegistrationName': detail.buyer.name },
      },
    },
    ...(detail.seller.bankAccount === undefined
      ? {}
      : {
          'cac:PaymentMeans': [
            {
              'cbc:PaymentMeansCode':
                detail.currency === 'EUR' ? PAYMENT_MEANS.sepaCreditTransfer : PAYMENT_MEANS.creditTransfer,
              'cbc:PaymentID': detail.invoiceNumber,
              'cac:PayeeFinancialAccount': {
                'cbc:ID': detail.seller.bankAccount.iban,
                'cbc:Name': detail.seller.name,
                ...(detail.seller.bankAccount.bic === undefined
                  ? {}
                  : { 'cac:FinancialInstitutionBranch': { 'cbc:ID': detail.seller.bankAccount.bic } }),
              },
            },
          ],
        }),
    'cac:PaymentTerms': {
      'cbc:Note': creditNote
        ? `Credit note: ${amount(detail.totalMinor)} ${detail.currency} is credited to the customer.`
        : `Payable by ${detail.dueDate} (${detail.paymentTermsDays} days).`,
    },
    ...(discounts.length > 0
      ? {
          'cac:AllowanceCharge': discounts.map((line) => ({
            'cbc:ChargeIndicator': 'false',
            'cbc:AllowanceChargeReason': line.description,
            'cbc:Amount': amount(-line.amountMinor),
            'cbc:Amount@currencyID': code,
            'cac:TaxCategory': vatCategory,
          })),
        }
      : {}),
    'cac:TaxTotal': taxTotals(detail, tax, amount),
    'cac:LegalMonetaryTotal': {
      'cbc:LineExtensionAmount': amount(lineExtensionMinor),
      'cbc:LineExtensionAmount@currencyID': code,
      'cbc:TaxExclusiveAmount': amount(detail.taxableMinor),
      'cbc:TaxExclusiveAmount@currencyID': code,
      'cbc:TaxInclusiveAmount': amount(detail.totalMinor),
      'cbc:TaxInclusiveAmount@currencyID': code,
      ...(discounts.length > 0
        ? {
            'cbc:AllowanceTotalAmount': amount(detail.discountMinor),
            'cbc:AllowanceTotalAmount@currencyID': code,
          }
        : {}),
      'cbc:PayableAmount': amount(detail.totalMinor),
      'cbc:PayableAmount@currencyID': code,
    },
    'cac:InvoiceLine': nonEmpty(
      itemLines.map((line) => invoiceLine(line, currency, code, vatCategory)),
      `${where}: lines`,
    ),
  };
  return { 'ubl:Invoice': invoice };
}

function singleTax(detail: InvoiceDetail, where: string): TaxLine {
  const [tax, ...others] = detail.taxes;
  if (tax === undefined || others.length > 0 || tax.category === undefined) {
    throw new InvalidInputError(`needs exactly one VAT breakdown with its category`, where);
  }
  return tax;
}

function nonEmpty<T>(items: T[], where: string): [T, ...T[]] {
  if (items.length === 0) throw new InvalidInputError(`an e-invoice has at least one line (BR-16)`, where);
  return items as [T, ...T[]];
}

function postalAddress(address: Address) {
  // The seller's address comes from configuration, which requires only the country.
  const optional = (key: string, value: string | undefined) => (value ? { [key]: value } : {});
  return {
    ...optional('cbc:StreetName', address.line1),
    ...optional('cbc:AdditionalStreetName', address.line2),
    ...optional('cbc:CityName', address.city),
    ...optional('cbc:PostalZone', address.postalCode),
    ...optional('cbc:CountrySubentity', address.region),
    'cac:Country': { 'cbc:IdentificationCode': address.country as CountryCode },
  };
}

function taxTotals(
  detail: InvoiceDetail,
  tax: TaxLine,
  amount: (minor: number) => string,
): UblInvoice['cac:TaxTotal'] {
  const code = detail.currency as UblInvoice['cbc:DocumentCurrencyCode'];
  const breakdown = {
    'cbc:TaxAmount': amount(detail.taxTotalMinor),
    'cbc:TaxAmount@currencyID': code,
    'cac:TaxSubtotal': [
      {
        'cbc:TaxableAmount': amount(tax.taxableMinor),
        'cbc:TaxableAmount@currencyID': code,
        'cbc:TaxAmount': amount(tax.taxMinor),
        'cbc:TaxAmount@currencyID': code,
        'cac:TaxCategory': {
          'cbc:ID': tax.category as 'S',
          ...(tax.category === 'O' ? {} : { 'cbc:Percent': tax.rate }),
          ...(tax.exemptionReasonCode === undefined
            ? {}
            : { 'cbc:TaxExemptionReasonCode': tax.exemptionReasonCode as 'VATEX-EU-O' }),
          ...(tax.exemptionReason === undefined ? {} : { 'cbc:TaxExemptionReason': tax.exemptionReason }),
          'cac:TaxScheme': { 'cbc:ID': 'VAT' },
        },
      },
    ],
  };
  if (tax.national === undefined) return [breakdown];
  // Art. 230: the VAT total once more in the VAT accounting currency (BT-111), without breakdown.
  const national = currencyOf(tax.national.currency, `national VAT of ${detail.invoiceNumber}`);
  return [
    breakdown,
    {
      'cbc:TaxAmount': minorToDecimalString(tax.national.taxMinor, national),
      'cbc:TaxAmount@currencyID': tax.national.currency as UblInvoice['cbc:DocumentCurrencyCode'],
    },
  ];
}

function invoiceLine(
  line: InvoiceLine,
  currency: Currency,
  code: UblInvoice['cbc:DocumentCurrencyCode'],
  vatCategory: Line['cac:Item']['cac:ClassifiedTaxCategory'],
): Line {
  const unitCode = line.kind === 'usage' ? rec20UnitCode(line.unit) : UNIT_ONE;
  const price = statedPrice(line, currency);
  return {
    'cbc:ID': line.lineId,
    'cbc:InvoicedQuantity': line.quantity,
    'cbc:InvoicedQuantity@unitCode': unitCode as 'C62',
    'cbc:LineExtensionAmount': minorToDecimalString(line.amountMinor, currency),
    'cbc:LineExtensionAmount@currencyID': code,
    'cac:Item': {
      'cbc:Name': line.description,
      ...(line.metric === undefined ? {} : { 'cac:SellersItemIdentification': { 'cbc:ID': line.metric } }),
      'cac:ClassifiedTaxCategory': vatCategory,
    },
    'cac:Price': {
      'cbc:PriceAmount': price.amount,
      'cbc:PriceAmount@currencyID': code,
      ...(price.baseQuantity === undefined
        ? {}
        : { 'cbc:BaseQuantity': price.baseQuantity, 'cbc:BaseQuantity@unitCode': unitCode as 'C62' }),
    },
  };
}

/**
 * The net price (BT-146) and base quantity (BT-149) of a line such that quantity x price / base
 * quantity is the line amount exactly: the unit price when it does, else the amount per the whole
 * billed quantity (a graduated tier mix has no single exact unit price).
 */
export function statedPrice(
  line: InvoiceLine,
  currency: Currency,
): { amount: string; baseQuantity?: string } {
  const where = `line ${line.lineId}`;
  const quantity = parseDecimal(line.quantity, `${where}.quantity`);
  const unitPrice = parseDecimal(line.unitPrice, `${where}.unitPrice`);
  const scale = quantity.scale + unitPrice.scale;
  const product = quantity.units * unitPrice.units;
  const amount = BigInt(line.amountMinor);
  const exponent = currency.exponent;
  const exact =
    scale >= exponent
      ? product === amount * 10n ** BigInt(scale - exponent)
      : product * 10n ** BigInt(exponent - scale) === amount;
  // @e-invoice-eu/core holds prices to the two decimals of an amount (EN 16931 itself does not).
  if (exact && unitPrice.scale <= EN16931_MAX_DECIMALS) return { amount: line.unitPrice };
  if (quantity.units === 0n) return { amount: '0.00' };
  return { amount: minorToDecimalString(line.amountMinor, currency), baseQuantity: line.quantity };
}
