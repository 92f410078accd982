/**
 * Index rows of issued invoices as a run leaves them (NOTIFIED, with their document keys), for
 * loading a large invoice index without running the billing (the read API's tests and benchmark).
 */
import { invoiceKey, periodCustomerKey, s3Keys } from '../../../lambdas/shared/contracts/keys.js';
import { INVOICE_STATUS } from '../../../lambdas/shared/contracts/statuses.js';
import { parseInvoiceNumber } from '../../../lambdas/shared/domain/index.js';
import type { InvoiceRow } from '../../../lambdas/shared/store/invoice-index.js';

export interface IssuedInvoice {
  customerId: string;
  period: string;
  invoiceNumber: string;
  totalMinor: number;
  currency: string;
  issueDate: string;
  runId: string;
}

export function issuedIndexRow(i: IssuedInvoice): InvoiceRow {
  return {
    invoiceKey: invoiceKey(i.customerId, i.period),
    customerId: i.customerId,
    period: i.period,
    periodCustomer: periodCustomerKey(i.period, i.customerId),
    invoiceNumber: i.invoiceNumber,
    series: parseInvoiceNumber(i.invoiceNumber).series,
    status: INVOICE_STATUS.notified,
    totalMinor: i.totalMinor,
    currency: i.currency,
    issueDate: i.issueDate,
    pdfKey: s3Keys.invoicePdf(i.period, i.customerId, i.invoiceNumber),
    jsonKey: s3Keys.invoiceJson(i.period, i.customerId, i.invoiceNumber),
    reservedAt: `${i.issueDate}T00:00:00.000Z`,
    reservedByRun: i.runId,
  };
}
