/**
 * Credit notes: an issued invoice is never edited; it is corrected by a credit note, a document of
 * its own with its own gapless series (`CN-<year of its issue date>`), that names the invoice and
 * the reason (VAT Directive Art. 219: a document that amends the invoice and refers to it).
 *
 * Amounts on a credit note are positive: they are what is credited (EN 16931 document type 381).
 * - Full credit (no amount, nothing credited before): the invoice's lines, taxes and totals.
 * - Partial credit of a gross amount G: one line, the taxable part G x 100 / (100 + rate) rounded
 *   half up, the tax the rest, at the invoice's rate and VAT category (a credit note follows the
 *   treatment of the supply it corrects); a national-currency VAT (Art. 230) in proportion.
 * What is credited never exceeds what the invoice charged, over all its credit notes.
 */
import { InvalidInputError } from '../errors.js';
import { productTextsFor } from '../i18n/line-texts.js';
import { currencyOf, divideToMinor, minorToDecimalString, parseDecimal, prorateMinor } from './money.js';
import type { CreditNoteFacts, InvoiceDetail, InvoiceDraft, TaxLine } from './types.js';

export const CREDIT_NOTE_PREFIX = 'CN';
export const MAX_CREDIT_REASON_LENGTH = 200;

export interface CreditRequest {
  /** Why the invoice is corrected; printed on the credit note. */
  reason: string;
  /** The gross amount to credit, in minor units of the invoice's currency; absent: all that is left. */
  amountMinor?: number;
}

export type CreditNoteDraft = InvoiceDraft & CreditNoteFacts;

/** The credit note of `invoice` before it has a number; `creditedMinor`: credited by earlier ones. */
export function creditNoteDraft(
  invoice: InvoiceDetail,
  request: CreditRequest,
  creditedMinor: number,
): CreditNoteDraft {
  const where = `credit note for ${invoice.invoiceNumber}`;
  if (invoice.documentType === 'credit_note') {
    throw new InvalidInputError(
      `${invoice.invoiceNumber} is a credit note, and only invoices are credited`,
      where,
    );
  }
  const reason = request.reason.trim();
  if (reason === '' || reason.length > MAX_CREDIT_REASON_LENGTH) {
    throw new InvalidInputError(`must be 1 to ${MAX_CREDIT_REASON_LENGTH} characters`, `${where}: reason`);
  }
  const currency = currencyOf(invoice.currency, `${where}: currency`);
  const remaining = invoice.totalMinor - creditedMinor;
  const left = minorToDecimalString(remaining, currency);
  if (remaining <= 0)
    throw new InvalidInputError(`${invoice.invoiceNumber} is fully credited already`, where);
  const amount = request.amountMinor ?? remaining;
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > remaining) {
    throw new InvalidInputError(
      `must be above 0 and at most ${left} ${currency.code}, what is left to credit on ${invoice.invoiceNumber}`,
      `${where}: amount`,
    );
  }
  // A credit note keeps the invoice's tax notes (why no VAT is charged) and none of the others.
  const facts: CreditNoteFacts = {
    documentType: 'credit_note',
    corrects: { invoiceNumber: invoice.invoiceNumber, issueDate: invoice.issueDate },
    creditReason: reason,
  };
  const { invoiceNumber: _n, series: _s, issueDate: _i, dueDate: _d, ...draft } = invoice;
  const common = {
    ...draft,
    notes: invoice.notes.filter((note) => isTaxNote(note, invoice)),
    paymentTermsDays: 0,
    ...facts,
  };
  if (amount === invoice.totalMinor) return common;

  if (invoice.taxes.length !== 1) {
    throw new InvalidInputError(`a partial credit needs an invoice with one tax rate`, where);
  }
  const tax = invoice.taxes[0] as TaxLine;
  const rate = parseDecimal(tax.rate, `${where}: rate`);
  const hundred = 100n * 10n ** BigInt(rate.scale);
  const taxableMinor = divideToMinor(BigInt(amount) * hundred, hundred + rate.units, `${where}: amount`);
  const taxMinor = amount - taxableMinor;
  const national =
    tax.national === undefined || tax.taxMinor === 0
      ? undefined
      : {
          ...tax.national,
          taxMinor: prorateMinor(tax.national.taxMinor, taxMinor, tax.taxMinor, `${where}: national VAT`),
        };
  const { national: _national, ...taxWithoutNational } = tax;
  return {
    ...common,
    lines: [
      {
        lineId: 'credit',
        kind: 'credit',
        description: productTextsFor(invoice.locale).creditLine(invoice.invoiceNumber, reason),
        quantity: '1',
        unitPrice: minorToDecimalString(taxableMinor, currency),
        amountMinor: taxableMinor,
      },
    ],
    subtotalMinor: taxableMinor,
    discountMinor: 0,
    taxableMinor,
    taxes: [
      { ...taxWithoutNational, taxableMinor, taxMinor, ...(national === undefined ? {} : { national }) },
    ],
    taxTotalMinor: taxMinor,
    totalMinor: amount,
  };
}

/** Tax notes of records written before invoices spoke the customer's language (English, fixed openings). */
const LEGACY_TAX_NOTE = /^(Reverse charge:|Not subject to VAT)/;

/**
 * Whether an invoice note states its tax treatment: the exemption reason (BT-120) of one of its
 * taxes, which compute writes as the note itself; in older records, one of the English tax notes.
 */
function isTaxNote(note: string, invoice: InvoiceDetail): boolean {
  if (invoice.taxes.some((tax) => tax.exemptionReason === note)) return true;
  const legacy = !invoice.taxes.some(
    (tax) => tax.exemptionReason !== undefined && invoice.notes.includes(tax.exemptionReason),
  );
  return legacy && LEGACY_TAX_NOTE.test(note);
}
