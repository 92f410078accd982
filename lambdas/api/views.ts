/**
 * What the read API shows of an invoice row: a stable JSON shape with amounts as decimal strings
 * and their minor units, and links to the rest; no storage keys or bookkeeping fields.
 */
import { invoiceLinks, type InvoiceLinks } from '../shared/contracts/api-paths.js';
import { currencyOf, minorToDecimalString } from '../shared/domain/money.js';
import {
  isCollectible,
  isIssuedInvoice,
  isOverdue,
  openAmountOf,
  paymentStatusOf,
  type PaymentStatus,
} from '../shared/domain/receivables.js';
import type { InvoiceRow } from '../shared/store/invoice-index.js';

export interface Money {
  /** Decimal string in major units with the currency's decimals ("119.00", "1500", "12.345"). */
  amount: string;
  currency: string;
  /** The same amount in integer minor units. */
  minor: number;
}

export interface InvoiceView {
  number: string;
  documentType: 'invoice' | 'credit_note';
  customerId: string;
  period: string;
  status: string;
  issueDate: string;
  /** Null on a VOID number that never had an amount. */
  total: Money | null;
  /** A credit note: the invoice it corrects. */
  corrects?: string;
  /** An invoice: what its credit notes credited so far. */
  credited?: Money;
  /** A VOID number: why it was not issued. */
  voidReason?: string;
  /** An issued invoice: who has paid (domain/receivables.ts), apart from its document status. */
  payment?: PaymentView;
  links: InvoiceLinks;
}

export interface PaymentView {
  status: PaymentStatus;
  /** Total − credit notes − payments (negative: overpaid). */
  open: Money;
  paid: Money;
  dueDate: string | null;
  /** Open past its due date (today in UTC, or found overdue by the daily job). */
  overdue: boolean;
  writtenOff: boolean;
}

export function money(minor: number, currency: string): Money {
  return { amount: minorToDecimalString(minor, currencyOf(currency)), currency, minor };
}

export function invoiceView(row: InvoiceRow): InvoiceView {
  return {
    number: row.invoiceNumber,
    documentType: row.documentType ?? 'invoice',
    customerId: row.customerId,
    period: row.period,
    status: row.status,
    issueDate: row.issueDate,
    total: row.currency === '' ? null : money(row.totalMinor, row.currency),
    ...(row.corrects === undefined ? {} : { corrects: row.corrects }),
    ...(row.creditedMinor === undefined ? {} : { credited: money(row.creditedMinor, row.currency) }),
    ...(row.voidReason === undefined ? {} : { voidReason: row.voidReason }),
    ...(isIssuedInvoice(row) ? { payment: paymentView(row) } : {}),
    links: invoiceLinks(row.invoiceNumber),
  };
}

export function paymentView(row: InvoiceRow, today = new Date().toISOString().slice(0, 10)): PaymentView {
  return {
    status: paymentStatusOf(row),
    open: money(openAmountOf(row), row.currency),
    paid: money(row.paidMinor ?? 0, row.currency),
    dueDate: row.dueDate ?? null,
    overdue: isCollectible(row) && (row.overdueAt !== undefined || isOverdue(row, today)),
    writtenOff: row.writtenOffAt !== undefined,
  };
}
