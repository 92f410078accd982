/**
 * Gapless invoice numbers in the Invoices table, without lock contention: the number comes from an
 * atomic counter increment (`SERIES#` item), then ONE transaction claims it (a `NUMBER#` item that
 * can exist once) and creates the item that uses it (the PENDING row, or a VOID record). A number
 * allocated but never claimed (the process died in between) is found by `voidUnclaimedNumbers` at
 * the end of a run and kept as VOID, so no number is ever missing or used twice: whoever claims a
 * number first owns it.
 */
import {
  BatchGetCommand,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { invoiceKey, numberClaimKey, periodCustomerKey, seriesKey, voidKey } from '../contracts/keys.js';
import { INVOICE_STATUS } from '../contracts/statuses.js';
import { InvoiceStateConflictError, NumberSeriesContentionError } from '../errors.js';
import { readInvoiceRow, type InvoiceRow } from './invoice-index.js';
import { moveItem } from './move-item.js';

export interface Reservation {
  customerId: string;
  period: string;
  series: string;
  numberFor: (sequence: number) => string;
  totalMinor: number;
  currency: string;
  issueDate: string;
  /** Kept on the row for the notification (and its resends): the customer's locale, the due date. */
  locale?: string;
  dueDate?: string;
  keysFor: (invoiceNumber: string) => { pdfKey: string; jsonKey: string };
  runId: string;
  now: string;
  /**
   * The sequence its batch already took for it (one counter increment per batch): claimed
   * directly, without a read first. Absent: the reservation takes its own number.
   */
  sequence?: number;
}

export interface VoidRequest {
  customerId: string;
  period: string;
  invoiceNumber: string;
  reason: string;
  runId: string;
  now: string;
}

export interface NumberSeries {
  /** Takes the next sequence of a series (one atomic counter increment); the caller claims it. */
  allocate(series: string, now: string): Promise<number>;
  /**
   * Takes the next number of the series for (customer, period), or returns the PENDING row a
   * crashed run left (same number: a resumed invoice keeps it). An ISSUED row is a conflict.
   */
  reserve(r: Reservation): Promise<{ row: InvoiceRow; resumed: boolean }>;
  /**
   * Compensation: keeps the reserved number as a VOID item with the reason (never reused) and
   * deletes the PENDING row so that a re-run of (customer, period) issues with a new number.
   * Idempotent: a second call finds no PENDING row with that number and returns false.
   */
  voidReservation(v: VoidRequest): Promise<boolean>;
  /**
   * Compensation when the reservation itself failed: a number its batch took for the customer
   * and never claimed is kept as VOID with the reason, or, if the reservation did claim it (its
   * response was lost), that PENDING reservation is voided. Idempotent.
   */
  voidBlockNumber(v: VoidRequest & { series: string; currency: string; issueDate: string }): Promise<boolean>;
  /**
   * End-of-run repair: every number of the series up to the counter that nobody claimed (a
   * reservation died between taking and claiming it) becomes VOID with the reason. Claims are
   * checked from where the last repair stopped, 100 at a time. Returns the numbers voided.
   */
  voidUnclaimedNumbers(
    series: string,
    numberFor: (sequence: number) => string,
    by: { runId: string; now: string; period: string },
  ): Promise<string[]>;
}

const MAX_CLAIM_ATTEMPTS = 5;
const RESERVED_BY_ANOTHER_ATTEMPT = 'allocated for an invoice that another attempt reserved first';
const CREATE_ONLY = 'attribute_not_exists(invoiceKey)';

const notReservable = (r: Reservation, row: InvoiceRow | undefined): InvoiceStateConflictError =>
  new InvoiceStateConflictError(
    `invoice ${row?.invoiceNumber} of customer ${r.customerId} for ${r.period} is ${row?.status}, not reservable`,
  );

type VoidAbout = Pick<InvoiceRow, 'customerId' | 'period' | 'series' | 'currency' | 'issueDate'>;

export function dynamoNumberSeries(ddb: DynamoDBDocumentClient, table: string): NumberSeries {
  /** Takes the next sequence of a series: one atomic counter increment, which never conflicts. */
  const allocateSequence = async (series: string, now: string): Promise<number> => {
    const out = await ddb.send(
      new UpdateCommand({
        TableName: table,
        Key: { invoiceKey: seriesKey(series) },
        UpdateExpression: 'ADD lastSequence :one SET series = :series, updatedAt = :now',
        ExpressionAttributeValues: { ':one': 1, ':series': series, ':now': now },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(out.Attributes?.lastSequence);
  };

  /** The number's claim and the item that uses it, in one transaction: cancelled if either exists. */
  const claimNumber = async (invoiceNumber: string, item: { invoiceKey: string }, now: string) => {
    await ddb.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table,
              Item: {
                invoiceKey: numberClaimKey(invoiceNumber),
                claimedFor: item.invoiceKey,
                claimedAt: now,
              },
              ConditionExpression: CREATE_ONLY,
            },
          },
          { Put: { TableName: table, Item: item, ConditionExpression: CREATE_ONLY } },
        ],
      }),
    );
  };

  /**
   * Claims a number for a new PENDING row. Undefined: claimed. Otherwise what stood in the way:
   * the number was claimed already (`claimLost`), the row exists already (`rowExists`).
   */
  const tryClaim = async (
    invoiceNumber: string,
    row: InvoiceRow,
    now: string,
  ): Promise<{ claimLost: boolean; rowExists: boolean } | undefined> => {
    try {
      await claimNumber(invoiceNumber, row, now);
      return undefined;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [claimLost = false, rowExists = false] = (error.CancellationReasons ?? []).map(
        (reason) => reason.Code === 'ConditionalCheckFailed',
      );
      return { claimLost, rowExists };
    }
  };

  /** Claims a number and keeps it as a VOID item with the reason; false if it was claimed already. */
  const voidNumber = async (
    invoiceNumber: string,
    about: VoidAbout,
    reason: string,
    by: { runId: string; now: string },
  ): Promise<boolean> => {
    const voided = {
      invoiceKey: voidKey(invoiceNumber),
      customerId: about.customerId,
      period: about.period,
      periodCustomer: periodCustomerKey(about.period, about.customerId),
      invoiceNumber,
      series: about.series,
      status: INVOICE_STATUS.void,
      totalMinor: 0,
      currency: about.currency,
      issueDate: about.issueDate,
      voidReason: reason,
      voidedAt: by.now,
      voidedByRun: by.runId,
      version: 1,
    };
    try {
      await claimNumber(invoiceNumber, voided, by.now);
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  };

  const pendingRow = (r: Reservation, invoiceNumber: string): InvoiceRow => ({
    invoiceKey: invoiceKey(r.customerId, r.period),
    customerId: r.customerId,
    period: r.period,
    periodCustomer: periodCustomerKey(r.period, r.customerId),
    invoiceNumber,
    series: r.series,
    status: INVOICE_STATUS.pending,
    totalMinor: r.totalMinor,
    currency: r.currency,
    issueDate: r.issueDate,
    ...(r.locale === undefined ? {} : { locale: r.locale }),
    ...(r.dueDate === undefined ? {} : { dueDate: r.dueDate }),
    ...r.keysFor(invoiceNumber),
    reservedAt: r.now,
    reservedByRun: r.runId,
    version: 1,
  });

  /**
   * Claims the number the batch took for this customer. Undefined: the number is gone (the
   * end-of-run repair voided it) and the caller takes one of its own.
   */
  const claimBlockNumber = async (r: Reservation, invoiceNumber: string) => {
    const row = pendingRow(r, invoiceNumber);
    const conflict = await tryClaim(invoiceNumber, row, r.now);
    if (!conflict) return { row, resumed: false };
    if (!conflict.rowExists) return undefined;
    const existing = await readInvoiceRow(ddb, table, r.customerId, r.period);
    // A retry after a lost response finds its own claim: the same reservation.
    if (existing?.status === INVOICE_STATUS.pending && existing.invoiceNumber === invoiceNumber)
      return { row: existing, resumed: true };
    if (!conflict.claimLost) await voidNumber(invoiceNumber, row, RESERVED_BY_ANOTHER_ATTEMPT, r);
    if (existing?.status === INVOICE_STATUS.pending) return { row: existing, resumed: true };
    throw notReservable(r, existing);
  };

  const numberSeries: NumberSeries = {
    allocate: allocateSequence,

    async reserve(r) {
      if (r.sequence !== undefined) {
        const claimed = await claimBlockNumber(r, r.numberFor(r.sequence));
        if (claimed) return claimed;
      }
      for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
        const existing = await readInvoiceRow(ddb, table, r.customerId, r.period);
        if (existing) {
          if (existing.status === INVOICE_STATUS.pending) return { row: existing, resumed: true };
          throw notReservable(r, existing);
        }
        const invoiceNumber = r.numberFor(await allocateSequence(r.series, r.now));
        const row = pendingRow(r, invoiceNumber);
        const conflict = await tryClaim(invoiceNumber, row, r.now);
        if (!conflict) return { row, resumed: false };
        // The number is ours but unused: keep it as VOID (claimed, never reused), then look again.
        // claimLost: the end-of-run repair voided this number first; take another.
        if (conflict.rowExists && !conflict.claimLost)
          await voidNumber(invoiceNumber, row, RESERVED_BY_ANOTHER_ATTEMPT, r);
      }
      throw new NumberSeriesContentionError(
        `series ${r.series}: ${MAX_CLAIM_ATTEMPTS} numbers in a row could not be claimed (customer ${r.customerId})`,
      );
    },

    async voidReservation(v) {
      const row = await readInvoiceRow(ddb, table, v.customerId, v.period);
      if (!row || row.invoiceNumber !== v.invoiceNumber) return false;
      if (row.status !== INVOICE_STATUS.pending) {
        throw new InvoiceStateConflictError(
          `invoice ${row.invoiceNumber} of customer ${v.customerId} is ${row.status}; only PENDING is voided`,
        );
      }
      const voided: InvoiceRow = {
        ...row,
        invoiceKey: voidKey(row.invoiceNumber),
        status: INVOICE_STATUS.void,
        voidReason: v.reason.slice(0, 1000),
        voidedAt: v.now,
        voidedByRun: v.runId,
        version: (row.version ?? 0) + 1,
      };
      return moveItem(
        ddb,
        table,
        {
          invoiceKey: row.invoiceKey,
          condition: '#s = :pending AND invoiceNumber = :n',
          names: { '#s': 'status' },
          values: { ':pending': INVOICE_STATUS.pending, ':n': row.invoiceNumber },
        },
        voided as InvoiceRow & Record<string, unknown>,
      );
    },

    async voidBlockNumber(v) {
      if (await numberSeries.voidReservation(v)) return true;
      const reason = v.reason.slice(0, 1000);
      return voidNumber(v.invoiceNumber, v, reason, v);
    },

    async voidUnclaimedNumbers(series, numberFor, by) {
      const counter = await ddb.send(
        new GetCommand({ TableName: table, Key: { invoiceKey: seriesKey(series) }, ConsistentRead: true }),
      );
      const last = Number(counter.Item?.lastSequence ?? 0);
      const from = Number(counter.Item?.checkedThrough ?? 0) + 1;
      const voided: string[] = [];
      for (let start = from; start <= last; start += 100) {
        const numbers = Array.from({ length: Math.min(100, last - start + 1) }, (_, i) =>
          numberFor(start + i),
        );
        const found = new Set<string>();
        let keys: Record<string, unknown>[] | undefined = numbers.map((n) => ({
          invoiceKey: numberClaimKey(n),
        }));
        while (keys && keys.length > 0) {
          const out = await ddb.send(
            new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }),
          );
          for (const item of out.Responses?.[table] ?? []) found.add(String(item.invoiceKey));
          keys = out.UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined;
        }
        for (const n of numbers.filter((n) => !found.has(numberClaimKey(n)))) {
          const reason = `number allocated but never claimed (a reservation was interrupted); found by run ${by.runId}`;
          // Which invoice the interrupted reservation was for is unknown: the number served none.
          const about = {
            customerId: 'unknown',
            period: by.period,
            series,
            currency: '',
            issueDate: by.now.slice(0, 10),
          };
          if (await voidNumber(n, about, reason, by)) voided.push(n);
        }
      }
      await ddb
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
    },
  };
  return numberSeries;
}
