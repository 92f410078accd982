/**
 * A session on the embedded local stack: starts DynamoDB Local and fauxqs for a data dir, builds
 * SDK clients and stores against them, and offers the support-staff queries (invoices, documents,
 * runs, inbox). The CLI, the benchmark and the tests all open one; runs go through
 * ./billing-run.ts. Nothing here talks to AWS, and nothing here touches process.env.
 */
import { hostname } from 'node:os';
import { readFileSync } from 'node:fs';
import {
  createAwsClients,
  type AwsClientOptions,
  type AwsClients,
} from '../../../lambdas/shared/aws/clients.js';
import type { StorageConfig } from '../../../lambdas/shared/config.js';
import { s3Keys } from '../../../lambdas/shared/contracts/keys.js';
import { currencyRefusal } from '../../../lambdas/shared/documents/en16931/refusal.js';
import type { RunSummary } from '../../../lambdas/shared/contracts/payloads.js';
import { INVOICE_STATUS, RUN_STATUS } from '../../../lambdas/shared/contracts/statuses.js';
import { PublishCommand } from '@aws-sdk/client-sns';
import { DEFAULT_BILLING_TIME_ZONE, DEFAULT_SELLER } from '../../../lambdas/shared/config.js';
import type {
  CreditInvoiceDeps,
  CreditInvoiceRequest,
  CreditInvoiceResult,
  ReplaceInvoiceResult,
} from '../../../lambdas/shared/operations/credit-invoice.js';
import {
  hostedLinkOf,
  revokeHostedLink,
  type HostedLinkAdminDeps,
  type RevokeResult,
} from '../../../lambdas/shared/operations/hosted-link-admin.js';
import { createStores, type Stores } from '../../../lambdas/shared/store/index.js';
import { s3OperatorLog, type OperatorLog } from '../../../lambdas/shared/store/operator-log.js';
import type { RegenerateResult } from '../../../lambdas/shared/operations/regenerate-documents.js';
import {
  resendNotification,
  type ResendResult,
} from '../../../lambdas/shared/operations/resend-notification.js';
import type { InvoiceQuery, InvoiceRow } from '../../../lambdas/shared/store/invoice-index.js';
import type { RunRecord } from '../../../lambdas/shared/store/runs.js';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { deliverQueuedEmails, type DeliveryRound } from '../email-queue.js';
import type { SqsBatchResponse, SqsEvent } from '../../../lambdas/deliver-email/handler.js';
import { sqsEntryOf } from '../integrations.js';
import { readMailDir, type ReceivedEmail } from '../mail-dir.js';
import { localObservability } from './observability.js';
import { LocalExecutions } from '../liveness.js';
import {
  LOCAL_PUBLIC_BASE_URL,
  localHostedLinks,
  localLinkSecret,
  type LocalLinkSettings,
} from '../hosted-links.js';
import type { InboxMessage, LocalStack } from '../stack.js';

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

/** The local tables and bucket, from the stack's resources (named after the CDK template's). */
function storageOf(stack: LocalStack): StorageConfig {
  const t = stack.resources.tables;
  return {
    tables: { customers: t.Customers, plans: t.Plans, usage: t.Usage, invoices: t.Invoices, runs: t.Runs },
    documentsBucket: stack.resources.bucket,
  };
}

/**
 * The operator keeps the ECB rates in the documents bucket (Art. 230 conversions); a local
 * stack starts with the fixture's made-up quotes unless rates were put there already.
 */
async function seedExchangeRates(documents: Stores['documents']): Promise<void> {
  const present = (await documents.list(s3Keys.exchangeRates)).includes(s3Keys.exchangeRates);
  if (!present) {
    const fixture = readFileSync(new URL('../demo/ecb-rates.fixture.json', import.meta.url));
    await documents.put(s3Keys.exchangeRates, fixture, 'application/json');
  }
}

export interface LocalSessionOptions {
  dataDir: string;
  /** Where hosted links point. Default: the local API's default address. */
  publicBaseUrl?: string;
}

export async function openLocalSession(options: LocalSessionOptions): Promise<LocalSession> {
  // Loaded here, not at the top: a session on a running stack (../service/connect.ts) needs none of it.
  const { startLocalStack } = await import('../stack.js');
  const stack = await startLocalStack({ dataDir: options.dataDir });
  try {
    return await openSessionOn(stack, options);
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

/** What a session connected to a running local stack asks that stack for (see ../service/connect.ts). */
export type SessionOverrides = Partial<Pick<LocalSession, 'deliverEmails' | 'readInbox'>>;

/** A session on a stack started here, or on one another process runs (`invoicer local up`). */
export async function openSessionOn(
  stack: LocalStack,
  options: LocalSessionOptions,
  overrides: SessionOverrides = {},
): Promise<LocalSession> {
  const linkSettings: LocalLinkSettings = {
    secretHex: localLinkSecret(stack.dataDir).toString('hex'),
    publicBaseUrl: options.publicBaseUrl ?? LOCAL_PUBLIC_BASE_URL,
  };
  const storage = storageOf(stack);
  const clientOptions = (middlewares: AwsClientOptions['middlewares'] = []): AwsClientOptions => ({
    region: stack.region,
    credentials: stack.clientConfig.credentials,
    endpoints: { dynamodb: stack.endpoints.dynamodb, s3: stack.endpoints.s3, sns: stack.endpoints.sns },
    s3ForcePathStyle: true,
    middlewares,
  });
  const clients = createAwsClients(clientOptions());
  const stores = createStores(clients, storage);
  await seedExchangeRates(stores.documents);
  const executions = new LocalExecutions(hostname());
  const listRuns = async (): Promise<RunRecord[]> => {
    const records = await stores.runs.listRecords();
    // A RUNNING record whose local process is gone did not finish and never will.
    return Promise.all(
      records.map(async (r) =>
        r.status === RUN_STATUS.running && !(await executions.isActive(r.execution))
          ? { ...r, status: RUN_STATUS.died }
          : r,
      ),
    );
  };

  const issuer = localHostedLinks(stores.links, linkSettings);
  // The e-mail subscriber and the credit-note operations (PDF rendering) load on first use, so
  // that a query on a running stack starts in well under a second.
  let ses: SESv2Client | undefined;
  let emailHandler: ((event: SqsEvent) => Promise<SqsBatchResponse>) | undefined;
  const emailSubscriber = async () => {
    if (!emailHandler) {
      const [{ SESv2Client: Client }, { createHandler }, { sesEmailSender }] = await Promise.all([
        import('@aws-sdk/client-sesv2'),
        import('../../../lambdas/deliver-email/handler.js'),
        import('../../../lambdas/shared/aws/ses-email.js'),
      ]);
      ses = new Client({
        region: stack.region,
        endpoint: stack.endpoints.ses,
        credentials: stack.clientConfig.credentials,
      });
      emailHandler = createHandler({
        observability: localObservability(),
        records: stores.records,
        documents: stores.documents,
        deliveries: stores.deliveries,
        sendEmail: sesEmailSender(ses, DEFAULT_SELLER.email ?? 'billing@invoicer.example'),
        now: () => new Date(),
      });
    }
    return emailHandler;
  };
  const creditOperations = () => import('../../../lambdas/shared/operations/credit-invoice.js');
  const linkAdmin: HostedLinkAdminDeps = {
    invoices: stores.invoices,
    links: stores.links,
    issuer,
    now: () => new Date(),
  };
  const creditDeps: CreditInvoiceDeps = {
    invoices: stores.invoices,
    documents: stores.documents,
    creditNotes: stores.creditNotes,
    hostedLinks: issuer,
    publish: async (message, attributes) => {
      await clients.sns.send(
        new PublishCommand({
          TopicArn: stack.names.customerTopicArn,
          // What AWS would deliver to the (SQS) inbox of a MessageStructure=json message.
          Message: sqsEntryOf(JSON.parse(message) as Record<string, unknown>),
          MessageAttributes: Object.fromEntries(
            Object.entries(attributes).map(([name, value]) => [
              name,
              { DataType: 'String', StringValue: value },
            ]),
          ),
        }),
      );
    },
    timeZone: DEFAULT_BILLING_TIME_ZONE,
    now: () => new Date(),
  };
  return {
    dataDir: options.dataDir,
    stack,
    storage,
    clients,
    stores,
    linkSettings,
    executions,
    clientOptions,
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
      if (!row) throw new Error(`no issued invoice with number ${invoiceNumber} in ${options.dataDir}`);
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
    replaceInvoice: async (request) => (await creditOperations()).replaceInvoice(creditDeps, request),
    async getRunProgress(runId) {
      const record = (await listRuns()).find((r) => r.runId === runId);
      if (!record) throw new Error(`no run ${runId} in ${options.dataDir} (see: invoicer runs list)`);
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
      if (!record) throw new Error(`no run ${runId} in ${options.dataDir} (see: invoicer runs list)`);
      if (!record.summaryKey) throw new Error(`run ${runId} has no summary yet (status ${record.status})`);
      return JSON.parse((await stores.documents.getBytes(record.summaryKey)).toString('utf8')) as RunSummary;
    },
    async readInbox(customerId) {
      const messages = (await stack.customerInbox()).map(toCustomerMessage);
      return customerId ? messages.filter((m) => m.customerId === customerId) : messages;
    },
    async deliverEmails() {
      const round = await deliverQueuedEmails(
        stack.clients.sqs,
        stack.emailQueue.url,
        await emailSubscriber(),
      );
      await stack.ses.mirror();
      return round;
    },
    async emailDeadLetters() {
      const { Attributes } = await stack.clients.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: stack.emailQueue.deadLetterUrl,
          AttributeNames: ['ApproximateNumberOfMessages'],
        }),
      );
      return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
    },
    async readMail(customerId) {
      const mail = readMailDir(stack.mailDir);
      if (customerId === undefined) return mail;
      const customer = (await stores.records.getCustomer(customerId)) as { email?: string } | undefined;
      return mail.filter((m) => customer?.email !== undefined && m.to.includes(customer.email));
    },
    operatorLog: s3OperatorLog(stores.documents),
    regenerateDocuments: async (invoiceNumber) =>
      (await import('../../../lambdas/shared/operations/regenerate-documents.js')).regenerateDocuments(
        { invoices: stores.invoices, documents: stores.documents },
        invoiceNumber,
      ),
    resendNotification: (invoiceNumber, resend) =>
      resendNotification(
        { invoices: stores.invoices, hostedLinks: issuer, publish: creditDeps.publish },
        invoiceNumber,
        resend,
      ),
    hostedLink: (invoiceNumber) => hostedLinkOf(linkAdmin, invoiceNumber),
    revokeHostedLink: (request) => revokeHostedLink(linkAdmin, request),
    async close() {
      clients.destroy();
      ses?.destroy();
      await stack.stop();
    },
    ...overrides,
  };
}

export function toCustomerMessage(m: InboxMessage): CustomerMessage {
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(m.message) as Record<string, unknown>;
  } catch {
    event = { text: m.message };
  }
  return {
    customerId: m.attributes.customerId ?? String(event.customerId ?? ''),
    eventType: m.attributes.eventType ?? String(event.type ?? ''),
    ...(m.attributes.invoiceNumber ? { invoiceNumber: m.attributes.invoiceNumber } : {}),
    ...(m.attributes.currency ? { currency: m.attributes.currency } : {}),
    receivedAt: m.sentAt,
    text:
      typeof event.invoiceNumber === 'string'
        ? `${event.invoiceNumber} for ${String(event.period)}: ${String(event.currency)} ${String(event.total)} ${String(event.hostedUrl ?? (event.documents as { pdf?: string } | undefined)?.pdf ?? '')}`
        : m.message,
    event,
  };
}
