/**
 * What each step of the billing run receives and returns: the Lambda payloads the ASL builds
 * (Parameters / Payload) and reads back (ResultSelector / ResultPath), in one place. Handlers,
 * the local harness and the CLI import these; no handler imports another handler.
 */
import type { InvoiceDraft } from '../domain/types.js';
import type { InvoiceStatus, RunStatus } from './statuses.js';

/** The index row fields a child step carries along: the invoice's identity and documents. */
export interface InvoiceRef {
  invoiceKey: string;
  invoiceNumber: string;
  status: InvoiceStatus;
  totalMinor: number;
  currency: string;
  pdfKey: string;
  jsonKey: string;
  issueDate: string;
}

// ---------------------------------------------------------------------------------------------
// PlanRun

export interface PlanRunInput {
  /**
   * What started the run: the scheduler sends `{ scheduledTime }`; support staff may send
   * `{ period }` and, for one run, `maxConcurrency` / `toleratedFailurePercentage`.
   */
  request: {
    period?: string;
    scheduledTime?: string;
    maxConcurrency?: number;
    toleratedFailurePercentage?: number;
  };
  executionName: string;
  /** The execution ARN on AWS; the local harness gives its own holder id (see its liveness). */
  executionId: string;
  startTime: string;
}

export interface PlanRunOutput {
  runId: string;
  period: string;
  manifest: { bucket: string; key: string };
  customerCount: number;
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  resultsPrefix: string;
}

// ---------------------------------------------------------------------------------------------
// Per customer (the Distributed Map's children)

export interface ComputeInput {
  customerId: string;
  period: string;
  runId: string;
}

/** What ComputeInvoice decided; the ASL's Choice branches on it. */
export const COMPUTE_ACTION = { skip: 'skip', notify: 'notify', issue: 'issue' } as const;
export type ComputeAction = (typeof COMPUTE_ACTION)[keyof typeof COMPUTE_ACTION];

/** A succeeded map child's `outcome` (its last Pass state); FinalizeRun counts them. */
export const CHILD_OUTCOME = { issued: 'issued', skipped: 'skipped' } as const;

export interface ComputeOutput {
  action: ComputeAction;
  draft: InvoiceDraft | null;
  invoice: InvoiceRef | null;
  notification: { message: string } | null;
}

export interface ReserveInput {
  customerId: string;
  period: string;
  runId: string;
  draft: InvoiceDraft;
}

export type ReserveOutput = InvoiceRef;

export interface RenderInput {
  draft: InvoiceDraft;
  invoice: InvoiceRef;
  runId: string;
}

/** The SNS message (MessageStructure json) NotifyCustomer publishes. */
export interface RenderOutput {
  message: string;
}

export interface CompensateInput {
  customerId: string;
  period: string;
  runId: string;
  invoice: InvoiceRef;
  error: { Error: string; Cause?: string };
}

export interface CompensateOutput {
  voided: boolean;
}

// ---------------------------------------------------------------------------------------------
// FinalizeRun and the run summary

export interface FinalizeInput {
  run: {
    runId: string;
    period: string;
    resultsPrefix: string;
    customerCount: number;
    mapError?: { Error: string; Cause: string };
  };
}

export interface RunFailure {
  customerId: string;
  error: string;
  cause: string;
}

/** The summary of a finished run: FinalizeRun's output, runs/<runId>/summary.json, the CLI's `--json`. */
export interface RunSummary {
  runId: string;
  period: string;
  status: RunStatus;
  customers: number;
  issued: number;
  skipped: number;
  /** Invoices issued by an earlier run whose notification this run sent (the run before stopped first). */
  notificationsResent: number;
  failed: number;
  /** Customers in the manifest with no result (the map stopped before them). */
  notProcessed: number;
  totals: { currency: string; totalMinor: number; total: string; invoices: number }[];
  failures: RunFailure[];
  issuedInvoices: { customerId: string; invoiceNumber: string }[];
  /** Numbers found taken but never claimed (an interrupted reservation), now kept as VOID. */
  voidedUnclaimedNumbers: string[];
  documentsPrefix: string;
  summaryKey: string;
  subject: string;
  mapError?: { Error: string; Cause: string };
}

export interface FinalizeOutput {
  summary: RunSummary;
  opsMessage: string;
  thresholdExceeded: boolean;
}
