/**
 * ReserveNumber: the next gapless number of the year's series for (customer, period), or the
 * number a crashed run already reserved (PENDING) for it.
 */
import { tableNames } from '../shared/config.js';
import { s3Keys } from '../shared/data-model.js';
import { log, stepHandler } from '../shared/handler.js';
import { formatInvoiceNumber, issueDateFor, seriesForIssueDate } from '../shared/domain/index.js';
import type { InvoiceDraft } from '../shared/domain/types.js';
import { reserveInvoiceNumber } from '../shared/store/invoice-index.js';
import type { InvoiceRef } from '../compute-invoice/handler.js';

const tables = tableNames();

export interface ReserveInput {
  customerId: string;
  period: string;
  runId: string;
  draft: InvoiceDraft;
}

export const handler = stepHandler<ReserveInput, InvoiceRef>(
  'reserve-number',
  'reserve',
  (input) => ({ runId: input.runId, customerId: input.customerId }),
  async ({ customerId, period, runId, draft }) => {
    const issueDate = issueDateFor(period);
    const series = seriesForIssueDate(issueDate);
    const { row, resumed } = await reserveInvoiceNumber(tables.invoices, {
      customerId,
      period,
      series,
      numberFor: (sequence) => formatInvoiceNumber(series, sequence),
      totalMinor: draft.totalMinor,
      currency: draft.currency,
      issueDate,
      keysFor: (number) => ({
        pdfKey: s3Keys.invoicePdf(period, customerId, number),
        jsonKey: s3Keys.invoiceJson(period, customerId, number),
      }),
      runId,
      now: new Date().toISOString(),
    });
    log().appendKeys({ invoiceNumber: row.invoiceNumber });
    log().info(resumed ? 'resumed pending reservation' : 'reserved number');
    return {
      invoiceKey: row.invoiceKey,
      invoiceNumber: row.invoiceNumber,
      status: row.status,
      totalMinor: draft.totalMinor,
      currency: draft.currency,
      pdfKey: row.pdfKey,
      jsonKey: row.jsonKey,
      issueDate: row.issueDate,
    };
  },
);
