import { decimalAmount } from '../../../lambdas/shared/domain/money.js';
import { invoiceNotificationMessage } from '../../../lambdas/shared/notification.js';

describe('invoice notification', () => {
  const fields = {
    customerId: 'cus_1',
    invoiceNumber: 'INV-2026-000042',
    period: '2026-10',
    totalMinor: 123456,
    currency: 'KWD',
    issueDate: '2026-11-01',
    pdfKey: 'invoices/2026-10/cus_1/INV-2026-000042.pdf',
    jsonKey: 'invoices/2026-10/cus_1/INV-2026-000042.json',
  };

  it('has a human-readable default and a JSON form for queues', () => {
    const message = JSON.parse(invoiceNotificationMessage(fields)) as Record<string, string>;
    expect(message.default).toContain('INV-2026-000042');
    expect(message.default).toContain('KWD 123.456');
    expect(JSON.parse(message.sqs!)).toMatchObject({
      type: 'invoice.issued',
      customerId: 'cus_1',
      total: '123.456',
    });
  });

  it('is the same message every time for the same invoice (a resend repeats it exactly)', () => {
    expect(invoiceNotificationMessage(fields)).toBe(invoiceNotificationMessage({ ...fields }));
  });

  it.each([
    [12345, 'EUR', '123.45'],
    [5, 'EUR', '0.05'],
    [-5, 'EUR', '-0.05'],
    [1500, 'JPY', '1500'],
    [7, 'KWD', '0.007'],
  ])('writes %d minor units of %s as %s', (minor, currency, text) => {
    expect(decimalAmount(minor, currency)).toBe(text);
  });
});
