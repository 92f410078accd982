/**
 * Which write of a document is which domain event (contracts/domain-events.ts): pure, from the
 * old and new image of one stream record. Only status transitions count; a retry that writes the
 * same status again (an idempotent step repeated) makes none, and neither do bookkeeping items
 * (counters, claims, locks, links, e-mail claims, audit heads). A record that claims to be a
 * document but is not one (a field missing or of the wrong type) is an error naming the key:
 * the mapper reports it as failed rather than guessing.
 */
import { createHash } from 'node:crypto';
import { openAmountOf, paymentStatusOf } from './receivables.js';
import { ANALYTICS_STATUS_REPLACED } from '../contracts/analytics.js';
import { invoiceLinks } from '../contracts/api-paths.js';
import {
  DOMAIN_EVENT_SCHEMA_VERSION,
  DOMAIN_EVENT_TYPE,
  VERSION_ATTRIBUTE,
  type DocumentEventData,
  type DomainEvent,
  type DomainEventType,
  type EventSubject,
  type RunEventData,
} from '../contracts/domain-events.js';
import {
  isRunRecordKey,
  parseInvoiceKey,
  parseReplacedKey,
  parseCreditKey,
  parseVoidKey,
} from '../contracts/keys.js';
import { INVOICE_STATUS, RUN_STATUS } from '../contracts/statuses.js';
import { InvalidInputError } from '../errors.js';

export type Image = Record<string, unknown>;

export interface ItemChange {
  table: 'invoices' | 'runs';
  /** The item's key value (`invoiceKey` or `runId`). */
  key: string;
  oldImage?: Image;
  newImage?: Image;
  /** When the write happened (ISO 8601). */
  at: string;
}

/** The event's id: the same for the same change of the same subject, on every retry and replay. */
export const domainEventId = (subject: EventSubject, sequence: number, type: DomainEventType): string =>
  `evt_${createHash('sha256').update(`${subject.kind}|${subject.id}|${sequence}|${type}`).digest('hex').slice(0, 32)}`;

const text = (image: Image, field: string, key: string): string => {
  const value = image[field];
  if (typeof value !== 'string' || value === '')
    throw new InvalidInputError(`${field} is missing or not a string`, `stream record of ${key}`);
  return value;
};
const integer = (image: Image, field: string, key: string): number => {
  const value = image[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw new InvalidInputError(`${field} is missing or not an integer`, `stream record of ${key}`);
  return value;
};
const optionalText = (image: Image, field: string): string | undefined =>
  typeof image[field] === 'string' ? (image[field] as string) : undefined;

/**
 * When it happened: the time the writer stamped (milliseconds), else the stream record's (whole
 * seconds on AWS). Only a well-formed ISO time is taken from the item.
 */
const timeOf = (image: Image, field: string, change: ItemChange): string => {
  const value = image[field];
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value)
    ? value
    : change.at;
};

/** The version after the write; items written before versions were kept count from 0. */
const versionOf = (image: Image, key: string): number => {
  if (image[VERSION_ATTRIBUTE] === undefined) return 0;
  return integer(image, VERSION_ATTRIBUTE, key);
};

const event = (
  type: DomainEventType,
  subject: EventSubject,
  sequence: number,
  at: string,
  data: DomainEvent['data'],
): DomainEvent => ({
  id: domainEventId(subject, sequence, type),
  type,
  schemaVersion: DOMAIN_EVENT_SCHEMA_VERSION,
  timestamp: at,
  subject,
  sequence,
  data,
});

function documentData(image: Image, key: string): DocumentEventData {
  const invoiceNumber = text(image, 'invoiceNumber', key);
  const links = invoiceLinks(invoiceNumber);
  const corrects = optionalText(image, 'corrects');
  return {
    invoiceNumber,
    customerId: text(image, 'customerId', key),
    period: text(image, 'period', key),
    status: text(image, 'status', key),
    totalMinor: integer(image, 'totalMinor', key),
    currency: text(image, 'currency', key),
    issueDate: text(image, 'issueDate', key),
    ...(corrects === undefined ? {} : { corrects }),
    links: { self: links.self, pdf: links.pdf, json: links.json },
  };
}

const EMAIL_EVENTS = {
  invoice: {
    delivered: DOMAIN_EVENT_TYPE.invoiceEmailDelivered,
    bounced: DOMAIN_EVENT_TYPE.invoiceEmailBounced,
  },
  credit_note: {
    delivered: DOMAIN_EVENT_TYPE.creditNoteEmailDelivered,
    bounced: DOMAIN_EVENT_TYPE.creditNoteEmailBounced,
  },
} as const;

/** The e-mail outcome the index row keeps (store/invoice-email-status.ts). */
export const EMAIL_OUTCOME_ATTRIBUTE = 'emailStatus';
export const EMAIL_OUTCOME_AT_ATTRIBUTE = 'emailStatusAt';

const optionalInteger = (image: Image, field: string): number =>
  typeof image[field] === 'number' && Number.isSafeInteger(image[field]) ? (image[field] as number) : 0;

/** The receivable facts of an image (domain/receivables.ts). */
const factsOf = (image: Image) => {
  const writtenOffAt = optionalText(image, 'writtenOffAt');
  return {
    totalMinor: optionalInteger(image, 'totalMinor'),
    creditedMinor: optionalInteger(image, 'creditedMinor'),
    paidMinor: optionalInteger(image, 'paidMinor'),
    ...(writtenOffAt === undefined ? {} : { writtenOffAt }),
  };
};

/** An issued invoice's payment events: its payment status changed; it became overdue. */
function paymentEvents(
  change: ItemChange,
  image: Image,
  subject: EventSubject,
  sequence: number,
  data: DocumentEventData,
): DomainEvent[] {
  const before = change.oldImage;
  if (before === undefined) return [];
  const facts = factsOf(image);
  const status = paymentStatusOf(facts);
  const previousStatus = paymentStatusOf(factsOf(before));
  const dueDate = optionalText(image, 'dueDate');
  const payment = {
    status,
    openMinor: openAmountOf(facts),
    paidMinor: facts.paidMinor,
    creditedMinor: facts.creditedMinor,
    ...(dueDate === undefined ? {} : { dueDate }),
  };
  const events: DomainEvent[] = [];
  // When: the writer's stamp of what moved it (a payment, a credit note, a write-off).
  const stamp = ['paidAt', 'creditedAt', 'writtenOffAt'].find(
    (field) =>
      optionalText(image, field) !== undefined && optionalText(image, field) !== optionalText(before, field),
  );
  const at = stamp === undefined ? change.at : timeOf(image, stamp, change);
  if (status !== previousStatus)
    events.push(
      event(DOMAIN_EVENT_TYPE.invoicePaymentStatusChanged, subject, sequence, at, {
        ...data,
        payment: { ...payment, previousStatus },
      }),
    );
  const overdueAt = optionalText(image, 'overdueAt');
  if (overdueAt !== undefined && optionalText(before, 'overdueAt') === undefined)
    events.push(
      event(DOMAIN_EVENT_TYPE.invoiceOverdue, subject, sequence, timeOf(image, 'overdueAt', change), {
        ...data,
        payment,
      }),
    );
  return events;
}

/** Events of an invoice row or credit-note item (same fields; `documentType` tells them apart). */
function documentEvents(change: ItemChange, image: Image, kind: 'invoice' | 'credit_note'): DomainEvent[] {
  const before = change.oldImage;
  const status = text(image, 'status', change.key);
  const was = before === undefined ? undefined : optionalText(before, 'status');
  const sequence = versionOf(image, change.key);
  const subject: EventSubject = { kind, id: text(image, 'invoiceNumber', change.key) };
  const data = documentData(image, change.key);
  const events: DomainEvent[] = [];
  const issuedNow = status === INVOICE_STATUS.issued || status === INVOICE_STATUS.notified;
  const issuedBefore = was === INVOICE_STATUS.issued || was === INVOICE_STATUS.notified;
  const types =
    kind === 'invoice'
      ? { issued: DOMAIN_EVENT_TYPE.invoiceIssued, sent: DOMAIN_EVENT_TYPE.invoiceSent }
      : { issued: DOMAIN_EVENT_TYPE.creditNoteIssued, sent: DOMAIN_EVENT_TYPE.creditNoteSent };
  if (issuedNow && !issuedBefore)
    events.push(event(types.issued, subject, sequence, timeOf(image, 'issuedAt', change), data));
  if (status === INVOICE_STATUS.notified && was !== INVOICE_STATUS.notified)
    events.push(event(types.sent, subject, sequence, timeOf(image, 'notifiedAt', change), data));
  if (kind === 'invoice' && issuedNow) events.push(...paymentEvents(change, image, subject, sequence, data));
  const outcome = optionalText(image, EMAIL_OUTCOME_ATTRIBUTE);
  const outcomeBefore = before === undefined ? undefined : optionalText(before, EMAIL_OUTCOME_ATTRIBUTE);
  if ((outcome === 'delivered' || outcome === 'bounced') && outcome !== outcomeBefore) {
    const at = optionalText(image, EMAIL_OUTCOME_AT_ATTRIBUTE) ?? change.at;
    events.push(
      event(EMAIL_EVENTS[kind][outcome], subject, sequence, change.at, {
        ...data,
        email: { status: outcome, at },
      }),
    );
  }
  return events;
}

function invoiceTableEvents(change: ItemChange): DomainEvent[] {
  const image = change.newImage;
  // A removal (a row moved to VOID#/REPLACED#) is told by the item it moved to.
  if (image === undefined) return [];
  if (parseInvoiceKey(change.key) !== undefined) {
    if (optionalText(image, 'status') === INVOICE_STATUS.void) return [];
    return documentEvents(change, image, 'invoice');
  }
  if (parseCreditKey(change.key) !== undefined) return documentEvents(change, image, 'credit_note');
  const voided = parseVoidKey(change.key);
  const replaced = parseReplacedKey(change.key);
  if ((voided === undefined && replaced === undefined) || change.oldImage !== undefined) return [];
  const subject: EventSubject = {
    kind: image.documentType === 'credit_note' ? 'credit_note' : 'invoice',
    id: text(image, 'invoiceNumber', change.key),
  };
  const moved = voided !== undefined ? MOVED.voided : MOVED.replaced;
  const reason = optionalText(image, moved.reason);
  return [
    event(moved.type, subject, versionOf(image, change.key), timeOf(image, moved.at, change), {
      ...documentData(image, change.key),
      ...(moved.status === undefined ? {} : { status: moved.status }),
      ...(reason === undefined ? {} : { reason }),
    }),
  ];
}

/** The items a row moves to: which event, and the fields that say when and why. */
const MOVED = {
  voided: {
    type: DOMAIN_EVENT_TYPE.invoiceNumberVoided,
    at: 'voidedAt',
    reason: 'voidReason',
    status: undefined,
  },
  replaced: {
    type: DOMAIN_EVENT_TYPE.invoiceReplaced,
    at: 'replacedAt',
    reason: 'replacedReason',
    status: ANALYTICS_STATUS_REPLACED,
  },
} as const;

function runEvents(change: ItemChange): DomainEvent[] {
  const image = change.newImage;
  if (image === undefined || !isRunRecordKey(change.key) || typeof image.period !== 'string') return [];
  const status = text(image, 'status', change.key);
  const was = change.oldImage === undefined ? undefined : optionalText(change.oldImage, 'status');
  if (status === was) return [];
  const finishedAt = optionalText(image, 'finishedAt');
  const count = (field: string) =>
    typeof image[field] === 'number' ? { [field]: image[field] as number } : {};
  const data: RunEventData = {
    runId: change.key,
    period: text(image, 'period', change.key),
    status,
    startedAt: text(image, 'startedAt', change.key),
    ...(finishedAt === undefined ? {} : { finishedAt }),
    ...count('issued'),
    ...count('skipped'),
    ...count('failed'),
  };
  const subject: EventSubject = { kind: 'run', id: change.key };
  const sequence = versionOf(image, change.key);
  const type = status === RUN_STATUS.running ? DOMAIN_EVENT_TYPE.runStarted : DOMAIN_EVENT_TYPE.runFinished;
  const at = timeOf(image, type === DOMAIN_EVENT_TYPE.runStarted ? 'startedAt' : 'finishedAt', change);
  return [event(type, subject, sequence, at, data)];
}

/** The domain events of one write; none for bookkeeping items and repeated writes. */
export function eventsOfChange(change: ItemChange): DomainEvent[] {
  return change.table === 'invoices' ? invoiceTableEvents(change) : runEvents(change);
}
