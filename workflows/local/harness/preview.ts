/**
 * `invoicer preview` on the local stack: the dry run of lambdas/shared/operations/preview.ts with
 * the session's stores and the run's ComputeInvoice factory. Its hosted links are placeholders:
 * making a real one would write a link item.
 */
import { createHandler as computeInvoice } from '../../../lambdas/compute-invoice/handler.js';
import type { ComputeInput, ComputeOutput } from '../../../lambdas/shared/contracts/payloads.js';
import type { SellerConfig } from '../../../lambdas/shared/domain/types.js';
import { previewPeriod, type PreviewResult } from '../../../lambdas/shared/operations/preview.js';
import type { Stores } from '../../../lambdas/shared/store/index.js';
import { localObservability } from './observability.js';

export function previewWithStores(
  stores: Pick<Stores, 'invoices' | 'records' | 'batchReads' | 'exchangeRates'>,
  seller: SellerConfig,
  request: { period: string; issueDate: string; customerId?: string },
  onPdf?: (customerId: string, pdf: Buffer) => Promise<void>,
): Promise<PreviewResult> {
  const compute = computeInvoice({
    ...stores,
    observability: localObservability(),
    seller,
    hostedLinks: { linkFor: async () => 'https://preview.invalid/i/not-issued' },
  }) as unknown as (input: ComputeInput) => Promise<ComputeOutput>;
  return previewPeriod({ compute, records: stores.records }, request, onPdf);
}
