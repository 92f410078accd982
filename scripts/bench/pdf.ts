/**
 * PDF render timings: median and p95 of warm renders (the first, cold one reported apart), each
 * render checked byte-identical to a second render of the same detail.
 */
import { renderInvoicePdf } from '../../lambdas/shared/documents/pdf.js';
import type { InvoiceDetail } from '../../lambdas/shared/domain/types.js';
import { percentile } from '../../workflows/local/instrumentation.js';

export interface RenderTimings {
  renders: number;
  coldMs: number;
  medianMs: number;
  p95Ms: number;
  pdfBytes: number;
}

const round = (ms: number) => Number(ms.toFixed(2));

/** Renders `detailFor(i)` for i = 0 .. runs (0 is the cold render). */
export async function timeRenders(
  detailFor: (i: number) => InvoiceDetail,
  runs: number,
): Promise<RenderTimings> {
  const times: number[] = [];
  let bytes = 0;
  let coldMs = 0;
  for (let i = 0; i <= runs; i++) {
    const detail = detailFor(i);
    const start = performance.now();
    const pdf = await renderInvoicePdf(detail);
    const ms = performance.now() - start;
    if (i === 0) coldMs = ms;
    else times.push(ms);
    bytes = pdf.length;
    if (i % 25 === 1 && !(await renderInvoicePdf(detail)).equals(pdf))
      throw new Error(`render ${i} is not byte-identical to a second render of the same detail`);
  }
  times.sort((a, b) => a - b);
  return {
    renders: runs,
    coldMs: round(coldMs),
    medianMs: round(percentile(times, 50)),
    p95Ms: round(percentile(times, 95)),
    pdfBytes: bytes,
  };
}
