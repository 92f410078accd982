/**
 * Payments, bank credits and write-offs in DynamoDB (contracts/tables.ts RECEIVABLES_TABLE, with
 * the invoice row in the Invoices table). A payment is one transaction: its own item, created once
 * (its id is its idempotency key), and `ADD paidMinor` on the invoice row, on condition that the
 * row still holds that issued invoice. ADD is atomic, so concurrent payments never lose one
 * another; the same payment twice (a retried Lambda, a statement imported twice, two imports at
 * once) fails its item's condition and changes nothing. A statement credit also creates its
 * `ENTRY#` item in the same transaction, so each bank entry is applied once, whatever became of it.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  paginateQuery,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { VERSION_ATTRIBUTE } from '../contracts/domain-events.js';
import { receivablesKeys as K } from '../contracts/keys.js';
import { INVOICE_STATUS } from '../contracts/statuses.js';
import { referenceKeyOf } from '../domain/search-key.js';
import type { BankCredit } from '../domain/statement-matching.js';
import type { InvoiceRow } from './invoice-index.js';

export type { BankCredit } from '../domain/statement-matching.js';

/** One payment or reversal, as recorded: never edited afterwards. */
export interface PaymentEntry {
  paymentId: string;
  invoiceNumber: string;
  customerId: string;
  /** Positive: a payment; negative: the reversal of `reverses`. */
  amountMinor: number;
  currency: string;
  /** The day the money arrived (value or booking date). */
  date: string;
  method: string;
  reference?: string;
  /** `manual` (support), `statement` (matched on import) or `assigned` (support assigned a credit). */
  source: 'manual' | 'statement' | 'assigned';
  /** The bank entry it came from. */
  entryId?: string;
  /** A reversal: the payment it takes back. */
  reverses?: string;
  reason?: string;
  by: string;
  recordedAt: string;
}

/** A credit no rule matched to exactly one invoice, kept for support to assign. */
export interface UnmatchedCredit extends BankCredit {
  reason: string;
  /** Invoices that fitted equally (an ambiguous credit). */
  candidates?: string[];
  importedAt: string;
}

export type PaymentOutcome = 'recorded' | 'repeated';

/** One statement credit's write: a payment on its invoice, or kept for support. */
export type CreditWrite =
  | { kind: 'payment'; invoice: InvoiceRow; payment: PaymentEntry; entry: BankCredit }
  | { kind: 'unmatched'; credit: UnmatchedCredit };

/** Tries of a transaction that met another on the same item (TransactionConflict). */
const MAX_CONFLICT_ATTEMPTS = 6;

/**
 * Credits in one transaction: a payment takes 3 items, an unmatched credit 2, so 25 stay within
 * contracts/tables.ts MAX_TRANSACTION_ITEMS (75 of 100).
 */
export const MAX_CREDITS_PER_TRANSACTION = 25;
export type EntryOutcome = PaymentOutcome | 'seen';

export class InvoiceNotPayableError extends Error {
  override readonly name = 'InvoiceNotPayableError';
}

export interface ReceivablesStore {
  /** Records a payment (or reversal) and moves the invoice's `paidMinor` by its amount. */
  recordPayment(invoice: InvoiceRow, payment: PaymentEntry, entry?: BankCredit): Promise<EntryOutcome>;
  /**
   * Many credits in one transaction (at most MAX_CREDITS_PER_TRANSACTION, no invoice twice); where
   * a condition cancels it, credit by credit. An invoice no longer payable is its credit's
   * InvoiceNotPayableError, returned, not thrown.
   */
  recordCredits(writes: readonly CreditWrite[]): Promise<(EntryOutcome | InvoiceNotPayableError)[]>;
  /** Keeps a credit for support; `seen` when its bank entry was imported before. */
  recordUnmatched(credit: UnmatchedCredit): Promise<EntryOutcome>;
  /** Applies a kept credit to an invoice: it leaves the unmatched list in the same transaction. */
  assign(credit: UnmatchedCredit, invoice: InvoiceRow, payment: PaymentEntry): Promise<PaymentOutcome>;
  /** A customer's payments (one invoice's when given), oldest first within each invoice. */
  payments(customerId: string, invoiceNumber?: string): Promise<PaymentEntry[]>;
  unmatched(): Promise<UnmatchedCredit[]>;
  /** Which of these bank entries were imported before. */
  seenEntries(credits: readonly Pick<BankCredit, 'entryId' | 'bookingDate'>[]): Promise<Set<string>>;
  /** Marks the invoice's open amount written off; false when it was written off already. */
  writeOff(invoice: InvoiceRow, reason: string, by: string, now: string): Promise<boolean>;
}

const STRIP = ['pk', 'sk', 'referenceKey'] as const;

/** The lookup attribute of the byReference index, on items that have a reference. */
const referenceKeyItem = (reference: string | undefined): { referenceKey?: string } =>
  reference && referenceKeyOf(reference) ? { referenceKey: referenceKeyOf(reference) } : {};
const strip = <T>(item: Record<string, unknown>): T => {
  const copy = { ...item };
  for (const key of STRIP) delete copy[key];
  return copy as T;
};

/** The transaction item that moves an invoice's paid sum, on condition that it is still payable. */
function paidUpdate(invoicesTable: string, invoice: InvoiceRow, amountMinor: number, at: string) {
  return {
    Update: {
      TableName: invoicesTable,
      Key: { invoiceKey: invoice.invoiceKey },
      UpdateExpression: `SET paidAt = :at ADD paidMinor :amount, ${VERSION_ATTRIBUTE} :one`,
      ConditionExpression:
        'invoiceNumber = :n AND #s IN (:issued, :notified) AND attribute_not_exists(replacedAt) AND attribute_not_exists(documentType)',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: {
        ':amount': amountMinor,
        ':at': at,
        ':one': 1,
        ':n': invoice.invoiceNumber,
        ':issued': INVOICE_STATUS.issued,
        ':notified': INVOICE_STATUS.notified,
      },
    },
  };
}

export function dynamoReceivables(
  ddb: DynamoDBDocumentClient,
  tables: { receivables: string; invoices: string },
): ReceivablesStore {
  const table = tables.receivables;
  const paymentPut = (payment: PaymentEntry) => ({
    Put: {
      TableName: table,
      Item: {
        pk: K.customer(payment.customerId),
        sk: K.payment(payment.invoiceNumber, payment.paymentId),
        ...payment,
        ...referenceKeyItem(payment.reference),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
  const entryPut = (entry: BankCredit, outcome: string, at: string) => ({
    Put: {
      TableName: table,
      Item: { pk: K.entries(entry.bookingDate), sk: entry.entryId, outcome, at, source: entry.source },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
  const unmatchedItems = (credit: UnmatchedCredit) => [
    entryPut(credit, 'unmatched', credit.importedAt),
    {
      Put: {
        TableName: table,
        Item: {
          pk: K.unmatched,
          sk: K.unmatchedSort(credit.bookingDate, credit.entryId),
          ...credit,
          ...referenceKeyItem(credit.reference),
        },
      },
    },
  ];
  /** Runs a transaction; the index of the first item whose condition failed, or -1 when it went through. */
  const transact = async (items: object[]): Promise<number> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await ddb.send(new TransactWriteCommand({ TransactItems: items as never }));
        return -1;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const failed = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
        if (failed >= 0) return failed;
        // Another transaction on one of its items at the same moment (two payments on one invoice):
        // ADD commutes, so it is simply tried again after a short, jittered wait.
        if (!reasons.some((r) => r.Code === 'TransactionConflict') || attempt === MAX_CONFLICT_ATTEMPTS)
          throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
      }
    }
  };

  const notPayable = (invoice: InvoiceRow) =>
    new InvoiceNotPayableError(
      `invoice ${invoice.invoiceNumber} is no longer payable (voided, replaced or changed meanwhile)`,
    );

  const store: ReceivablesStore = {
    async recordPayment(invoice, payment, entry) {
      const items = [
        ...(entry ? [entryPut(entry, `payment ${payment.paymentId}`, payment.recordedAt)] : []),
        paymentPut(payment),
        paidUpdate(tables.invoices, invoice, payment.amountMinor, payment.recordedAt),
      ];
      const failed = await transact(items);
      if (failed < 0) return 'recorded';
      if (entry && failed === 0) return 'seen';
      if (failed === items.length - 2) return 'repeated';
      throw notPayable(invoice);
    },

    async recordUnmatched(credit) {
      const failed = await transact(unmatchedItems(credit));
      return failed < 0 ? 'recorded' : 'seen';
    },

    async recordCredits(writes) {
      const items = writes.flatMap((w): object[] =>
        w.kind === 'payment'
          ? [
              entryPut(w.entry, `payment ${w.payment.paymentId}`, w.payment.recordedAt),
              paymentPut(w.payment),
              paidUpdate(tables.invoices, w.invoice, w.payment.amountMinor, w.payment.recordedAt),
            ]
          : unmatchedItems(w.credit),
      );
      if ((await transact(items)) < 0) return writes.map(() => 'recorded' as const);
      const one = async (w: CreditWrite): Promise<EntryOutcome | InvoiceNotPayableError> => {
        if (w.kind === 'unmatched') return store.recordUnmatched(w.credit);
        try {
          return await store.recordPayment(w.invoice, w.payment, w.entry);
        } catch (error) {
          if (error instanceof InvoiceNotPayableError) return error;
          throw error;
        }
      };
      const outcomes: (EntryOutcome | InvoiceNotPayableError)[] = [];
      for (const w of writes) outcomes.push(await one(w));
      return outcomes;
    },

    async assign(credit, invoice, payment) {
      const failed = await transact([
        {
          Delete: {
            TableName: table,
            Key: { pk: K.unmatched, sk: K.unmatchedSort(credit.bookingDate, credit.entryId) },
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        paymentPut(payment),
        paidUpdate(tables.invoices, invoice, payment.amountMinor, payment.recordedAt),
      ]);
      if (failed < 0) return 'recorded';
      if (failed <= 1) return 'repeated';
      throw notPayable(invoice);
    },

    async payments(customerId, invoiceNumber) {
      const out: PaymentEntry[] = [];
      const pages = paginateQuery(
        { client: ddb },
        {
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: {
            ':pk': K.customer(customerId),
            ':prefix': K.paymentsOf(invoiceNumber),
          },
          ConsistentRead: true,
        },
      );
      for await (const page of pages) for (const item of page.Items ?? []) out.push(strip(item));
      return out.sort(
        (a, b) =>
          a.invoiceNumber.localeCompare(b.invoiceNumber) ||
          a.recordedAt.localeCompare(b.recordedAt) ||
          a.paymentId.localeCompare(b.paymentId),
      );
    },

    async unmatched() {
      const out: UnmatchedCredit[] = [];
      const pages = paginateQuery(
        { client: ddb },
        {
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': K.unmatched },
          ConsistentRead: true,
        },
      );
      for await (const page of pages) for (const item of page.Items ?? []) out.push(strip(item));
      return out;
    },

    async seenEntries(credits) {
      const months = [...new Set(credits.map((c) => K.entries(c.bookingDate)))];
      const seen = new Set<string>();
      for (const pk of months) {
        const pages = paginateQuery(
          { client: ddb },
          {
            TableName: table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk },
            ProjectionExpression: 'sk',
            ConsistentRead: true,
          },
        );
        for await (const page of pages) for (const item of page.Items ?? []) seen.add(item.sk as string);
      }
      return seen;
    },

    async writeOff(invoice, reason, by, now) {
      try {
        await ddb.send(
          new UpdateCommand({
            TableName: tables.invoices,
            Key: { invoiceKey: invoice.invoiceKey },
            UpdateExpression: `SET writtenOffAt = :now, writtenOffReason = :reason, writtenOffBy = :by ADD ${VERSION_ATTRIBUTE} :one`,
            ConditionExpression:
              'invoiceNumber = :n AND #s IN (:issued, :notified) AND attribute_not_exists(writtenOffAt) AND attribute_not_exists(documentType)',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: {
              ':now': now,
              ':reason': reason,
              ':by': by,
              ':one': 1,
              ':n': invoice.invoiceNumber,
              ':issued': INVOICE_STATUS.issued,
              ':notified': INVOICE_STATUS.notified,
            },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
  };
  return store;
}
