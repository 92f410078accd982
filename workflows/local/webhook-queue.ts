/**
 * The webhook queue on the local stack, as CDK deploys it (infra/constructs/domain-events.ts): an
 * SQS queue subscribed to the events topic with raw delivery, and its dead-letter queue (attempts
 * out of retries, messages that are no webhook message, and messages this function failed on
 * WEBHOOK_MAX_RECEIVE_COUNT times).
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { WEBHOOK_MAX_RECEIVE_COUNT } from '../../lambdas/shared/contracts/domain-events.js';
import { ensureQueue, subscribeQueueOnce } from './inbox.js';

export interface WebhookQueues {
  url: string;
  deadLetterUrl: string;
}

export async function ensureWebhookQueue(
  sqs: SQSClient,
  sns: SNSClient,
  prefix: string,
  eventsTopicArn: string,
): Promise<WebhookQueues> {
  const dead = await ensureQueue(sqs, `${prefix}-webhooks-dlq`);
  // Visibility timeout 0: the local loop is sequential (on AWS a failed message waits it out).
  const live = await ensureQueue(sqs, `${prefix}-webhooks`, {
    VisibilityTimeout: '0',
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: dead.arn,
      maxReceiveCount: WEBHOOK_MAX_RECEIVE_COUNT,
    }),
  });
  await subscribeQueueOnce(sns, eventsTopicArn, live.arn, { RawMessageDelivery: 'true' });
  return { url: live.url, deadLetterUrl: dead.url };
}
