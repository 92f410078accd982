/**
 * Resending an issued invoice's (or credit note's) notification on purpose, e.g. after the
 * customer lost the e-mail: the same message as the first (text, facts, hosted link), with an
 * event id of its own and `resendOf` the first one's, so subscribers deliver it again. Only a
 * NOTIFIED document is resent: an ISSUED one is still waiting for its first notification, which
 * the next run of its period sends.
 */
import { EVENT_TYPE, MESSAGE_ATTRIBUTE } from '../contracts/events.js';
import { INVOICE_STATUS } from '../contracts/statuses.js';
import type { HostedLinkIssuer } from '../hosted-links/issuer.js';
import { invoiceNotificationMessage } from '../notification.js';
import type { InvoiceIndex } from '../store/invoice-index.js';

export interface ResendDeps {
  invoices: Pick<InvoiceIndex, 'query'>;
  hostedLinks: Pick<HostedLinkIssuer, 'linkFor'>;
  publish(message: string, attributes: Record<string, string>): Promise<void>;
}

export class ResendError extends Error {
  override readonly name = 'ResendError';
}

export interface ResendResult {
  invoiceNumber: string;
  customerId: string;
  eventId: string;
  resendOf: string;
  /** 1 for the first resend, and so on. */
  resend: number;
}

/** Publishes resend number `resend` (the caller counts them: the operator log) of a document. */
export async function resendNotification(
  deps: ResendDeps,
  invoiceNumber: string,
  resend: number,
): Promise<ResendResult> {
  const rows = await deps.invoices.query({ invoiceNumber });
  const row = rows.find((r) => r.status === INVOICE_STATUS.notified);
  if (!row) {
    const status = rows[0]?.status;
    throw new ResendError(
      status === undefined
        ? `no invoice or credit note ${invoiceNumber}`
        : `${invoiceNumber} is ${status}: only a NOTIFIED document is resent${status === INVOICE_STATUS.issued ? ' (its first notification goes out with the next run of its period)' : ''}`,
    );
  }
  const creditNote = row.documentType === 'credit_note';
  const message = invoiceNotificationMessage({
    ...row,
    ...(creditNote && row.corrects ? { corrects: row.corrects } : {}),
    hostedUrl: await deps.hostedLinks.linkFor(row),
    resend,
  });
  await deps.publish(message, {
    [MESSAGE_ATTRIBUTE.eventType]: creditNote ? EVENT_TYPE.creditNoteIssued : EVENT_TYPE.invoiceIssued,
    [MESSAGE_ATTRIBUTE.customerId]: row.customerId,
    [MESSAGE_ATTRIBUTE.invoiceNumber]: row.invoiceNumber,
    [MESSAGE_ATTRIBUTE.currency]: row.currency,
  });
  const event = JSON.parse((JSON.parse(message) as { sqs: string }).sqs) as {
    eventId: string;
    resendOf: string;
  };
  return {
    invoiceNumber,
    customerId: row.customerId,
    eventId: event.eventId,
    resendOf: event.resendOf,
    resend,
  };
}
