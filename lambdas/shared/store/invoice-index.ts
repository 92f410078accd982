/**
 * The invoice index in DynamoDB: one row per (customer, period), the idempotency key of an
 * invoice, plus one item per VOID number and one counter item per number series.
 *
 * Gapless numbering: see reserveInvoiceNumber. No lock service, no optimistic races: the counter
 * is incremented atomically and each number is claimed exactly once (`NUMBER#` items).
 */
import {
  BatchGetCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
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

const MAX_CLAIM_ATTEMPTS = 5;

const claimKey = (invoiceNumber: string): string => `NUMBER#${invoiceNumber}`;

/** Takes the next sequence of a series: one atomic counter increment, which never conflicts. */
async function allocateSequence(table: string, series: string, now: string): Promise<number> {
  const out = await dynamoDb().send(
    new UpdateCommand({
      TableName: table,
      Key: { invoiceKey: seriesKey(series) },
      UpdateExpression: 'ADD lastSequence :one SET series = :series, updatedAt = :now',
      ExpressionAttributeValues: { ':one': 1, ':series': series, ':now': now },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(out.Attributes?.lastSequence);
}

/**
 * One transaction: the number's claim (which can exist once) and the item that uses it (a PENDING
 * row or a VOID record, which must not exist yet). Cancelled as a whole if either is taken.
 */
async function claimNumber(
  table: string,
  invoiceNumber: string,
  item: { invoiceKey: string },
  now: string,
): Promise<void> {
  const createOnly = 'attribute_not_exists(invoiceKey)';
  await dynamoDb().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: table,
            Item: { invoiceKey: claimKey(invoiceNumber), claimedFor: item.invoiceKey, claimedAt: now },
            ConditionExpression: createOnly,
          },
        },
        { Put: { TableName: table, Item: item, ConditionExpression: createOnly } },
      ],
    }),
  );
}

function cancellationReasons(error: TransactionCanceledException): (string | undefined)[] {
  return (error.CancellationReasons ?? []).map((reason) => reason.Code);
}

/**
 * Takes the next number of the series for (customer, period), or returns the PENDING row a
 * crashed run left (same number: a resumed invoice keeps it). An ISSUED row is a conflict.
 *
 * Gapless without contention: the number comes from an atomic counter increment, then ONE
 * transaction claims it (a `NUMBER#` item that can exist once) and creates the PENDING row. A
 * number allocated but never claimed (the process died in between) is found by
 * `voidUnclaimedNumbers` at the end of a run and kept as VOID, so no number is ever missing or
 * used twice: whoever claims a number first owns it.
 */
export async function reserveInvoiceNumber(
  table: string,
  r: Reservation,
): Promise<{ row: InvoiceRow; resumed: boolean }> {
  for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
    const existing = await getInvoiceRow(table, r.customerId, r.period);
    if (existing) {
      if (existing.status === 'PENDING') return { row: existing, resumed: true };
      throw new InvoiceStateConflictError(
        `invoice ${existing.invoiceNumber} of customer ${r.customerId} for ${r.period} is ${existing.status}, not reservable`,
      );
    }
    const invoiceNumber = r.numberFor(await allocateSequence(table, r.series, r.now));
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
    try {
      await claimNumber(table, invoiceNumber, row, r.now);
      return { row, resumed: false };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [claimLost, rowExists] = cancellationReasons(error).map(
        (code) => code === 'ConditionalCheckFailed',
      );
      // The number is ours but unused: keep it as VOID (claimed, never reused), then look again.
      if (rowExists && !claimLost) {
        await voidNumber(
          table,
          invoiceNumber,
          row,
          'allocated for an invoice that another attempt reserved first',
          r,
        );
      }
      // claimLost: the end-of-run repair voided this number first; take another.
    }
  }
  throw new NumberSeriesContentionError(
    `series ${r.series}: ${MAX_CLAIM_ATTEMPTS} numbers in a row could not be claimed (customer ${r.customerId})`,
  );
}

/** Claims a number and keeps it as a VOID item with the reason; false if it was claimed already. */
async function voidNumber(
  table: string,
  invoiceNumber: string,
  about: Pick<InvoiceRow, 'customerId' | 'period' | 'series' | 'currency' | 'issueDate'>,
  reason: string,
  by: { runId: string; now: string },
): Promise<boolean> {
  const voided = {
    invoiceKey: `VOID#${invoiceNumber}`,
    customerId: about.customerId,
    period: about.period,
    periodCustomer: `${about.period}#${about.customerId}`,
    invoiceNumber,
    series: about.series,
    status: 'VOID',
    totalMinor: 0,
    currency: about.currency,
    issueDate: about.issueDate,
    voidReason: reason,
    voidedAt: by.now,
    voidedByRun: by.runId,
  };
  try {
    await claimNumber(table, invoiceNumber, voided, by.now);
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException) return false;
    throw error;
  }
}

/**
 * End-of-run repair: every number of the series up to the counter that nobody claimed (a
 * reservation died between taking and claiming it) becomes VOID with the reason. Claims are
 * checked from where the last repair stopped, 100 at a time.
 */
export async function voidUnclaimedNumbers(
  table: string,
  series: string,
  numberFor: (sequence: number) => string,
  by: { runId: string; now: string; period: string },
): Promise<string[]> {
  const counter = await dynamoDb().send(
    new GetCommand({ TableName: table, Key: { invoiceKey: seriesKey(series) }, ConsistentRead: true }),
  );
  const last = Number(counter.Item?.lastSequence ?? 0);
  const from = Number(counter.Item?.checkedThrough ?? 0) + 1;
  const voided: string[] = [];
  for (let start = from; start <= last; start += 100) {
    const numbers = Array.from({ length: Math.min(100, last - start + 1) }, (_, i) => numberFor(start + i));
    const found = new Set<string>();
    let keys: Record<string, unknown>[] | undefined = numbers.map((n) => ({ invoiceKey: claimKey(n) }));
    while (keys && keys.length > 0) {
      const out = await dynamoDb().send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of out.Responses?.[table] ?? []) found.add(String(item.invoiceKey));
      keys = out.UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined;
    }
    for (const n of numbers.filter((n) => !found.has(claimKey(n)))) {
      const reason = `number allocated but never claimed (a reservation was interrupted); found by run ${by.runId}`;
      // Which invoice the interrupted reservation was for is unknown: the number served none.
      const about = {
        customerId: 'unknown',
        period: by.period,
        series,
        currency: '',
        issueDate: by.now.slice(0, 10),
      };
      if (await voidNumber(table, n, about, reason, by)) voided.push(n);
    }
  }
  await dynamoDb()
    .send(
      new UpdateCommand({
        TableName: table,
        Key: { invoiceKey: seriesKey(series) },
        UpdateExpression: 'SET checkedThrough = :last',
        ConditionExpression: 'attribute_not_exists(checkedThrough) OR checkedThrough < :last',
        ExpressionAttributeValues: { ':last': last },
      }),
    )
    .catch((error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
  return voided;
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
