/**
 * The invoice index in DynamoDB: one row per (customer, period), the idempotency key of an
 * invoice, plus one item per VOID number and one counter item per number series.
 *
 * Gapless numbering: a number is taken in ONE transaction that advances the series counter
 * (conditioned on its previous value) and creates the PENDING row (conditioned on there being
 * none). Either both happen or neither; no lock service. A lost race is retried.
 */
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { dynamoDb } from '../aws.js';
import { INVOICES_TABLE, invoiceKey, seriesKey, type InvoiceStatus } from '../data-model.js';
import { InvoiceStateConflictError, NumberSeriesContentionError } from '../errors.js';

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
}

export async function getInvoiceRow(
  table: string,
  customerId: string,
  period: string,
): Promise<InvoiceRow | undefined> {
  const out = await dynamoDb().send(
    new GetCommand({
      TableName: table,
      Key: { invoiceKey: invoiceKey(customerId, period) },
      ConsistentRead: true,
    }),
  );
  return out.Item as InvoiceRow | undefined;
}

export interface Reservation {
  customerId: string;
  period: string;
  series: string;
  numberFor: (sequence: number) => string;
  totalMinor: number;
  currency: string;
  issueDate: string;
  keysFor: (invoiceNumber: string) => { pdfKey: string; jsonKey: string };
  runId: string;
  now: string;
}

const MAX_LOCAL_ATTEMPTS = 8;

/** Full-jitter backoff between lost races, so concurrent reservations spread out instead of colliding again. */
const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));

/**
 * Takes the next number of the series for (customer, period), or returns the PENDING row a
 * crashed run left (same number: a resumed invoice keeps it). An ISSUED row is a conflict.
 */
export async function reserveInvoiceNumber(
  table: string,
  r: Reservation,
): Promise<{ row: InvoiceRow; resumed: boolean }> {
  for (let attempt = 1; attempt <= MAX_LOCAL_ATTEMPTS; attempt++) {
    const existing = await getInvoiceRow(table, r.customerId, r.period);
    if (existing) {
      if (existing.status === 'PENDING') return { row: existing, resumed: true };
      throw new InvoiceStateConflictError(
        `invoice ${existing.invoiceNumber} of customer ${r.customerId} for ${r.period} is ${existing.status}, not reservable`,
      );
    }
    const counter = await dynamoDb().send(
      new GetCommand({ TableName: table, Key: { invoiceKey: seriesKey(r.series) }, ConsistentRead: true }),
    );
    const last = (counter.Item?.lastSequence as number | undefined) ?? 0;
    const sequence = last + 1;
    const invoiceNumber = r.numberFor(sequence);
    const row: InvoiceRow = {
      invoiceKey: invoiceKey(r.customerId, r.period),
      customerId: r.customerId,
      period: r.period,
      periodCustomer: `${r.period}#${r.customerId}`,
      invoiceNumber,
      series: r.series,
      status: 'PENDING',
      totalMinor: r.totalMinor,
      currency: r.currency,
      issueDate: r.issueDate,
      ...r.keysFor(invoiceNumber),
      reservedAt: r.now,
      reservedByRun: r.runId,
    };
    const input: TransactWriteCommandInput = {
      TransactItems: [
        {
          Update: {
            TableName: table,
            Key: { invoiceKey: seriesKey(r.series) },
            UpdateExpression: 'SET lastSequence = :next, series = :series, updatedAt = :now',
            ConditionExpression: last === 0 ? 'attribute_not_exists(lastSequence)' : 'lastSequence = :last',
            ExpressionAttributeValues: {
              ':next': sequence,
              ':series': r.series,
              ':now': r.now,
              ...(last === 0 ? {} : { ':last': last }),
            },
          },
        },
        { Put: { TableName: table, Item: row, ConditionExpression: 'attribute_not_exists(invoiceKey)' } },
      ],
    };
    try {
      await dynamoDb().send(new TransactWriteCommand(input));
      return { row, resumed: false };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      // Another reservation moved the counter (or created this row) first: read again.
      await backoff(attempt);
    }
  }
  throw new NumberSeriesContentionError(
    `series ${r.series}: lost ${MAX_LOCAL_ATTEMPTS} races for the next number (customer ${r.customerId})`,
  );
}

/**
 * Compensation: keeps the reserved number as a VOID item with the reason (never reused) and
 * deletes the PENDING row so that a re-run of (customer, period) issues with a new number.
 * Idempotent: a second call finds no PENDING row with that number and returns false.
 */
export async function voidReservation(
  table: string,
  v: {
    customerId: string;
    period: string;
    invoiceNumber: string;
    reason: string;
    runId: string;
    now: string;
  },
): Promise<boolean> {
  const row = await getInvoiceRow(table, v.customerId, v.period);
  if (!row || row.invoiceNumber !== v.invoiceNumber) return false;
  if (row.status !== 'PENDING') {
    throw new InvoiceStateConflictError(
      `invoice ${row.invoiceNumber} of customer ${v.customerId} is ${row.status}; only PENDING is voided`,
    );
  }
  const voided: InvoiceRow = {
    ...row,
    invoiceKey: `VOID#${row.invoiceNumber}`,
    status: 'VOID',
    voidReason: v.reason.slice(0, 1000),
    voidedAt: v.now,
    voidedByRun: v.runId,
  };
  try {
    await dynamoDb().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: table,
              Key: { invoiceKey: row.invoiceKey },
              ConditionExpression: '#s = :pending AND invoiceNumber = :n',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: { ':pending': 'PENDING', ':n': row.invoiceNumber },
            },
          },
          {
            Put: { TableName: table, Item: voided, ConditionExpression: 'attribute_not_exists(invoiceKey)' },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException) return false;
    throw error;
  }
}

export interface InvoiceQuery {
  period?: string;
  customerId?: string;
  status?: InvoiceStatus;
  invoiceNumber?: string;
}

/** The access patterns: by customer, by period, by number, by status (GSIs of the index). */
export async function queryInvoices(table: string, q: InvoiceQuery): Promise<InvoiceRow[]> {
  const index = (name: string) => {
    const found = INVOICES_TABLE.indexes.find((i) => i.indexName === name);
    if (!found) throw new Error(`index ${name} is not in the data model`);
    return found;
  };
  let params: { IndexName: string; KeyConditionExpression: string; values: Record<string, unknown> };
  if (q.invoiceNumber) {
    params = {
      IndexName: index('byNumber').indexName,
      KeyConditionExpression: 'invoiceNumber = :v',
      values: { ':v': q.invoiceNumber },
    };
  } else if (q.customerId) {
    params = {
      IndexName: index('byCustomer').indexName,
      KeyConditionExpression: q.period ? 'customerId = :v AND period = :p' : 'customerId = :v',
      values: { ':v': q.customerId, ...(q.period ? { ':p': q.period } : {}) },
    };
  } else if (q.status) {
    params = {
      IndexName: index('byStatus').indexName,
      KeyConditionExpression: q.period ? '#s = :v AND begins_with(periodCustomer, :p)' : '#s = :v',
      values: { ':v': q.status, ...(q.period ? { ':p': `${q.period}#` } : {}) },
    };
  } else if (q.period) {
    params = {
      IndexName: index('byPeriod').indexName,
      KeyConditionExpression: 'period = :v',
      values: { ':v': q.period },
    };
  } else {
    throw new Error('queryInvoices needs a period, customer, status or number');
  }
  const rows: InvoiceRow[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await dynamoDb().send(
      new QueryCommand({
        TableName: table,
        IndexName: params.IndexName,
        KeyConditionExpression: params.KeyConditionExpression,
        ExpressionAttributeValues: params.values,
        ...(params.KeyConditionExpression.includes('#s')
          ? { ExpressionAttributeNames: { '#s': 'status' } }
          : {}),
        ExclusiveStartKey: startKey,
      }),
    );
    rows.push(...((out.Items ?? []) as InvoiceRow[]));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return rows.filter(
    (row) =>
      (!q.period || row.period === q.period) &&
      (!q.customerId || row.customerId === q.customerId) &&
      (!q.status || row.status === q.status),
  );
}
