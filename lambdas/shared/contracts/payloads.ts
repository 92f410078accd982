/**
 * What each step of the billing run receives and returns: the Lambda payloads the ASL builds
 * (Parameters / Payload) and reads back (ResultSelector / ResultPath), in one place. Handlers,
 * the local harness and the CLI import these; no handler imports another handler.
 */
import type { documentHashesAttribute } from './document-hashes.js';
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
   * `{ period }` and, for one run, `maxConcurrency` / `toleratedFailurePercentage` / `batchSize`,
   * and `customers` to bill only those (`invoicer rerun`).
   */
  request: {
    period?: string;
    scheduledTime?: string;
    maxConcurrency?: number;
    toleratedFailurePercentage?: number;
    batchSize?: number;
    /** Only these customers (a re-run of some): each must exist; others are not billed. */
    customers?: string[];
  };
  executionName: string;
  /** The execution ARN on AWS; the local harness gives its own holder id (see its liveness). */
  executionId: string;
  startTime: string;
}

export interface PlanRunOutput {
  runId: string;
  period: string;
  /** The day this run issues its invoices (PlanRun: the run's start in the billing time zone). */
  issueDate: string;
  /** What support staff should know about the period (e.g. older than the last ended one). */
  notices: string[];
  manifest: { bucket: string; key: string };
  customerCount: number;
  /** Customers in flight at once (the run setting). */
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  /** Customers per map child (ItemBatcher MaxItemsPerBatch). */
  batchSize: number;
  /** Map children in flight at once: maxConcurrency / batchSize, rounded up. */
  mapConcurrency: number;
  resultsPrefix: string;
}

// ---------------------------------------------------------------------------------------------
// Per batch of customers (a Distributed Map child) and per customer (its inline Map)

/** A map child's input: ItemBatcher's `{ Items, BatchInput }`. */
export interface BatchInput {
  Items: { customerId: string }[];
  BatchInput: { runId: string; period: string; issueDate: string };
}

export interface ComputeInput {
  customerId: string;
  period: string;
  issueDate: string;
  runId: string;
}

/** ComputeInvoice for a whole batch: what ComputeBatch sends. */
export interface ComputeBatchInput {
  customerIds: string[];
  period: string;
  issueDate: string;
  runId: string;
}

/**
 * What ComputeInvoice decided; the ASL's Choice branches on it. `notify`: issued by an earlier run
 * whose publish failed (the row says so: `notifyFailedAt`), so this is the first notification;
 * `renotify`: issued earlier and perhaps published already (that run stopped between the publish
 * and MarkNotified), so the customer may get it twice; `failed`: the customer's data is wrong
 * (reported, nothing reserved); `compute`: the batch left this customer to the per-customer
 * ComputeInvoice state (a transient error, or a draft too big for the batch's payload).
 */
export const COMPUTE_ACTION = {
  skip: 'skip',
  notify: 'notify',
  renotify: 'renotify',
  issue: 'issue',
  failed: 'failed',
  compute: 'compute',
} as const;
export type ComputeAction = (typeof COMPUTE_ACTION)[keyof typeof COMPUTE_ACTION];

/** A customer's `outcome` in a map child's output (its last Pass state); FinalizeRun counts them. */
export const CHILD_OUTCOME = { issued: 'issued', skipped: 'skipped', failed: 'failed' } as const;

export interface ComputeOutput {
  action: ComputeAction;
  draft: InvoiceDraft | null;
  invoice: InvoiceRef | null;
  notification: { message: string } | null;
}

/** One customer of a computed batch: the decision, and its slot in the batch's number block. */
export interface BatchCustomer extends ComputeOutput {
  customerId: string;
  /** action `issue` without a PENDING row: its position in the block (0-based); else null. */
  slot: number | null;
  /** action `failed`: the error, as Step Functions would name it. */
  error: { Error: string; Cause: string } | null;
}

export interface ComputeBatchOutput {
  customers: BatchCustomer[];
  /** The numbers the batch needs: one counter increment of `size` on the item `key`. */
  block: { key: string; series: string; size: number };
}

/** The block a batch reserved: sequences last - size + 1 ... last. */
export interface NumberBlock {
  last: number;
  size: number;
}

export interface ReserveInput {
  customerId: string;
  period: string;
  issueDate: string;
  runId: string;
  draft: InvoiceDraft;
  /** The batch's block and this customer's slot in it; absent: take a number of its own. */
  block?: NumberBlock | null;
  slot?: number | null;
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
  /** The SHA-256 of each file written, as the DynamoDB map CommitInvoice records on the row. */
  documentHashes: ReturnType<typeof documentHashesAttribute>;
}

export interface CompensateInput {
  customerId: string;
  period: string;
  issueDate: string;
  runId: string;
  /** The reservation to undo; null when ReserveNumber itself failed (then `block`/`slot` name the number). */
  invoice: InvoiceRef | null;
  block?: NumberBlock | null;
  slot?: number | null;
  error: { Error: string; Cause?: string };
  /** The state that failed (ReserveNumber, RenderDocuments, CommitInvoice), set by the ASL's Catch route. */
  failedStep?: string;
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
    issueDate: string;
    notices?: string[];
    resultsPrefix: string;
    customerCount: number;
    toleratedFailurePercentage?: number;
    mapError?: { Error: string; Cause: string };
  };
}

export interface RunFailure {
  customerId: string;
  /** The state that failed (ComputeInvoice, ReserveNumber, RenderDocuments, ...); absent for a whole failed batch. */
  step?: string;
  error: string;
  cause: string;
}

/** The summary of a finished run: FinalizeRun's output, runs/<runId>/summary.json, the CLI's `--json`. */
export interface RunSummary {
  runId: string;
  period: string;
  /** The day the run issued its invoices. */
  issueDate: string;
  /** What support staff should know about the run (e.g. its period is older than the last ended one). */
  notices: string[];
  status: RunStatus;
  customers: number;
  issued: number;
  skipped: number;
  /**
   * Invoices issued by an earlier run whose notification that run may have published already (it
   * stopped between publishing and recording it): this run published it again, a possible repeat.
   */
  notificationsResent: number;
  /** Invoices issued by an earlier run whose publish failed: this run sent their first notification. */
  notificationsCompleted: number;
  failed: number;
  /** Customers in the manifest with no result (the map stopped before them). */
  notProcessed: number;
  totals: { currency: string; totalMinor: number; total: string; invoices: number }[];
  /** The first 100 failures by customer id (`failed` counts them all; failuresPrefix lists them all). */
  failures: RunFailure[];
  /** s3:// prefix of JSON Lines parts: one `{ customerId, invoiceNumber, currency, totalMinor }` per issued invoice. */
  issuedInvoicesPrefix: string;
  /** s3:// prefix of JSON Lines parts: one RunFailure per failed customer. */
  failuresPrefix: string;
  /** Numbers found taken but never claimed (an interrupted reservation), now kept as VOID. */
  voidedUnclaimedNumbers: string[];
  documentsPrefix: string;
  summaryKey: string;
  subject: string;
  mapError?: { Error: string; Cause: string };
  /** The audit manifests this run appended to their series' chains (S3 keys), none when unchanged. */
  auditManifests?: string[];
}

export interface FinalizeOutput {
  summary: RunSummary;
  opsMessage: string;
  thresholdExceeded: boolean;
}
