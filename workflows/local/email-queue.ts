/**
 * The e-mail subscriber's queue on the local stack, as CDK deploys it (infra/constructs/
 * email-delivery.ts): an SQS queue with a dead-letter queue after EMAIL_MAX_RECEIVE_COUNT
 * receives, subscribed to the customer topic with raw delivery and the same filter policy. And
 * the Lambda event source mapping's part: `drainQueue` receives the messages in batches,
 * invokes the function with an SQS event, deletes what it handled and leaves what failed to be
 * received again, until the queue is empty (what failed too often is in the dead-letter queue).
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SqsBatchResponse, SqsEvent } from '../../lambdas/deliver-email/handler.js';
import { ensureQueue, subscribeQueueOnce } from './inbox.js';
import {
  EMAIL_MAX_RECEIVE_COUNT,
  EMAIL_SUBSCRIPTION_FILTER_POLICY,
} from '../../lambdas/shared/contracts/events.js';

export interface EmailQueue {
  url: string;
  deadLetterUrl: string;
}

export async function ensureEmailQueue(
  sqs: SQSClient,
  sns: SNSClient,
  prefix: string,
  topicArn: string,
): Promise<EmailQueue> {
  const dead = await ensureQueue(sqs, `${prefix}-email-delivery-dlq`);
  // Visibility timeout 0: the local delivery loop is sequential, so a failed message is simply
  // received again (on AWS it waits out the queue's visibility timeout).
  const live = await ensureQueue(sqs, `${prefix}-email-delivery`, {
    VisibilityTimeout: '0',
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: dead.arn,
      maxReceiveCount: EMAIL_MAX_RECEIVE_COUNT,
    }),
  });
  await subscribeQueueOnce(sns, topicArn, live.arn, {
    RawMessageDelivery: 'true',
    FilterPolicy: JSON.stringify(EMAIL_SUBSCRIPTION_FILTER_POLICY),
  });
  return { url: live.url, deadLetterUrl: dead.url };
}

export interface DeliveryRound {
  /** Messages the function handled (e-mail sent, or already sent, or undeliverable). */
  handled: number;
  /** Failed attempts (retried until the message goes to the dead-letter queue). */
  failedAttempts: number;
}

export async function drainQueue(
  sqs: SQSClient,
  queueUrl: string,
  handler: (event: SqsEvent) => Promise<SqsBatchResponse>,
): Promise<DeliveryRound> {
  const round: DeliveryRound = { handled: 0, failedAttempts: 0 };
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return round;
    const records = Messages.map((m) => ({
      messageId: m.MessageId!,
      body: m.Body ?? '',
      receiptHandle: m.ReceiptHandle!,
    }));
    const { batchItemFailures } = await handler({ Records: records });
    const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
    // What failed is not deleted: visible again at once (VisibilityTimeout 0), received again,
    // until SQS moves it to the dead-letter queue.
    const done = records.filter((record) => !failed.has(record.messageId));
    round.failedAttempts += records.length - done.length;
    round.handled += done.length;
    if (done.length > 0)
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: done.map((record, i) => ({ Id: String(i), ReceiptHandle: record.receiptHandle })),
        }),
      );
  }
}
