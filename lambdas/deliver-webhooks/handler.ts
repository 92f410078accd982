/**
 * DeliverWebhooks: the owner's endpoints hear every domain event (events topic -> webhook queue
 * -> this function). A queue message is an event (to every enabled endpoint whose filter takes
 * its type) or one endpoint's scheduled attempt at an event (a retry, or a replay). Each POST is
 * signed the Standard Webhooks way with a `webhook-id` that is the event's id on every attempt;
 * each attempt is logged per endpoint. An endpoint that fails (no 2xx, a timeout) gets its own
 * attempt message, delayed by WEBHOOK_RETRY_DELAYS_SECONDS (about three days in all), then the
 * dead-letter queue: so a slow or failing endpoint never holds up the others or the run. Messages
 * of a batch are handled at once; only a failure of this function's own parts (the table, the
 * queue) fails a message (partial batch response), which SQS redelivers.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { requireEnv } from '../shared/config.js';
import {
  SQS_MAX_DELAY_SECONDS,
  WEBHOOK_RETRY_DELAYS_SECONDS,
  WEBHOOK_TIMEOUT_MS,
  type DomainEvent,
} from '../shared/contracts/domain-events.js';
import { ENV } from '../shared/contracts/env.js';
import { METRIC } from '../shared/contracts/metrics.js';
import { EdgeInputError } from '../shared/edge/edge-error.js';
import { InvalidInputError } from '../shared/errors.js';
import { lazyHandler, stepHandler, type Observability } from '../shared/handler.js';
import { lambdaRuntime } from '../shared/runtime.js';
import { dynamoWebhooks, type WebhookEndpoint, type WebhookStore } from '../shared/store/webhooks.js';
import { AWS_ADDRESS_POLICY } from '../shared/webhooks/address-policy.js';
import { endpointTakes, signingSecrets } from '../shared/webhooks/endpoint-rules.js';
import { ATTEMPT_KIND, parseWebhookMessage, type WebhookAttempt } from '../shared/webhooks/messages.js';
import { httpWebhookPoster, type WebhookPoster } from '../shared/webhooks/post.js';
import { sqsWebhookQueue, type WebhookQueue } from '../shared/webhooks/queue.js';
import { signedHeaders } from '../shared/webhooks/signing.js';

/** The parts of an SQS event this function reads. */
export interface SqsEvent {
  Records: { messageId: string; body: string }[];
}
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export interface DeliverWebhooksDeps {
  observability: Observability;
  endpoints: Pick<WebhookStore, 'list' | 'get' | 'logDelivery'>;
  post: WebhookPoster;
  queue: WebhookQueue;
  now: () => Date;
  /** Waits before each retry (default WEBHOOK_RETRY_DELAYS_SECONDS); its length is the retries. */
  retryDelaysSeconds?: readonly number[];
}

export function createHandler(deps: DeliverWebhooksDeps): (event: SqsEvent) => Promise<SqsBatchResponse> {
  const delays = deps.retryDelaysSeconds ?? WEBHOOK_RETRY_DELAYS_SECONDS;
  const { metrics } = deps.observability;

  const attemptOnce = async (endpoint: WebhookEndpoint, attempt: WebhookAttempt): Promise<void> => {
    const now = deps.now();
    const body = JSON.stringify(attempt.event);
    const outcome = await deps.post(
      endpoint.url,
      signedHeaders(signingSecrets(endpoint, now), attempt.event.id, now, body),
      body,
    );
    const ok = outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300;
    const last = !ok && attempt.attempt > delays.length;
    await deps.endpoints.logDelivery({
      endpointId: endpoint.id,
      eventId: attempt.event.id,
      eventType: attempt.event.type,
      attempt: attempt.attempt,
      at: now.toISOString(),
      ok,
      durationMs: outcome.durationMs,
      ...(outcome.status === undefined ? {} : { status: outcome.status }),
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
      ...(attempt.replay ? { replay: true } : {}),
      ...(last ? { deadLettered: true } : {}),
    });
    if (ok) return metrics.count(METRIC.webhooksDelivered, 1);
    metrics.count(METRIC.webhooksFailed, 1);
    if (last) {
      await deps.queue.deadLetter(attempt);
      return metrics.count(METRIC.webhooksDeadLettered, 1);
    }
    const wait = delays[attempt.attempt - 1] as number;
    const dueAt = new Date(now.getTime() + wait * 1000).toISOString();
    await deps.queue.send(
      { ...attempt, attempt: attempt.attempt + 1, dueAt },
      Math.min(wait, SQS_MAX_DELAY_SECONDS),
    );
  };

  const handleAttempt = async (attempt: WebhookAttempt): Promise<void> => {
    const now = deps.now();
    const due = attempt.dueAt === undefined ? now.getTime() : Date.parse(attempt.dueAt);
    if (due > now.getTime()) {
      // Longer than SQS delays a message: sent again until due.
      const wait = Math.ceil((due - now.getTime()) / 1000);
      return deps.queue.send(attempt, Math.min(wait, SQS_MAX_DELAY_SECONDS));
    }
    const endpoint = await deps.endpoints.get(attempt.endpointId);
    // Disabled or deleted meanwhile: nothing more is sent to it.
    if (endpoint === undefined || !endpoint.enabled) return;
    await attemptOnce(endpoint, attempt);
  };

  const fanOut = async (event: DomainEvent, endpoints: WebhookEndpoint[]): Promise<void> => {
    await Promise.all(
      endpoints
        .filter((endpoint) => endpointTakes(endpoint, event.type))
        .map((endpoint) =>
          attemptOnce(endpoint, { kind: ATTEMPT_KIND, endpointId: endpoint.id, attempt: 1, event }),
        ),
    );
  };

  return stepHandler<SqsEvent, SqsBatchResponse>(
    'deliver-webhooks',
    deps.observability,
    () => ({}),
    async ({ Records }, { log }) => {
      let endpoints: Promise<WebhookEndpoint[]> | undefined;
      const failures: SqsBatchResponse['batchItemFailures'] = [];
      await Promise.all(
        Records.map(async (record) => {
          try {
            const message = parseWebhookMessage(record.body, `queue message ${record.messageId}`);
            if (message.kind === 'event')
              await fanOut(message.event, await (endpoints ??= deps.endpoints.list()));
            else await handleAttempt(message);
          } catch (error) {
            if (error instanceof InvalidInputError || error instanceof EdgeInputError) {
              // Never deliverable: kept in the dead-letter queue for support, not retried.
              log.error('webhook queue message refused', {
                messageId: record.messageId,
                reason: error.message,
              });
              await deps.queue.deadLetterRaw(record.body);
              return;
            }
            log.warn('webhook message failed; SQS delivers it again', {
              messageId: record.messageId,
              error: error as Error,
            });
            failures.push({ itemIdentifier: record.messageId });
          }
        }),
      );
      return { batchItemFailures: failures };
    },
  );
}

export function fromEnv(env: NodeJS.ProcessEnv = process.env): DeliverWebhooksDeps {
  const runtime = lambdaRuntime(env);
  return {
    observability: runtime.observability,
    endpoints: dynamoWebhooks(runtime.clients.dynamodb, requireEnv(ENV.webhooksTable, env)),
    post: httpWebhookPoster(AWS_ADDRESS_POLICY, WEBHOOK_TIMEOUT_MS),
    queue: sqsWebhookQueue(
      runtime.traceClient(new SQSClient({})),
      requireEnv(ENV.webhookQueueUrl, env),
      requireEnv(ENV.webhookDeadLetterQueueUrl, env),
    ),
    now: runtime.now,
  };
}

export const handler = lazyHandler(() => createHandler(fromEnv()));
