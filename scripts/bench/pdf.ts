/**
 * PDF render timings: median and p95 of warm renders (the first, cold one reported apart), each
 * render checked byte-identical to a second render of the same detail.
 */
import { renderInvoicePdf } from '../../lambdas/shared/documents/pdf.js';
import type { InvoiceDetail } from '../../lambdas/shared/domain/types.js';
import { timeRuns } from './timings.js';

export interface RenderTimings {
  renders: number;
  coldMs: number;
  medianMs: number;
  p95Ms: number;
  pdfBytes: number;
}

/** Renders `detailFor(i)` for i = 0 .. runs (0 is the cold render). */
export async function timeRenders(
  detailFor: (i: number) => InvoiceDetail,
  runs: number,
): Promise<RenderTimings> {
  let pdf: Buffer = Buffer.alloc(0);
  const { bytes, ...timings } = await timeRuns(
    runs,
    async (i) => {
      pdf = await renderInvoicePdf(detailFor(i));
      return pdf.length;
    },
    async (i) => {
      if (i % 25 === 1 && !(await renderInvoicePdf(detailFor(i))).equals(pdf))
        throw new Error(`render ${i} is not byte-identical to a second render of the same detail`);
    },
  );
  return { renders: runs, ...timings, pdfBytes: bytes };
}
