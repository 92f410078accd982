/**
 * Child-process probe for the determinism test: renders one fixture (or the generated long invoice)
 * and prints `{"sha256": ..., "bytes": ..., "latinFont": ...}` on stdout.
 * Usage: node scripts/bin/run-ts.mjs test/unit/documents/render-hash.ts <fixture-name | long:N>
 */
import { createHash } from 'node:crypto';
import { renderInvoicePdf } from '../../../lambdas/shared/documents/pdf.js';
import { fontPaths } from '../../../lambdas/shared/documents/fonts.js';
import { validateInvoiceDetail } from '../../../lambdas/shared/documents/schema.js';
import { loadFixture, longInvoice } from './support.js';

const name = process.argv[2] ?? 'eur-domestic-de';
const detail = name.startsWith('long:') ? longInvoice(Number(name.slice(5))) : loadFixture(name);
const pdf = await renderInvoicePdf(validateInvoiceDetail(detail));
console.log(
  JSON.stringify({
    sha256: createHash('sha256').update(pdf).digest('hex'),
    bytes: pdf.length,
    latinFont: fontPaths().latin,
  }),
);
