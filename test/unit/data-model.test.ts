import { invoiceKey, s3Keys } from '../../lambdas/shared/contracts/keys.js';
import { TABLES } from '../../lambdas/shared/contracts/tables.js';

describe('data model', () => {
  it('keys an invoice by customer and period', () => {
    expect(invoiceKey('cus_1', '2026-10')).toBe('cus_1#2026-10');
  });

  it('puts the PDF and the JSON detail side by side under period and customer', () => {
    expect(s3Keys.invoicePdf('2026-10', 'cus_1', 'INV-2026-000001')).toBe(
      'invoices/2026-10/cus_1/INV-2026-000001.pdf',
    );
    expect(s3Keys.invoiceJson('2026-10', 'cus_1', 'INV-2026-000001')).toBe(
      'invoices/2026-10/cus_1/INV-2026-000001.json',
    );
  });

  it('gives every table a distinct id', () => {
    expect(new Set(TABLES.map((t) => t.id)).size).toBe(TABLES.length);
  });
});
