/**
 * A dry run of a period: what the billing run would issue, computed by the run's own ComputeInvoice
 * and rendered by its own renderer, with nothing written: no number reserved, no document stored,
 * no notification, no link. Numbers shown are placeholders (the run assigns the real ones).
 */
import { COMPUTE_ACTION, type ComputeInput, type ComputeOutput } from '../contracts/payloads.js';
import { renderInvoicePdf } from '../documents/pdf.js';
import { validateInvoiceDetail } from '../documents/schema.js';
import { billingScopeOf } from '../domain/billing-scope.js';
import { billingSeriesOf, finalizeInvoice, parsePeriod } from '../domain/index.js';
import { decimalAmount } from '../domain/money.js';
import type { RecordStore } from '../store/records.js';

export interface PreviewDeps {
  /** ComputeInvoice's single-customer path, built with links that write nothing. */
  compute(input: ComputeInput): Promise<ComputeOutput>;
  records: Pick<RecordStore, 'listCustomerIds'>;
}

export interface PreviewEntry {
  customerId: string;
  /** would-issue; already-issued (or its notification only is due); failed (with why). */
  outcome: 'would-issue' | 'already-issued' | 'failed';
  total?: { amount: string; currency: string };
  lines?: number;
  pdfBytes?: number;
  error?: string;
}

export interface PreviewResult {
  period: string;
  issueDate: string;
  customers: PreviewEntry[];
}

export async function previewPeriod(
  deps: PreviewDeps,
  request: { period: string; issueDate: string; customerId?: string },
  onPdf?: (customerId: string, pdf: Buffer) => Promise<void>,
): Promise<PreviewResult> {
  const period = parsePeriod(request.period);
  const listed = await deps.records.listCustomerIds();
  const ids =
    request.customerId !== undefined
      ? [request.customerId]
      : listed.filter((c) => billingScopeOf(c, period) === 'billed').map((c) => c.customerId);
  const { series, numberFor } = billingSeriesOf(request.issueDate);
  const customers: PreviewEntry[] = [];
  for (const [index, customerId] of ids.entries()) {
    try {
      const out = await deps.compute({
        customerId,
        period: period.id,
        issueDate: request.issueDate,
        runId: 'preview',
      });
      if (out.action !== COMPUTE_ACTION.issue || out.draft === null) {
        customers.push({ customerId, outcome: 'already-issued' });
        continue;
      }
      const detail = validateInvoiceDetail(
        finalizeInvoice(out.draft, {
          invoiceNumber: numberFor(index + 1),
          series,
          issueDate: request.issueDate,
        }),
      );
      const pdf = await renderInvoicePdf(detail);
      await onPdf?.(customerId, pdf);
      customers.push({
        customerId,
        outcome: 'would-issue',
        total: { amount: decimalAmount(detail.totalMinor, detail.currency), currency: detail.currency },
        lines: detail.lines.length,
        pdfBytes: pdf.length,
      });
    } catch (error) {
      customers.push({ customerId, outcome: 'failed', error: (error as Error).message });
    }
  }
  return { period: period.id, issueDate: request.issueDate, customers };
}
