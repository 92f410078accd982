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
  /** To the ops topic, once per finished run. */
  runFinished: 'run.finished',
} as const;

/**
 * The version of the customer event's JSON shape (lambdas/shared/notification.ts). 2: `eventId`,
 * `dueDate`, `locale`, `links` (read API paths); the text in the customer's language.
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
