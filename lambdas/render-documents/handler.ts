/**
 * RenderDocuments: the canonical JSON detail (schema-validated) and the PDF rendered from it,
 * both to S3 under keys derived from the number. Re-rendering the same draft and number gives
 * the same bytes, so a retried attempt rewrites identical objects.
 */
import type { RenderInput, RenderOutput } from '../shared/contracts/payloads.js';
import { renderInvoicePdf } from '../shared/documents/pdf.js';
import { serializeInvoiceDetail, validateInvoiceDetail } from '../shared/documents/schema.js';
import { finalizeInvoice, parseInvoiceNumber } from '../shared/domain/index.js';
import { lazyHandler, stepHandler, type Observability } from '../shared/handler.js';
import { invoiceNotificationMessage } from '../shared/notification.js';
import { lambdaRuntime } from '../shared/runtime.js';
import type { DocumentStore } from '../shared/store/documents.js';

export interface RenderDeps {
  observability: Observability;
  documents: Pick<DocumentStore, 'put'>;
}

export function createHandler(deps: RenderDeps): (input: RenderInput) => Promise<RenderOutput> {
  return stepHandler<RenderInput, RenderOutput>(
    'render-documents',
    deps.observability,
    (input) => ({
      runId: input.runId,
      customerId: input.draft.customerId,
      invoiceNumber: input.invoice.invoiceNumber,
    }),
    async ({ draft, invoice }) => {
      const { series } = parseInvoiceNumber(invoice.invoiceNumber);
      const detail = validateInvoiceDetail(
        finalizeInvoice(draft, {
          invoiceNumber: invoice.invoiceNumber,
          series,
          issueDate: invoice.issueDate,
        }),
      );
      const pdf = await renderInvoicePdf(detail);
      await deps.documents.put(invoice.jsonKey, serializeInvoiceDetail(detail), 'application/json');
      await deps.documents.put(invoice.pdfKey, pdf, 'application/pdf');
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
}

export const fromEnv = (env: NodeJS.ProcessEnv = process.env): RenderDeps => lambdaRuntime(env);

export const handler = lazyHandler(() => createHandler(fromEnv()));
