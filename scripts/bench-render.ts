/**
 * `node scripts/bin/run-ts.mjs scripts/bench-render.ts [N]`: renders one typical invoice (8 lines,
 * one tiered, EUR, de-DE) N times (default 200) and prints the first (cold) render, the median and
 * p95 of the warm renders in ms, and the PDF size in bytes, as one JSON object; under `arabic` and
 * `thai` the same invoice written in those scripts; under `eInvoice`
 * the same for its EN 16931 e-invoice in UBL and in CII. `npm run bench` renders varied invoices.
 */
import { print } from './cli/output.js';
import { scriptInvoice, typicalInvoice } from './bench/invoices.js';
import { timeEInvoices } from './bench/e-invoice.js';
import { timeRenders } from './bench/pdf.js';

const runs = Number(process.argv[2] ?? 200);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`N must be a whole number >= 1, got ${process.argv[2]}`);

const detail = typicalInvoice(0);
const pdf = await timeRenders(() => detail, runs);
const arabic = await timeRenders(() => scriptInvoice('arabic', 0), runs);
const thai = await timeRenders(() => scriptInvoice('thai', 0), runs);
const eInvoice = {
  UBL: await timeEInvoices(() => detail, 'UBL', runs),
  CII: await timeEInvoices(() => detail, 'CII', runs),
};
print(true, { ...pdf, arabic, thai, eInvoice }, () => '');
