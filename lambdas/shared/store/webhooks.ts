/**
 * The owner's webhook endpoints and their delivery log, in the Webhooks table
 * (contracts/tables.ts WEBHOOKS_TABLE): endpoints under `pk` = `ENDPOINT` (a handful, listed with
 * one Query), each attempt under `pk` = `DELIVERY#<endpoint id>`, newest last by `sk`, deleted
 * by TTL after WEBHOOK_DELIVERY_LOG_DAYS. The secret is stored here and shown once, at creation
 * or rotation; nothing else returns it to a person.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  paginateQuery,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { WEBHOOK_DELIVERY_LOG_DAYS, type DomainEventType } from '../contracts/domain-events.js';

export interface WebhookEndpoint {
  id: string;
  url: string;
  description?: string;
  /** The event types it receives; empty: all of them. */
  eventTypes: DomainEventType[];
  enabled: boolean;
  createdAt: string;
  createdBy: string;
  disabledAt?: string;
  secret: string;
  /** After a rotation, the old secret also signs until `previousSecretUntil`. */
  previousSecret?: string;
  previousSecretUntil?: string;
}

/** An endpoint as a person sees it: never its secrets. */
export type WebhookEndpointView = Omit<WebhookEndpoint, 'secret' | 'previousSecret'>;
export const endpointView = ({
  secret: _s,
  previousSecret: _p,
  ...view
}: WebhookEndpoint): WebhookEndpointView => view;

export interface WebhookDelivery {
  endpointId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  at: string;
  ok: boolean;
  /** The response's HTTP status, when one came back. */
  status?: number;
  error?: string;
  durationMs: number;
  /** Sent by `invoicer events replay`. */
  replay?: boolean;
  /** The last attempt: the delivery went to the dead-letter queue. */
  deadLettered?: boolean;
}

export interface WebhookStore {
  add(endpoint: WebhookEndpoint): Promise<void>;
  get(id: string): Promise<WebhookEndpoint | undefined>;
  list(): Promise<WebhookEndpoint[]>;
  /** False: no such endpoint. */
  disable(id: string, at: string): Promise<boolean>;
  /** Sets a new secret; the old one signs until `overlapUntil`. False: no such endpoint. */
  rotateSecret(id: string, secret: string, overlapUntil: string): Promise<boolean>;
  logDelivery(delivery: WebhookDelivery): Promise<void>;
  /** An endpoint's logged attempts, oldest first (the newest `limit`). */
  deliveries(endpointId: string, options: { failedOnly: boolean; limit: number }): Promise<WebhookDelivery[]>;
}

const ENDPOINTS = 'ENDPOINT';
const deliveryPartition = (endpointId: string): string => `DELIVERY#${endpointId}`;
const deliverySortKey = (d: WebhookDelivery): string =>
  `${d.at}#${d.eventId}#${String(d.attempt).padStart(3, '0')}`;

export function dynamoWebhooks(ddb: DynamoDBDocumentClient, table: string): WebhookStore {
  const fromItem = (item: Record<string, unknown>): WebhookEndpoint => {
    const { pk: _pk, sk: _sk, ...endpoint } = item;
    return endpoint as unknown as WebhookEndpoint;
  };
  const update = async (
    id: string,
    expression: string,
    values: Record<string, unknown>,
  ): Promise<boolean> => {
    try {
      await ddb.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: ENDPOINTS, sk: id },
          UpdateExpression: expression,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  };
  return {
    async add(endpoint) {
      await ddb.send(
        new PutCommand({
          TableName: table,
          Item: { pk: ENDPOINTS, sk: endpoint.id, ...endpoint },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },
    async get(id) {
      const out = await ddb.send(
        new GetCommand({ TableName: table, Key: { pk: ENDPOINTS, sk: id }, ConsistentRead: true }),
      );
      return out.Item === undefined ? undefined : fromItem(out.Item);
    },
    async list() {
      const endpoints: WebhookEndpoint[] = [];
      const pages = paginateQuery(
        { client: ddb },
        {
          TableName: table,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': ENDPOINTS },
          ConsistentRead: true,
        },
      );
      for await (const page of pages) endpoints.push(...(page.Items ?? []).map(fromItem));
      return endpoints.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    },
    disable: (id, at) => update(id, 'SET enabled = :no, disabledAt = :at', { ':no': false, ':at': at }),
    async rotateSecret(id, secret, overlapUntil) {
      const current = await this.get(id);
      if (current === undefined) return false;
      return update(id, 'SET secret = :s, previousSecret = :old, previousSecretUntil = :until', {
        ':s': secret,
        ':old': current.secret,
        ':until': overlapUntil,
      });
    },
    async logDelivery(delivery) {
      const expiresAt = Math.floor(Date.parse(delivery.at) / 1000) + WEBHOOK_DELIVERY_LOG_DAYS * 86_400;
      await ddb.send(
        new PutCommand({
          TableName: table,
          Item: {
            pk: deliveryPartition(delivery.endpointId),
            sk: deliverySortKey(delivery),
            ...delivery,
            expiresAt,
          },
        }),
      );
    },
    async deliveries(endpointId, { failedOnly, limit }) {
      const found: WebhookDelivery[] = [];
      let after: Record<string, unknown> | undefined;
      do {
        const out = await ddb.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :p',
            ExpressionAttributeValues: {
              ':p': deliveryPartition(endpointId),
              ...(failedOnly ? { ':no': false } : {}),
            },
            ...(failedOnly ? { FilterExpression: 'ok = :no' } : {}),
            ScanIndexForward: false,
            ...(after === undefined ? {} : { ExclusiveStartKey: after }),
          }),
        );
        for (const item of out.Items ?? []) {
          const { pk: _pk, sk: _sk, expiresAt: _e, ...delivery } = item;
          found.push(delivery as unknown as WebhookDelivery);
        }
        after = out.LastEvaluatedKey;
      } while (after !== undefined && found.length < limit);
      return found.slice(0, limit).reverse();
    },
  };
}
