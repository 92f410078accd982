/**
 * The change stream and the webhooks on the local stack: the mapper (lambdas/publish-events) fed
 * by ../stream-mapping.ts from DynamoDB Local's streams, its events archived in the local bucket
 * and published to the events topic (fauxqs), which delivers them to the webhook queue; and the
 * delivery function (lambdas/deliver-webhooks) draining that queue over real HTTP. One round does
 * both; rounds never overlap. Webhook URLs may point at this machine (loopback HTTP) here.
 */
import { join } from 'node:path';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { StreamRecord } from '../../../lambdas/publish-events/handler.js';
import { WEBHOOK_TIMEOUT_MS } from '../../../lambdas/shared/contracts/domain-events.js';
import { s3Keys } from '../../../lambdas/shared/contracts/keys.js';
import type { Stores } from '../../../lambdas/shared/store/index.js';
import type { WebhookStore } from '../../../lambdas/shared/store/webhooks.js';
import { drainQueue, type DeliveryRound } from '../email-queue.js';
import type { LocalStack } from '../stack.js';
import { pollChangeStreams, RECORDS_PER_TURN, type StreamRound } from '../stream-mapping.js';
import { LOCAL_ADDRESS_POLICY } from '../address-policy.js';
import { localObservability } from './observability.js';

export interface EventRound {
  stream: StreamRound;
  webhooks: DeliveryRound;
}

export interface LocalEventPipelineOptions {
  /** Waits before each webhook retry; default the deployed schedule (WEBHOOK_RETRY_DELAYS_SECONDS). */
  webhookRetryDelaysSeconds?: readonly number[];
  /** How long a webhook POST may take (default WEBHOOK_TIMEOUT_MS). */
  webhookTimeoutMs?: number;
}

export interface LocalEventPipeline {
  /** Reads the change streams to their end, then delivers what the webhook queue holds. */
  deliverEvents(): Promise<EventRound>;
  destroy(): void;
}

export function localEventPipeline(
  stack: Pick<LocalStack, 'dataDir' | 'clientConfig' | 'clients' | 'resources' | 'webhookQueue'>,
  stores: Pick<Stores, 'documents'>,
  webhooks: WebhookStore,
  options: LocalEventPipelineOptions = {},
): LocalEventPipeline {
  const streams = new DynamoDBStreamsClient(stack.clientConfig.dynamodb);
  const tables = stack.resources.tables;
  let running: Promise<EventRound> | undefined;
  let handlers:
    | Promise<{
        mapper: Parameters<typeof pollChangeStreams>[0]['invoke'];
        deliver: Parameters<typeof drainQueue>[2];
      }>
    | undefined;
  const load = () =>
    (handlers ??= (async () => {
      const [mapper, delivery, archive, topic, poster, queue] = await Promise.all([
        import('../../../lambdas/publish-events/handler.js'),
        import('../../../lambdas/deliver-webhooks/handler.js'),
        import('../../../lambdas/shared/store/event-archive.js'),
        import('../../../lambdas/shared/aws/events-topic.js'),
        import('../../../lambdas/shared/webhooks/post.js'),
        import('../../../lambdas/shared/webhooks/queue.js'),
      ]);
      return {
        mapper: mapper.createHandler({
          observability: localObservability(),
          tables: { invoices: tables.Invoices, runs: tables.Runs },
          archive: archive.s3EventArchive(stores.documents),
          publish: topic.snsEventPublisher(stack.clients.sns, stack.resources.topics.domainEvents),
        }),
        deliver: delivery.createHandler({
          observability: localObservability(),
          endpoints: webhooks,
          post: poster.httpWebhookPoster(
            LOCAL_ADDRESS_POLICY,
            options.webhookTimeoutMs ?? WEBHOOK_TIMEOUT_MS,
          ),
          queue: queue.sqsWebhookQueue(
            stack.clients.sqs,
            stack.webhookQueue.url,
            stack.webhookQueue.deadLetterUrl,
          ),
          now: () => new Date(),
          ...(options.webhookRetryDelaysSeconds
            ? { retryDelaysSeconds: options.webhookRetryDelaysSeconds }
            : {}),
        }),
      };
    })());

  /** The on-failure destination: the records given up on, whole, under event-failures/. */
  const onFailure = async (records: StreamRecord[], reason: string) => {
    const first = records[0]?.dynamodb?.SequenceNumber ?? 'unknown';
    await stores.documents.put(
      `${s3Keys.eventFailuresPrefix}${new Date().toISOString().slice(0, 10)}/${first}.json`,
      JSON.stringify({ reason, records }, null, 2),
      'application/json',
    );
  };

  /** Streams to their end, a bounded turn at a time, each turn's events delivered before the next. */
  const round = async (): Promise<EventRound> => {
    const { mapper, deliver } = await load();
    const total: EventRound = {
      stream: { records: 0, failedRecords: 0, invocations: 0 },
      webhooks: { handled: 0, failedAttempts: 0 },
    };
    for (;;) {
      const stream = await pollChangeStreams({
        dynamodb: stack.clients.dynamodb,
        streams,
        tables: [tables.Invoices, tables.Runs],
        checkpointFile: join(stack.dataDir, 'change-stream-checkpoints.json'),
        invoke: mapper,
        onFailure,
      });
      const delivered = await drainQueue(stack.clients.sqs, stack.webhookQueue.url, deliver);
      total.stream.records += stream.records;
      total.stream.failedRecords += stream.failedRecords;
      total.stream.invocations += stream.invocations;
      total.webhooks.handled += delivered.handled;
      total.webhooks.failedAttempts += delivered.failedAttempts;
      if (stream.records < RECORDS_PER_TURN) return total;
    }
  };

  return {
    deliverEvents() {
      running ??= round().finally(() => (running = undefined));
      return running;
    },
    destroy: () => streams.destroy(),
  };
}
