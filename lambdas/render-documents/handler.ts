/**
 * RenderDocuments: the canonical JSON detail (schema-validated), and the PDF and the EN 16931
 * e-invoice rendered from it, to S3 under keys derived from the number (each with its SHA-256,
 * returned for CommitInvoice to record on the row), and the invoice's hosted
 * link (its `LINK#` item) for the notification it returns. Re-rendering the same
 * draft and number gives the same bytes, so a retried attempt rewrites identical objects. An
 * invoice that cannot be an e-invoice (a 3-decimal currency) is issued without one, with a warning
 * and the EInvoicesRefused metric.
 */
import { documentHashesAttribute } from '../shared/contracts/document-hashes.js';
import type { RenderInput, RenderOutput } from '../shared/contracts/payloads.js';
import { METRIC } from '../shared/contracts/metrics.js';
import { validateInvoiceDetail } from '../shared/documents/schema.js';
import { writeInvoiceDocuments } from '../shared/operations/write-documents.js';
import { finalizeInvoice, parseInvoiceNumber } from '../shared/domain/index.js';
import { lazyHandler, stepHandler, type Observability } from '../shared/handler.js';
import { invoiceNotificationMessage } from '../shared/notification.js';
import type { HostedLinkIssuer } from '../shared/hosted-links/issuer.js';
import { lambdaHostedLinks, lambdaRuntime } from '../shared/runtime.js';
import type { DocumentStore } from '../shared/store/documents.js';

export interface RenderDeps {
  observability: Observability;
  documents: Pick<DocumentStore, 'put'>;
  hostedLinks: Pick<HostedLinkIssuer, 'linkFor'>;
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
    async ({ draft, invoice }, { log }) => {
      const { series } = parseInvoiceNumber(invoice.invoiceNumber);
      const detail = validateInvoiceDetail(
        finalizeInvoice(draft, {
          invoiceNumber: invoice.invoiceNumber,
          series,
          issueDate: invoice.issueDate,
        }),
      );
      const { eInvoice, hashes } = await writeInvoiceDocuments(deps.documents, detail, invoice);
      if ('refused' in eInvoice) {
        log.warn('issued without an e-invoice', { reason: eInvoice.refused });
        deps.observability.metrics.count(METRIC.eInvoicesRefused, 1);
      }
      const hostedUrl = await deps.hostedLinks.linkFor({
        invoiceNumber: invoice.invoiceNumber,
        customerId: draft.customerId,
        period: draft.period.id,
      });
      return {
        documentHashes: documentHashesAttribute(hashes),
        message: invoiceNotificationMessage({
          customerId: draft.customerId,
          invoiceNumber: invoice.invoiceNumber,
          period: draft.period.id,
          totalMinor: detail.totalMinor,
          currency: detail.currency,
          issueDate: detail.issueDate,
          locale: detail.locale,
          dueDate: detail.dueDate,
          pdfKey: invoice.pdfKey,
          jsonKey: invoice.jsonKey,
          hostedUrl,
        }),
      };
    },
  );
}

export function fromEnv(env: NodeJS.ProcessEnv = process.env): RenderDeps {
  const runtime = lambdaRuntime(env);
  return { ...runtime, hostedLinks: lambdaHostedLinks(env, runtime) };
}

export const handler = lazyHandler(() => createHandler(fromEnv()));
