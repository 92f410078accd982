/**
 * The e-mail subscriber on the local stack: the customer topic -> its SQS queue (raw delivery,
 * filter policy) -> the DeliverEmail function -> SES (aws-ses-v2-local). Every issued invoice and
 * credit note is e-mailed once with its PDF attached and its hosted link, even when the queue
 * delivers a message twice; a customer without an address is recorded, not retried; a broken
 * message ends in the dead-letter queue; SES bounces are recorded on the delivery.
 */
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { createHandler as emailFeedback } from '../../lambdas/email-feedback/handler.js';
import { EMAIL_MAX_RECEIVE_COUNT } from '../../lambdas/shared/contracts/events.js';
import type { CustomerEvent } from '../../lambdas/shared/notification.js';
import { serveSessionApi } from '../../workflows/local/api-server.js';
import { runLocalBilling } from '../../workflows/local/harness/billing-run.js';
import { localObservability } from '../../workflows/local/harness/observability.js';
import { openBillingFixture, type BillingFixture } from '../support/billing-fixture.js';

const PERIOD = '2026-10';
let f: BillingFixture;

const sentEvents = async (): Promise<CustomerEvent[]> =>
  (await f.session.readInbox()).map((m) => m.event as unknown as CustomerEvent);

const enqueue = (body: string) =>
  f.session.stack.clients.sqs.send(
    new SendMessageCommand({ QueueUrl: f.session.stack.emailQueue.url, MessageBody: body }),
  );

beforeAll(async () => {
  f = await openBillingFixture('email-delivery');
  await runLocalBilling(f.session, { period: PERIOD, demoCustomers: 6, retryIntervalMs: 1 });
}, 180_000);

afterAll(async () => {
  await f?.cleanup();
});

describe('e-mail delivery', () => {
  it('e-mails every issued invoice once, with its PDF attached and its hosted link', async () => {
    const round = await f.session.deliverEmails();
    const issued = (await f.invoices(PERIOD)).filter((r) => r.status === 'NOTIFIED');
    expect(round).toEqual({ handled: issued.length, failedAttempts: 0 });
    const mail = await f.session.readMail();
    expect(mail).toHaveLength(issued.length);
    const events = new Map((await sentEvents()).map((e) => [e.invoiceNumber, e]));
    for (const row of issued) {
      const email = mail.find((m) => m.subject.endsWith(row.invoiceNumber))!;
      const customer = (await f.session.stores.records.getCustomer(row.customerId)) as { email: string };
      expect(email.to).toEqual([customer.email]);
      expect(email.hostedLink).toBe(events.get(row.invoiceNumber)!.hostedUrl);
      expect(email.attachments.map((a) => [a.fileName, a.contentType])).toEqual([
        [`${row.invoiceNumber}.pdf`, 'application/pdf'],
      ]);
      const { pdf } = await f.session.getInvoiceDocuments(row.invoiceNumber);
      expect(email.attachments[0]!.size).toBe(pdf.length);
      const delivery = await f.session.stores.deliveries.get(events.get(row.invoiceNumber)!.eventId);
      expect(delivery).toMatchObject({ status: 'sent', to: customer.email, attempts: 1 });
    }
    // In the customer's language: the German customer's subject.
    const german = [...events.values()].find((e) => e.locale === 'de-DE')!;
    expect(mail.some((m) => m.subject === `Rechnung ${german.invoiceNumber}`)).toBe(true);
  });

  it('sends no second e-mail when the queue delivers a message twice', async () => {
    const before = (await f.session.readMail()).length;
    const [event] = await sentEvents();
    await enqueue(JSON.stringify(event));
    await enqueue(JSON.stringify(event));
    const round = await f.session.deliverEmails();
    expect(round).toEqual({ handled: 2, failedAttempts: 0 });
    expect(await f.session.readMail()).toHaveLength(before);
    expect(await f.session.stores.deliveries.get(event!.eventId)).toMatchObject({
      status: 'sent',
      attempts: 1,
    });
  });

  it('records a customer without an address as undeliverable, without retrying', async () => {
    const [event] = await sentEvents();
    const orphan = { ...event!, eventId: 'f'.repeat(32), customerId: 'cus_nobody' };
    await enqueue(JSON.stringify(orphan));
    expect(await f.session.deliverEmails()).toEqual({ handled: 1, failedAttempts: 0 });
    expect(await f.session.stores.deliveries.get(orphan.eventId)).toMatchObject({
      status: 'undeliverable',
      lastError: 'customer cus_nobody has no e-mail address',
    });
  });

  it('retries a message that cannot be delivered, then leaves it in the dead-letter queue', async () => {
    await enqueue('{"type":"invoice.issued"}');
    const round = await f.session.deliverEmails();
    expect(round).toEqual({ handled: 0, failedAttempts: EMAIL_MAX_RECEIVE_COUNT });
    const { Attributes } = await f.session.stack.clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: f.session.stack.emailQueue.deadLetterUrl,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    expect(Attributes?.ApproximateNumberOfMessages).toBe('1');
    expect(await f.session.emailDeadLetters()).toBe(1);
  });

  it('e-mails a credit note too', async () => {
    const [row] = (await f.invoices(PERIOD)).filter((r) => r.status === 'NOTIFIED' && r.currency === 'EUR');
    const { creditNote } = await f.session.creditInvoice({
      invoiceNumber: row!.invoiceNumber,
      reason: 'Service outage',
      amount: '1.00',
      by: 'test',
    });
    await f.session.deliverEmails();
    const email = (await f.session.readMail(row!.customerId)).find((m) =>
      m.subject.endsWith(creditNote.invoiceNumber),
    );
    expect(email?.attachments[0]?.fileName).toBe(`${creditNote.invoiceNumber}.pdf`);
  });

  it('records SES bounces and complaints on the delivery', async () => {
    const [event] = await sentEvents();
    const handler = emailFeedback({
      observability: localObservability(),
      deliveries: f.session.stores.deliveries,
      now: () => new Date('2026-11-02T10:00:00Z'),
    });
    const ses = (eventType: string, extra: object) => ({
      Sns: {
        Message: JSON.stringify({
          eventType,
          mail: { messageId: 'x', tags: { eventId: [event!.eventId] } },
          ...extra,
        }),
      },
    });
    await handler({
      Records: [
        ses('Bounce', {
          bounce: { bounceType: 'Permanent', bounceSubType: 'NoEmail', timestamp: '2026-11-02T09:00:00Z' },
        }),
        ses('Open', {}),
      ],
    });
    expect(await f.session.stores.deliveries.get(event!.eventId)).toMatchObject({
      status: 'bounced',
      feedback: [{ type: 'bounce', at: '2026-11-02T09:00:00Z', detail: 'Permanent/NoEmail' }],
    });
    // What support reads from the read API.
    const api = await serveSessionApi(f.session, {
      reportError: (error) => {
        throw error;
      },
    });
    try {
      const response = await fetch(`${api.url}${event!.links.email}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        number: event!.invoiceNumber,
        status: 'bounced',
        attempts: 1,
        feedback: [{ type: 'bounce', detail: 'Permanent/NoEmail' }],
      });
    } finally {
      await api.close();
    }
  });
});
