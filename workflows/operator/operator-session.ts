/**
 * The operator session over a target's stores: invoice and run queries, credits, regeneration,
 * resends, hosted links, the operator log. What differs between the local stack and a deployed
 * stack (how links are signed, how a run's liveness is known, what customers received) comes in
 * as parts; ./aws-session.ts and workflows/local/harness/session.ts supply them.
 */
import { parseStoredJson } from '../../lambdas/shared/edge/safe-json.js';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { AwsClients } from '../../lambdas/shared/aws/clients.js';
import type { CustomerPublisher } from '../../lambdas/shared/aws/customer-topic.js';
import { DEFAULT_BILLING_TIME_ZONE, type StorageConfig } from '../../lambdas/shared/config.js';
import { s3Keys } from '../../lambdas/shared/contracts/keys.js';
import type { RunSummary } from '../../lambdas/shared/contracts/payloads.js';
import { INVOICE_STATUS, RUN_STATUS } from '../../lambdas/shared/contracts/statuses.js';
import { currencyRefusal } from '../../lambdas/shared/documents/en16931/refusal.js';
import { heldLocks, releaseRunLock, type RunLockDeps } from '../../lambdas/shared/operations/run-locks.js';
import type { HostedLinkIssuer } from '../../lambdas/shared/hosted-links/issuer.js';
import type { CreditInvoiceDeps } from '../../lambdas/shared/operations/credit-invoice.js';
import {
  hostedLinkOf,
  hostedLinkStatus,
  revokeHostedLink,
  type HostedLinkAdminDeps,
} from '../../lambdas/shared/operations/hosted-link-admin.js';
import { sendReminders } from '../../lambdas/shared/operations/send-reminders.js';
import { reminderStepsOf } from '../../lambdas/shared/domain/receivables.js';
import { resendNotification } from '../../lambdas/shared/operations/resend-notification.js';
import type { Stores } from '../../lambdas/shared/store/index.js';
import { s3OperatorLog } from '../../lambdas/shared/store/operator-log.js';
import type { LockHolderCheck, RunRecord } from '../../lambdas/shared/store/runs.js';
import { describePlace, type OperatorSession, type SessionPlace } from './session-types.js';

export interface OperatorSessionParts extends Pick<
  OperatorSession,
  'deliveries' | 'deliverEmails' | 'close' | 'events'
> {
  /** Where the job runs elsewhere (AWS: the deployed function); absent: in this process. */
  runReminders?: OperatorSession['runReminders'];
  place: SessionPlace;
  operator: string;
  clients: AwsClients;
  storage: StorageConfig;
  stores: Stores;
  /** Makes hosted links (the target's secret and public address). */
  issuer: HostedLinkIssuer;
  /** Publishes a customer event to the customer topic (credit notes, resends). */
  publish: CustomerPublisher;
  /** Whether the execution holding a RUNNING record still runs (else the run died). */
  supportRoleNames?: { support: string; operator: string };
  /** What can be known of a run lock's holder (its execution) from here. */
  lockHolderState: LockHolderCheck;
  /** The e-mail dead-letter queue; undefined where e-mail is not deployed (0 dead letters). */
  emailDeadLetterQueue: { sqs: Pick<SQSClient, 'send'>; url: string } | undefined;
}

export function operatorSession(parts: OperatorSessionParts): OperatorSession {
  const { stores, issuer, publish } = parts;
  const where = describePlace(parts.place);
  const listRuns = async (): Promise<RunRecord[]> => {
    const records = await stores.runs.listRecords();
    // A RUNNING record whose execution is gone did not finish and never will.
    return Promise.all(
      records.map(async (r) =>
        r.status === RUN_STATUS.running && (await parts.lockHolderState(r.execution)) === 'stopped'
          ? { ...r, status: RUN_STATUS.died }
          : r,
      ),
    );
  };
  // The credit-note operations (PDF rendering) load on first use, so that a query starts fast.
  const creditOperations = () => import('../../lambdas/shared/operations/credit-invoice.js');
  const linkAdmin: HostedLinkAdminDeps = {
    invoices: stores.invoices,
    links: stores.links,
    issuer,
    now: () => new Date(),
  };
  const lockDeps: RunLockDeps = {
    runs: stores.runs,
    holderState: parts.lockHolderState,
    now: () => new Date(),
  };
  const creditDeps: CreditInvoiceDeps = {
    invoices: stores.invoices,
    documents: stores.documents,
    creditNotes: stores.creditNotes,
    auditChain: stores.auditChain,
    exchangeRates: stores.exchangeRates,
    hostedLinks: issuer,
    publish,
    timeZone: DEFAULT_BILLING_TIME_ZONE,
    now: () => new Date(),
  };
  return {
    place: parts.place,
    operator: parts.operator,
    ...(parts.supportRoleNames ? { supportRoleNames: parts.supportRoleNames } : {}),
    storage: parts.storage,
    clients: parts.clients,
    stores,
    async listInvoices(query) {
      const rows =
        query.period || query.customerId || query.status || query.invoiceNumber
          ? await stores.invoices.query(query)
          : await stores.invoices.scan();
      return rows.sort((a, b) => a.invoiceNumber.localeCompare(b.invoiceNumber));
    },
    async getInvoiceDocuments(invoiceNumber) {
      const [row] = (await stores.invoices.query({ invoiceNumber })).filter(
        (x) => x.status !== INVOICE_STATUS.void,
      );
      if (!row) throw new Error(`no issued invoice with number ${invoiceNumber} in ${where}`);
      if (row.status === INVOICE_STATUS.pending)
        throw new Error(`invoice ${invoiceNumber} is PENDING: its documents are not final`);
      const xmlKey = s3Keys.invoiceXml(row.period, row.customerId, row.invoiceNumber);
      return {
        row,
        pdf: await stores.documents.getBytes(row.pdfKey),
        detail: await stores.documents.getBytes(row.jsonKey),
        ...(currencyRefusal(row.currency) === undefined
          ? { eInvoice: await stores.documents.getBytes(xmlKey) }
          : {}),
      };
    },
    listRuns,
    creditInvoice: async (request) => (await creditOperations()).creditInvoice(creditDeps, request),
    previewCredit: async (request) => (await creditOperations()).previewCredit(creditDeps, request),
    replaceInvoice: async (request) => (await creditOperations()).replaceInvoice(creditDeps, request),
    async getRunProgress(runId) {
      const record = (await listRuns()).find((r) => r.runId === runId);
      if (!record) throw new Error(`no run ${runId} in ${where} (see: invoicer runs list)`);
      const rows = await stores.invoices.query({ period: record.period });
      return {
        runId,
        period: record.period,
        status: record.status,
        startedAt: record.startedAt,
        customers: record.customerCount,
        issuedSoFar: rows.filter((r) => r.issuedByRun === runId).length,
      };
    },
    async getRunSummary(runId) {
      const record = await stores.runs.getRecord(runId);
      if (!record) throw new Error(`no run ${runId} in ${where} (see: invoicer runs list)`);
      if (!record.summaryKey) throw new Error(`run ${runId} has no summary yet (status ${record.status})`);
      const bytes = await stores.documents.getBytes(record.summaryKey);
      return parseStoredJson(bytes, record.summaryKey) as RunSummary;
    },
    deliveries: parts.deliveries,
    deliverEmails: parts.deliverEmails,
    events: parts.events,
    async emailDeadLetters() {
      const queue = parts.emailDeadLetterQueue;
      if (!queue) return 0;
      const { GetQueueAttributesCommand } = await import('@aws-sdk/client-sqs');
      const { Attributes } = await queue.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queue.url,
          AttributeNames: ['ApproximateNumberOfMessages'],
        }),
      );
      return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
    },
    operatorLog: s3OperatorLog(stores.documents),
    regenerateDocuments: async (invoiceNumber) =>
      (await import('../../lambdas/shared/operations/regenerate-documents.js')).regenerateDocuments(
        { invoices: stores.invoices, documents: stores.documents },
        invoiceNumber,
      ),
    resendNotification: (invoiceNumber, resend) =>
      resendNotification({ invoices: stores.invoices, hostedLinks: issuer, publish }, invoiceNumber, resend),
    runReminders:
      parts.runReminders ??
      ((input) =>
        sendReminders(
          {
            invoices: stores.invoices,
            reminders: stores.reminders,
            hostedLinks: issuer,
            publish,
            steps: reminderStepsOf(process.env),
            timeZone: DEFAULT_BILLING_TIME_ZONE,
            now: () => new Date(),
          },
          input,
        )),
    runLocks: () => heldLocks(lockDeps),
    releaseRunLock: (request) => releaseRunLock(lockDeps, request),
    hostedLink: (invoiceNumber) => hostedLinkOf(linkAdmin, invoiceNumber),
    hostedLinkStatus: (invoiceNumber) => hostedLinkStatus(linkAdmin, invoiceNumber),
    revokeHostedLink: (request) => revokeHostedLink(linkAdmin, request),
    close: parts.close,
  };
}
