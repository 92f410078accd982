/**
 * The invoice index in DynamoDB: one row per (customer, period), the idempotency key of an
 * invoice, listed by customer, period, number or status through the table's GSIs. Numbers are
 * taken and voided by ./number-series.ts in the same table.
 */
import { GetCommand, paginateQuery, paginateScan, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
  pdfKey: string;
  jsonKey: string;
  reservedAt: string;
  reservedByRun: string;
  issuedAt?: string;
  issuedByRun?: string;
  notifiedAt?: string;
  voidReason?: string;
  voidedAt?: string;
  voidedByRun?: string;
  /** A credit note's row: its document type and the number of the invoice it corrects. */
  documentType?: 'credit_note';
  corrects?: string;
  creditReason?: string;
  /** On an invoice's row: the gross amount its credit notes credited so far. */
  creditedMinor?: number;
  /** An invoice credited in full and set aside (`REPLACED#<number>`) for a new one: when and why. */
  replacedAt?: string;
  replacedReason?: string;
}

export interface InvoiceQuery {
  period?: string;
  customerId?: string;
  status?: InvoiceStatus;
  invoiceNumber?: string;
}

export interface InvoiceIndex {
  /** The row of (customer, period), read consistently. */
  get(customerId: string, period: string): Promise<InvoiceRow | undefined>;
  /** The access patterns: by customer, by period, by number, by status (the GSIs). */
  query(q: InvoiceQuery): Promise<InvoiceRow[]>;
  /** Every invoice and VOID record (counters and claims left out). */
  scan(): Promise<InvoiceRow[]>;
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

function indexName(name: string): string {
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
