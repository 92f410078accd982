/**
 * The lifecycle values stored in DynamoDB: invoice index rows and run records. The ASL's
 * condition expressions use the invoice statuses as literals; test/workflow/asl-contracts.test.ts
 * ties them to these constants.
 */
export const INVOICE_STATUS = {
  /** Number reserved, documents being written. */
  pending: 'PENDING',
  /** Documents final. */
  issued: 'ISSUED',
  /** Customer told. */
  notified: 'NOTIFIED',
  /** The number was kept with a reason and never reused. */
  void: 'VOID',
} as const;

export type InvoiceStatus = (typeof INVOICE_STATUS)[keyof typeof INVOICE_STATUS];
export const INVOICE_STATUSES: readonly InvoiceStatus[] = Object.values(INVOICE_STATUS);
/** The statuses of an issued document (its documents are final): what lists, links and e-mails show. */
export const ISSUED_STATUSES: readonly InvoiceStatus[] = [INVOICE_STATUS.issued, INVOICE_STATUS.notified];

export const RUN_STATUS = {
  running: 'RUNNING',
  succeeded: 'SUCCEEDED',
  completedWithFailures: 'COMPLETED_WITH_FAILURES',
  failed: 'FAILED',
  /**
   * Shown, never stored: a RUNNING record whose executor is gone (a local run's process died); its
   * lock is taken over by the next run of the period.
   */
  died: 'DIED',
} as const;

export type RunStatus = (typeof RUN_STATUS)[keyof typeof RUN_STATUS];
