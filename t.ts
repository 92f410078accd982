import { writeFileSync } from 'node:fs';
import { renderInvoicePdf } from './lambdas/shared/documents/pdf.js';
import { validateInvoiceDetail } from './lambdas/shared/documents/schema.js';
import { VISUAL_FIXTURES } from './test/visual/fixtures.js';
for (const f of VISUAL_FIXTURES) {
  const t0 = Date.now();
  const pdf = await renderInvoicePdf(validateInvoiceDetail(f.detail));
  writeFileSync(`/tmp/v-${f.name}.pdf`, pdf);
  console.log(
    f.name,
    pdf.length,
    Date.now() - t0,
    'ms',
    f.detail.paymentCode ?? '',
    f.detail.taxes.map((t) => t.category + t.rate).join(),
  );
}
