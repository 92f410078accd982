/**
 * What SES said of a document's e-mail, kept on the document's own row (`emailStatus`,
 * `emailStatusAt`, and its version + 1), so that the change stream tells the owner's systems
 * (invoice.email_delivered / invoice.email_bounced). The same outcome twice changes nothing: SES
 * reports at least once, and a repeated report makes no second event.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { VERSION_ATTRIBUTE } from '../contracts/domain-events.js';
import { ISSUED_STATUSES } from '../contracts/statuses.js';
import { EMAIL_OUTCOME_AT_ATTRIBUTE, EMAIL_OUTCOME_ATTRIBUTE } from '../domain/change-events.js';
import { indexName, type InvoiceRow } from './invoice-index.js';

/** False when no issued document has the number, or it has that outcome already. */
export async function recordEmailOutcome(
  ddb: DynamoDBDocumentClient,
  table: string,
  invoiceNumber: string,
  outcome: string,
  at: string,
): Promise<boolean> {
  const found = await ddb.send(
    new QueryCommand({
      TableName: table,
      IndexName: indexName('byNumber'),
      KeyConditionExpression: 'invoiceNumber = :n',
      ExpressionAttributeValues: { ':n': invoiceNumber },
    }),
  );
  const row = ((found.Items ?? []) as InvoiceRow[]).find((item) => ISSUED_STATUSES.includes(item.status));
  if (row === undefined) return false;
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: table,
        Key: { invoiceKey: row.invoiceKey },
        UpdateExpression: `SET #o = :o, #at = :at ADD ${VERSION_ATTRIBUTE} :one`,
        ConditionExpression: 'invoiceNumber = :n AND (attribute_not_exists(#o) OR #o <> :o)',
        ExpressionAttributeNames: { '#o': EMAIL_OUTCOME_ATTRIBUTE, '#at': EMAIL_OUTCOME_AT_ATTRIBUTE },
        ExpressionAttributeValues: { ':o': outcome, ':at': at, ':n': invoiceNumber, ':one': 1 },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
