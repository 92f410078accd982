/**
 * Which invoice a bank credit pays, by three rules in order:
 *   1. the structured reference: the ISO 11649 RF reference every invoice carries (its payment
 *      block, EPC QR code and Swiss QR-bill all give the same one, documents/payment.ts);
 *   2. an invoice number in the remittance text (exactly one distinct invoice named);
 *   3. amount and payer: exactly one open invoice of that currency and open amount whose
 *      customer has the payer's name.
 * A credit no rule settles is unmatched (or ambiguous, with its candidates) and kept for support.
 * Pure and stateful over one statement: a matched credit lowers its invoice's open amount, so two
 * equal credits never both settle the same invoice by amount.
 */
import { creditorReference, isValidCreditorReference } from '../documents/payment.js';

/** A credit on a bank statement (camt.053/054 or CSV), as read. */
export interface BankCredit {
  /** Stable across imports of the same entry: statements/bank-credit-id.ts. */
  entryId: string;
  amountMinor: number;
  currency: string;
  bookingDate: string;
  /** The structured creditor reference (RF, or a QR reference), as given. */
  reference?: string;
  /** Unstructured remittance text. */
  remittance?: string;
  payerName?: string;
  payerIban?: string;
  /** Where it was read: file and statement id, for support. */
  source: string;
}

export interface OpenItem {
  invoiceNumber: string;
  customerId: string;
  /** The customer's name as on its record (rule 3). */
  customerName?: string;
  currency: string;
  openMinor: number;
  /** Why a payment cannot be applied (voided, replaced, a credit note); absent: payable. */
  notPayable?: string;
}

export const MATCH_RULE = {
  reference: 'reference',
  invoiceNumber: 'invoice_number',
  amountAndPayer: 'amount_and_payer',
} as const;
export type MatchRule = (typeof MATCH_RULE)[keyof typeof MATCH_RULE];

export type MatchResult =
  | { kind: 'matched'; invoiceNumber: string; customerId: string; rule: MatchRule }
  | { kind: 'unmatched'; reason: string; candidates?: string[] };

const compact = (text: string): string => text.toUpperCase().replace(/[^0-9A-Z]/g, '');

/** A name as compared: Unicode-normalized, case-folded, punctuation and spacing ignored. */
export const comparableName = (name: string): string =>
  name
    .normalize('NFKC')
    .toLocaleLowerCase('und')
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** Whether a Swiss QR reference (27 digits, modulo 10 recursive) is well-formed. */
export function isValidQrReference(reference: string): boolean {
  if (!/^\d{27}$/.test(reference)) return false;
  const table = [0, 9, 4, 6, 8, 2, 7, 1, 3, 5];
  let carry = 0;
  for (const digit of reference.slice(0, 26)) carry = table[(carry + Number(digit)) % 10] as number;
  return (10 - carry) % 10 === Number(reference[26]);
}

export function statementMatcher(items: readonly OpenItem[]): (credit: BankCredit) => MatchResult {
  const byReference = new Map<string, OpenItem>();
  const byNumber = new Map<string, OpenItem>();
  for (const item of items) {
    byNumber.set(compact(item.invoiceNumber), item);
    try {
      byReference.set(creditorReference(item.invoiceNumber), item);
    } catch {
      // A number too long for an RF reference carries none; rules 2 and 3 still find it.
    }
  }
  const openByAmount = (currency: string, amountMinor: number) =>
    items.filter((i) => i.notPayable === undefined && i.currency === currency && i.openMinor === amountMinor);

  const settle = (item: OpenItem, credit: BankCredit, rule: MatchRule): MatchResult => {
    if (item.notPayable !== undefined)
      return { kind: 'unmatched', reason: `names ${item.invoiceNumber}, which ${item.notPayable}` };
    if (item.currency !== credit.currency)
      return {
        kind: 'unmatched',
        reason: `names ${item.invoiceNumber}, an invoice in ${item.currency}, but is in ${credit.currency}`,
      };
    item.openMinor -= credit.amountMinor;
    return { kind: 'matched', invoiceNumber: item.invoiceNumber, customerId: item.customerId, rule };
  };

  return (credit) => {
    const notes: string[] = [];
    const reference = credit.reference;
    if (reference !== undefined) {
      if (reference.startsWith('RF')) {
        if (!isValidCreditorReference(reference)) notes.push(`reference ${reference} has wrong check digits`);
        else {
          const item = byReference.get(reference);
          if (item) return settle(item, credit, MATCH_RULE.reference);
          notes.push(`reference ${reference} is not on any invoice`);
        }
      } else if (isValidQrReference(reference)) {
        notes.push(`QR reference ${reference} is not one invoicer issues (its QR-bills carry RF references)`);
      } else notes.push(`reference ${reference} is neither an RF nor a QR reference`);
    }
    const text = `${credit.remittance ?? ''} ${reference ?? ''}`;
    const named = new Map<string, OpenItem>();
    for (const token of text.toUpperCase().split(/[^0-9A-Z\-/_.]+/)) {
      const item = byNumber.get(compact(token)) ?? byReference.get(compact(token));
      if (item) named.set(item.invoiceNumber, item);
    }
    if (named.size === 1) return settle([...named.values()][0] as OpenItem, credit, MATCH_RULE.invoiceNumber);
    if (named.size > 1)
      return {
        kind: 'unmatched',
        reason: 'the remittance text names more than one invoice',
        candidates: [...named.keys()].sort(),
      };
    const sameAmount = openByAmount(credit.currency, credit.amountMinor);
    const payer = credit.payerName === undefined ? undefined : comparableName(credit.payerName);
    const fits = sameAmount.filter(
      (i) => payer !== undefined && i.customerName !== undefined && comparableName(i.customerName) === payer,
    );
    if (fits.length === 1) return settle(fits[0] as OpenItem, credit, MATCH_RULE.amountAndPayer);
    if (fits.length > 1)
      return {
        kind: 'unmatched',
        reason: 'more than one open invoice of this payer has this amount',
        candidates: fits.map((i) => i.invoiceNumber).sort(),
      };
    notes.push(
      sameAmount.length === 0
        ? 'no open invoice has this amount'
        : payer === undefined
          ? 'open invoices have this amount, but the payer is not named'
          : "open invoices have this amount, but none of the payer's name",
    );
    return {
      kind: 'unmatched',
      reason: notes.join('; '),
      ...(sameAmount.length > 0 && sameAmount.length <= 5
        ? { candidates: sameAmount.map((i) => i.invoiceNumber).sort() }
        : {}),
    };
  };
}
