/**
 * A session on the embedded local stack: starts DynamoDB Local and fauxqs for a data dir, builds
 * SDK clients and stores against them, and offers the support-staff queries (invoices, documents,
 * runs, inbox). The CLI, the benchmark and the tests all open one; runs go through
 * ./billing-run.ts. Nothing here talks to AWS, and nothing here touches process.env.
 */
import { hostname } from 'node:os';
import { readFileSync } from 'node:fs';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { createAwsClients, type AwsClientOptions } from '../../../lambdas/shared/aws/clients.js';
import { DEFAULT_BILLING_TIME_ZONE, type StorageConfig } from '../../../lambdas/shared/config.js';
import { s3Keys } from '../../../lambdas/shared/contracts/keys.js';
import type { RunSummary } from '../../../lambdas/shared/contracts/payloads.js';
import { INVOICE_STATUS, RUN_STATUS } from '../../../lambdas/shared/contracts/statuses.js';
import { currencyRefusal } from '../../../lambdas/shared/documents/en16931/refusal.js';
import type { CreditInvoiceDeps } from '../../../lambdas/shared/operations/credit-invoice.js';
import {
  hostedLinkOf,
  revokeHostedLink,
  type HostedLinkAdminDeps,
} from '../../../lambdas/shared/operations/hosted-link-admin.js';
import { resendNotification } from '../../../lambdas/shared/operations/resend-notification.js';
import { createStores, type Stores } from '../../../lambdas/shared/store/index.js';
import { s3OperatorLog } from '../../../lambdas/shared/store/operator-log.js';
import type { RunRecord } from '../../../lambdas/shared/store/runs.js';
import { deliverQueuedEmails } from '../email-queue.js';
import {
  LOCAL_PUBLIC_BASE_URL,
  localHostedLinks,
  localLinkSecret,
  type LocalLinkSettings,
} from '../hosted-links.js';
import { LocalExecutions } from '../liveness.js';
import { readMailDir } from '../mail-dir.js';
import type { InboxMessage, LocalStack } from '../stack.js';
import { customerTopicPublisher, localEmailSubscriber } from './session-messaging.js';
import type { CustomerMessage, LocalSession } from './session-types.js';

export type { CustomerMessage, LocalSession, RunProgress } from './session-types.js';

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
export type SessionOverrides = Partial<Pick<LocalSession, 'deliverEmails'>>;

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
  const emailSubscriber = localEmailSubscriber(stack, stores);
  const publish = customerTopicPublisher(clients.sns, stack.names.customerTopicArn);
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
    publish,
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
        await emailSubscriber.handler(),
      );
      if (round.handled > 0) await stack.ses.mirror();
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
      resendNotification({ invoices: stores.invoices, hostedLinks: issuer, publish }, invoiceNumber, resend),
    hostedLink: (invoiceNumber) => hostedLinkOf(linkAdmin, invoiceNumber),
    revokeHostedLink: (request) => revokeHostedLink(linkAdmin, request),
    async close() {
      clients.destroy();
      emailSubscriber.destroy();
      await stack.stop();
    },
    ...overrides,
  };
}

function toCustomerMessage(m: InboxMessage): CustomerMessage {
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
