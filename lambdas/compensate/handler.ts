/**
 * Compensate (the saga's undo): after a step past the reservation failed for good, removes what
 * this attempt wrote to S3 and keeps the number as VOID with the reason. Documents of an ISSUED
 * invoice are never touched: only a PENDING row with this very number is compensated.
 */
import { documentsBucket, tableNames } from '../shared/config.js';
import { log, stepHandler } from '../shared/handler.js';
import { deleteObject } from '../shared/store/documents.js';
import { getInvoiceRow, voidReservation } from '../shared/store/invoice-index.js';
import type { InvoiceRef } from '../compute-invoice/handler.js';

const tables = tableNames();
const bucket = documentsBucket();

export interface CompensateInput {
  customerId: string;
  period: string;
  runId: string;
  invoice: InvoiceRef;
  error: { Error: string; Cause?: string };
}

export const handler = stepHandler<CompensateInput, { voided: boolean }>(
  'compensate',
  undefined,
  (input) => ({
    runId: input.runId,
    customerId: input.customerId,
    invoiceNumber: input.invoice.invoiceNumber,
  }),
  async ({ customerId, period, runId, invoice, error }) => {
    const row = await getInvoiceRow(tables.invoices, customerId, period);
    if (!row || row.invoiceNumber !== invoice.invoiceNumber || row.status !== 'PENDING') {
      log().warn('nothing to compensate', { status: row?.status ?? 'none' });
      return { voided: false };
    }
    await deleteObject(bucket, row.pdfKey);
    await deleteObject(bucket, row.jsonKey);
    const reason = `${error.Error}: ${error.Cause ?? ''}`.trim();
    const voided = await voidReservation(tables.invoices, {
      customerId,
      period,
      invoiceNumber: row.invoiceNumber,
      reason,
      runId,
      now: new Date().toISOString(),
    });
    log().info('voided reservation', { voided });
    return { voided };
  },
);
