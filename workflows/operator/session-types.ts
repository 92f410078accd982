/**
 * What support staff work with on either target: the queries and actions of a session on the local
 * stack (workflows/local/harness/session.ts) or on a deployed stack (./aws-session.ts). The CLI and
 * the console see only this.
 */
import type { AwsClients } from '../../lambdas/shared/aws/clients.js';
import type { StorageConfig } from '../../lambdas/shared/config.js';
import type { RunSummary } from '../../lambdas/shared/contracts/payloads.js';
import type {
  CreditInvoiceRequest,
  CreditInvoiceResult,
  CreditPreview,
  ReplaceInvoiceResult,
} from '../../lambdas/shared/operations/credit-invoice.js';
import type {
  HostedLinkStatus,
  RevokeResult,
  revokeHostedLink,
} from '../../lambdas/shared/operations/hosted-link-admin.js';
import type { HeldLock } from '../../lambdas/shared/operations/run-locks.js';
import type { ReminderJobResult } from '../../lambdas/shared/operations/send-reminders.js';
import type { RegenerateResult } from '../../lambdas/shared/operations/regenerate-documents.js';
import type { ResendResult } from '../../lambdas/shared/operations/resend-notification.js';
import type { Stores } from '../../lambdas/shared/store/index.js';
import type { InvoiceQuery, InvoiceRow } from '../../lambdas/shared/store/invoice-index.js';
import type { OperatorLog } from '../../lambdas/shared/store/operator-log.js';
import type { RunRecord } from '../../lambdas/shared/store/runs.js';
import type { WebhookAdminDeps } from '../../lambdas/shared/operations/webhook-admin.js';
import type { DeliveryRound } from '../local/email-queue.js';
import type { EventRound } from '../local/harness/session-events.js';
import type { ReceivedEmail } from '../local/mail-dir.js';

/** Where a session works: a local data dir, or a deployed CloudFormation stack. */
export type SessionPlace =
  { kind: 'local'; dataDir: string } | { kind: 'aws'; stackName: string; region: string };

export const describePlace = (place: SessionPlace): string =>
  place.kind === 'local' ? place.dataDir : `stack ${place.stackName} (${place.region})`;

export interface RunProgress {
  runId: string;
  period: string;
  /** RUNNING, or DIED when its execution is gone. */
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

/** What customers received, where it can be read: the local stack's subscribers (not AWS's). */
export interface Deliveries {
  readInbox(customerId?: string): Promise<CustomerMessage[]>;
  /** The e-mails customers received (one customer's: those to its address), oldest first. */
  readMail(customerId?: string): Promise<ReceivedEmail[]>;
}

/** The domain events and webhooks of a target (lambdas/shared/operations/webhook-admin.ts). */
export interface EventsAccess extends WebhookAdminDeps {
  /**
   * Local only: one turn of the change stream and the webhook queue (on AWS their Lambdas run
   * whenever records and messages arrive).
   */
  deliverEvents?: () => Promise<EventRound>;
}

export interface OperatorSession {
  place: SessionPlace;
  /** Who acts, for the operator log: the IAM caller's ARN on AWS, `local:<user>@<host>` locally. */
  operator: string;
  /** A deployed stack's support and operator role names (infra/support-role-names.ts); absent locally. */
  supportRoleNames?: { support: string; operator: string };
  storage: StorageConfig;
  /** SDK clients of the target, for support queries and tests. */
  clients: AwsClients;
  stores: Stores;
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
  /** What that credit note would be (amounts), reserving and writing nothing. */
  previewCredit(request: Omit<CreditInvoiceRequest, 'by'>): Promise<CreditPreview>;
  /** Credits what is left of an invoice and sets it aside, for the next run to issue anew. */
  replaceInvoice(request: {
    invoiceNumber: string;
    reason: string;
    by: string;
  }): Promise<ReplaceInvoiceResult>;
  /**
   * What customers received, on the local stack (its inbox queue and mail dir); undefined on AWS,
   * where notifications go to the topic's subscribers and e-mails through SES.
   */
  deliveries: Deliveries | undefined;
  /**
   * The e-mail subscriber's turn on the local stack (on AWS the subscriber Lambda runs whenever its
   * queue has messages: nothing to do here).
   */
  deliverEmails(): Promise<DeliveryRound>;
  /** Events and webhooks; undefined on a deployed stack from before them (no outputs for them). */
  events: EventsAccess | undefined;
  /** Queue messages whose e-mail failed for good (in the e-mail dead-letter queue). */
  emailDeadLetters(): Promise<number>;
  /** Support staff's actions on invoices and runs, append-only (lambdas/shared/store/operator-log.ts). */
  operatorLog: OperatorLog;
  /** Re-renders a document's files from its JSON detail: identical, restored, or an error. */
  regenerateDocuments(invoiceNumber: string): Promise<RegenerateResult>;
  /** Publishes resend number `resend` of a NOTIFIED document's notification. */
  resendNotification(invoiceNumber: string, resend: number): Promise<ResendResult>;
  /**
   * The daily reminder job for `date` (default: today in the billing time zone): in this process
   * on the local stack, the deployed SendReminders function on AWS.
   */
  runReminders(input: { date?: string }): Promise<ReminderJobResult>;
  /** Every period's run lock held now, with what can be known of its holder (operations/run-locks.ts). */
  runLocks(): Promise<HeldLock[]>;
  /** Releases a stuck lock after checking its holder; refusals are RunLockError. */
  releaseRunLock(request: { period: string; force: boolean }): Promise<HeldLock>;
  /** A document's hosted link, and revoking it (see lambdas/shared/operations/hosted-link-admin.ts). */
  hostedLink(invoiceNumber: string): Promise<string>;
  /** The state of a document's current link (read only: a link is made when first sent). */
  hostedLinkStatus(invoiceNumber: string): Promise<HostedLinkStatus>;
  revokeHostedLink(request: Parameters<typeof revokeHostedLink>[1]): Promise<RevokeResult>;
  close(): Promise<void>;
}
