import { decimalAmount } from '../../../lambdas/shared/domain/money.js';
import { NOTIFICATION_SCHEMA_VERSION } from '../../../lambdas/shared/contracts/events.js';
import { invoiceNotificationMessage, notificationEventId } from '../../../lambdas/shared/notification.js';

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
    hostedUrl: 'https://invoices.example/i/AAAAAAAAAAAAAAAAAAAAAA',
  };

  it('has a human-readable default without storage keys, and a versioned JSON event for queues', () => {
    const message = JSON.parse(invoiceNotificationMessage(fields)) as Record<string, string>;
    expect(message.default).toContain('INV-2026-000042');
    expect(message.default).toContain('KWD');
    expect(message.default).toContain('123.456');
    expect(message.default).not.toContain('invoices/');
    // The link the customer opens, on its own line.
    expect(message.default).toMatch(/\nView and download: https:\/\/invoices\.example\/i\/A{22}$/);
    expect(JSON.parse(message.sqs!)).toMatchObject({
      type: 'invoice.issued',
      schemaVersion: NOTIFICATION_SCHEMA_VERSION,
      eventId: expect.stringMatching(/^[0-9a-f]{32}$/),
      customerId: 'cus_1',
      total: '123.456',
      hostedUrl: fields.hostedUrl,
      links: { self: '/v1/invoices/INV-2026-000042', pdf: '/v1/invoices/INV-2026-000042/pdf' },
    });
  });

  it('is the same message every time for the same invoice (a resend repeats it exactly)', () => {
    expect(invoiceNotificationMessage(fields)).toBe(invoiceNotificationMessage({ ...fields }));
  });

  it('gives each event of each document its own id, the same on every resend', () => {
    const idOf = (f: Parameters<typeof invoiceNotificationMessage>[0]) =>
      JSON.parse(JSON.parse(invoiceNotificationMessage(f)).sqs).eventId as string;
    expect(idOf(fields)).toBe(notificationEventId('invoice.issued', 'INV-2026-000042'));
    expect(idOf({ ...fields, invoiceNumber: 'INV-2026-000043' })).not.toBe(idOf(fields));
    expect(idOf({ ...fields, corrects: 'INV-2026-000001' })).not.toBe(idOf(fields));
  });

  it.each([
    ['en-GB', 'Your invoice INV-2026-000042 for October 2026 was issued on', 'Due on'],
    ['de-DE', 'Ihre Rechnung INV-2026-000042 für Oktober 2026 wurde am', 'Fällig am'],
    ['fr-FR', 'Votre facture INV-2026-000042 pour octobre 2026 a été émise le', 'Échéance'],
    ['es-ES', 'Su factura INV-2026-000042 de octubre de 2026 se emitió el', 'Vence el'],
    ['ja-JP', '2026年10月分の請求書INV-2026-000042を', 'お支払期限'],
  ])('speaks the customer language (%s), with the due date', (locale, opening, due) => {
    const eur = { ...fields, currency: 'EUR', locale, dueDate: '2026-11-15' };
    const text = JSON.parse(invoiceNotificationMessage(eur)).default as string;
    expect(text.startsWith(opening)).toBe(true);
    expect(text).toContain(due);
  });

  it('says what a credit note credits, in the customer language', () => {
    const text = JSON.parse(
      invoiceNotificationMessage({
        ...fields,
        currency: 'EUR',
        locale: 'de-DE',
        corrects: 'INV-2026-000001',
      }),
    ).default as string;
    expect(text).toMatch(
      /^Die Rechnungskorrektur INV-2026-000042 zu Ihrer Rechnung INV-2026-000001 wurde am/,
    );
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
