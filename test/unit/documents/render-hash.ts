/**
 * Child-process probe for the determinism test: renders fixtures (or the generated long invoice)
 * in the order given, printing one line `{"name", "sha256", "bytes", "latinFont"}` per render.
 * Usage: node scripts/bin/run-ts.mjs test/unit/documents/render-hash.ts <fixture-name | long:N>...
 */
import { createHash } from 'node:crypto';
import { renderInvoicePdf } from '../../../lambdas/shared/documents/pdf.js';
import { fontPath } from '../../../lambdas/shared/documents/fonts.js';
import { validateInvoiceDetail } from '../../../lambdas/shared/documents/schema.js';
import { detailNamed, longInvoice } from './support.js';

const names = process.argv.length > 2 ? process.argv.slice(2) : ['eur-domestic-de'];
for (const name of names) {
  const detail = name.startsWith('long:') ? longInvoice(Number(name.slice(5))) : await detailNamed(name);
  const pdf = await renderInvoicePdf(validateInvoiceDetail(detail));
  console.log(
    JSON.stringify({
      name,
      sha256: createHash('sha256').update(pdf).digest('hex'),
      bytes: pdf.length,
      latinFont: fontPath('latin'),
    }),
  );
}
