/**
 * `node scripts/bin/run-ts.mjs scripts/bench-render.ts [N]`: renders one typical invoice (8 lines,
 * one tiered, EUR, de-DE) N times (default 200) and prints the first (cold) render, the median and
 * p95 of the warm renders in ms, and the PDF size in bytes, as one JSON object. `npm run bench`
 * renders varied invoices instead.
 */
import { print } from './cli/output.js';
import { typicalInvoice } from './bench/invoices.js';
import { timeRenders } from './bench/pdf.js';

const runs = Number(process.argv[2] ?? 200);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`N must be a whole number >= 1, got ${process.argv[2]}`);

const detail = typicalInvoice(0);
print(true, await timeRenders(() => detail, runs), () => '');
