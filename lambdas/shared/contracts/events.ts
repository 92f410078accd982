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

/** Message attributes of the customer notification. */
export const MESSAGE_ATTRIBUTE = {
  eventType: 'eventType',
  customerId: 'customerId',
  invoiceNumber: 'invoiceNumber',
  period: 'period',
} as const;
