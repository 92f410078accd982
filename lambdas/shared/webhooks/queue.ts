/**
 * The webhook queue as the delivery function and `invoicer events replay` use it: an endpoint's
 * next attempt sent with a delay, and what can never be delivered put in the dead-letter queue.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { WebhookAttempt } from './messages.js';

export interface WebhookQueue {
  send(attempt: WebhookAttempt, delaySeconds: number): Promise<void>;
  /** An attempt out of retries. */
  deadLetter(attempt: WebhookAttempt): Promise<void>;
  /** A message that is no webhook message at all, kept as it came. */
  deadLetterRaw(body: string): Promise<void>;
}

export function sqsWebhookQueue(
  sqs: Pick<SQSClient, 'send'>,
  queueUrl: string,
  deadLetterUrl: string,
): WebhookQueue {
  const put = async (url: string, body: string, delaySeconds = 0) => {
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, DelaySeconds: delaySeconds }));
  };
  return {
    send: (attempt, delaySeconds) =>
      put(queueUrl, JSON.stringify(attempt), Math.max(0, Math.floor(delaySeconds))),
    deadLetter: (attempt) => put(deadLetterUrl, JSON.stringify(attempt)),
    deadLetterRaw: (body) => put(deadLetterUrl, body),
  };
}
