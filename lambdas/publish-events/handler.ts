/**
 * PublishEvents: the mapper of the change stream (DynamoDB Streams of the Invoices and Runs
 * tables -> this function). Each stream record's old and new image become the domain events of
 * that write (domain/change-events.ts), which are archived to S3 first and then published to the
 * events topic, from where the webhook queue and any other subscriber take them.
 *
 * The event source mapping (infra/constructs/domain-events.ts) reports partial batch failures:
 * records are handled in order, and a record that cannot be mapped ends the batch there, named as
 * the failed item; the mapping retries from it (bisecting on errors) and, after its retries,
 * hands the record to its on-failure destination. Everything before it is archived and published.
 * A failure to archive or publish throws: the whole batch is retried, with the same event ids.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { requireEnv, storageConfig } from '../shared/config.js';
import { ENV } from '../shared/contracts/env.js';
import { METRIC } from '../shared/contracts/metrics.js';
import type { DomainEvent } from '../shared/contracts/domain-events.js';
import { eventsOfChange, type Image, type ItemChange } from '../shared/domain/change-events.js';
import { isForbiddenKey } from '../shared/edge/safe-json.js';
import { InvalidInputError } from '../shared/errors.js';
import { snsEventPublisher, type EventPublisher } from '../shared/aws/events-topic.js';
import { lazyHandler, stepHandler, type Observability } from '../shared/handler.js';
import { lambdaRuntime } from '../shared/runtime.js';
import { s3EventArchive, type EventArchive } from '../shared/store/event-archive.js';

/** The parts of a DynamoDB stream record this function reads (Lambda's event shape). */
export interface StreamRecord {
  eventName?: string;
  eventSourceARN?: string;
  dynamodb?: {
    // AttributeValue JSON, as Lambda delivers it.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    Keys?: Record<string, any>;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    NewImage?: Record<string, any>;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    OldImage?: Record<string, any>;
    SequenceNumber?: string;
    /** Epoch seconds. */
    ApproximateCreationDateTime?: number;
  };
}
export interface StreamEvent {
  Records: StreamRecord[];
}
export interface StreamBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export interface PublishEventsDeps {
  observability: Observability;
  /** The table names, to tell whose stream a record came from. */
  tables: { invoices: string; runs: string };
  archive: EventArchive;
  publish: EventPublisher;
}

/** The table of a stream ARN (`arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>`). */
export const tableOfStreamArn = (arn: string): string | undefined =>
  /:table\/([^/]+)\/stream\//.exec(arn)?.[1];

/** An image as a null-prototype object; an attribute named like a prototype key is refused. */
function imageOf(raw: Record<string, unknown> | undefined, where: string): Image | undefined {
  if (raw === undefined) return undefined;
  const plain = unmarshall(raw as Parameters<typeof unmarshall>[0]) as Record<string, unknown>;
  const image: Image = Object.create(null) as Image;
  for (const [name, value] of Object.entries(plain)) {
    if (isForbiddenKey(name)) throw new InvalidInputError(`attribute ${name} is not allowed`, where);
    image[name] = value;
  }
  return image;
}

/** The change a stream record describes. */
export function changeOf(record: StreamRecord, tables: PublishEventsDeps['tables']): ItemChange {
  const sequence = record.dynamodb?.SequenceNumber ?? '?';
  const where = `stream record ${sequence}`;
  const table = tableOfStreamArn(record.eventSourceARN ?? '');
  const kind = table === tables.invoices ? 'invoices' : table === tables.runs ? 'runs' : undefined;
  if (kind === undefined)
    throw new InvalidInputError(`comes from an unknown stream ${record.eventSourceARN ?? ''}`, where);
  const keys = imageOf(record.dynamodb?.Keys, where);
  const keyName = kind === 'invoices' ? 'invoiceKey' : 'runId';
  const key = keys?.[keyName];
  if (typeof key !== 'string') throw new InvalidInputError(`has no ${keyName}`, where);
  const seconds = record.dynamodb?.ApproximateCreationDateTime;
  const at = typeof seconds === 'number' ? new Date(seconds * 1000) : undefined;
  if (at === undefined || Number.isNaN(at.getTime()))
    throw new InvalidInputError('has no valid ApproximateCreationDateTime', where);
  const oldImage = imageOf(record.dynamodb?.OldImage, where);
  const newImage = imageOf(record.dynamodb?.NewImage, where);
  return {
    table: kind,
    key,
    at: at.toISOString(),
    ...(oldImage === undefined ? {} : { oldImage }),
    ...(newImage === undefined ? {} : { newImage }),
  };
}

export function createHandler(deps: PublishEventsDeps): (event: StreamEvent) => Promise<StreamBatchResponse> {
  return stepHandler<StreamEvent, StreamBatchResponse>(
    'publish-events',
    deps.observability,
    () => ({}),
    async ({ Records }, { log }) => {
      const events: DomainEvent[] = [];
      let failedAt: string | undefined;
      for (const record of Records) {
        try {
          events.push(...eventsOfChange(changeOf(record, deps.tables)));
        } catch (error) {
          if (!(error instanceof InvalidInputError)) throw error;
          failedAt = record.dynamodb?.SequenceNumber ?? '';
          log.error('stream record not mapped', { sequenceNumber: failedAt, reason: error.message });
          break;
        }
      }
      if (events.length > 0) {
        await deps.archive.write(events);
        await deps.publish(events);
      }
      deps.observability.metrics.count(METRIC.eventsPublished, events.length);
      return { batchItemFailures: failedAt === undefined ? [] : [{ itemIdentifier: failedAt }] };
    },
  );
}

export function fromEnv(env: NodeJS.ProcessEnv = process.env): PublishEventsDeps {
  const runtime = lambdaRuntime(env);
  const { tables } = storageConfig(env);
  return {
    observability: runtime.observability,
    tables: { invoices: tables.invoices, runs: tables.runs },
    archive: s3EventArchive(runtime.documents),
    publish: snsEventPublisher(runtime.clients.sns, requireEnv(ENV.eventsTopicArn, env)),
  };
}

export const handler = lazyHandler(() => createHandler(fromEnv()));
