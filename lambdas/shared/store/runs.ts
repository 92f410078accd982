/**
 * Run records and the per-period run lock. The lock makes a second run of the same period,
 * started while one is in progress (the scheduler may deliver twice), fail before it changes
 * anything. A lock whose holder is no longer running (a crashed or killed run) is taken over.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { dynamoDb } from '../aws.js';
import { runLockKey } from '../data-model.js';
import { RunAlreadyInProgressError } from '../errors.js';

export interface RunLock {
  runId: string;
  period: string;
  holderRunId: string;
  /** Execution ARN on AWS; `local:<host>:<pid>:<name>` for a local run. */
  holderExecution: string;
  acquiredAt: string;
}

export type RunStatus = 'RUNNING' | 'SUCCEEDED' | 'COMPLETED_WITH_FAILURES' | 'FAILED';

export interface RunFailure {
  customerId: string;
  error: string;
  cause: string;
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

/**
 * Takes the period's lock for `runId`. If another run holds it and `isActive` says that run is
 * still going, throws RunAlreadyInProgressError; a dead holder's lock is replaced.
 */
export async function acquireRunLock(
  table: string,
  lock: Omit<RunLock, 'runId'>,
  isActive: (holderExecution: string) => Promise<boolean>,
): Promise<void> {
  const key = runLockKey(lock.period);
  for (;;) {
    const current = (
      await dynamoDb().send(new GetCommand({ TableName: table, Key: { runId: key }, ConsistentRead: true }))
    ).Item as RunLock | undefined;
    if (current && current.holderRunId !== lock.holderRunId && (await isActive(current.holderExecution))) {
      throw new RunAlreadyInProgressError(
        `period ${lock.period} is being billed by run ${current.holderRunId} (started ${current.acquiredAt}); this run changed nothing`,
      );
    }
    try {
      await dynamoDb().send(
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
}

export async function releaseRunLock(table: string, period: string, runId: string): Promise<void> {
  try {
    await dynamoDb().send(
      new DeleteCommand({
        TableName: table,
        Key: { runId: runLockKey(period) },
        ConditionExpression: 'holderRunId = :me',
        ExpressionAttributeValues: { ':me': runId },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

export async function putRunRecord(table: string, record: RunRecord): Promise<void> {
  await dynamoDb().send(new PutCommand({ TableName: table, Item: record }));
}

export async function getRunRecord(table: string, runId: string): Promise<RunRecord | undefined> {
  const out = await dynamoDb().send(
    new GetCommand({ TableName: table, Key: { runId }, ConsistentRead: true }),
  );
  return out.Item as RunRecord | undefined;
}

export async function finishRunRecord(
  table: string,
  runId: string,
  result: Pick<
    RunRecord,
    'status' | 'finishedAt' | 'summaryKey' | 'issued' | 'skipped' | 'failed' | 'failures'
  >,
): Promise<void> {
  await dynamoDb().send(
    new UpdateCommand({
      TableName: table,
      Key: { runId },
      UpdateExpression:
        'SET #s = :s, finishedAt = :f, summaryKey = :k, issued = :i, skipped = :sk, failed = :fl, failures = :fs',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: {
        ':s': result.status,
        ':f': result.finishedAt,
        ':k': result.summaryKey,
        ':i': result.issued,
        ':sk': result.skipped,
        ':fl': result.failed,
        ':fs': result.failures,
      },
    }),
  );
}
