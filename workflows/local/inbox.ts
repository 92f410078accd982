/**
 * The local "inboxes": SQS queues subscribed to the SNS topics, standing in for the customers' and
 * operators' subscriptions, read without consuming (fauxqs inspection).
 */
import {
  ListSubscriptionsByTopicCommand,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { FauxqsServer } from 'fauxqs';

export interface InboxMessage {
  messageId: string;
  sentAt: string;
  topicArn?: string;
  subject?: string;
  /** The message the SQS subscriber got (for MessageStructure json: the `sqs` or `default` entry). */
  message: string;
  /** SNS message attributes, as strings (customerId, eventType, invoiceNumber ...). */
  attributes: Record<string, string>;
}

/** A queue (created if missing, with `attributes`): its URL and ARN. */
export async function ensureQueue(
  sqs: SQSClient,
  queueName: string,
  attributes: Record<string, string> = {},
): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: queueName, Attributes: attributes }),
  );
  if (!QueueUrl) throw new Error(`CreateQueue ${queueName} returned no QueueUrl`);
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (!arn) throw new Error(`queue ${queueName} has no QueueArn`);
  return { url: QueueUrl, arn };
}

/**
 * Subscribes a queue to a topic unless it is already: subscriptions persist with the fauxqs data,
 * and a second one would deliver everything twice.
 */
export async function subscribeQueueOnce(
  sns: SNSClient,
  topicArn: string,
  queueArn: string,
  attributes?: Record<string, string>,
): Promise<void> {
  const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
  const existing = Subscriptions?.find((s) => s.Protocol === 'sqs' && s.Endpoint === queueArn);
  if (existing?.SubscriptionArn) {
    // A data dir from an earlier version: its subscription takes today's attributes (a new
    // e-mailed event type in the filter policy), as a deploy updates it on AWS.
    for (const [AttributeName, AttributeValue] of Object.entries(attributes ?? {}))
      await sns.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn: existing.SubscriptionArn,
          AttributeName,
          AttributeValue,
        }),
      );
    return;
  }
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: queueArn,
      ...(attributes ? { Attributes: attributes } : {}),
    }),
  );
}

export async function ensureInbox(
  sqs: SQSClient,
  sns: SNSClient,
  queueName: string,
  topicArn: string,
): Promise<{ url: string; arn: string }> {
  const queue = await ensureQueue(sqs, queueName);
  await subscribeQueueOnce(sns, topicArn, queue.arn);
  return queue;
}

/** Parses the SNS envelope the SQS subscriber receives (non-raw delivery). */
function parseSnsEnvelope(messageId: string, body: string, sentTimestamp: number): InboxMessage {
  let envelope: {
    Message?: string;
    Subject?: string;
    TopicArn?: string;
    MessageAttributes?: Record<string, { Value?: string }>;
  };
  try {
    envelope = JSON.parse(body) as typeof envelope;
  } catch {
    return { messageId, sentAt: new Date(sentTimestamp).toISOString(), message: body, attributes: {} };
  }
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(envelope.MessageAttributes ?? {})) {
    if (value?.Value !== undefined) attributes[key] = value.Value;
  }
  return {
    messageId,
    sentAt: new Date(sentTimestamp).toISOString(),
    ...(envelope.TopicArn ? { topicArn: envelope.TopicArn } : {}),
    ...(envelope.Subject ? { subject: envelope.Subject } : {}),
    message: envelope.Message ?? body,
    attributes,
  };
}

export function inboxOf(server: FauxqsServer, queueName: string): InboxMessage[] {
  const state = server.inspectQueue(queueName);
  if (!state) throw new Error(`local inbox queue ${queueName} does not exist`);
  const all = [
    ...state.messages.ready,
    ...state.messages.delayed,
    ...state.messages.inflight.map((entry) => entry.message),
  ];
  return all
    .sort((a, b) => a.sentTimestamp - b.sentTimestamp)
    .map((m) => parseSnsEnvelope(m.messageId, m.body, m.sentTimestamp));
}
