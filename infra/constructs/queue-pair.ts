/** An SQS queue with its dead-letter queue, both SSE-SQS and TLS only: how every queue here is made. */
import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface QueuePairProps {
  /** ids of the two queues in `scope`. */
  readonly ids: { queue: string; deadLetter: string };
  readonly visibilityTimeout: Duration;
  readonly maxReceiveCount: number;
  /** @default 4 days (SQS's default) for the queue; the dead-letter queue keeps 14 days */
  readonly retentionPeriod?: Duration;
}

export function queueWithDeadLetter(
  scope: Construct,
  props: QueuePairProps,
): { queue: sqs.Queue; deadLetterQueue: sqs.Queue } {
  const deadLetterQueue = new sqs.Queue(scope, props.ids.deadLetter, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  const queue = new sqs.Queue(scope, props.ids.queue, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    visibilityTimeout: props.visibilityTimeout,
    ...(props.retentionPeriod ? { retentionPeriod: props.retentionPeriod } : {}),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
  });
  return { queue, deadLetterQueue };
}
