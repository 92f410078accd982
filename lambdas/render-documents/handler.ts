/**
 * RenderDocuments: the canonical JSON detail (schema-validated) and the PDF rendered from it,
 * both to S3 under keys derived from the number. Re-rendering the same draft and number gives
 * the same bytes, so a retried attempt rewrites identical objects.
 */
import { documentsBucket } from '../shared/config.js';
import { stepHandler } from '../shared/handler.js';
import { finalizeInvoice } from '../shared/domain/index.js';
import type { InvoiceDraft } from '../shared/domain/types.js';
import { renderInvoicePdf } from '../shared/documents/pdf.js';
import { serializeInvoiceDetail, validateInvoiceDetail } from '../shared/documents/schema.js';
import { invoiceNotificationMessage } from '../shared/notification.js';
import { putObject } from '../shared/store/documents.js';
import type { InvoiceRef } from '../compute-invoice/handler.js';

const bucket = documentsBucket();

export interface RenderInput {
  draft: InvoiceDraft;
  invoice: InvoiceRef;
  runId: string;
}

export const handler = stepHandler<RenderInput, { message: string }>(
  'render-documents',
  'render',
  (input) => ({
    runId: input.runId,
    customerId: input.draft.customerId,
    invoiceNumber: input.invoice.invoiceNumber,
  }),
  async ({ draft, invoice }) => {
    const series = invoice.invoiceNumber.replace(/-\d+$/, '');
    const detail = validateInvoiceDetail(
      finalizeInvoice(draft, { invoiceNumber: invoice.invoiceNumber, series, issueDate: invoice.issueDate }),
    );
    const pdf = await renderInvoicePdf(detail);
    await putObject(bucket, invoice.jsonKey, serializeInvoiceDetail(detail), 'application/json');
    await putObject(bucket, invoice.pdfKey, pdf, 'application/pdf');
    return {
      message: invoiceNotificationMessage({
        customerId: draft.customerId,
        invoiceNumber: invoice.invoiceNumber,
        period: draft.period.id,
        totalMinor: detail.totalMinor,
        currency: detail.currency,
        issueDate: detail.issueDate,
        pdfKey: invoice.pdfKey,
        jsonKey: invoice.jsonKey,
      }),
    };
  },
);
