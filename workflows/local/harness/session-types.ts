/** What a local session offers (./session.ts builds it): the support-staff queries and actions. */
import type { AwsClientOptions, AwsClients } from '../../../lambdas/shared/aws/clients.js';
import type { StorageConfig } from '../../../lambdas/shared/config.js';
import type { RunSummary } from '../../../lambdas/shared/contracts/payloads.js';
import type {
  CreditInvoiceRequest,
  CreditInvoiceResult,
  ReplaceInvoiceResult,
} from '../../../lambdas/shared/operations/credit-invoice.js';
import type { RevokeResult, revokeHostedLink } from '../../../lambdas/shared/operations/hosted-link-admin.js';
import type { RegenerateResult } from '../../../lambdas/shared/operations/regenerate-documents.js';
import type { ResendResult } from '../../../lambdas/shared/operations/resend-notification.js';
import type { Stores } from '../../../lambdas/shared/store/index.js';
import type { InvoiceQuery, InvoiceRow } from '../../../lambdas/shared/store/invoice-index.js';
import type { OperatorLog } from '../../../lambdas/shared/store/operator-log.js';
import type { RunRecord } from '../../../lambdas/shared/store/runs.js';
import type { DeliveryRound } from '../email-queue.js';
import type { LocalLinkSettings } from '../hosted-links.js';
import type { LocalExecutions } from '../liveness.js';
import type { ReceivedEmail } from '../mail-dir.js';
import type { LocalStack } from '../stack.js';

export interface RunProgress {
  runId: string;
  period: string;
  /** RUNNING, or DIED when its process is gone. */
  status: string;
  startedAt: string;
  customers: number;
  /** Invoices this run issued so far (ISSUED or NOTIFIED rows it committed). */
  issuedSoFar: number;
}

/** A notification as a customer received it (the local inbox queue), as the CLI shows it. */
export interface CustomerMessage {
  customerId: string;
  eventType: string;
  invoiceNumber?: string;
  /** The `currency` message attribute (subscriptions may filter on it). */
  currency?: string;
  receivedAt?: string;
  text: string;
  event: Record<string, unknown>;
}

export interface LocalSession {
  dataDir: string;
  stack: LocalStack;
  storage: StorageConfig;
  /** SDK clients against the local endpoints, for support queries and tests (not counted). */
  clients: AwsClients;
  stores: Stores;
  /** How this data dir's hosted links are made (its secret, the address they point at). */
  linkSettings: LocalLinkSettings;
  /** The runs this session is executing: the lock-holder liveness of local runs. */
  executions: LocalExecutions;
  /** Client options of the stack: the harness adds its middlewares for a run's handlers. */
  clientOptions(middlewares?: AwsClientOptions['middlewares']): AwsClientOptions;
  listInvoices(query: InvoiceQuery): Promise<InvoiceRow[]>;
  /** An issued invoice's documents; `eInvoice` absent where its currency allows none. */
  getInvoiceDocuments(
    invoiceNumber: string,
  ): Promise<{ row: InvoiceRow; pdf: Buffer; detail: Buffer; eInvoice?: Buffer }>;
  listRuns(): Promise<RunRecord[]>;
  getRunSummary(runId: string): Promise<RunSummary>;
  /** A run without a summary yet (running, or died): its record and the invoices it issued so far. */
  getRunProgress(runId: string): Promise<RunProgress>;
  /** Corrects an issued invoice with a credit note (numbered, documented, notified). */
  creditInvoice(request: CreditInvoiceRequest): Promise<CreditInvoiceResult>;
  /** Credits what is left of an invoice and sets it aside, for the next run to issue anew. */
  replaceInvoice(request: {
    invoiceNumber: string;
    reason: string;
    by: string;
  }): Promise<ReplaceInvoiceResult>;
  readInbox(customerId?: string): Promise<CustomerMessage[]>;
  /**
   * The e-mail subscriber's turn (on AWS it runs whenever the queue has messages): delivers the
   * queued customer events as e-mails through local SES, mirrored into <dataDir>/mail.
   */
  deliverEmails(): Promise<DeliveryRound>;
  /** Queue messages whose e-mail failed for good (in the e-mail dead-letter queue). */
  emailDeadLetters(): Promise<number>;
  /** The e-mails customers received (one customer's: those to its address), oldest first. */
  readMail(customerId?: string): Promise<ReceivedEmail[]>;
  /** Support staff's actions on invoices and runs, append-only (lambdas/shared/store/operator-log.ts). */
  operatorLog: OperatorLog;
  /** Re-renders a document's files from its JSON detail: identical, restored, or an error. */
  regenerateDocuments(invoiceNumber: string): Promise<RegenerateResult>;
  /** Publishes resend number `resend` of a NOTIFIED document's notification. */
  resendNotification(invoiceNumber: string, resend: number): Promise<ResendResult>;
  /** A document's hosted link, and revoking it (see lambdas/shared/operations/hosted-link-admin.ts). */
  hostedLink(invoiceNumber: string): Promise<string>;
  revokeHostedLink(request: Parameters<typeof revokeHostedLink>[1]): Promise<RevokeResult>;
  close(): Promise<void>;
}
