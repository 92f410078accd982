/**
 * Reminders in the Receivables table: one claim per (invoice, step), taken before the reminder is
 * published and marked once it was; the customers support paused reminders for; and the
 * invoice row's `overdueAt`, written once (its change-stream record is the `invoice.overdue`
 * event). A job killed between claim and publish finds its claim unpublished and publishes it
 * again: the reminder's event id is the same every time, so the e-mail subscriber sends one e-mail.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  paginateQuery,
  paginateScan,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { VERSION_ATTRIBUTE } from '../contracts/domain-events.js';
import { receivablesKeys as K } from '../contracts/keys.js';
import type { InvoiceRow } from './invoice-index.js';

export interface ReminderClaim {
  invoiceNumber: string;
  customerId: string;
  step: number;
  claimedAt: string;
  /** Set once its event was published. */
  publishedAt?: string;
}

export interface ReminderPause {
  customerId: string;
  reason: string;
  by: string;
  at: string;
}

export interface ReminderStore {
  /** Every claim, by invoice number (one scan: the job reads them once per run). */
  claims(): Promise<Map<string, ReminderClaim[]>>;
  /** One invoice's claims. */
  claimsOf(invoiceNumber: string): Promise<ReminderClaim[]>;
  /** Takes the claim; an existing one comes back instead (published or not). */
  claim(c: ReminderClaim): Promise<{ taken: true } | { taken: false; existing: ReminderClaim }>;
  markPublished(invoiceNumber: string, step: number, at: string): Promise<void>;
  paused(): Promise<Map<string, ReminderPause>>;
  pause(p: ReminderPause): Promise<void>;
  /** False when it was not paused. */
  resume(customerId: string): Promise<boolean>;
  /** Writes the row's `overdueAt` once; false when it was written before or the row changed hands. */
  markOverdue(invoice: InvoiceRow, at: string): Promise<boolean>;
}

const claimOf = (item: Record<string, unknown>): ReminderClaim => ({
  invoiceNumber: item.invoiceNumber as string,
  customerId: item.customerId as string,
  step: item.step as number,
  claimedAt: item.claimedAt as string,
  ...(typeof item.publishedAt === 'string' ? { publishedAt: item.publishedAt } : {}),
});

export function dynamoReminders(
  ddb: DynamoDBDocumentClient,
  tables: { receivables: string; invoices: string },
): ReminderStore {
  const table = tables.receivables;
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
    async claims() {
      const byInvoice = new Map<string, ReminderClaim[]>();
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
          const claim = claimOf(item);
          byInvoice.set(claim.invoiceNumber, [...(byInvoice.get(claim.invoiceNumber) ?? []), claim]);
        }
      return byInvoice;
    },
    async claimsOf(invoiceNumber) {
      const out: ReminderClaim[] = [];
      const pages = paginateQuery(
        { client: ddb },
        {
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': K.reminder(invoiceNumber) },
          ConsistentRead: true,
        },
      );
      for await (const page of pages) for (const item of page.Items ?? []) out.push(claimOf(item));
      return out.sort((a, b) => a.step - b.step);
    },
    async claim(c) {
      try {
        await ddb.send(
          new PutCommand({
            TableName: table,
            Item: { pk: K.reminder(c.invoiceNumber), sk: K.reminderSort(c.step), ...c },
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { taken: true };
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException && error.Item)
          return { taken: false, existing: claimOf(error.Item as Record<string, unknown>) };
        throw error;
      }
    },
    async markPublished(invoiceNumber, step, at) {
      await ddb.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: K.reminder(invoiceNumber), sk: K.reminderSort(step) },
          UpdateExpression: 'SET publishedAt = if_not_exists(publishedAt, :at)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at },
        }),
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
    markOverdue: (invoice, at) =>
      conditional(() =>
        ddb.send(
          new UpdateCommand({
            TableName: tables.invoices,
            Key: { invoiceKey: invoice.invoiceKey },
            UpdateExpression: `SET overdueAt = :at ADD ${VERSION_ATTRIBUTE} :one`,
            ConditionExpression: 'invoiceNumber = :n AND attribute_not_exists(overdueAt)',
            ExpressionAttributeValues: { ':at': at, ':one': 1, ':n': invoice.invoiceNumber },
          }),
        ),
      ),
  };
}
