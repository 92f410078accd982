/**
 * Recording the hashes of documents issued before hashes were recorded at issue (`invoicer
 * invoices record-hashes`): once per row, never over hashes already there.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DOCUMENT_HASHES_ATTRIBUTE, type DocumentHashes } from '../contracts/document-hashes.js';
import { VERSION_ATTRIBUTE } from '../contracts/domain-events.js';
import type { InvoiceRow } from './invoice-index.js';

export interface HashRecordStore {
  /** False when the row has hashes already (recorded at issue, or by an earlier call). */
  record(row: InvoiceRow, hashes: DocumentHashes): Promise<boolean>;
}

export function dynamoHashRecords(ddb: DynamoDBDocumentClient, table: string): HashRecordStore {
  return {
    async record(row, hashes) {
      try {
        await ddb.send(
          new UpdateCommand({
            TableName: table,
            Key: { invoiceKey: row.invoiceKey },
            UpdateExpression: `SET #h = :h ADD ${VERSION_ATTRIBUTE} :one`,
            ConditionExpression: 'attribute_not_exists(#h) AND invoiceNumber = :n',
            ExpressionAttributeNames: { '#h': DOCUMENT_HASHES_ATTRIBUTE },
            ExpressionAttributeValues: { ':h': hashes, ':n': row.invoiceNumber, ':one': 1 },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
  };
}
