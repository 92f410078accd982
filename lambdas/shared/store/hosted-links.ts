/**
 * Hosted-invoice links in the Invoices table (`LINK#<sha256 of the token>`): the document a link
 * opens and whether it was revoked. The item names its document in attributes of its own
 * (`linkedNumber` ...), never in the GSI attributes, so no listing ever sees a link.
 */
import { VERSION_ATTRIBUTE } from '../contracts/domain-events.js';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { linkKey } from '../contracts/keys.js';
import { batchGetItems } from './batch-get.js';
import { FIRST_LINK_GENERATION } from '../hosted-links/token.js';

export interface HostedLink {
  tokenHash: string;
  invoiceNumber: string;
  customerId: string;
  period: string;
  generation: number;
  createdAt: string;
  revokedAt?: string;
  revokedBy?: string;
  revokedReason?: string;
}

export interface HostedLinkStore {
  /** Writes the link unless it exists (a revoked link stays revoked); true when written now. */
  create(link: Omit<HostedLink, 'revokedAt' | 'revokedBy' | 'revokedReason'>): Promise<boolean>;
  get(tokenHash: string): Promise<HostedLink | undefined>;
  /** Which of these links exist (BatchGetItem, 100 a request): a job making thousands checks first. */
  existing(tokenHashes: readonly string[]): Promise<Set<string>>;
  /** Marks the link revoked; false when there is no such link or it was revoked already. */
  revoke(tokenHash: string, by: { at: string; by: string; reason: string }): Promise<boolean>;
  /**
   * Moves an invoice row to its next link generation (a new token), if it is still at `from`;
   * returns the generation it is at now.
   */
  advanceGeneration(invoiceKey: string, from: number): Promise<number>;
}

interface LinkItem {
  invoiceKey: string;
  linkedNumber: string;
  linkedCustomer: string;
  linkedPeriod: string;
  generation: number;
  createdAt: string;
  revokedAt?: string;
  revokedBy?: string;
  revokedReason?: string;
}

const isConditionFailure = (error: unknown): boolean => error instanceof ConditionalCheckFailedException;

export function dynamoHostedLinks(ddb: DynamoDBDocumentClient, table: string): HostedLinkStore {
  return {
    async create(link) {
      const item: LinkItem = {
        invoiceKey: linkKey(link.tokenHash),
        linkedNumber: link.invoiceNumber,
        linkedCustomer: link.customerId,
        linkedPeriod: link.period,
        generation: link.generation,
        createdAt: link.createdAt,
      };
      try {
        await ddb.send(
          new PutCommand({
            TableName: table,
            Item: item,
            ConditionExpression: 'attribute_not_exists(invoiceKey)',
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    async existing(tokenHashes) {
      const found = await batchGetItems(ddb, [
        { table, keyName: 'invoiceKey', keys: tokenHashes.map(linkKey), consistentRead: true },
      ]);
      const keys = found.get(table) ?? new Map();
      return new Set(tokenHashes.filter((hash) => keys.has(linkKey(hash))));
    },
    async get(tokenHash) {
      const out = await ddb.send(
        new GetCommand({ TableName: table, Key: { invoiceKey: linkKey(tokenHash) } }),
      );
      const item = out.Item as LinkItem | undefined;
      if (item === undefined || typeof item.linkedNumber !== 'string') return undefined;
      return {
        tokenHash,
        invoiceNumber: item.linkedNumber,
        customerId: item.linkedCustomer,
        period: item.linkedPeriod,
        generation: item.generation,
        createdAt: item.createdAt,
        ...(item.revokedAt === undefined
          ? {}
          : {
              revokedAt: item.revokedAt,
              revokedBy: item.revokedBy ?? '',
              revokedReason: item.revokedReason ?? '',
            }),
      };
    },
    async revoke(tokenHash, { at, by, reason }) {
      try {
        await ddb.send(
          new UpdateCommand({
            TableName: table,
            Key: { invoiceKey: linkKey(tokenHash) },
            UpdateExpression: 'SET revokedAt = :at, revokedBy = :by, revokedReason = :reason',
            ConditionExpression: 'attribute_exists(linkedNumber) AND attribute_not_exists(revokedAt)',
            ExpressionAttributeValues: { ':at': at, ':by': by, ':reason': reason },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    async advanceGeneration(invoiceKey, from) {
      try {
        await ddb.send(
          new UpdateCommand({
            TableName: table,
            Key: { invoiceKey },
            UpdateExpression: `SET linkGeneration = :next ADD ${VERSION_ATTRIBUTE} :one`,
            ConditionExpression:
              'attribute_exists(invoiceNumber) AND (linkGeneration = :from OR (attribute_not_exists(linkGeneration) AND :from = :first))',
            ExpressionAttributeValues: {
              ':next': from + 1,
              ':from': from,
              ':first': FIRST_LINK_GENERATION,
              ':one': 1,
            },
          }),
        );
        return from + 1;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const out = await ddb.send(
          new GetCommand({ TableName: table, Key: { invoiceKey }, ConsistentRead: true }),
        );
        const current = (out.Item as { linkGeneration?: number } | undefined)?.linkGeneration;
        return current ?? FIRST_LINK_GENERATION;
      }
    },
  };
}
