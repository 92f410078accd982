/**
 * Local emulation of the Distributed Map state, which aws-local-stepfunctions lacks. Same
 * semantics and result files as on AWS:
 * - items from ItemReader (`arn:aws:states:::s3:getObject`, ReaderConfig InputType JSONL or JSON,
 *   MaxItems / MaxItemsPath) or, without a reader, from ItemsPath;
 * - ItemSelector with `$$.Map.Item.Value` / `$$.Map.Item.Index`; ItemBatcher (MaxItemsPerBatch(Path),
 *   MaxInputBytesPerBatch(Path), BatchInput), the child's input `{ Items, BatchInput }`;
 * - each item (or batch) runs the ItemProcessor as a child execution (EXPRESS or STANDARD);
 *   MaxConcurrency / MaxConcurrencyPath bound how many run at once;
 * - ToleratedFailurePercentage(Path) / ToleratedFailureCount(Path): once failures exceed either,
 *   no further children start and the state fails with States.ExceedToleratedFailureThreshold;
 * - ResultWriter (`arn:aws:states:::s3:putObject`, Parameters Bucket + Prefix, WriterConfig) writes
 *   `<Prefix>/<mapRunId>/manifest.json` and SUCCEEDED_<n>.json / FAILED_<n>.json / PENDING_<n>.json
 *   (see distributed-map/results.ts), and the state's result is
 *   `{ MapRunArn, ResultWriterDetails: { Bucket, Key } }`; without ResultWriter it is the array of outputs.
 * Memory stays flat in the number of items when results go to S3: the manifest is streamed
 * (distributed-map/items.ts), children start as the pool asks, results are written in parts, and
 * the run record keeps only the children that did not succeed.
 * Local difference: when the threshold is exceeded, children already running finish (AWS stops them).
 */
import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { TaskError } from './integrations.js';
import { evaluatePayload } from './payload.js';
import {
  numberField,
  openMapItems,
  type ChildInput,
  type MapStateDefinition,
} from './distributed-map/items.js';
import {
  DEFAULT_RESULT_PART_BYTES,
  ResultFileWriter,
  pendingEntry,
  transformedEntries,
  writerConfigOf,
  type FinishedChild,
} from './distributed-map/results.js';

export type { MapStateDefinition } from './distributed-map/items.js';

export type ChildStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ChildOutcome {
  status: ChildStatus;
  output?: unknown;
  error?: string;
  cause?: string;
  startDate: string;
  stopDate: string;
}

export interface ChildExecutionRequest {
  definition: MapStateDefinition;
  input: unknown;
  executionArn: string;
  name: string;
  stateMachineArn: string;
  executionType: 'EXPRESS' | 'STANDARD';
  index: number;
}

export interface MapItemProgress {
  mapRunArn: string;
  stateName: string;
  index: number;
  status: ChildStatus;
  completed: number;
  failed: number;
  /** Children: every item without ItemBatcher; with it, the batches formed so far (the manifest is streamed). */
  total: number;
  /** Items (customers) in the children finished so far, and in all children (batches hold several). */
  itemsCompleted: number;
  itemsTotal: number;
}

export interface MapRunStart {
  mapRunArn: string;
  stateName: string;
  itemsTotal: number;
  maxConcurrency: number;
  toleratedFailurePercentage: number | undefined;
  toleratedFailureCount: number | undefined;
}

export interface DistributedMapEnv {
  s3: S3Client;
  region: string;
  account: string;
  stateMachineName: string;
  /** The parent execution's context object (`$$`), without Map. */
  context: Record<string, unknown>;
  runChild(request: ChildExecutionRequest): Promise<ChildOutcome>;
  /** Upper bound on concurrent children locally (AWS allows up to 10,000). */
  maxConcurrencyCap: number;
  /** Size at which a result file part closes (default 4 MiB). */
  resultPartBytes?: number;
  onItem?: (progress: MapItemProgress) => void;
  /** Called once the items are known, before any child starts (DescribeMapRun of a running map). */
  onStart?: (start: MapRunStart) => void;
  /** StopExecution: no further children start; the ones not started are PENDING. */
  abortSignal?: AbortSignal;
  /** A redrive: children (by index) that succeeded in the earlier attempt are not run again. */
  succeededBefore?: ReadonlyMap<number, ChildOutcome>;
  /** A redrive: the map run keeps its ARN, so its result files replace the earlier ones. */
  mapRunArn?: string;
}

export interface MapRunRecord {
  mapRunArn: string;
  stateName: string;
  status: 'SUCCEEDED' | 'FAILED';
  total: number;
  succeeded: number;
  failed: number;
  pending: number;
  resultWriterDetails?: { Bucket: string; Key: string };
  /** Children in item order: all of them without ResultWriter, else only those that did not succeed. */
  children: (ChildOutcome & { index: number; executionArn: string; name: string; input: unknown })[];
}

export function isDistributedMap(state: MapStateDefinition): boolean {
  return state.Type === 'Map' && state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED';
}

/**
 * Starts `task` for each child input as a place frees up, at most `limit` at once, while
 * `shouldStart()` holds; inputs read but not started go to `notStarted`. A failing source stops
 * the launching, lets running children finish, then rethrows.
 */
async function pool(
  source: AsyncGenerator<ChildInput>,
  limit: number,
  shouldStart: () => boolean,
  task: (child: ChildInput, index: number) => Promise<void>,
  notStarted: (child: ChildInput, index: number) => void,
): Promise<void> {
  let nextIndex = 0;
  let done = false;
  let sourceError: unknown;
  const take = async (): Promise<{ child: ChildInput; index: number } | undefined> => {
    try {
      const next = await source.next();
      if (next.done) {
        done = true;
        return undefined;
      }
      return { child: next.value, index: nextIndex++ };
    } catch (error) {
      sourceError ??= error;
      done = true;
      return undefined;
    }
  };
  const workers = Array.from({ length: limit }, async () => {
    while (!done && shouldStart()) {
      const taken = await take();
      if (!taken) return;
      if (!shouldStart()) {
        notStarted(taken.child, taken.index);
        return;
      }
      await task(taken.child, taken.index);
    }
  });
  await Promise.all(workers);
  if (!done && sourceError === undefined) {
    for (let taken = await take(); taken; taken = await take()) notStarted(taken.child, taken.index);
  }
  if (sourceError !== undefined) throw sourceError;
}

/** The ResultWriter's bucket and prefix, or undefined when results stay in the state output. */
async function resultLocation(
  state: MapStateDefinition,
  input: unknown,
  context: Record<string, unknown>,
  stateName: string,
): Promise<{ bucket: string; prefix: string } | undefined> {
  const writer = state.ResultWriter;
  if (!writer?.Resource) return undefined;
  if (writer.Resource !== 'arn:aws:states:::s3:putObject') {
    throw new TaskError(
      'States.ResultWriterFailed',
      `state ${stateName}: ResultWriter resource ${writer.Resource} is not supported locally`,
    );
  }
  const params = (await evaluatePayload(writer.Parameters ?? {}, input, context)) as {
    Bucket?: string;
    Prefix?: string;
  };
  return {
    bucket: String(params.Bucket),
    prefix: params.Prefix ? `${String(params.Prefix).replace(/\/+$/, '')}/` : '',
  };
}

/** Runs one Distributed Map state on its effective input; returns the state's result. */
export async function runDistributedMap(
  stateName: string,
  state: MapStateDefinition,
  input: unknown,
  env: DistributedMapEnv,
): Promise<{ output: unknown; record: MapRunRecord }> {
  const processor = state.ItemProcessor ?? state.Iterator;
  const executionType: 'EXPRESS' | 'STANDARD' =
    processor?.ProcessorConfig?.ExecutionType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';
  const label = typeof state.Label === 'string' ? state.Label : stateName;
  const arnBase = `arn:aws:states:${env.region}:${env.account}`;
  const mapRunId = env.mapRunArn?.split(':').at(-1) ?? randomUUID();
  const mapRunArn = env.mapRunArn ?? `${arnBase}:mapRun:${env.stateMachineName}/${label}:${mapRunId}`;
  const childStateMachineArn = `${arnBase}:stateMachine:${env.stateMachineName}/${label}`;
  const childArnPrefix = `${arnBase}:${executionType === 'EXPRESS' ? 'express' : 'execution'}:${env.stateMachineName}/${label}:`;

  const writerConfig = writerConfigOf(state.ResultWriter, stateName);
  const location = await resultLocation(state, input, env.context, stateName);
  const writer = location
    ? new ResultFileWriter({
        s3: env.s3,
        ...location,
        mapRunId,
        stateName,
        config: writerConfig,
        partBytes: env.resultPartBytes ?? DEFAULT_RESULT_PART_BYTES,
      })
    : undefined;
  const { total: totalItems, childInputs } = await openMapItems(state, input, env.s3, env.context, stateName);

  const requestedConcurrency = (await numberField(state, 'MaxConcurrency', input, env.context)) ?? 0;
  const concurrency = Math.max(
    1,
    Math.min(requestedConcurrency > 0 ? requestedConcurrency : Infinity, env.maxConcurrencyCap),
  );
  const toleratedPercentage = await numberField(state, 'ToleratedFailurePercentage', input, env.context);
  const toleratedCount = await numberField(state, 'ToleratedFailureCount', input, env.context);
  env.onStart?.({
    mapRunArn,
    stateName,
    itemsTotal: totalItems,
    maxConcurrency: requestedConcurrency,
    toleratedFailurePercentage: toleratedPercentage,
    toleratedFailureCount: toleratedCount,
  });
  let failedItems = 0;
  let children = 0;
  let completed = 0;
  let succeeded = 0;
  let failedChildren = 0;
  let pending = 0;
  let itemsCompleted = 0;
  const exceeded = (): boolean => {
    if (toleratedPercentage === undefined && toleratedCount === undefined) return failedItems > 0;
    if (toleratedCount !== undefined && failedItems > toleratedCount) return true;
    if (
      toleratedPercentage !== undefined &&
      totalItems > 0 &&
      (failedItems * 100) / totalItems > toleratedPercentage
    )
      return true;
    return false;
  };

  const kept: MapRunRecord['children'] = [];
  await pool(
    childInputs,
    concurrency,
    () => !exceeded() && !env.abortSignal?.aborted,
    async ({ input: childInput, itemCount }, index) => {
      children++;
      const childId = randomUUID();
      const executionArn = `${childArnPrefix}${childId}`;
      const outcome =
        env.succeededBefore?.get(index) ??
        (await env.runChild({
          definition: processor,
          input: childInput,
          executionArn,
          name: childId,
          stateMachineArn: childStateMachineArn,
          executionType,
          index,
        }));
      const child: FinishedChild & ChildOutcome = {
        ...outcome,
        index,
        executionArn,
        name: childId,
        input: childInput,
      };
      completed++;
      itemsCompleted += itemCount;
      if (outcome.status === 'SUCCEEDED') succeeded++;
      else {
        failedChildren++;
        failedItems += itemCount;
      }
      if (!writer || outcome.status !== 'SUCCEEDED') kept.push(child);
      writer?.add(
        outcome.status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED',
        index,
        transformedEntries(child, childStateMachineArn, writerConfig.Transformation),
      );
      env.onItem?.({
        mapRunArn,
        stateName,
        index,
        status: outcome.status,
        completed,
        failed: failedChildren,
        total: state.ItemBatcher ? children + pending : totalItems,
        itemsCompleted,
        itemsTotal: totalItems,
      });
    },
    (child, index) => {
      pending++;
      writer?.add('PENDING', index, [pendingEntry(child.input, childStateMachineArn)]);
    },
  );
  kept.sort((a, b) => a.index - b.index);
  const failedRun = exceeded();
  const record: MapRunRecord = {
    mapRunArn,
    stateName,
    status: failedRun ? 'FAILED' : 'SUCCEEDED',
    total: children + pending,
    succeeded,
    failed: failedChildren,
    pending,
    children: kept,
  };

  let output: unknown;
  let resultText = '';
  if (writer) {
    const details = await writer.finish(mapRunArn);
    record.resultWriterDetails = details;
    output = { MapRunArn: mapRunArn, ResultWriterDetails: details };
    resultText = ` (results: s3://${details.Bucket}/${details.Key})`;
  } else {
    output = kept.flatMap((c) =>
      c.status !== 'SUCCEEDED'
        ? [{ Error: c.error, Cause: c.cause }]
        : writerConfig.Transformation === 'FLATTEN' && Array.isArray(c.output)
          ? c.output
          : [c.output],
    );
  }

  if (failedRun) {
    const threshold = [
      toleratedPercentage !== undefined ? `${toleratedPercentage}%` : undefined,
      toleratedCount !== undefined ? `${toleratedCount} items` : undefined,
    ]
      .filter(Boolean)
      .join(' or ');
    const error = new TaskError(
      'States.ExceedToleratedFailureThreshold',
      `Map Run ${mapRunArn} failed: ${failedItems} of ${totalItems} items failed, more than the tolerated ${threshold || '0 items'}${resultText}`,
    );
    (error as TaskError & { mapRun?: MapRunRecord }).mapRun = record;
    throw error;
  }
  return { output, record };
}
