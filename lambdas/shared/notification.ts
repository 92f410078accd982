/**
 * The customer notification for an issued invoice or credit note, as an SNS message with
 * MessageStructure "json": a human-readable `default`/`email` text in the customer's language,
 * and for queues, functions and HTTPS endpoints a versioned event (NOTIFICATION_SCHEMA_VERSION)
 * with an `eventId` that is the same on every resend (a subscriber's de-duplication key), the
 * facts, the hosted page's URL (the link a person opens), and the read API paths to fetch the rest. Built from index-row fields only, so a
 * notification resent for an ISSUED invoice is the same message as the first one. No personal
 * data beyond ids.
 */
import { createHash } from 'node:crypto';
import { invoiceLinks } from './contracts/api-paths.js';
import { EVENT_TYPE, NOTIFICATION_SCHEMA_VERSION } from './contracts/events.js';
import { decimalAmount } from './domain/money.js';
import { InvalidInputError } from './errors.js';
import { notificationText, reminderText } from './notification-text.js';

export interface InvoiceNotificationFields {
  customerId: string;
  invoiceNumber: string;
  period: string;
  totalMinor: number;
  currency: string;
  issueDate: string;
  /** The customer's locale and the due date; rows from before they were kept have neither. */
  locale?: string;
  dueDate?: string;
  pdfKey: string;
  jsonKey: string;
  /** The document's hosted page, where the customer opens it (hosted-links/issuer.ts). */
  hostedUrl: string;
}

/** The event's id: one per (event type, document), whatever attempt or resend publishes it. */
export const notificationEventId = (type: string, invoiceNumber: string): string =>
  createHash('sha256').update(`${type}|${invoiceNumber}`).digest('hex').slice(0, 32);

/** The event queues, functions and HTTPS endpoints receive (schema NOTIFICATION_SCHEMA_VERSION). */
export interface CustomerEvent {
  type:
    typeof EVENT_TYPE.invoiceIssued | typeof EVENT_TYPE.creditNoteIssued | typeof EVENT_TYPE.paymentReminder;
  schemaVersion: number;
  eventId: string;
  /** An operator's resend: the eventId of the first message (this one has its own). */
  resendOf?: string;
  /** A credit note: the invoice it corrects. */
  corrects?: string;
  customerId: string;
  invoiceNumber: string;
  period: string;
  issueDate: string;
  dueDate?: string;
  locale?: string;
  totalMinor: number;
  currency: string;
  /** The total as a decimal string in major units. */
  total: string;
  hostedUrl: string;
  links: ReturnType<typeof invoiceLinks>;
  documents: { pdf: string; json: string };
  /** A payment reminder: its step (days from the due date) and what is still open. */
  reminder?: ReminderFacts;
}

export interface ReminderFacts {
  step: number;
  openMinor: number;
  /** The open amount as a decimal string in major units. */
  open: string;
  overdue: boolean;
}

/**
 * An operator's deliberate resend (`invoicer notify --resend`): its own event id (a subscriber
 * delivers it, where a repeat of the first message is dropped), pointing at the original.
 */
export const resendEventId = (type: string, invoiceNumber: string, resend: number): string =>
  createHash('sha256').update(`${type}|${invoiceNumber}|resend|${resend}`).digest('hex').slice(0, 32);

/** What every customer event says of its document: ids, dates, total, where to open and fetch it. */
const documentFields = (f: InvoiceNotificationFields) => ({
  customerId: f.customerId,
  invoiceNumber: f.invoiceNumber,
  period: f.period,
  issueDate: f.issueDate,
  ...(f.dueDate === undefined ? {} : { dueDate: f.dueDate }),
  ...(f.locale === undefined ? {} : { locale: f.locale }),
  totalMinor: f.totalMinor,
  currency: f.currency,
  total: decimalAmount(f.totalMinor, f.currency),
  hostedUrl: f.hostedUrl,
  links: invoiceLinks(f.invoiceNumber),
  documents: { pdf: f.pdfKey, json: f.jsonKey },
});

export function invoiceNotificationMessage(
  f: InvoiceNotificationFields & { corrects?: string; resend?: number },
): string {
  const type = f.corrects === undefined ? EVENT_TYPE.invoiceIssued : EVENT_TYPE.creditNoteIssued;
  const text = notificationText(f, f.locale);
  const original = notificationEventId(type, f.invoiceNumber);
  const event = JSON.stringify({
    type,
    schemaVersion: NOTIFICATION_SCHEMA_VERSION,
    eventId: f.resend === undefined ? original : resendEventId(type, f.invoiceNumber, f.resend),
    ...(f.resend === undefined ? {} : { resendOf: original }),
    ...(f.corrects === undefined ? {} : { corrects: f.corrects }),
    ...documentFields(f),
  } satisfies CustomerEvent);
  return JSON.stringify({ default: text, email: text, sqs: event, lambda: event, https: event });
}

/** The reminder of one step: its event id is the same on every attempt, so it is e-mailed once. */
export const reminderEventId = (invoiceNumber: string, step: number): string =>
  createHash('sha256')
    .update(`${EVENT_TYPE.paymentReminder}|${invoiceNumber}|${step}`)
    .digest('hex')
    .slice(0, 32);

/** The payment reminder of an invoice (the customer topic; e-mailed like the invoice, PDF attached). */
export function reminderNotificationMessage(
  f: InvoiceNotificationFields & { step: number; openMinor: number; overdue: boolean },
): string {
  const reminder: ReminderFacts = {
    step: f.step,
    openMinor: f.openMinor,
    open: decimalAmount(f.openMinor, f.currency),
    overdue: f.overdue,
  };
  const text = reminderText({ ...f, reminder }, f.locale);
  const event = JSON.stringify({
    type: EVENT_TYPE.paymentReminder,
    schemaVersion: NOTIFICATION_SCHEMA_VERSION,
    eventId: reminderEventId(f.invoiceNumber, f.step),
    ...documentFields(f),
    reminder,
  } satisfies CustomerEvent);
  return JSON.stringify({ default: text, email: text, sqs: event, lambda: event, https: event });
}

/** A customer event read back (a subscriber's side); InvalidInputError names the first bad field. */
export function parseCustomerEvent(json: string, where: string): CustomerEvent {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new InvalidInputError('is not JSON', where);
  }
  const e = value as Partial<CustomerEvent> | null;
  const bad = (field: string) => new InvalidInputError(`has no valid ${field}`, where);
  if (e === null || typeof e !== 'object') throw bad('event object');
  if (
    e.type !== EVENT_TYPE.invoiceIssued &&
    e.type !== EVENT_TYPE.creditNoteIssued &&
    e.type !== EVENT_TYPE.paymentReminder
  )
    throw bad('type');
  if (
    e.type === EVENT_TYPE.paymentReminder &&
    (!Number.isInteger(e.reminder?.step) || !Number.isInteger(e.reminder?.openMinor))
  )
    throw bad('reminder');
  for (const field of [
    'eventId',
    'customerId',
    'invoiceNumber',
    'period',
    'issueDate',
    'currency',
    'hostedUrl',
  ] as const)
    if (typeof e[field] !== 'string' || e[field] === '') throw bad(field);
  if (!Number.isInteger(e.totalMinor)) throw bad('totalMinor');
  if (typeof e.documents?.pdf !== 'string') throw bad('documents.pdf');
  return e as CustomerEvent;
}
