/**
 * The customer notification for an issued invoice, as an SNS message with MessageStructure
 * "json": a human-readable `default` (email, SMS) and a machine-readable JSON form for queues
 * and functions. Built from index-row fields only, so a notification resent for an ISSUED
 * invoice is the same message as the first one. No personal data beyond ids.
 */
import { EVENT_TYPE } from './contracts/events.js';
import { decimalAmount } from './domain/money.js';

export interface InvoiceNotificationFields {
  customerId: string;
  invoiceNumber: string;
  period: string;
  totalMinor: number;
  currency: string;
  issueDate: string;
  pdfKey: string;
  jsonKey: string;
}

export function invoiceNotificationMessage(f: InvoiceNotificationFields & { corrects?: string }): string {
  const total = `${f.currency} ${decimalAmount(f.totalMinor, f.currency)}`;
  const text =
    f.corrects === undefined
      ? `Your invoice ${f.invoiceNumber} for ${f.period} has been issued on ${f.issueDate}. ` +
        `Total: ${total}. Document: ${f.pdfKey}`
      : `Credit note ${f.invoiceNumber} on your invoice ${f.corrects} has been issued on ${f.issueDate}. ` +
        `Credited: ${total}. Document: ${f.pdfKey}`;
  const event = JSON.stringify({
    type: f.corrects === undefined ? EVENT_TYPE.invoiceIssued : EVENT_TYPE.creditNoteIssued,
    ...(f.corrects === undefined ? {} : { corrects: f.corrects }),
    customerId: f.customerId,
    invoiceNumber: f.invoiceNumber,
    period: f.period,
    issueDate: f.issueDate,
    totalMinor: f.totalMinor,
    currency: f.currency,
    total: decimalAmount(f.totalMinor, f.currency),
    documents: { pdf: f.pdfKey, json: f.jsonKey },
  });
  return JSON.stringify({ default: text, email: text, sqs: event, lambda: event, https: event });
}
