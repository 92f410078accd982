/**
 * The invoice index in DynamoDB: one row per (customer, period), the idempotency key of an
 * invoice, listed by customer, period, number or status through the table's GSIs. Numbers are
 * taken and voided by ./number-series.ts in the same table.
 */
import {
  GetCommand,
  paginateQuery,
  paginateScan,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { DocumentHashes } from '../contracts/document-hashes.js';
import { invoiceKey, isBookkeepingKey } from '../contracts/keys.js';
import type { InvoiceStatus } from '../contracts/statuses.js';
import { INVOICES_TABLE } from '../contracts/tables.js';

export interface InvoiceRow {
  invoiceKey: string;
  customerId: string;
  period: string;
  /** `${period}#${customerId}`: sort key of the byStatus index. */
  periodCustomer: string;
  invoiceNumber: string;
  series: string;
  status: InvoiceStatus;
  totalMinor: number;
  currency: string;
  issueDate: string;
  /** The customer's locale and the due date (rows since notifications are localized): what a resent notification says. */
  locale?: string;
  dueDate?: string;
  pdfKey: string;
  jsonKey: string;
  reservedAt: string;
  reservedByRun: string;
  issuedAt?: string;
  issuedByRun?: string;
  notifiedAt?: string;
  /** ISSUED, and its notification's publish failed then (NotifyCustomer): a re-run's is the first one. */
  notifyFailedAt?: string;
  voidReason?: string;
  voidedAt?: string;
  voidedByRun?: string;
  /** A credit note's row: its document type and the number of the invoice it corrects. */
  documentType?: 'credit_note';
  corrects?: string;
  creditReason?: string;
  /** On an invoice's row: the gross amount its credit notes credited so far. */
  creditedMinor?: number;
  /** On an invoice's row: its payments less reversals (store/receivables.ts; domain/receivables.ts). */
  paidMinor?: number;
  /** When its last payment, and its last credit note, was recorded (the payment events' time). */
  paidAt?: string;
  creditedAt?: string;
  /** Support wrote the open amount off (`invoicer invoices write-off`): when, why, who. */
  writtenOffAt?: string;
  writtenOffReason?: string;
  writtenOffBy?: string;
  /** When the daily reminder job first found it overdue (the `invoice.overdue` event's write). */
  overdueAt?: string;
  /** An invoice credited in full and set aside (`REPLACED#<number>`) for a new one: when and why. */
  replacedAt?: string;
  replacedReason?: string;
  /** The generation of its hosted-invoice link (hosted-links/token.ts); absent: the first. */
  linkGeneration?: number;
  /** The SHA-256 of each of its files, recorded at issue (absent on rows issued before that). */
  documentHashes?: DocumentHashes;
  /** Written by every change of the document, +1 each (contracts/domain-events.ts VERSION_ATTRIBUTE). */
  version?: number;
  /** What SES said of its e-mail (delivered, bounced, complained), and when. */
  emailStatus?: string;
  emailStatusAt?: string;
}

export interface InvoiceQuery {
  period?: string;
  customerId?: string;
  status?: InvoiceStatus;
  invoiceNumber?: string;
}

/** One page of a listing: the rows, and where the next page starts (absent on the last page). */
export interface InvoicePage {
  rows: InvoiceRow[];
  /** The DynamoDB key after the last row read; opaque to callers (the API wraps it in a cursor). */
  next?: Record<string, unknown>;
}

export interface PageRequest {
  /** Most rows read for the page (a status filter may leave fewer). */
  limit: number;
  /** `next` of the page before. */
  after?: Record<string, unknown>;
  /** Keep only rows in these statuses. */
  statuses?: readonly InvoiceStatus[];
}

export interface InvoiceIndex {
  /** The row of (customer, period), read consistently. */
  get(customerId: string, period: string): Promise<InvoiceRow | undefined>;
  /** The access patterns: by customer, by period, by number, by status (the GSIs). */
  query(q: InvoiceQuery): Promise<InvoiceRow[]>;
  /** Every invoice and VOID record (counters and claims left out). */
  scan(): Promise<InvoiceRow[]>;
  /**
   * One page of a customer's rows (newest period first) or of a period's (by customer id; by
   * status when one is given): a single Query, for screens that list at once.
   */
  page(q: Pick<InvoiceQuery, 'customerId' | 'period' | 'status'>, request: PageRequest): Promise<InvoicePage>;
}

export async function readInvoiceRow(
  ddb: DynamoDBDocumentClient,
  table: string,
  customerId: string,
  period: string,
): Promise<InvoiceRow | undefined> {
  const out = await ddb.send(
    new GetCommand({
      TableName: table,
      Key: { invoiceKey: invoiceKey(customerId, period) },
      ConsistentRead: true,
    }),
  );
  return out.Item as InvoiceRow | undefined;
}

/** A GSI of the Invoices table by name, checked against the data model. */
export function indexName(name: string): string {
  const found = INVOICES_TABLE.indexes.find((i) => i.indexName === name);
  if (!found) throw new Error(`index ${name} is not in the data model`);
  return found.indexName;
}

function queryParams(q: InvoiceQuery): {
  IndexName: string;
  KeyConditionExpression: string;
  values: Record<string, unknown>;
} {
  if (q.invoiceNumber) {
    return {
      IndexName: indexName('byNumber'),
      KeyConditionExpression: 'invoiceNumber = :v',
      values: { ':v': q.invoiceNumber },
    };
  }
  if (q.customerId) {
    return {
      IndexName: indexName('byCustomer'),
      KeyConditionExpression: q.period ? 'customerId = :v AND period = :p' : 'customerId = :v',
      values: { ':v': q.customerId, ...(q.period ? { ':p': q.period } : {}) },
    };
  }
  if (q.status) {
    return {
      IndexName: indexName('byStatus'),
      KeyConditionExpression: q.period ? '#s = :v AND begins_with(periodCustomer, :p)' : '#s = :v',
      values: { ':v': q.status, ...(q.period ? { ':p': `${q.period}#` } : {}) },
    };
  }
  if (q.period) {
    return {
      IndexName: indexName('byPeriod'),
      KeyConditionExpression: 'period = :v',
      values: { ':v': q.period },
    };
  }
  throw new Error('an invoice query needs a period, customer, status or number');
}

export function dynamoInvoiceIndex(ddb: DynamoDBDocumentClient, table: string): InvoiceIndex {
  return {
    get: (customerId, period) => readInvoiceRow(ddb, table, customerId, period),
    async query(q) {
      const params = queryParams(q);
      const rows: InvoiceRow[] = [];
      const pages = paginateQuery(
        { client: ddb },
        {
          TableName: table,
          IndexName: params.IndexName,
          KeyConditionExpression: params.KeyConditionExpression,
          ExpressionAttributeValues: params.values,
          ...(params.KeyConditionExpression.includes('#s')
            ? { ExpressionAttributeNames: { '#s': 'status' } }
            : {}),
        },
      );
      for await (const page of pages) rows.push(...((page.Items ?? []) as InvoiceRow[]));
      return rows.filter(
        (row) =>
          (!q.period || row.period === q.period) &&
          (!q.customerId || row.customerId === q.customerId) &&
          (!q.status || row.status === q.status),
      );
    },
    async page(q, request) {
      const params = queryParams(q);
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = { ...params.values };
      if (params.KeyConditionExpression.includes('#s')) names['#s'] = 'status';
      let filter: string | undefined;
      if (request.statuses !== undefined && request.statuses.length > 0) {
        names['#s'] = 'status';
        request.statuses.forEach((status, i) => (values[`:s${i}`] = status));
        filter = `#s IN (${request.statuses.map((_, i) => `:s${i}`).join(', ')})`;
      }
      const out = await ddb.send(
        new QueryCommand({
          TableName: table,
          IndexName: params.IndexName,
          KeyConditionExpression: params.KeyConditionExpression,
          ExpressionAttributeValues: values,
          ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
          ...(filter === undefined ? {} : { FilterExpression: filter }),
          // A customer's newest invoices first; a period's in customer order.
          ScanIndexForward: q.customerId === undefined,
          Limit: request.limit,
          ...(request.after === undefined ? {} : { ExclusiveStartKey: request.after }),
        }),
      );
      return {
        rows: (out.Items ?? []) as InvoiceRow[],
        ...(out.LastEvaluatedKey === undefined ? {} : { next: out.LastEvaluatedKey }),
      };
    },
    async scan() {
      const rows: InvoiceRow[] = [];
      for await (const page of paginateScan({ client: ddb }, { TableName: table }))
        rows.push(...((page.Items ?? []) as InvoiceRow[]));
      return rows.filter(
        (item) => typeof item.invoiceNumber === 'string' && !isBookkeepingKey(item.invoiceKey),
      );
    },
  };
}
