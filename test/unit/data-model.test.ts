import {
  invoiceKey,
  isBookkeepingKey,
  numberClaimKey,
  parseInvoiceKey,
  parseNumberClaimKey,
  parseRunLockKey,
  parseSeriesKey,
  parseVoidKey,
  runLockKey,
  s3Keys,
  seriesKey,
  voidKey,
} from '../../lambdas/shared/contracts/keys.js';
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

  it('parses every key it builds, and no key of another kind', () => {
    expect(parseInvoiceKey(invoiceKey('cus_1', '2026-10'))).toEqual({
      customerId: 'cus_1',
      period: '2026-10',
    });
    expect(parseSeriesKey(seriesKey('INV-2026'))).toBe('INV-2026');
    expect(parseNumberClaimKey(numberClaimKey('INV-2026-000001'))).toBe('INV-2026-000001');
    expect(parseVoidKey(voidKey('INV-2026-000001'))).toBe('INV-2026-000001');
    expect(parseRunLockKey(runLockKey('2026-10'))).toBe('2026-10');
    expect(parseInvoiceKey(seriesKey('INV-2026'))).toBeUndefined();
    expect(parseInvoiceKey(numberClaimKey('INV-2026-000001'))).toBeUndefined();
    expect(parseSeriesKey(invoiceKey('cus_1', '2026-10'))).toBeUndefined();
    expect(parseVoidKey(runLockKey('2026-10'))).toBeUndefined();
    expect([seriesKey('X-2026'), numberClaimKey('N'), voidKey('N')].map(isBookkeepingKey)).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('keeps customer ids that are key prefixes in the invoices namespace', () => {
    for (const customerId of ['SERIES', 'NUMBER', 'VOID', 'REPLACED', 'CREDIT', 'LINK', 'EMAIL', 'LOCK']) {
      const key = invoiceKey(customerId, '2026-10');
      expect(parseInvoiceKey(key)).toEqual({ customerId, period: '2026-10' });
      expect(isBookkeepingKey(key)).toBe(false);
      expect([parseSeriesKey(key), parseNumberClaimKey(key), parseVoidKey(key)]).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
    }
    // ...while the bookkeeping keys stay what they are.
    expect(parseNumberClaimKey(numberClaimKey('INV-2026-000001'))).toBe('INV-2026-000001');
    expect(isBookkeepingKey(numberClaimKey('INV-2026-000001'))).toBe(true);
  });

  it('gives every table a distinct id', () => {
    expect(new Set(TABLES.map((t) => t.id)).size).toBe(TABLES.length);
  });
});
