/**
 * `node scripts/bin/run-ts.mjs scripts/bench-render.ts [N]`: renders a typical invoice (8 lines, one
 * tiered, EUR, de-DE) N times (default 200) and prints the first (cold) render, the median and p95
 * of the warm renders in ms, and the PDF size in bytes.
 */
import { readFileSync } from 'node:fs';
import { renderInvoicePdf } from '../lambdas/shared/documents/pdf.js';
import { validateInvoiceDetail } from '../lambdas/shared/documents/schema.js';
import type { InvoiceDetail, InvoiceLine } from '../lambdas/shared/domain/types.js';

const runs = Number(process.argv[2] ?? 200);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`N must be a whole number >= 1, got ${process.argv[2]}`);

const base = JSON.parse(
  readFileSync(new URL('../test/fixtures/details/eur-domestic-de.json', import.meta.url), 'utf8'),
) as InvoiceDetail;
// The fixture's 5 lines plus 3 more usage lines = 8 lines.
const extra: InvoiceLine[] = [
  ['usage:emails', 'E-mails sent', '45210', 'e-mails', '0.004', 18084],
  ['usage:sms', 'SMS messages', '1200', 'messages', '0.07', 8400],
  ['usage:build_minutes', 'Build minutes', '3250.5', 'min', '0.008', 2600],
].map(([lineId, description, quantity, unit, unitPrice, amountMinor]) => ({
  lineId: String(lineId),
  kind: 'usage',
  description: String(description),
  quantity: String(quantity),
  unit: String(unit),
  unitPrice: String(unitPrice),
  amountMinor: Number(amountMinor),
}));
const lines = [...base.lines.slice(0, -1), ...extra, base.lines.at(-1)!];
const subtotalMinor = lines.filter((l) => l.kind !== 'discount').reduce((s, l) => s + l.amountMinor, 0);
const taxableMinor = subtotalMinor - base.discountMinor;
const taxMinor = Math.floor((taxableMinor * 19 + 50) / 100);
const detail = validateInvoiceDetail({
  ...base,
  lines,
  subtotalMinor,
  taxableMinor,
  taxes: [{ ...base.taxes[0]!, taxableMinor, taxMinor }],
  taxTotalMinor: taxMinor,
  totalMinor: taxableMinor + taxMinor,
});

let start = performance.now();
const first = await renderInvoicePdf(detail);
const coldMs = performance.now() - start;
const times: number[] = [];
for (let i = 0; i < runs; i++) {
  start = performance.now();
  const pdf = await renderInvoicePdf(detail);
  times.push(performance.now() - start);
  if (!pdf.equals(first)) throw new Error(`render ${i + 1} differs from the first: not deterministic`);
}
times.sort((a, b) => a - b);
const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
console.log(
  JSON.stringify({
    lines: detail.lines.length,
    runs,
    coldMs: Number(coldMs.toFixed(1)),
    medianMs: Number(at(0.5).toFixed(2)),
    p95Ms: Number(at(0.95).toFixed(2)),
    pdfBytes: first.length,
  }),
);
