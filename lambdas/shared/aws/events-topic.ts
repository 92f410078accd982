/**
 * Publishing domain events to the events topic: PublishBatch, ten at a time, the event type as a
 * message attribute (subscription filters) and the event JSON as the message (raw delivery to
 * the webhook queue). Any entry SNS refuses fails the call: the mapper's batch is retried, and
 * the ids keep a consumer from seeing a change twice.
 */
import { PublishBatchCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { DomainEvent } from '../contracts/domain-events.js';
import { MESSAGE_ATTRIBUTE } from '../contracts/events.js';
import { stringAttributes } from './customer-topic.js';

export type EventPublisher = (events: readonly DomainEvent[]) => Promise<void>;

const SNS_BATCH = 10;

export function snsEventPublisher(sns: Pick<SNSClient, 'send'>, topicArn: string): EventPublisher {
  return async (events) => {
    for (let start = 0; start < events.length; start += SNS_BATCH) {
      const chunk = events.slice(start, start + SNS_BATCH);
      const out = await sns.send(
        new PublishBatchCommand({
          TopicArn: topicArn,
          PublishBatchRequestEntries: chunk.map((event, i) => ({
            Id: String(i),
            Message: JSON.stringify(event),
            MessageAttributes: stringAttributes({ [MESSAGE_ATTRIBUTE.eventType]: event.type }),
          })),
        }),
      );
      const failed = out.Failed ?? [];
      if (failed.length > 0) {
        const first = failed[0];
        throw new Error(
          `events topic refused ${failed.length} of ${chunk.length} events (${first?.Code ?? 'unknown'}: ${first?.Message ?? ''})`,
        );
      }
    }
  };
}
