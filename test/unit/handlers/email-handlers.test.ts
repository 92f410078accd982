/**
 * DeliverEmail and EmailFeedback built with fakes: which outcome each queue message gets (sent,
 * ignored as a redelivery, undeliverable, retried), what is recorded, and how SES events map to
 * feedback. The real queue, SES and DynamoDB are in test/workflow/email-delivery.test.ts.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createHandler as deliverEmail } from '../../../lambdas/deliver-email/handler.js';
import { feedbackOf } from '../../../lambdas/email-feedback/handler.js';
import type { MetricName } from '../../../lambdas/shared/contracts/metrics.js';
import type { OutgoingEmail } from '../../../lambdas/shared/email/compose.js';
import { invoiceNotificationMessage } from '../../../lambdas/shared/notification.js';
import type { EmailDelivery, EmailDeliveryStore } from '../../../lambdas/shared/store/email-deliveries.js';

const event = JSON.parse(
  JSON.parse(
    invoiceNotificationMessage({
      customerId: 'cus_1',
      invoiceNumber: 'INV-2026-000042',
      period: '2026-10',
      totalMinor: 11900,
      currency: 'EUR',
      issueDate: '2026-11-01',
      locale: 'fr-FR',
      pdfKey: 'invoices/2026-10/cus_1/INV-2026-000042.pdf',
      jsonKey: 'invoices/2026-10/cus_1/INV-2026-000042.json',
      hostedUrl: 'https://invoices.example/i/AAAAAAAAAAAAAAAAAAAAAA',
    }),
  ).sqs as string,
) as { eventId: string };

function world(
  options: { claimed?: EmailDelivery; email?: string; sesFails?: boolean; recordFails?: boolean } = {},
) {
  const counted: Partial<Record<MetricName, number>> = {};
  const sent: OutgoingEmail[] = [];
  const marks: string[] = [];
  const deliveries: EmailDeliveryStore = {
    claim: async () => (options.claimed ? { claimed: false, delivery: options.claimed } : { claimed: true }),
    markSent: async (id) => {
      if (options.recordFails) throw new Error('DynamoDB is down');
      marks.push(`sent ${id}`);
    },
    markFailed: async (id, error) => void marks.push(`failed ${id}: ${error}`),
    markUndeliverable: async (id, reason) => void marks.push(`undeliverable ${id}: ${reason}`),
    recordFeedback: async () => true,
    get: async () => undefined,
  };
  const handler = deliverEmail({
    observability: {
      logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
      metrics: {
        count: (name, value) => void (counted[name] = (counted[name] ?? 0) + value),
        flush: () => undefined,
      },
    },
    records: {
      getCustomer: async () => ('email' in options ? { email: options.email } : { email: 'a@b.example' }),
    },
    documents: { getBytes: async () => Buffer.from('%PDF-1.7 test') },
    deliveries,
    sendEmail: async (email) => {
      if (options.sesFails)
        throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
      sent.push(email);
      return { messageId: 'ses-1' };
    },
    now: () => new Date('2026-11-01T08:00:00Z'),
  });
  const run = (...bodies: string[]) =>
    handler({ Records: bodies.map((body, i) => ({ messageId: `m${i}`, body })) });
  return { run, counted, sent, marks };
}

const delivery = (status: EmailDelivery['status']): EmailDelivery => ({
  eventId: event.eventId,
  invoiceNumber: 'INV-2026-000042',
  customerId: 'cus_1',
  status,
  attempts: 1,
  claimedAt: '2026-11-01T07:59:00Z',
});

describe('deliver-email', () => {
  it("sends the e-mail in the customer's language with the PDF and the hosted link, and records it", async () => {
    const w = world();
    expect(await w.run(JSON.stringify(event))).toEqual({ batchItemFailures: [] });
    expect(w.sent).toHaveLength(1);
    const [email] = w.sent;
    expect(email).toMatchObject({ to: 'a@b.example', subject: 'Facture INV-2026-000042' });
    expect(email!.text).toContain('https://invoices.example/i/AAAAAAAAAAAAAAAAAAAAAA');
    expect(email!.html).toContain('<a href="https://invoices.example/i/AAAAAAAAAAAAAAAAAAAAAA">');
    expect(email!.attachments).toEqual([
      {
        fileName: 'INV-2026-000042.pdf',
        contentType: 'application/pdf',
        content: Buffer.from('%PDF-1.7 test'),
      },
    ]);
    expect(email!.tags).toEqual({ eventId: event.eventId, invoiceNumber: 'INV-2026-000042' });
    expect(w.marks).toEqual([`sent ${event.eventId}`]);
    expect(w.counted).toEqual({ EmailsSent: 1 });
  });

  it('ignores a redelivery of an e-mail already sent', async () => {
    const w = world({ claimed: delivery('sent') });
    expect(await w.run(JSON.stringify(event))).toEqual({ batchItemFailures: [] });
    expect(w.sent).toEqual([]);
    expect(w.counted).toEqual({ EmailsDeduplicated: 1 });
  });

  it('fails (for a retry) a message whose e-mail another attempt is sending right now', async () => {
    const w = world({ claimed: delivery('sending') });
    expect(await w.run(JSON.stringify(event))).toEqual({ batchItemFailures: [{ itemIdentifier: 'm0' }] });
    expect(w.sent).toEqual([]);
  });

  it('records a customer without a usable address as undeliverable and does not retry', async () => {
    const w = world({ email: 'not an address' });
    expect(await w.run(JSON.stringify(event))).toEqual({ batchItemFailures: [] });
    expect(w.marks).toEqual([`undeliverable ${event.eventId}: customer cus_1 has an invalid e-mail address`]);
    expect(w.counted).toEqual({ EmailsUndeliverable: 1 });
  });

  it('releases the claim and fails only that message when SES refuses', async () => {
    const w = world({ sesFails: true });
    const other = world();
    expect(await w.run(JSON.stringify(event))).toEqual({ batchItemFailures: [{ itemIdentifier: 'm0' }] });
    expect(w.marks).toEqual([`failed ${event.eventId}: Rate exceeded`]);
    // A broken message fails alone; the good one in the same batch is sent.
    expect(await other.run('not json', JSON.stringify(event))).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm0' }],
    });
    expect(other.sent).toHaveLength(1);
  });
});

describe('deliver-email after SES accepted the e-mail', () => {
  it('keeps the claim when recording the send fails, so that the retry sends nothing during the lease', async () => {
    const w = world({ recordFails: true });
    expect(await w.run(JSON.stringify(event))).toEqual({ batchItemFailures: [{ itemIdentifier: 'm0' }] });
    expect(w.sent).toHaveLength(1);
    expect(w.marks).toEqual([]);
  });
});

describe('email-feedback', () => {
  const now = new Date('2026-11-02T00:00:00Z');
  it('maps SES bounces, complaints and deliveries, and ignores other events', () => {
    expect(
      feedbackOf(
        { eventType: 'Bounce', bounce: { bounceType: 'Transient', bounceSubType: 'MailboxFull' } },
        now,
      ),
    ).toEqual({
      type: 'bounce',
      at: now.toISOString(),
      detail: 'Transient/MailboxFull',
    });
    expect(
      feedbackOf(
        {
          eventType: 'Complaint',
          complaint: { complaintFeedbackType: 'abuse', timestamp: '2026-11-01T10:00:00Z' },
        },
        now,
      ),
    ).toEqual({ type: 'complaint', at: '2026-11-01T10:00:00Z', detail: 'abuse' });
    expect(feedbackOf({ eventType: 'Delivery', delivery: {} }, now)?.type).toBe('delivery');
    expect(feedbackOf({ eventType: 'Open' }, now)).toBeUndefined();
  });
});
