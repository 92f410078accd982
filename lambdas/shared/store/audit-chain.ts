/**
 * The audit manifests' chains: the head of each series' chain (`AUDIT#<series>` in the Invoices
 * table: the last sequence, its key and SHA-256, and the content digest last written per period),
 * moved forward with a conditional write so two writers never both extend the chain from the same
 * manifest; the manifest object is written after the head moved (same bytes on a retry).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { auditHeadKey } from '../contracts/keys.js';

export interface AuditHead {
  sequence: number;
  key: string;
  sha256: string;
  /** The contentSha256 of the newest manifest of each period. */
  contentByPeriod: Record<string, string>;
  /** What the head manifest names as its previous (to write it again, identical, if it was lost). */
  previous: { key: string; sha256: string } | null;
}

export interface AuditChainStore {
  head(series: string): Promise<AuditHead | undefined>;
  /** Moves the head from `from` (undefined: no chain yet) to `to`; false when another writer moved it first. */
  advance(series: string, from: AuditHead | undefined, to: AuditHead): Promise<boolean>;
}

export function dynamoAuditChain(ddb: DynamoDBDocumentClient, table: string): AuditChainStore {
  return {
    async head(series) {
      const out = await ddb.send(
        new GetCommand({ TableName: table, Key: { invoiceKey: auditHeadKey(series) }, ConsistentRead: true }),
      );
      const item = out.Item;
      if (item === undefined) return undefined;
      return {
        sequence: Number(item.sequence),
        key: String(item.key),
        sha256: String(item.sha256),
        contentByPeriod: (item.contentByPeriod ?? {}) as Record<string, string>,
        previous: (item.previous ?? null) as AuditHead['previous'],
      };
    },
    async advance(series, from, to) {
      try {
        await ddb.send(
          new UpdateCommand({
            TableName: table,
            Key: { invoiceKey: auditHeadKey(series) },
            UpdateExpression:
              'SET #seq = :to, #key = :key, sha256 = :sha, contentByPeriod = :content, previous = :previous',
            ConditionExpression: from === undefined ? 'attribute_not_exists(#seq)' : '#seq = :from',
            ExpressionAttributeNames: { '#seq': 'sequence', '#key': 'key' },
            ExpressionAttributeValues: {
              ':to': to.sequence,
              ':key': to.key,
              ':sha': to.sha256,
              ':content': to.contentByPeriod,
              ':previous': to.previous,
              ...(from === undefined ? {} : { ':from': from.sequence }),
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
}
