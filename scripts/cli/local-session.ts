/**
 * A session on the embedded local stack: starts DynamoDB Local and fauxqs for a data dir, points
 * the AWS SDK (and so the in-process Lambda handlers) at them, and offers the support-staff
 * queries (invoices, documents, runs, inbox). Nothing here talks to AWS.
 */
import {
  startLocalStack,
  type InboxMessage as QueuedMessage,
  type LocalStack,
} from '../../workflows/local/stack.js';
import { DEFAULT_SELLER } from '../../lambdas/shared/config.js';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '../../lambdas/shared/aws.js';
import {
  queryInvoices,
  type InvoiceQuery,
  type InvoiceRow,
} from '../../lambdas/shared/store/invoice-index.js';
import { getObjectBytes } from '../../lambdas/shared/store/documents.js';
import { getRunRecord, type RunRecord } from '../../lambdas/shared/store/runs.js';
import type { RunSummary } from '../../lambdas/finalize-run/summary.js';
import type { InboxMessage } from './format.js';

export interface LocalSession {
  dataDir: string;
  stack: LocalStack;
  tables: { customers: string; plans: string; usage: string; invoices: string; runs: string };
  bucket: string;
  listInvoices(query: InvoiceQuery): Promise<InvoiceRow[]>;
  getInvoiceDocuments(invoiceNumber: string): Promise<{ row: InvoiceRow; pdf: Buffer; detail: Buffer }>;
  listRuns(): Promise<RunRecord[]>;
  getRunSummary(runId: string): Promise<RunSummary>;
  readInbox(customerId?: string): Promise<InboxMessage[]>;
  close(): Promise<void>;
}

/** The environment the Lambda handlers read at module load, pointed at the local stack. */
function handlerEnvironment(stack: LocalStack): Record<string, string> {
  const r = stack.resources;
  return {
    ...stack.env,
    CUSTOMERS_TABLE: r.tables.Customers,
    PLANS_TABLE: r.tables.Plans,
    USAGE_TABLE: r.tables.Usage,
    INVOICES_TABLE: r.tables.Invoices,
    RUNS_TABLE: r.tables.Runs,
    DOCUMENTS_BUCKET: r.bucket,
    CUSTOMER_TOPIC_ARN: r.topics.customerNotifications,
    OPS_TOPIC_ARN: r.topics.opsSummary,
    SELLER_JSON: process.env.SELLER_JSON ?? JSON.stringify(DEFAULT_SELLER),
    BILLING_TIME_ZONE: process.env.BILLING_TIME_ZONE ?? 'Europe/Berlin',
    POWERTOOLS_SERVICE_NAME: 'invoicer',
    // Locally, handler logs would drown the CLI's output; raise the level to see them.
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
  };
}

export async function openLocalSession(options: { dataDir: string }): Promise<LocalSession> {
  const stack = await startLocalStack({ dataDir: options.dataDir });
  Object.assign(process.env, handlerEnvironment(stack));
  const r = stack.resources;
  const tables = {
    customers: r.tables.Customers,
    plans: r.tables.Plans,
    usage: r.tables.Usage,
    invoices: r.tables.Invoices,
    runs: r.tables.Runs,
  };
  const bucket = r.bucket;
  return {
    dataDir: options.dataDir,
    stack,
    tables,
    bucket,
    async listInvoices(query) {
      const rows =
        query.period || query.customerId || query.status || query.invoiceNumber
          ? await queryInvoices(tables.invoices, query)
          : await scanInvoices(tables.invoices);
      return rows.sort((a, b) => a.invoiceNumber.localeCompare(b.invoiceNumber));
    },
    async getInvoiceDocuments(invoiceNumber) {
      const [row] = (await queryInvoices(tables.invoices, { invoiceNumber })).filter(
        (x) => x.status !== 'VOID',
      );
      if (!row) throw new Error(`no issued invoice with number ${invoiceNumber} in ${options.dataDir}`);
      if (row.status === 'PENDING')
        throw new Error(`invoice ${invoiceNumber} is PENDING: its documents are not final`);
      return {
        row,
        pdf: await getObjectBytes(bucket, row.pdfKey),
        detail: await getObjectBytes(bucket, row.jsonKey),
      };
    },
    async listRuns() {
      const out = await dynamoDb().send(new ScanCommand({ TableName: tables.runs }));
      return ((out.Items ?? []) as RunRecord[])
        .filter(
          (item) =>
            typeof item.period === 'string' &&
            typeof item.startedAt === 'string' &&
            !item.runId.includes('#'),
        )
        .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    },
    async getRunSummary(runId) {
      const record = await getRunRecord(tables.runs, runId);
      if (!record) throw new Error(`no run ${runId} in ${options.dataDir} (see: invoicer runs list)`);
      if (!record.summaryKey) throw new Error(`run ${runId} has no summary yet (status ${record.status})`);
      return JSON.parse((await getObjectBytes(bucket, record.summaryKey)).toString('utf8')) as RunSummary;
    },
    async readInbox(customerId) {
      const messages = (await stack.readInbox()).map(toInboxMessage);
      return customerId ? messages.filter((m) => m.customerId === customerId) : messages;
    },
    close: () => stack.stop(),
  };
}

/** A message of the local customer inbox queue, as the CLI shows it. */
function toInboxMessage(m: QueuedMessage): InboxMessage {
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
    receivedAt: m.sentAt,
    text:
      typeof event.invoiceNumber === 'string'
        ? `${event.invoiceNumber} for ${String(event.period)}: ${String(event.currency)} ${String(event.total)} (${String((event.documents as { pdf?: string } | undefined)?.pdf ?? '')})`
        : m.message,
    event,
  };
}

async function scanInvoices(table: string): Promise<InvoiceRow[]> {
  const rows: InvoiceRow[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await dynamoDb().send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
    rows.push(
      ...((out.Items ?? []) as InvoiceRow[]).filter(
        (item) => typeof item.invoiceNumber === 'string' && !item.invoiceKey.startsWith('SERIES#'),
      ),
    );
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return rows;
}
