/** E-invoice render timings of one syntax (scripts/bench-render.ts). */
import { renderEInvoice } from '../../lambdas/shared/documents/en16931/render.js';
import type { EInvoiceSyntax, InvoiceDetail } from '../../lambdas/shared/domain/types.js';
import { timeRuns, type Timings } from './timings.js';

export async function timeEInvoices(
  detailFor: (i: number) => InvoiceDetail,
  syntax: EInvoiceSyntax,
  runs: number,
): Promise<Timings> {
  return timeRuns(runs, async (i) => {
    const result = await renderEInvoice(detailFor(i), syntax);
    if ('refused' in result) throw new Error(`no e-invoice: ${result.refused}`);
    return Buffer.byteLength(result.xml);
  });
}
