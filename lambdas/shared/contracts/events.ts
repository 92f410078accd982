/**
 * Event types and SNS message attribute names. Subscribers filter on these (filter policies on
 * `eventType`, `customerId`), so they are a public contract: the ASL publishes them as literals
 * and test/workflow/asl-contracts.test.ts ties those literals to these constants.
 */
export const EVENT_TYPE = {
  /** To the customer topic, once per issued invoice. */
  invoiceIssued: 'invoice.issued',
  /** To the customer topic, once per issued credit note. */
  creditNoteIssued: 'credit_note.issued',
  /** To the customer topic, once per (invoice, reminder step): the daily reminder job. */
  paymentReminder: 'invoice.payment_reminder',
  /** To the ops topic, once per finished run. */
  runFinished: 'run.finished',
} as const;

/**
 * The version of the customer event's JSON shape (lambdas/shared/notification.ts). 2: `eventId`,
 * `dueDate`, `locale`, `links` (read API paths); the text in the customer's language. Added since,
 * without a new version (fields only ever added): `hostedUrl`, `links.email`, the
 * `invoice.payment_reminder` type and its `reminder` field.
 */
export const NOTIFICATION_SCHEMA_VERSION = 2;

/** Message attributes of the customer notification. */
export const MESSAGE_ATTRIBUTE = {
  eventType: 'eventType',
  customerId: 'customerId',
  invoiceNumber: 'invoiceNumber',
  currency: 'currency',
  period: 'period',
} as const;

/** The customer events the e-mail subscriber delivers: its queue's filter policy on `eventType`. */
export const EMAILED_EVENT_TYPES: readonly string[] = [
  EVENT_TYPE.invoiceIssued,
  EVENT_TYPE.creditNoteIssued,
  EVENT_TYPE.paymentReminder,
];

/** SES message tags on every invoice e-mail: bounces and complaints name the delivery by them. */
export const EMAIL_TAG = {
  eventId: 'eventId',
  invoiceNumber: 'invoiceNumber',
} as const;

/** The e-mail queue's SNS subscription: only the events it delivers, as the raw event. */
export const EMAIL_SUBSCRIPTION_FILTER_POLICY = { [MESSAGE_ATTRIBUTE.eventType]: [...EMAILED_EVENT_TYPES] };
/** Receives of one message before the e-mail queue moves it to its dead-letter queue. */
export const EMAIL_MAX_RECEIVE_COUNT = 5;
