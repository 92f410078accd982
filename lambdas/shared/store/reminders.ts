/**
 * Reminders in the Receivables table: one record per (invoice, step), written once the reminder
 * was published; the customers support paused reminders for; and the invoice row's `overdueAt`,
 * written once (its change-stream record is the `invoice.overdue` event). A job killed between
 * publishing and recording publishes again on its next run: the reminder's event id is the same
 * every time, so the e-mail subscriber (its EMAIL# claim) sends one e-mail. Writes go in
 * transactions of up to 100 conditional items (DynamoDB's limit), item by item where one fails.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { mapLimited } from '../map-limited.js';
import {
  DeleteCommand,
  paginateQuery,
  paginateScan,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { VERSION_ATTRIBUTE } from '../contracts/domain-events.js';
import { receivablesKeys as K } from '../contracts/keys.js';
import { MAX_TRANSACTION_ITEMS } from '../contracts/tables.js';
import type { InvoiceRow } from './invoice-index.js';

/** A reminder sent: (invoice, step), and when it was published. */
export interface SentReminder {
  invoiceNumber: string;
  customerId: string;
  step: number;
  /** When its event was published. */
  publishedAt: string;
}

export interface ReminderPause {
  customerId: string;
  reason: string;
  by: string;
  at: string;
}

export interface ReminderStore {
  /** Every reminder sent, by invoice number (one scan: the job reads them once per run). */
  sentByInvoice(): Promise<Map<string, SentReminder[]>>;
  /** One invoice's reminders sent, by step. */
  sentOf(invoiceNumber: string): Promise<SentReminder[]>;
  /** Records published reminders; one recorded before keeps its first time. */
  recordSent(reminders: readonly SentReminder[]): Promise<void>;
  paused(): Promise<Map<string, ReminderPause>>;
  pause(p: ReminderPause): Promise<void>;
  /** False when it was not paused. */
  resume(customerId: string): Promise<boolean>;
  /** Writes each row's `overdueAt` once; how many were written now (not before, not changed hands). */
  markOverdue(invoices: readonly InvoiceRow[], at: string): Promise<number>;
}

const sentReminderOf = (item: Record<string, unknown>): SentReminder => ({
  invoiceNumber: item.invoiceNumber as string,
  customerId: item.customerId as string,
  step: item.step as number,
  publishedAt: item.publishedAt as string,
});

export function dynamoReminders(
  ddb: DynamoDBDocumentClient,
  tables: { receivables: string; invoices: string },
): ReminderStore {
  const table = tables.receivables;
  /**
   * Writes `items` in transactions of up to 100; a transaction a condition cancels is written item
   * by item (`one`), so one item written before never holds the others back.
   */
  const inTransactions = async <T>(
    items: readonly T[],
    toTransactItem: (item: T) => object,
    one: (item: T) => Promise<void>,
    written: (count: number) => void = () => undefined,
  ): Promise<void> => {
    const chunks: T[][] = [];
    for (let i = 0; i < items.length; i += MAX_TRANSACTION_ITEMS)
      chunks.push(items.slice(i, i + MAX_TRANSACTION_ITEMS));
    await mapLimited(chunks, 4, async (chunk) => {
      try {
        await ddb.send(new TransactWriteCommand({ TransactItems: chunk.map(toTransactItem) as never }));
        written(chunk.length);
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        for (const item of chunk) await one(item);
      }
    });
  };
  const conditional = async (write: () => Promise<unknown>): Promise<boolean> => {
    try {
      await write();
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  };
  return {
    async sentByInvoice() {
      const byInvoice = new Map<string, SentReminder[]>();
      const pages = paginateScan(
        { client: ddb },
        {
          TableName: table,
          FilterExpression: 'begins_with(pk, :prefix)',
          ExpressionAttributeValues: { ':prefix': K.reminder('') },
          ConsistentRead: true,
        },
      );
      for await (const page of pages)
        for (const item of page.Items ?? []) {
          const claim = sentReminderOf(item);
          byInvoice.set(claim.invoiceNumber, [...(byInvoice.get(claim.invoiceNumber) ?? []), claim]);
        }
      return byInvoice;
    },
    async sentOf(invoiceNumber) {
      const out: SentReminder[] = [];
      const pages = paginateQuery(
        { client: ddb },
        {
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': K.reminder(invoiceNumber) },
          ConsistentRead: true,
        },
      );
      for await (const page of pages) for (const item of page.Items ?? []) out.push(sentReminderOf(item));
      return out.sort((a, b) => a.step - b.step);
    },
    async recordSent(reminders) {
      const put = (c: SentReminder) => ({
        Put: {
          TableName: table,
          Item: { pk: K.reminder(c.invoiceNumber), sk: K.reminderSort(c.step), ...c },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
      await inTransactions(
        reminders,
        put,
        async (c) => void (await conditional(() => ddb.send(new PutCommand(put(c).Put)))),
      );
    },
    async paused() {
      const out = new Map<string, ReminderPause>();
      const pages = paginateQuery(
        { client: ddb },
        {
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': K.remindersPaused },
          ConsistentRead: true,
        },
      );
      for await (const page of pages)
        for (const item of page.Items ?? [])
          out.set(item.customerId as string, {
            customerId: item.customerId as string,
            reason: item.reason as string,
            by: item.by as string,
            at: item.at as string,
          });
      return out;
    },
    async pause(p) {
      await ddb.send(
        new PutCommand({ TableName: table, Item: { pk: K.remindersPaused, sk: p.customerId, ...p } }),
      );
    },
    resume: (customerId) =>
      conditional(() =>
        ddb.send(
          new DeleteCommand({
            TableName: table,
            Key: { pk: K.remindersPaused, sk: customerId },
            ConditionExpression: 'attribute_exists(pk)',
          }),
        ),
      ),
    async markOverdue(invoices, at) {
      const update = (invoice: InvoiceRow) => ({
        Update: {
          TableName: tables.invoices,
          Key: { invoiceKey: invoice.invoiceKey },
          UpdateExpression: `SET overdueAt = :at ADD ${VERSION_ATTRIBUTE} :one`,
          ConditionExpression: 'invoiceNumber = :n AND attribute_not_exists(overdueAt)',
          ExpressionAttributeValues: { ':at': at, ':one': 1, ':n': invoice.invoiceNumber },
        },
      });
      let marked = 0;
      await inTransactions(
        invoices,
        update,
        async (invoice) => {
          if (await conditional(() => ddb.send(new UpdateCommand(update(invoice).Update)))) marked++;
        },
        (count) => (marked += count),
      );
      return marked;
    },
  };
}
