/**
 * DeliverEmail: the e-mail subscriber of the customer topic (SNS -> SQS -> this function). Each
 * queue message is one customer event (raw delivery); the function sends the customer's invoice
 * e-mail with the PDF attached, once: the delivery is claimed in DynamoDB first (`EMAIL#<eventId>`,
 * the event id is the same on every resend and redelivery), so a message delivered twice sends one
 * e-mail. A customer without an address is recorded as undeliverable and not retried; any other
 * failure fails that message alone (partial batch response), which SQS retries and then moves to
 * the dead-letter queue, where support sees it.
 */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { requireEnv } from '../shared/config.js';
import { ENV } from '../shared/contracts/env.js';
import { METRIC } from '../shared/contracts/metrics.js';
import { isEmailAddress } from '../shared/domain/email-address.js';
import { invoiceEmail } from '../shared/email/compose.js';
import { sesEmailSender, type SendEmail } from '../shared/aws/ses-email.js';
import { lazyHandler, stepHandler, type Observability } from '../shared/handler.js';
import { parseCustomerEvent } from '../shared/notification.js';
import { lambdaRuntime } from '../shared/runtime.js';
import type { DocumentStore } from '../shared/store/documents.js';
import { EMAIL_STATUS, type EmailDeliveryStore } from '../shared/store/email-deliveries.js';
import type { RecordStore } from '../shared/store/records.js';

/** The parts of an SQS event this function reads. */
export interface SqsEvent {
  Records: { messageId: string; body: string }[];
}
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export interface DeliverEmailDeps {
  observability: Observability;
  records: Pick<RecordStore, 'getCustomer'>;
  documents: Pick<DocumentStore, 'getBytes'>;
  deliveries: EmailDeliveryStore;
  sendEmail: SendEmail;
  now: () => Date;
}

/** How long a claim holds off other senders; past it, a sender is taken to have died. */
export const EMAIL_CLAIM_LEASE_MS = 5 * 60_000;

/** Statuses after which the event's e-mail is done: a redelivery sends nothing. */
const DONE: readonly string[] = [
  EMAIL_STATUS.sent,
  EMAIL_STATUS.undeliverable,
  EMAIL_STATUS.bounced,
  EMAIL_STATUS.complained,
];

export class EmailInProgressError extends Error {
  override readonly name = 'EmailInProgressError';
}

export function createHandler(deps: DeliverEmailDeps): (event: SqsEvent) => Promise<SqsBatchResponse> {
  const { metrics } = deps.observability;
  return stepHandler<SqsEvent, SqsBatchResponse>(
    'deliver-email',
    deps.observability,
    () => ({}),
    async ({ Records }, { log }) => {
      const failures: SqsBatchResponse['batchItemFailures'] = [];
      for (const record of Records) {
        try {
          const event = parseCustomerEvent(record.body, `queue message ${record.messageId}`);
          const keys = {
            customerId: event.customerId,
            invoiceNumber: event.invoiceNumber,
            eventId: event.eventId,
          };
          const now = deps.now();
          const claim = await deps.deliveries.claim({
            eventId: event.eventId,
            invoiceNumber: event.invoiceNumber,
            customerId: event.customerId,
            now: now.toISOString(),
            leaseExpiredBefore: new Date(now.getTime() - EMAIL_CLAIM_LEASE_MS).toISOString(),
          });
          if (!claim.claimed) {
            if (!DONE.includes(claim.delivery.status))
              throw new EmailInProgressError(
                `the e-mail of ${event.invoiceNumber} is being sent by another attempt`,
              );
            log.info('e-mail already sent: redelivery ignored', { ...keys, status: claim.delivery.status });
            metrics.count(METRIC.emailsDeduplicated, 1);
            continue;
          }
          const customer = (await deps.records.getCustomer(event.customerId)) as
            { email?: unknown } | undefined;
          const to = typeof customer?.email === 'string' ? customer.email : undefined;
          if (!isEmailAddress(to)) {
            const reason = `customer ${event.customerId} has ${to === undefined ? 'no e-mail address' : 'an invalid e-mail address'}`;
            await deps.deliveries.markUndeliverable(event.eventId, reason);
            log.warn('e-mail undeliverable', { ...keys, reason });
            metrics.count(METRIC.emailsUndeliverable, 1);
            continue;
          }
          let messageId: string;
          try {
            const pdf = await deps.documents.getBytes(event.documents.pdf);
            ({ messageId } = await deps.sendEmail(invoiceEmail(event, to, pdf)));
          } catch (error) {
            // Nothing was sent: released for the retry (if even this fails, the lease runs out).
            await deps.deliveries.markFailed(event.eventId, (error as Error).message).catch(() => undefined);
            throw error;
          }
          // Sent: if recording it fails, the claim stays taken and its lease holds a resend off.
          await deps.deliveries.markSent(event.eventId, { to, messageId, at: deps.now().toISOString() });
          metrics.count(METRIC.emailsSent, 1);
          log.info('e-mail sent', { ...keys, sesMessageId: messageId });
        } catch (error) {
          log.warn('e-mail delivery failed; the queue retries it', {
            messageId: record.messageId,
            error: error as Error,
          });
          failures.push({ itemIdentifier: record.messageId });
        }
      }
      return { batchItemFailures: failures };
    },
  );
}

export function fromEnv(env: NodeJS.ProcessEnv = process.env): DeliverEmailDeps {
  const runtime = lambdaRuntime(env);
  const ses = runtime.traceClient(new SESv2Client({}));
  return {
    ...runtime,
    sendEmail: sesEmailSender(ses, requireEnv(ENV.emailFrom, env), env[ENV.sesConfigurationSet] || undefined),
  };
}

export const handler = lazyHandler(() => createHandler(fromEnv()));
