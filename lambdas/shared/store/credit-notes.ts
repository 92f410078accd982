/**
 * Credit notes in the Invoices table. A credit note takes the next number of its own series
 * (NumberSeries.allocate, the counter invoices use) and, in ONE transaction, claims it, creates
 * its PENDING row (`CREDIT#<invoice>#<request>`) and adds its amount to the invoice's
 * `creditedMinor`, on condition that the invoice is still issued and never credited beyond its
 * total. So two credit notes racing on one invoice cannot over-credit it, a repeated request finds
 * its own row, and a number taken for a refused credit note is kept as VOID: no gap.
 */
import {
  TransactWriteCommand,
  UpdateCommand,
  GetCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DOCUMENT_HASHES_ATTRIBUTE, type DocumentHashes } from '../contracts/document-hashes.js';
import { VERSION_ATTRIBUTE } from '../contracts/domain-events.js';
import { creditKey, numberClaimKey, periodCustomerKey, replacedKey } from '../contracts/keys.js';
import { INVOICE_STATUS } from '../contracts/statuses.js';
import { InvalidInputError, InvoiceStateConflictError } from '../errors.js';
import type { InvoiceRow } from './invoice-index.js';
import { moveItem } from './move-item.js';
import type { NumberSeries } from './number-series.js';

export interface CreditNoteReservation {
  /** The ISSUED or NOTIFIED invoice row it corrects. */
  invoice: InvoiceRow;
  /** The idempotency key of the request (amount and reason). */
  request: string;
  amountMinor: number;
  reason: string;
  series: string;
  numberFor: (sequence: number) => string;
  issueDate: string;
  keysFor: (number: string) => { pdfKey: string; jsonKey: string };
  /** Who asked (an operator), recorded on the row. */
  by: string;
  now: string;
}

export interface CreditNoteStore {
  /** The credit note a request made on an invoice, if it made one. */
  find(invoiceNumber: string, request: string): Promise<InvoiceRow | undefined>;
  /** The credit note's PENDING row with its claimed number, or the row this same request made. */
  reserve(r: CreditNoteReservation): Promise<{ row: InvoiceRow; resumed: boolean }>;
  /** PENDING -> ISSUED once its documents are in S3 (idempotent). */
  markIssued(row: InvoiceRow, now: string, hashes: DocumentHashes): Promise<void>;
  /** ISSUED -> NOTIFIED once the customer was told (idempotent). */
  markNotified(row: InvoiceRow, now: string): Promise<void>;
  /**
   * Sets a fully credited invoice aside (`REPLACED#<number>`) so that its (customer, period) is
   * issued anew; false when it was set aside already.
   */
  setAside(invoice: InvoiceRow, reason: string, now: string): Promise<boolean>;
}

export function dynamoCreditNotes(
  ddb: DynamoDBDocumentClient,
  table: string,
  numbers: Pick<NumberSeries, 'allocate' | 'voidBlockNumber'>,
): CreditNoteStore {
  const readRow = async (key: string): Promise<InvoiceRow | undefined> =>
    (await ddb.send(new GetCommand({ TableName: table, Key: { invoiceKey: key }, ConsistentRead: true })))
      .Item as InvoiceRow | undefined;

  const transition = async (
    row: InvoiceRow,
    from: string[],
    to: string,
    stamp: string,
    now: string,
    hashes?: DocumentHashes,
  ) => {
    await ddb.send(
      new UpdateCommand({
        TableName: table,
        Key: { invoiceKey: row.invoiceKey },
        UpdateExpression: `SET #s = :to, ${stamp} = if_not_exists(${stamp}, :now)${hashes ? `, ${DOCUMENT_HASHES_ATTRIBUTE} = :h` : ''} ADD ${VERSION_ATTRIBUTE} :one`,
        ConditionExpression: `#s IN (${from.map((_, i) => `:from${i}`).join(', ')}, :to) AND invoiceNumber = :n`,
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':to': to,
          ':now': now,
          ':one': 1,
          ':n': row.invoiceNumber,
          ...(hashes ? { ':h': hashes } : {}),
          ...Object.fromEntries(from.map((f, i) => [`:from${i}`, f])),
        },
      }),
    );
  };

  return {
    find: (invoiceNumber, request) => readRow(creditKey(invoiceNumber, request)),

    async reserve(r) {
      const key = creditKey(r.invoice.invoiceNumber, r.request);
      const existing = await readRow(key);
      if (existing) return { row: existing, resumed: true };
      const number = r.numberFor(await numbers.allocate(r.series, r.now));
      const row: InvoiceRow = {
        invoiceKey: key,
        customerId: r.invoice.customerId,
        period: r.invoice.period,
        periodCustomer: periodCustomerKey(r.invoice.period, r.invoice.customerId),
        invoiceNumber: number,
        series: r.series,
        status: INVOICE_STATUS.pending,
        totalMinor: r.amountMinor,
        currency: r.invoice.currency,
        issueDate: r.issueDate,
        ...(r.invoice.locale === undefined ? {} : { locale: r.invoice.locale }),
        ...r.keysFor(number),
        reservedAt: r.now,
        reservedByRun: r.by,
        documentType: 'credit_note',
        corrects: r.invoice.invoiceNumber,
        creditReason: r.reason,
        version: 1,
      };
      try {
        await ddb.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: table,
                  Item: { invoiceKey: numberClaimKey(number), claimedFor: key, claimedAt: r.now },
                  ConditionExpression: 'attribute_not_exists(invoiceKey)',
                },
              },
              {
                Put: { TableName: table, Item: row, ConditionExpression: 'attribute_not_exists(invoiceKey)' },
              },
              {
                Update: {
                  TableName: table,
                  Key: { invoiceKey: r.invoice.invoiceKey },
                  UpdateExpression: `SET creditedMinor = if_not_exists(creditedMinor, :zero) + :amount, creditedAt = :now ADD ${VERSION_ATTRIBUTE} :one`,
                  ConditionExpression:
                    'invoiceNumber = :n AND #s IN (:issued, :notified) AND (attribute_not_exists(creditedMinor) OR creditedMinor <= :most)',
                  ExpressionAttributeNames: { '#s': 'status' },
                  ExpressionAttributeValues: {
                    ':zero': 0,
                    ':one': 1,
                    ':amount': r.amountMinor,
                    ':n': r.invoice.invoiceNumber,
                    ':issued': INVOICE_STATUS.issued,
                    ':notified': INVOICE_STATUS.notified,
                    ':most': r.invoice.totalMinor - r.amountMinor,
                    ':now': r.now,
                  },
                },
              },
            ],
          }),
        );
        return { row, resumed: false };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        // The number is taken and unused: keep it as VOID (no gap), then say why.
        const [, rowExists, invoiceChanged] = (error.CancellationReasons ?? []).map(
          (reason) => reason.Code === 'ConditionalCheckFailed',
        );
        const why = rowExists
          ? 'the same credit note was being issued by another request'
          : invoiceChanged
            ? `invoice ${r.invoice.invoiceNumber} changed meanwhile (credited or no longer issued)`
            : 'its number was claimed already';
        await numbers.voidBlockNumber({
          customerId: r.invoice.customerId,
          period: r.invoice.period,
          invoiceNumber: number,
          reason: `credit note not issued: ${why}`,
          runId: r.by,
          now: r.now,
          series: r.series,
          currency: r.invoice.currency,
          issueDate: r.issueDate,
        });
        const mine = rowExists ? await readRow(key) : undefined;
        if (mine) return { row: mine, resumed: true };
        if (invoiceChanged)
          throw new InvalidInputError(
            `${why}; look at it again and retry`,
            `credit note for ${r.invoice.invoiceNumber}`,
          );
        throw new InvoiceStateConflictError(`credit note for ${r.invoice.invoiceNumber}: ${why}`);
      }
    },

    async setAside(invoice, reason, now) {
      if (await readRow(replacedKey(invoice.invoiceNumber))) return false;
      const moved = await moveItem(
        ddb,
        table,
        {
          invoiceKey: invoice.invoiceKey,
          condition: 'invoiceNumber = :n AND creditedMinor = totalMinor',
          values: { ':n': invoice.invoiceNumber },
        },
        {
          ...invoice,
          invoiceKey: replacedKey(invoice.invoiceNumber),
          creditedMinor: invoice.totalMinor,
          replacedAt: now,
          replacedReason: reason,
          version: (invoice.version ?? 0) + 1,
        },
      );
      if (moved) return true;
      if (await readRow(replacedKey(invoice.invoiceNumber))) return false;
      throw new InvoiceStateConflictError(
        `invoice ${invoice.invoiceNumber} is not fully credited, or changed meanwhile: not set aside`,
      );
    },

    markIssued: (row, now, hashes) =>
      transition(row, [INVOICE_STATUS.pending], INVOICE_STATUS.issued, 'issuedAt', now, hashes),
    markNotified: (row, now) =>
      transition(row, [INVOICE_STATUS.issued], INVOICE_STATUS.notified, 'notifiedAt', now),
  };
}
