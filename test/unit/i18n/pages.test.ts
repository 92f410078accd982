/**
 * The hosted page and the e-mail say what the PDF says, in the same language, right to left where
 * the language is written so.
 */
import { hostedInvoicePage } from '../../../lambdas/api/hosted-page.js';
import { invoiceEmail } from '../../../lambdas/shared/email/compose.js';
import { creditNoteDraft } from '../../../lambdas/shared/domain/credit-note.js';
import { EVENT_TYPE } from '../../../lambdas/shared/contracts/events.js';
import { tableRows } from '../../../lambdas/shared/documents/wording.js';
import { taxLabel } from '../../../lambdas/shared/i18n/tax-names.js';
import type { CustomerEvent } from '../../../lambdas/shared/notification.js';
import { VISUAL_FIXTURES } from '../../visual/fixtures.js';

const fixture = (name: string) => VISUAL_FIXTURES.find((f) => f.name === name)!.detail;
const links = { pdf: 'x.pdf', json: 'x.json' };
const unescape = (html: string) =>
  html.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');

describe('hosted page', () => {
  it.each(['ar-eg', 'he-il'])('%s: right to left, in its language', (name) => {
    const html = hostedInvoicePage(fixture(name), links);
    expect(html).toMatch(/<html lang="(ar|he)" dir="rtl">/);
  });

  it.each(VISUAL_FIXTURES.map((f) => [f.name, f.detail] as const))(
    '%s: the rows, buyer and payment the PDF prints',
    (_, detail) => {
      const html = unescape(hostedInvoicePage(detail, links));
      if (!/^(ar|he)/.test(detail.locale)) expect(html).not.toContain('dir="rtl"');
      for (const row of tableRows(detail)) expect(html).toContain(row.description);
      expect(html).toContain(detail.buyer.name);
      if (detail.seller.bankAccount) expect(html).toContain('RF13 INV2 0260 0010 1');
    },
  );
});

describe('hosted page: who has paid', () => {
  const view = (openMinor: number, overdue: boolean) => ({
    status: openMinor <= 0 ? ('paid' as const) : ('partially_paid' as const),
    open: { amount: (openMinor / 100).toFixed(2), currency: 'EUR', minor: openMinor },
    paid: { amount: '0.00', currency: 'EUR', minor: 0 },
    dueDate: '2026-11-15',
    overdue,
    writtenOff: false,
  });
  it('says Paid, or Overdue with the open amount, in the customer language', () => {
    const detail = fixture('de-eur-epc-qr');
    expect(hostedInvoicePage(detail, links, view(0, false))).toMatch(
      /data-status="paid"><span class="badge">Bezahlt</,
    );
    const overdue = hostedInvoicePage(detail, links, view(5950, true));
    expect(overdue).toMatch(
      /data-status="overdue"><span class="badge">Überfällig<\/span> Offener Betrag: <strong id="open-amount">59,50\s€<\/strong>/,
    );
    expect(hostedInvoicePage(detail, links)).not.toContain('id="payment-status"');
  });
});

describe('e-mail', () => {
  const event = (locale: string): CustomerEvent => ({
    type: EVENT_TYPE.invoiceIssued,
    schemaVersion: 1,
    eventId: 'e1',
    customerId: 'c1',
    invoiceNumber: 'INV-2026-000101',
    period: '2026-10',
    issueDate: '2026-11-01',
    dueDate: '2026-11-15',
    locale,
    totalMinor: 16100,
    currency: 'EUR',
    total: '161.00',
    hostedUrl: 'https://invoices.example/i/abc',
    links: {} as CustomerEvent['links'],
    documents: { pdf: 'a.pdf', json: 'a.json' },
  });

  it('is right to left in Arabic and Hebrew, in the customer’s language', () => {
    const ar = invoiceEmail(event('ar-EG'), 'a@example.com', Buffer.from(''));
    expect(ar.html).toContain('dir="rtl"');
    expect(ar.subject).toBe('فاتورة INV-2026-000101');
    const ko = invoiceEmail(event('ko-KR'), 'a@example.com', Buffer.from(''));
    expect(ko.html).not.toContain('dir="rtl"');
    expect(ko.text).toContain('청구서 INV-2026-000101');
  });

  it('sends a reminder in the customer language: subject, open amount, due date, link', () => {
    const reminder: CustomerEvent = {
      ...event('fr-FR'),
      type: EVENT_TYPE.paymentReminder,
      reminder: { step: 7, openMinor: 6100, open: '61.00', overdue: true },
    };
    const mail = invoiceEmail(reminder, 'a@example.com', Buffer.from(''));
    expect(mail.subject).toBe('Rappel de paiement INV-2026-000101');
    expect(mail.text).toMatch(
      /^Votre facture INV-2026-000101 était payable le 15 novembre 2026 et est en retard\. Montant restant dû : 61,00\s€/,
    );
    expect(mail.text).toContain('https://invoices.example/i/abc');
  });
});

describe('credit note', () => {
  it('writes its line and keeps its tax note in the invoice’s language', () => {
    const invoice = fixture('fr-fr-reverse-charge');
    const credit = creditNoteDraft(invoice, { reason: 'Panne du service', amountMinor: 1000 }, 0);
    expect(credit.lines.map((l) => l.description)).toEqual([
      'Avoir sur la facture INV-2026-000101 : Panne du service',
    ]);
    expect(credit.notes).toEqual(invoice.notes);
    expect(credit.notes[0]).toMatch(/^Autoliquidation/);
  });
});

describe('tax names', () => {
  it('name the tax as the reader and the taxing country do', () => {
    expect(taxLabel('USt.', 'CH', 'de')).toBe('MWST');
    expect(taxLabel('TVA', 'CH', 'fr')).toBe('TVA');
    expect(taxLabel('VAT', 'CH', 'en')).toBe('VAT (MWST/TVA/IVA)');
    expect(taxLabel('USt.', 'DE', 'de')).toBe('USt.');
    expect(taxLabel('VAT', 'GR', 'en')).toBe('VAT (ΦΠΑ)');
    expect(taxLabel('IVA', undefined, 'es')).toBe('IVA');
  });
});
