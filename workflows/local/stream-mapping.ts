/**
 * The Lambda event source mapping of the change stream, on this machine: DynamoDB Local's
 * Streams API read with @aws-sdk/client-dynamodb-streams, records handed to the very mapper
 * handler (lambdas/publish-events) in Lambda's event shape, with the mapping's semantics
 * (contracts/event-source.ts): batches of up to batchSize in shard order, parents before
 * children; a thrown error, or a partial batch response from the failed record on, bisects what
 * failed down to single records, each retried retryAttempts times and then handed to the
 * on-failure destination (kept whole in S3) while the shard moves on. Checkpoints (the last sequence number handled per shard) live in the data
 * dir, written after each handled batch, so a killed stack resumes where it stopped: records are
 * handed over at least once, as on AWS.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type DynamoDBStreamsClient,
  type _Record as SdkStreamRecord,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { StreamBatchResponse, StreamEvent, StreamRecord } from '../../lambdas/publish-events/handler.js';
import { CHANGE_STREAM_MAPPING } from '../../lambdas/shared/contracts/event-source.js';
import { parseStoredJson } from '../../lambdas/shared/edge/safe-json.js';

/** Records one turn reads of a table, unless told otherwise. */
export const RECORDS_PER_TURN = 1_000;

export interface StreamMappingOptions {
  dynamodb: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  /** The tables whose streams feed the function. */
  tables: readonly string[];
  checkpointFile: string;
  invoke: (event: StreamEvent) => Promise<StreamBatchResponse>;
  /** The on-failure destination: the records given up on, and why. */
  onFailure: (records: StreamRecord[], reason: string) => Promise<void>;
  batchSize?: number;
  retryAttempts?: number;
  /**
   * Records one turn reads of a table at most (the rest waits for the next turn), so that a turn
   * during a busy run ends and its events are delivered while the run goes on. Default 1,000.
   */
  maxRecordsPerTurn?: number;
}

export interface StreamRound {
  /** Records handed to the function and done with (handled or given up on). */
  records: number;
  /** Records given up on (in the on-failure destination). */
  failedRecords: number;
  /** Invocations, retries and bisections included. */
  invocations: number;
}

type Checkpoints = Record<string, { after?: string; closed?: boolean }>;

function readCheckpoints(file: string): Checkpoints {
  if (!existsSync(file)) return Object.create(null) as Checkpoints;
  const value = parseStoredJson(readFileSync(file), file) as Checkpoints;
  return value;
}

function writeCheckpoints(file: string, checkpoints: Checkpoints): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(checkpoints));
  renameSync(`${file}.tmp`, file);
}

/** Lambda's event shape of an SDK stream record (creation time in epoch seconds). */
function lambdaRecord(record: SdkStreamRecord, streamArn: string): StreamRecord {
  const d = record.dynamodb ?? {};
  return {
    eventName: record.eventName ?? '',
    eventSourceARN: streamArn,
    dynamodb: {
      ...(d.Keys ? { Keys: d.Keys } : {}),
      ...(d.NewImage ? { NewImage: d.NewImage } : {}),
      ...(d.OldImage ? { OldImage: d.OldImage } : {}),
      ...(d.SequenceNumber ? { SequenceNumber: d.SequenceNumber } : {}),
      ...(d.ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: Math.floor(d.ApproximateCreationDateTime.getTime() / 1000) }
        : {}),
    },
  };
}

/** Parents first: a shard is read after the shard it split from. */
function shardOrder(shards: Shard[]): Shard[] {
  const ids = new Set(shards.map((s) => s.ShardId));
  const done = new Set<string>();
  const ordered: Shard[] = [];
  let rest = [...shards];
  while (rest.length > 0) {
    const ready = rest.filter(
      (s) => !s.ParentShardId || !ids.has(s.ParentShardId) || done.has(s.ParentShardId),
    );
    const next = ready.length > 0 ? ready : rest;
    for (const shard of next) {
      ordered.push(shard);
      done.add(shard.ShardId ?? '');
    }
    rest = rest.filter((s) => !next.includes(s));
  }
  return ordered;
}

export async function pollChangeStreams(options: StreamMappingOptions): Promise<StreamRound> {
  const batchSize = options.batchSize ?? CHANGE_STREAM_MAPPING.batchSize;
  const retryAttempts = options.retryAttempts ?? CHANGE_STREAM_MAPPING.retryAttempts;
  const maxRecords = options.maxRecordsPerTurn ?? RECORDS_PER_TURN;
  const checkpoints = readCheckpoints(options.checkpointFile);
  const round: StreamRound = { records: 0, failedRecords: 0, invocations: 0 };

  /** One batch with the mapping's retries and bisection; returns when it is done with. */
  const deliver = async (batch: StreamRecord[], retriesLeft: number): Promise<void> => {
    round.invocations += 1;
    let failedFrom: number;
    let reason: string;
    try {
      const response = await options.invoke({ Records: batch });
      const failed = response.batchItemFailures[0]?.itemIdentifier;
      if (failed === undefined) return;
      const index = batch.findIndex((r) => r.dynamodb?.SequenceNumber === failed);
      // An identifier that names no record of the batch fails the whole batch (as Lambda does).
      failedFrom = index < 0 ? 0 : index;
      reason = `batch item failure at ${failed}`;
    } catch (error) {
      failedFrom = 0;
      reason = (error as Error).message;
    }
    // What failed is split in halves (from the failed record on), down to the one record that
    // fails, so that a poison record holds up no other; a single record is retried, then given up.
    const rest = batch.slice(failedFrom);
    if (CHANGE_STREAM_MAPPING.bisectBatchOnError && rest.length > 1) {
      const half = Math.ceil(rest.length / 2);
      await deliver(rest.slice(0, half), retriesLeft);
      return deliver(rest.slice(half), retriesLeft);
    }
    if (retriesLeft === 0) {
      await options.onFailure(rest, reason);
      round.failedRecords += rest.length;
      return;
    }
    return deliver(rest, retriesLeft - 1);
  };

  for (const table of options.tables) {
    const described = await options.dynamodb.send(new DescribeTableCommand({ TableName: table }));
    const streamArn = described.Table?.LatestStreamArn;
    if (!streamArn) continue;
    const tableStart = round.records;
    const stream = await options.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of shardOrder(stream.StreamDescription?.Shards ?? [])) {
      const id = `${streamArn}|${shard.ShardId ?? ''}`;
      const mark = (checkpoints[id] ??= {});
      if (mark.closed) continue;
      const iteratorFrom = async (after: string | undefined) =>
        (
          await options.streams.send(
            new GetShardIteratorCommand({
              StreamArn: streamArn,
              ShardId: shard.ShardId,
              ...(after
                ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
                : { ShardIteratorType: 'TRIM_HORIZON' }),
            }),
          )
        ).ShardIterator;
      let iterator: string | undefined;
      try {
        iterator = await iteratorFrom(mark.after);
      } catch (error) {
        // The stream keeps 24 hours: past that, what is left is read from its oldest record.
        if (!(error instanceof TrimmedDataAccessException)) throw error;
        iterator = await iteratorFrom(undefined);
      }
      let pending: StreamRecord[] = [];
      const flush = async () => {
        if (pending.length === 0) return;
        await deliver(pending, retryAttempts);
        round.records += pending.length;
        mark.after = pending[pending.length - 1]?.dynamodb?.SequenceNumber;
        writeCheckpoints(options.checkpointFile, checkpoints);
        pending = [];
      };
      while (iterator && round.records - tableStart + pending.length < maxRecords) {
        const out = await options.streams.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: batchSize }),
        );
        for (const record of out.Records ?? []) {
          pending.push(lambdaRecord(record, streamArn));
          if (pending.length >= batchSize) await flush();
        }
        if ((out.Records ?? []).length === 0) {
          // Nothing more for now; a shard without a next iterator is closed and never read again.
          if (!out.NextShardIterator) mark.closed = true;
          break;
        }
        iterator = out.NextShardIterator;
        if (!iterator) mark.closed = true;
      }
      await flush();
      writeCheckpoints(options.checkpointFile, checkpoints);
    }
  }
  return round;
}
