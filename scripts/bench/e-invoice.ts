/** E-invoice render timings: median and p95 of warm renders of one syntax (the first, cold one apart). */
import { renderEInvoice } from '../../lambdas/shared/documents/en16931/render.js';
import type { EInvoiceSyntax, InvoiceDetail } from '../../lambdas/shared/domain/types.js';
import { percentile } from '../../workflows/local/instrumentation.js';

export interface EInvoiceTimings {
  coldMs: number;
  medianMs: number;
  p95Ms: number;
  xmlBytes: number;
}

const round = (ms: number) => Number(ms.toFixed(2));

export async function timeEInvoices(
  detailFor: (i: number) => InvoiceDetail,
  syntax: EInvoiceSyntax,
  runs: number,
): Promise<EInvoiceTimings> {
  const times: number[] = [];
  let coldMs = 0;
  let bytes = 0;
  for (let i = 0; i <= runs; i++) {
    const start = performance.now();
    const result = await renderEInvoice(detailFor(i), syntax);
    const ms = performance.now() - start;
    if ('refused' in result) throw new Error(`no e-invoice: ${result.refused}`);
    bytes = Buffer.byteLength(result.xml);
    if (i === 0) coldMs = ms;
    else times.push(ms);
  }
  times.sort((a, b) => a - b);
  return {
    coldMs: round(coldMs),
    medianMs: round(percentile(times, 50)),
    p95Ms: round(percentile(times, 95)),
    xmlBytes: bytes,
  };
}
