/**
 * What became of a document's e-mails, on any target: the e-mail subscriber's delivery records
 * (lambdas/shared/store/email-deliveries.ts), found by the event ids the notifications carried: the
 * first one's, and each operator resend's (numbered 1.. in the operator log).
 */
import { EVENT_TYPE } from '../../lambdas/shared/contracts/events.js';
import { notificationEventId, resendEventId } from '../../lambdas/shared/notification.js';
import type { EmailDeliveryStore } from '../../lambdas/shared/store/email-deliveries.js';
import type { InvoiceRow } from '../../lambdas/shared/store/invoice-index.js';

export interface DocumentEmail {
  invoiceNumber: string;
  eventId: string;
  /** 0: the first notification; n: the operator's n-th resend. */
  resend: number;
  status: string;
  to?: string;
  sentAt?: string;
  attempts: number;
  /** The last failure, or SES's bounce/complaint detail. */
  detail?: string;
}

export async function documentEmails(
  deliveries: Pick<EmailDeliveryStore, 'get'>,
  row: Pick<InvoiceRow, 'invoiceNumber' | 'documentType'>,
  resends: number,
): Promise<DocumentEmail[]> {
  const type = row.documentType === 'credit_note' ? EVENT_TYPE.creditNoteIssued : EVENT_TYPE.invoiceIssued;
  const eventIds = [
    notificationEventId(type, row.invoiceNumber),
    ...Array.from({ length: resends }, (_, i) => resendEventId(type, row.invoiceNumber, i + 1)),
  ];
  const found = await Promise.all(eventIds.map((id) => deliveries.get(id)));
  return found.flatMap((d, resend) =>
    d
      ? [
          {
            invoiceNumber: row.invoiceNumber,
            eventId: d.eventId,
            resend,
            status: d.status,
            ...(d.to ? { to: d.to } : {}),
            ...(d.sentAt ? { sentAt: d.sentAt } : {}),
            attempts: d.attempts,
            ...(d.feedback?.length
              ? { detail: d.feedback.at(-1)!.detail }
              : d.lastError
                ? { detail: d.lastError }
                : {}),
          },
        ]
      : [],
  );
}
