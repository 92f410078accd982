/**
 * Run records and the per-period run lock. The lock makes a second run of the same period,
 * started while one is in progress (the scheduler may deliver twice), fail before it changes
 * anything. A lock whose holder is no longer running (a crashed or killed run) is taken over.
 * The lock is released by the state machine itself (ReleaseRunLock, a dynamodb:deleteItem).
 */
import { VERSION_ATTRIBUTE } from '../contracts/domain-events.js';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  paginateScan,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { isRunRecordKey, parseRunLockKey, runLockKey } from '../contracts/keys.js';
import type { RunFailure } from '../contracts/payloads.js';
import type { RunStatus } from '../contracts/statuses.js';
import { RunAlreadyInProgressError } from '../errors.js';

export interface RunLock {
  period: string;
  holderRunId: string;
  /** Execution ARN on AWS; the local harness's own holder id locally. */
  holderExecution: string;
  acquiredAt: string;
}

export interface RunRecord {
  runId: string;
  period: string;
  status: RunStatus;
  execution: string;
  startedAt: string;
  finishedAt?: string;
  customerCount: number;
  manifestKey: string;
  resultsPrefix: string;
  summaryKey?: string;
  issued?: number;
  skipped?: number;
  failed?: number;
  failures?: RunFailure[];
}

export type RunResult = Pick<
  RunRecord,
  'status' | 'finishedAt' | 'summaryKey' | 'issued' | 'skipped' | 'failed' | 'failures'
>;

const RESULT_FIELDS = ['finishedAt', 'summaryKey', 'issued', 'skipped', 'failed', 'failures'] as const;

/** Is the run holding a lock still going? (DescribeExecution on AWS.) */
export type LockHolderLiveness = (holderExecution: string) => Promise<boolean>;

/**
 * What can be known of a lock's holder from here: its execution is running, it is not, or it
 * cannot be checked (a local run of another host, a holder that is not an execution of this stack).
 */
export type HolderState = 'running' | 'stopped' | 'unverifiable';
export type LockHolderCheck = (holderExecution: string) => Promise<HolderState>;

export interface RunStore {
  /**
   * Takes the period's lock. If another run holds it and `isActive` says that run is still going,
   * throws RunAlreadyInProgressError; a dead holder's lock is replaced.
   */
  acquireLock(lock: RunLock, isActive: LockHolderLiveness): Promise<void>;
  putRecord(record: RunRecord): Promise<void>;
  getRecord(runId: string): Promise<RunRecord | undefined>;
  finishRecord(runId: string, result: RunResult): Promise<void>;
  /** Every run record (locks and markers left out), oldest first. */
  listRecords(): Promise<RunRecord[]>;
  /** Every period's lock held now, by period. */
  listLocks(): Promise<RunLock[]>;
  /** Deletes the period's lock if `holderRunId` still holds it; false when it changed hands or is gone. */
  releaseLock(period: string, holderRunId: string): Promise<boolean>;
}

export function dynamoRunStore(ddb: DynamoDBDocumentClient, table: string): RunStore {
  return {
    async acquireLock(lock, isActive) {
      const key = runLockKey(lock.period);
      for (;;) {
        const current = (
          await ddb.send(new GetCommand({ TableName: table, Key: { runId: key }, ConsistentRead: true }))
        ).Item as RunLock | undefined;
        if (
          current &&
          current.holderRunId !== lock.holderRunId &&
          (await isActive(current.holderExecution))
        ) {
          throw new RunAlreadyInProgressError(
            `period ${lock.period} is being billed by run ${current.holderRunId} (started ${current.acquiredAt}); this run changed nothing. If that run is gone (its host or container no longer exists), see the lock with \`invoicer runs locks\` and release it with \`invoicer runs unlock ${lock.period} --reason "..."\``,
          );
        }
        try {
          await ddb.send(
            new PutCommand({
              TableName: table,
              Item: { ...lock, runId: key },
              ConditionExpression: current ? 'holderRunId = :prev' : 'attribute_not_exists(runId)',
              ...(current ? { ExpressionAttributeValues: { ':prev': current.holderRunId } } : {}),
            }),
          );
          return;
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
          // Someone else took or released the lock between our read and write: look again.
        }
      }
    },
    async putRecord(record) {
      // An update, not a put: the record's version (its events' sequence) carries on across a redrive.
      // Like a put, it leaves no result of an earlier write of the same record behind.
      const fields = Object.entries(record).filter(
        ([name, value]) => name !== 'runId' && value !== undefined,
      );
      const absent = RESULT_FIELDS.filter((name) => record[name] === undefined);
      await ddb.send(
        new UpdateCommand({
          TableName: table,
          Key: { runId: record.runId },
          UpdateExpression:
            `SET ${fields.map((_, i) => `#f${i} = :f${i}`).join(', ')}` +
            (absent.length > 0 ? ` REMOVE ${absent.map((_, i) => `#r${i}`).join(', ')}` : '') +
            ` ADD ${VERSION_ATTRIBUTE} :one`,
          ExpressionAttributeNames: {
            ...Object.fromEntries(fields.map(([name], i) => [`#f${i}`, name])),
            ...Object.fromEntries(absent.map((name, i) => [`#r${i}`, name])),
          },
          ExpressionAttributeValues: {
            ...Object.fromEntries(fields.map(([, value], i) => [`:f${i}`, value])),
            ':one': 1,
          },
        }),
      );
    },
    async getRecord(runId) {
      const out = await ddb.send(new GetCommand({ TableName: table, Key: { runId }, ConsistentRead: true }));
      return out.Item as RunRecord | undefined;
    },
    async finishRecord(runId, result) {
      await ddb.send(
        new UpdateCommand({
          TableName: table,
          Key: { runId },
          UpdateExpression: `SET #s = :s, finishedAt = :f, summaryKey = :k, issued = :i, skipped = :sk, failed = :fl, failures = :fs ADD ${VERSION_ATTRIBUTE} :one`,
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':s': result.status,
            ':f': result.finishedAt,
            ':k': result.summaryKey,
            ':i': result.issued,
            ':sk': result.skipped,
            ':fl': result.failed,
            ':fs': result.failures,
            ':one': 1,
          },
        }),
      );
    },
    async listLocks() {
      const locks: RunLock[] = [];
      for await (const page of paginateScan(
        { client: ddb },
        {
          TableName: table,
          FilterExpression: 'begins_with(runId, :lock)',
          ExpressionAttributeValues: { ':lock': runLockKey('') },
          ConsistentRead: true,
        },
      ))
        for (const item of page.Items ?? []) {
          const period = parseRunLockKey(String(item.runId));
          if (period !== undefined && typeof item.holderRunId === 'string')
            locks.push({
              period,
              holderRunId: item.holderRunId,
              holderExecution: String(item.holderExecution ?? ''),
              acquiredAt: String(item.acquiredAt ?? ''),
            });
        }
      return locks.sort((a, b) => a.period.localeCompare(b.period));
    },
    async releaseLock(period, holderRunId) {
      try {
        await ddb.send(
          new DeleteCommand({
            TableName: table,
            Key: { runId: runLockKey(period) },
            ConditionExpression: 'holderRunId = :h',
            ExpressionAttributeValues: { ':h': holderRunId },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
    async listRecords() {
      const records: RunRecord[] = [];
      for await (const page of paginateScan({ client: ddb }, { TableName: table }))
        records.push(...((page.Items ?? []) as RunRecord[]));
      return records
        .filter(
          (item) =>
            isRunRecordKey(item.runId) &&
            typeof item.period === 'string' &&
            typeof item.startedAt === 'string',
        )
        .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    },
  };
}
