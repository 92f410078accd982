/**
 * The domain events the owner's systems receive (webhooks, the events topic, the archive): one
 * owner for their types, their JSON shape, the attribute that orders them and the headers a
 * webhook carries. The mapper (lambdas/publish-events) makes them from DynamoDB stream records;
 * lambdas/shared/domain/change-events.ts decides which write is which event.
 *
 * Two promises a consumer builds on (docs/events.md):
 *   - `id` is derived from the document's key, its `sequence` and the type, so every retry,
 *     redelivery and replay of the same change carries the same id;
 *   - `sequence` is the document's `version` after the write (every writer of a document adds 1),
 *     so per `subject` it only grows: keep the highest seen, drop anything not above it.
 */

export const DOMAIN_EVENT_TYPE = {
  invoiceIssued: 'invoice.issued',
  /** The customer was notified (the index row went NOTIFIED). */
  invoiceSent: 'invoice.sent',
  invoiceEmailDelivered: 'invoice.email_delivered',
  invoiceEmailBounced: 'invoice.email_bounced',
  /** A reserved number was kept as VOID with its reason (never reused). */
  invoiceNumberVoided: 'invoice.number_voided',
  /** Credited in full and set aside, so that its (customer, period) is issued anew. */
  invoiceReplaced: 'invoice.replaced',
  /** Its payment status changed (a payment, a reversal, a credit note, a write-off: docs/payments.md). */
  invoicePaymentStatusChanged: 'invoice.payment_status_changed',
  /** Its due date passed with something open (the daily reminder job's first look). */
  invoiceOverdue: 'invoice.overdue',
  creditNoteIssued: 'credit_note.issued',
  creditNoteSent: 'credit_note.sent',
  creditNoteEmailDelivered: 'credit_note.email_delivered',
  creditNoteEmailBounced: 'credit_note.email_bounced',
  runStarted: 'run.started',
  runFinished: 'run.finished',
} as const;

export type DomainEventType = (typeof DOMAIN_EVENT_TYPE)[keyof typeof DOMAIN_EVENT_TYPE];
export const DOMAIN_EVENT_TYPES: readonly DomainEventType[] = Object.values(DOMAIN_EVENT_TYPE);
/** The longest type's length: lists align their columns on it. */
export const EVENT_TYPE_WIDTH = Math.max(...DOMAIN_EVENT_TYPES.map((t) => t.length));
export const isDomainEventType = (value: string): value is DomainEventType =>
  (DOMAIN_EVENT_TYPES as readonly string[]).includes(value);

/** The version of the event's JSON shape; fields are only ever added within a version. */
export const DOMAIN_EVENT_SCHEMA_VERSION = 1;

/**
 * The attribute every writer of a document item (invoice rows, VOID, REPLACED and credit-note
 * items, run records) increments by one (`ADD version :one`); the ASL's updates use it as a
 * literal, tied here by test/workflow/asl-contracts.test.ts.
 */
export const VERSION_ATTRIBUTE = 'version';

/** What an event is about: the document (its number) or the run (its id). */
export interface EventSubject {
  kind: 'invoice' | 'credit_note' | 'run';
  id: string;
}

/** The thin payload: ids, status, totals, period and where to read the rest; never the documents. */
export interface DocumentEventData {
  invoiceNumber: string;
  customerId: string;
  period: string;
  status: string;
  totalMinor: number;
  currency: string;
  issueDate: string;
  /** A credit note: the invoice it corrects. */
  corrects?: string;
  /** VOID: why; replaced: why. */
  reason?: string;
  /** The e-mail events: SES's outcome. */
  email?: { status: string; at: string };
  /** The payment events: the status now (and before), and the sums the open amount comes from. */
  payment?: {
    status: string;
    previousStatus?: string;
    openMinor: number;
    paidMinor: number;
    creditedMinor: number;
    dueDate?: string;
  };
  /** Read API paths (contracts/api-paths.ts). */
  links?: { self: string; pdf: string; json: string };
}

export interface RunEventData {
  runId: string;
  period: string;
  status: string;
  startedAt: string;
  finishedAt?: string;
  issued?: number;
  skipped?: number;
  failed?: number;
}

export interface DomainEvent {
  /** `evt_` + 32 hex: the Standard Webhooks `webhook-id`, the same on every delivery. */
  id: string;
  type: DomainEventType;
  schemaVersion: number;
  /** When the write happened (the stream record's time, ISO 8601). */
  timestamp: string;
  subject: EventSubject;
  /** The subject's version after the write: only grows per subject. */
  sequence: number;
  data: DocumentEventData | RunEventData;
}

/** Standard Webhooks headers (https://www.standardwebhooks.com). */
export const WEBHOOK_HEADER = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

/**
 * Seconds to wait before each retry of a failed webhook delivery: 12 attempts over about three
 * days (5 s, 1 min, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, 12 h, 12 h, 14 h), then the dead-letter
 * queue. SQS delays a message 15 minutes at most, so longer waits are re-sent until due.
 */
export const WEBHOOK_RETRY_DELAYS_SECONDS: readonly number[] = [
  5, 60, 300, 1_800, 7_200, 18_000, 36_000, 36_000, 43_200, 43_200, 50_400,
];
/** The longest delay SQS takes on one message. */
export const SQS_MAX_DELAY_SECONDS = 900;
/** Receives of one message the delivery function failed on (its own parts down) before the dead-letter queue. */
export const WEBHOOK_MAX_RECEIVE_COUNT = 10;
/** How long one webhook POST may take before it counts as failed (the others are not held up). */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** How long the delivery log keeps an attempt (DynamoDB TTL). */
export const WEBHOOK_DELIVERY_LOG_DAYS = 30;
/** After rotate-secret, deliveries are signed with the old secret too for this long. */
export const WEBHOOK_SECRET_OVERLAP_HOURS = 24;
