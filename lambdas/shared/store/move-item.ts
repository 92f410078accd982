/**
 * Moves an item of the Invoices table to another key in one transaction: the old item is deleted
 * on `condition` (its state is still what the caller read), the new one is created only if no item
 * has its key. So a row becomes a VOID record, or an invoice is set aside, exactly once.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface MoveFrom {
  invoiceKey: string;
  condition: string;
  names?: Record<string, string>;
  values: Record<string, unknown>;
}

/** True when moved; false when the condition failed or the new key was taken (nothing changed). */
export async function moveItem(
  ddb: DynamoDBDocumentClient,
  table: string,
  from: MoveFrom,
  to: { invoiceKey: string } & Record<string, unknown>,
): Promise<boolean> {
  try {
    await ddb.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: table,
              Key: { invoiceKey: from.invoiceKey },
              ConditionExpression: from.condition,
              ...(from.names ? { ExpressionAttributeNames: from.names } : {}),
              ExpressionAttributeValues: from.values,
            },
          },
          { Put: { TableName: table, Item: to, ConditionExpression: 'attribute_not_exists(invoiceKey)' } },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException) return false;
    throw error;
  }
}
