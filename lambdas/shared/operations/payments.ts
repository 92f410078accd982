/**
 * Support's payment actions: record a payment (`invoicer payments record`), reverse one, write an
 * invoice off, assign an unmatched bank credit. Each checks its input first and refuses with a
 * clear error naming what is wrong, then writes once (store/receivables.ts): a repeated request
 * finds what it did and changes nothing.
 */
import { createHash } from 'node:crypto';
import { INVOICE_STATUS } from '../contracts/statuses.js';
import { currencyOf, majorToMinorExact, parseDecimal } from '../domain/money.js';
import { addDays, parseIsoDate } from '../domain/periods.js';
import { openAmountOf, paymentStatusOf, type PaymentStatus } from '../domain/receivables.js';
import { InvalidInputError } from '../errors.js';
import type { InvoiceIndex, InvoiceRow } from '../store/invoice-index.js';
import type {
  BankCredit,
  PaymentEntry,
  PaymentOutcome,
  ReceivablesStore,
  UnmatchedCredit,
} from '../store/receivables.js';

export const PAYMENT_METHODS = ['bank_transfer', 'card', 'direct_debit', 'cash', 'cheque', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface PaymentDeps {
  invoices: Pick<InvoiceIndex, 'query'>;
  receivables: ReceivablesStore;
  now: () => Date;
}

export interface PaymentResult {
  payment: PaymentEntry;
  outcome: PaymentOutcome;
  invoiceNumber: string;
  paymentStatus: PaymentStatus;
  openMinor: number;
}

const shortHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 20);
/** A bank entry's payment id: the same whether matched on import or assigned by support. */
export const paymentIdOfEntry = (entryId: string): string => `pay_${shortHash(`entry|${entryId}`)}`;

/** The payment a bank credit makes on an invoice: the same id whether matched on import or assigned. */
export const bankPayment = (
  credit: BankCredit,
  invoice: InvoiceRow,
  source: 'statement' | 'assigned',
  by: string,
  recordedAt: string,
): PaymentEntry => ({
  paymentId: paymentIdOfEntry(credit.entryId),
  invoiceNumber: invoice.invoiceNumber,
  customerId: invoice.customerId,
  amountMinor: credit.amountMinor,
  currency: credit.currency,
  date: credit.bookingDate,
  method: 'bank_transfer',
  ...(credit.reference === undefined ? {} : { reference: credit.reference }),
  source,
  entryId: credit.entryId,
  by,
  recordedAt,
});

function checkedText(value: string | undefined, where: string, max: number): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw new InvalidInputError('has control characters', where);
  if ([...trimmed].length > max) throw new InvalidInputError(`is longer than ${max} characters`, where);
  return trimmed === '' ? undefined : trimmed;
}

/** The invoice a payment applies to, by number: an issued invoice that still stands. */
export async function payableInvoice(
  invoices: Pick<InvoiceIndex, 'query'>,
  invoiceNumber: string,
  where: string,
): Promise<InvoiceRow> {
  const rows = await invoices.query({ invoiceNumber });
  const row = rows.find((r) => r.status !== INVOICE_STATUS.void) ?? rows[0];
  if (row === undefined) throw new InvalidInputError(`no invoice has the number ${invoiceNumber}`, where);
  if (row.status === INVOICE_STATUS.void)
    throw new InvalidInputError(
      `${invoiceNumber} is VOID (${row.voidReason ?? 'no reason'}); nothing is owed`,
      where,
    );
  if (row.documentType === 'credit_note')
    throw new InvalidInputError(`${invoiceNumber} is a credit note; payments apply to invoices`, where);
  if (row.status === INVOICE_STATUS.pending)
    throw new InvalidInputError(`${invoiceNumber} is PENDING: it was not issued yet`, where);
  if (row.replacedAt !== undefined)
    throw new InvalidInputError(
      `${invoiceNumber} was replaced (${row.replacedReason ?? ''}); apply the payment to the new invoice of ${row.period}`,
      where,
    );
  return row;
}

const resultOf = (row: InvoiceRow, payment: PaymentEntry, outcome: PaymentOutcome): PaymentResult => {
  const after = {
    ...row,
    paidMinor: (row.paidMinor ?? 0) + (outcome === 'recorded' ? payment.amountMinor : 0),
  };
  return {
    payment,
    outcome,
    invoiceNumber: row.invoiceNumber,
    paymentStatus: paymentStatusOf(after),
    openMinor: openAmountOf(after),
  };
};

export interface RecordPaymentRequest {
  invoiceNumber: string;
  /** Decimal in major units of the invoice's currency ("59.50"). */
  amount: string;
  /** When given, it must be the invoice's. */
  currency?: string;
  date: string;
  method?: string;
  reference?: string;
  reason: string;
  by: string;
  /** The request's identity; by default its content (invoice, amount, date, method, reference). */
  idempotencyKey?: string;
}

export async function recordPayment(deps: PaymentDeps, r: RecordPaymentRequest): Promise<PaymentResult> {
  const where = `payment for ${r.invoiceNumber}`;
  const method = r.method ?? 'bank_transfer';
  if (!(PAYMENT_METHODS as readonly string[]).includes(method))
    throw new InvalidInputError(`method "${method}" is not one of ${PAYMENT_METHODS.join(', ')}`, where);
  parseIsoDate(r.date, `${where}: date`);
  // A day's slack: "today" where the payer is may be tomorrow in UTC.
  if (r.date > addDays(deps.now().toISOString().slice(0, 10), 1))
    throw new InvalidInputError(`date ${r.date} is in the future`, where);
  const reason = checkedText(r.reason, `${where}: reason`, 500);
  if (reason === undefined) throw new InvalidInputError('needs a reason (kept with the payment)', where);
  const reference = checkedText(r.reference, `${where}: reference`, 140);
  const key = checkedText(r.idempotencyKey, `${where}: idempotency key`, 200);
  if (r.currency !== undefined) currencyOf(r.currency, `${where}: currency`);
  const invoice = await payableInvoice(deps.invoices, r.invoiceNumber, where);
  if (r.currency !== undefined && r.currency !== invoice.currency)
    throw new InvalidInputError(`currency ${r.currency} is not the invoice's (${invoice.currency})`, where);
  const amountMinor = majorToMinorExact(
    parseDecimal(r.amount, `${where}: amount`),
    currencyOf(invoice.currency),
    `${where}: amount`,
  );
  if (amountMinor <= 0) throw new InvalidInputError('amount must be more than zero', where);
  const identity = [
    invoice.invoiceNumber,
    ...(key ? [key] : [amountMinor, r.date, method, reference ?? '']),
  ].join('|');
  const payment: PaymentEntry = {
    paymentId: `pay_${shortHash(`manual|${identity}`)}`,
    invoiceNumber: invoice.invoiceNumber,
    customerId: invoice.customerId,
    amountMinor,
    currency: invoice.currency,
    date: r.date,
    method,
    ...(reference === undefined ? {} : { reference }),
    source: 'manual',
    reason,
    by: r.by,
    recordedAt: deps.now().toISOString(),
  };
  const outcome = await deps.receivables.recordPayment(invoice, payment);
  return resultOf(invoice, payment, outcome === 'seen' ? 'repeated' : outcome);
}

export async function reversePayment(
  deps: PaymentDeps,
  r: { invoiceNumber: string; paymentId: string; reason: string; by: string },
): Promise<PaymentResult> {
  const where = `reversal of ${r.paymentId} on ${r.invoiceNumber}`;
  const reason = checkedText(r.reason, `${where}: reason`, 500);
  if (reason === undefined) throw new InvalidInputError('needs a reason', where);
  const invoice = await payableInvoice(deps.invoices, r.invoiceNumber, where);
  const payments = await deps.receivables.payments(invoice.customerId, invoice.invoiceNumber);
  const original = payments.find((p) => p.paymentId === r.paymentId);
  if (original === undefined)
    throw new InvalidInputError(
      `no payment ${r.paymentId} on ${r.invoiceNumber} (see: invoicer payments list)`,
      where,
    );
  if (original.amountMinor < 0) throw new InvalidInputError('is itself a reversal', where);
  const reversal: PaymentEntry = {
    paymentId: `rev_${shortHash(`reversal|${original.paymentId}`)}`,
    invoiceNumber: invoice.invoiceNumber,
    customerId: invoice.customerId,
    amountMinor: -original.amountMinor,
    currency: original.currency,
    date: deps.now().toISOString().slice(0, 10),
    method: original.method,
    source: 'manual',
    reverses: original.paymentId,
    reason,
    by: r.by,
    recordedAt: deps.now().toISOString(),
  };
  const existing = payments.find((p) => p.paymentId === reversal.paymentId);
  if (existing) return resultOf(invoice, existing, 'repeated');
  const outcome = await deps.receivables.recordPayment(invoice, reversal);
  return resultOf(invoice, reversal, outcome === 'seen' ? 'repeated' : outcome);
}

export async function writeOffInvoice(
  deps: PaymentDeps,
  r: { invoiceNumber: string; reason: string; by: string },
): Promise<{ invoiceNumber: string; writtenOff: boolean; openMinor: number }> {
  const where = `write-off of ${r.invoiceNumber}`;
  const reason = checkedText(r.reason, `${where}: reason`, 500);
  if (reason === undefined) throw new InvalidInputError('needs a reason', where);
  const invoice = await payableInvoice(deps.invoices, r.invoiceNumber, where);
  if (invoice.writtenOffAt !== undefined)
    return { invoiceNumber: invoice.invoiceNumber, writtenOff: false, openMinor: openAmountOf(invoice) };
  if (openAmountOf(invoice) <= 0) throw new InvalidInputError('nothing is open on it to write off', where);
  const writtenOff = await deps.receivables.writeOff(invoice, reason, r.by, deps.now().toISOString());
  return { invoiceNumber: invoice.invoiceNumber, writtenOff, openMinor: openAmountOf(invoice) };
}

/** Applies an unmatched bank credit to an invoice support chose. */
export async function assignCredit(
  deps: PaymentDeps,
  r: { entryId: string; invoiceNumber: string; by: string },
): Promise<PaymentResult> {
  const where = `credit ${r.entryId}`;
  const credit: UnmatchedCredit | undefined = (await deps.receivables.unmatched()).find(
    (c) => c.entryId === r.entryId,
  );
  if (credit === undefined)
    throw new InvalidInputError(
      'is not among the unmatched credits (see: invoicer payments unmatched)',
      where,
    );
  const invoice = await payableInvoice(deps.invoices, r.invoiceNumber, where);
  if (credit.currency !== invoice.currency)
    throw new InvalidInputError(
      `is in ${credit.currency}; ${invoice.invoiceNumber} is in ${invoice.currency}`,
      where,
    );
  const payment = bankPayment(credit, invoice, 'assigned', r.by, deps.now().toISOString());
  return resultOf(invoice, payment, await deps.receivables.assign(credit, invoice, payment));
}
