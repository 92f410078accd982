/**
 * E-mail deliveries in the Invoices table (`EMAIL#<eventId>`), one per customer event: the
 * idempotency claim of the e-mail subscriber and what became of the e-mail (sent, undeliverable,
 * bounced, complained). The claim makes a redelivered queue message send nothing: only a claim
 * that failed, or whose sender vanished (its lease ran out), is taken again. Like link items,
 * these carry none of the GSI attributes.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { emailDeliveryKey } from '../contracts/keys.js';
import { recordEmailOutcome } from './email-outcomes.js';

export const EMAIL_STATUS = {
  sending: 'sending',
  sent: 'sent',
  /** The attempt failed (it will be retried). */
  failed: 'failed',
  /** Cannot be sent (no address): recorded, not retried. */
  undeliverable: 'undeliverable',
  bounced: 'bounced',
  complained: 'complained',
} as const;
export type EmailStatus = (typeof EMAIL_STATUS)[keyof typeof EMAIL_STATUS];

export interface EmailFeedback {
  type: 'bounce' | 'complaint' | 'delivery';
  at: string;
  /** SES's bounce type and subtype, or complaint type: what support reads. */
  detail: string;
}

export interface EmailDelivery {
  eventId: string;
  invoiceNumber: string;
  customerId: string;
  status: EmailStatus;
  attempts: number;
  claimedAt: string;
  to?: string;
  sentAt?: string;
  messageId?: string;
  lastError?: string;
  feedback?: EmailFeedback[];
}

export type ClaimResult = { claimed: true } | { claimed: false; delivery: EmailDelivery };

export interface EmailDeliveryStore {
  /** Takes the delivery of an event unless it is done or another sender holds a live claim. */
  claim(d: {
    eventId: string;
    invoiceNumber: string;
    customerId: string;
    now: string;
    leaseExpiredBefore: string;
  }): Promise<ClaimResult>;
  markSent(eventId: string, sent: { to: string; messageId: string; at: string }): Promise<void>;
  markFailed(eventId: string, error: string): Promise<void>;
  markUndeliverable(eventId: string, reason: string): Promise<void>;
  /** Adds SES feedback; a bounce or complaint also becomes the status. False: no such delivery. */
  recordFeedback(eventId: string, feedback: EmailFeedback): Promise<boolean>;
  get(eventId: string): Promise<EmailDelivery | undefined>;
}

/** The outcome an SES event gives the document's row (`emailStatus`). */
const EMAIL_OUTCOME_OF: Record<EmailFeedback['type'], string> = {
  delivery: 'delivered',
  bounce: 'bounced',
  complaint: 'complained',
};

const isConditionFailure = (error: unknown): boolean => error instanceof ConditionalCheckFailedException;

interface DeliveryItem extends Omit<EmailDelivery, 'invoiceNumber' | 'customerId' | 'to'> {
  invoiceKey: string;
  /** Not `invoiceNumber`/`customerId`: those are GSI keys, and a delivery is no invoice. */
  deliveryOf: string;
  deliveryTo: string;
  /** The recipient (`to` is a DynamoDB reserved word). */
  deliveryAddress?: string;
}

const fromItem = (item: DeliveryItem): EmailDelivery => {
  const { invoiceKey: _key, deliveryOf, deliveryTo, deliveryAddress, ...rest } = item;
  return {
    ...rest,
    invoiceNumber: deliveryOf,
    customerId: deliveryTo,
    ...(deliveryAddress === undefined ? {} : { to: deliveryAddress }),
  };
};

export function dynamoEmailDeliveries(ddb: DynamoDBDocumentClient, table: string): EmailDeliveryStore {
  const key = (eventId: string) => ({ invoiceKey: emailDeliveryKey(eventId) });
  const get = async (eventId: string) => {
    const out = await ddb.send(new GetCommand({ TableName: table, Key: key(eventId), ConsistentRead: true }));
    return out.Item === undefined ? undefined : fromItem(out.Item as DeliveryItem);
  };
  const update = (eventId: string, expression: string, values: Record<string, unknown>) =>
    ddb.send(
      new UpdateCommand({
        TableName: table,
        Key: key(eventId),
        UpdateExpression: expression,
        ConditionExpression: 'attribute_exists(invoiceKey)',
        ...(expression.includes('#status') ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
  return {
    get,
    async claim({ eventId, invoiceNumber, customerId, now, leaseExpiredBefore }) {
      const previous = await get(eventId);
      const item: DeliveryItem = {
        ...key(eventId),
        eventId,
        deliveryOf: invoiceNumber,
        deliveryTo: customerId,
        status: EMAIL_STATUS.sending,
        attempts: (previous?.attempts ?? 0) + 1,
        claimedAt: now,
        ...(previous?.lastError ? { lastError: previous.lastError } : {}),
      };
      try {
        await ddb.send(
          new PutCommand({
            TableName: table,
            Item: item,
            // New, or failed, or a sender that vanished mid-send (its lease ran out).
            ConditionExpression:
              'attribute_not_exists(invoiceKey) OR #status = :failed OR (#status = :sending AND claimedAt < :expired)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':failed': EMAIL_STATUS.failed,
              ':sending': EMAIL_STATUS.sending,
              ':expired': leaseExpiredBefore,
            },
          }),
        );
        return { claimed: true };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const current = await get(eventId);
        if (current === undefined) throw error;
        return { claimed: false, delivery: current };
      }
    },
    async markSent(eventId, sent) {
      await update(
        eventId,
        'SET #status = :sent, deliveryAddress = :to, messageId = :id, sentAt = :at REMOVE lastError',
        {
          ':sent': EMAIL_STATUS.sent,
          ':to': sent.to,
          ':id': sent.messageId,
          ':at': sent.at,
        },
      );
    },
    async markFailed(eventId, error) {
      await update(eventId, 'SET #status = :failed, lastError = :error', {
        ':failed': EMAIL_STATUS.failed,
        ':error': error.slice(0, 1000),
      });
    },
    async markUndeliverable(eventId, reason) {
      await update(eventId, 'SET #status = :status, lastError = :reason', {
        ':status': EMAIL_STATUS.undeliverable,
        ':reason': reason,
      });
    },
    async recordFeedback(eventId, feedback) {
      const status =
        feedback.type === 'bounce'
          ? EMAIL_STATUS.bounced
          : feedback.type === 'complaint'
            ? EMAIL_STATUS.complained
            : undefined;
      let delivery: DeliveryItem;
      try {
        const out = await update(
          eventId,
          `SET feedback = list_append(if_not_exists(feedback, :none), :feedback)${status ? ', #status = :status' : ''}`,
          { ':none': [], ':feedback': [feedback], ...(status ? { ':status': status } : {}) },
        );
        delivery = out.Attributes as DeliveryItem;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
      // The document's own row says it too: a change of its status is an event (change-events.ts).
      await recordEmailOutcome(ddb, table, delivery.deliveryOf, EMAIL_OUTCOME_OF[feedback.type], feedback.at);
      return true;
    },
  };
}
