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
 * - ResultWriter (`arn:aws:states:::s3:putObject`, Parameters Bucket + Prefix) writes
 *   `<Prefix>/<mapRunId>/manifest.json` and SUCCEEDED_0.json / FAILED_0.json / PENDING_0.json
 *   (a file only for a status that has entries; the manifest lists them), and the state's result is
 *   `{ MapRunArn, ResultWriterDetails: { Bucket, Key } }`; without ResultWriter it is the array of outputs.
 * Local difference: when the threshold is exceeded, children already running finish (AWS stops them).
 */
import { randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { TaskError } from './integrations.js';
import { evaluatePath, evaluatePayload } from './payload.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type MapStateDefinition = Record<string, any>;

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
  total: number;
  /** Items (customers) in the children finished so far, and in all children (batches hold several). */
  itemsCompleted: number;
  itemsTotal: number;
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
  onItem?: (progress: MapItemProgress) => void;
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
  children: (ChildOutcome & { index: number; executionArn: string; name: string; input: unknown })[];
}

export function isDistributedMap(state: MapStateDefinition): boolean {
  return state.Type === 'Map' && state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED';
}

async function numberField(
  state: MapStateDefinition,
  field: string,
  input: unknown,
  context: Record<string, unknown>,
): Promise<number | undefined> {
  if (state[`${field}Path`] !== undefined) {
    const value = await evaluatePath(state[`${field}Path`], input, context);
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw new TaskError(
        'States.Runtime',
        `${field}Path ${state[`${field}Path`]} is not a number: ${JSON.stringify(value)}`,
      );
    }
    return value;
  }
  return typeof state[field] === 'number' ? state[field] : undefined;
}

async function readBody(s3: S3Client, bucket: string, key: string): Promise<string> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!response.Body) throw new Error('empty body');
  return response.Body.transformToString('utf8');
}

async function readItems(
  state: MapStateDefinition,
  input: unknown,
  env: DistributedMapEnv,
  stateName: string,
): Promise<unknown[]> {
  const reader = state.ItemReader;
  if (!reader) {
    const items = state.ItemsPath ? await evaluatePath(state.ItemsPath, input, env.context) : input;
    if (!Array.isArray(items)) {
      throw new TaskError('States.Runtime', `state ${stateName}: the Map input (ItemsPath) is not an array`);
    }
    return items;
  }
  if (reader.Resource !== 'arn:aws:states:::s3:getObject') {
    throw new TaskError(
      'States.ItemReaderFailed',
      `state ${stateName}: ItemReader resource ${reader.Resource} is not supported locally`,
    );
  }
  const params = (await evaluatePayload(reader.Parameters ?? {}, input, env.context)) as {
    Bucket?: string;
    Key?: string;
  };
  const inputType = reader.ReaderConfig?.InputType ?? 'JSON';
  if (inputType !== 'JSON' && inputType !== 'JSONL') {
    throw new TaskError(
      'States.ItemReaderFailed',
      `state ${stateName}: ReaderConfig.InputType ${inputType} is not supported locally (JSON, JSONL)`,
    );
  }
  let body: string;
  try {
    body = await readBody(env.s3, String(params.Bucket), String(params.Key));
  } catch (error) {
    throw new TaskError(
      'States.ItemReaderFailed',
      `state ${stateName}: cannot read s3://${params.Bucket}/${params.Key}: ${(error as Error).name}: ${(error as Error).message}`,
    );
  }
  let items: unknown[];
  if (inputType === 'JSONL') {
    items = [];
    const lines = body.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = (lines[i] as string).trim();
      if (!line) continue;
      try {
        items.push(JSON.parse(line));
      } catch {
        throw new TaskError(
          'States.ItemReaderFailed',
          `state ${stateName}: s3://${params.Bucket}/${params.Key} line ${i + 1} is not JSON`,
        );
      }
    }
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new TaskError(
        'States.ItemReaderFailed',
        `state ${stateName}: s3://${params.Bucket}/${params.Key} is not JSON`,
      );
    }
    if (!Array.isArray(parsed)) {
      throw new TaskError(
        'States.ItemReaderFailed',
        `state ${stateName}: s3://${params.Bucket}/${params.Key} is not a JSON array`,
      );
    }
    items = parsed;
  }
  const readerConfig = reader.ReaderConfig ?? {};
  const maxItems = await numberField(readerConfig, 'MaxItems', input, env.context);
  return maxItems && maxItems > 0 ? items.slice(0, maxItems) : items;
}

/** AWS's limit on a child's input, and so on MaxInputBytesPerBatch. */
const MAX_CHILD_INPUT_BYTES = 256 * 1024;

/**
 * ItemBatcher: items in order, a batch closed when the next item would pass MaxItemsPerBatch(Path)
 * or MaxInputBytesPerBatch(Path) (the batch's JSON `{ Items, BatchInput }`); at least one item per
 * batch; one item bigger than the byte limit fails the state (States.Runtime), as on AWS.
 */
async function batchItems(
  batcher: MapStateDefinition,
  selected: unknown[],
  input: unknown,
  context: Record<string, unknown>,
  stateName: string,
): Promise<{ input: unknown; itemCount: number }[]> {
  const maxItems = (await numberField(batcher, 'MaxItemsPerBatch', input, context)) ?? Infinity;
  const maxBytes = Math.min(
    (await numberField(batcher, 'MaxInputBytesPerBatch', input, context)) ?? MAX_CHILD_INPUT_BYTES,
    MAX_CHILD_INPUT_BYTES,
  );
  const batchInput = batcher.BatchInput
    ? await evaluatePayload(batcher.BatchInput, input, context)
    : undefined;
  const wrap = (items: unknown[]) =>
    batchInput === undefined ? { Items: items } : { Items: items, BatchInput: batchInput };
  const overhead = Buffer.byteLength(JSON.stringify(wrap([])));
  const batches: { input: unknown; itemCount: number }[] = [];
  let current: unknown[] = [];
  let bytes = overhead;
  for (const item of selected) {
    const itemBytes = Buffer.byteLength(JSON.stringify(item)) + (current.length > 0 ? 1 : 0);
    if (overhead + itemBytes > maxBytes) {
      throw new TaskError(
        'States.Runtime',
        `state ${stateName}: an item of ${itemBytes} bytes is larger than MaxInputBytesPerBatch (${maxBytes})`,
      );
    }
    if (current.length > 0 && (current.length >= maxItems || bytes + itemBytes > maxBytes)) {
      batches.push({ input: wrap(current), itemCount: current.length });
      current = [];
      bytes = overhead;
    }
    bytes += Buffer.byteLength(JSON.stringify(item)) + (current.length > 0 ? 1 : 0);
    current.push(item);
  }
  if (current.length > 0) batches.push({ input: wrap(current), itemCount: current.length });
  return batches;
}

/** A simple promise pool: at most `limit` tasks at once; `shouldStart` can stop launching. */
async function pool(
  count: number,
  limit: number,
  shouldStart: () => boolean,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, count) }, async () => {
    while (next < count && shouldStart()) {
      const i = next++;
      await task(i);
    }
  });
  await Promise.all(workers);
}

function resultEntry(
  child: MapRunRecord['children'][number],
  stateMachineArn: string,
): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    ExecutionArn: child.executionArn,
    Input: JSON.stringify(child.input),
    InputDetails: { Included: true },
    Name: child.name,
  };
  if (child.status === 'SUCCEEDED') {
    entry.Output = JSON.stringify(child.output ?? null);
    entry.OutputDetails = { Included: true };
  } else {
    entry.Error = child.error ?? '';
    entry.Cause = child.cause ?? '';
  }
  return {
    ...entry,
    RedriveCount: 0,
    RedriveStatus: 'NOT_REDRIVABLE',
    RedriveStatusReason: `Execution is ${child.status} and cannot be redriven`,
    StartDate: child.startDate,
    StateMachineArn: stateMachineArn,
    Status: child.status,
    StopDate: child.stopDate,
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
  const mapRunId = randomUUID();
  const arnBase = `arn:aws:states:${env.region}:${env.account}`;
  const mapRunArn = `${arnBase}:mapRun:${env.stateMachineName}/${label}:${mapRunId}`;
  const childStateMachineArn = `${arnBase}:stateMachine:${env.stateMachineName}/${label}`;
  const childArnPrefix = `${arnBase}:${executionType === 'EXPRESS' ? 'express' : 'execution'}:${env.stateMachineName}/${label}:`;

  const items = await readItems(state, input, env, stateName);

  // Child inputs: ItemSelector per item, then ItemBatcher groups.
  const selector = state.ItemSelector ?? state.Parameters;
  const selected: unknown[] = [];
  for (let index = 0; index < items.length; index++) {
    const value = items[index];
    selected.push(
      selector
        ? await evaluatePayload(selector, input, {
            ...env.context,
            Map: { Item: { Value: value, Index: index } },
          })
        : value,
    );
  }
  let childInputs: { input: unknown; itemCount: number }[] = selected.map((v) => ({
    input: v,
    itemCount: 1,
  }));
  if (state.ItemBatcher) {
    childInputs = await batchItems(state.ItemBatcher, selected, input, env.context, stateName);
  }

  const requestedConcurrency = (await numberField(state, 'MaxConcurrency', input, env.context)) ?? 0;
  const concurrency = Math.max(
    1,
    Math.min(requestedConcurrency > 0 ? requestedConcurrency : Infinity, env.maxConcurrencyCap),
  );
  const toleratedPercentage = await numberField(state, 'ToleratedFailurePercentage', input, env.context);
  const toleratedCount = await numberField(state, 'ToleratedFailureCount', input, env.context);
  const totalItems = items.length;
  let failedItems = 0;
  let completed = 0;
  let failedChildren = 0;
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

  const children: MapRunRecord['children'] = [];
  const started = new Set<number>();
  await pool(
    childInputs.length,
    concurrency,
    () => !exceeded(),
    async (index) => {
      started.add(index);
      const childId = randomUUID();
      const { input: childInput, itemCount } = childInputs[index] as { input: unknown; itemCount: number };
      const outcome = await env.runChild({
        definition: processor,
        input: childInput,
        executionArn: `${childArnPrefix}${childId}`,
        name: childId,
        stateMachineArn: childStateMachineArn,
        executionType,
        index,
      });
      children.push({
        ...outcome,
        index,
        executionArn: `${childArnPrefix}${childId}`,
        name: childId,
        input: childInput,
      });
      completed++;
      itemsCompleted += itemCount;
      if (outcome.status !== 'SUCCEEDED') {
        failedChildren++;
        failedItems += itemCount;
      }
      env.onItem?.({
        mapRunArn,
        stateName,
        index,
        status: outcome.status,
        completed,
        failed: failedChildren,
        total: childInputs.length,
        itemsCompleted,
        itemsTotal: totalItems,
      });
    },
  );
  children.sort((a, b) => a.index - b.index);
  const pendingInputs = childInputs.map((c, i) => ({ ...c, index: i })).filter((c) => !started.has(c.index));
  const failedRun = exceeded();

  const record: MapRunRecord = {
    mapRunArn,
    stateName,
    status: failedRun ? 'FAILED' : 'SUCCEEDED',
    total: childInputs.length,
    succeeded: children.filter((c) => c.status === 'SUCCEEDED').length,
    failed: failedChildren,
    pending: pendingInputs.length,
    children,
  };

  let output: unknown;
  let resultLocation = '';
  if (state.ResultWriter) {
    const writer = state.ResultWriter;
    if (writer.Resource !== 'arn:aws:states:::s3:putObject') {
      throw new TaskError(
        'States.ResultWriterFailed',
        `state ${stateName}: ResultWriter resource ${writer.Resource} is not supported locally`,
      );
    }
    const params = (await evaluatePayload(writer.Parameters ?? {}, input, env.context)) as {
      Bucket?: string;
      Prefix?: string;
    };
    const bucket = String(params.Bucket);
    const prefix = params.Prefix ? `${String(params.Prefix).replace(/\/+$/, '')}/` : '';
    const files: Record<'FAILED' | 'PENDING' | 'SUCCEEDED', { Key: string; Size: number }[]> = {
      FAILED: [],
      PENDING: [],
      SUCCEEDED: [],
    };
    const put = async (key: string, body: string): Promise<void> => {
      try {
        await env.s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }),
        );
      } catch (error) {
        throw new TaskError(
          'States.ResultWriterFailed',
          `state ${stateName}: cannot write s3://${bucket}/${key}: ${(error as Error).name}: ${(error as Error).message}`,
        );
      }
    };
    const groups: ['SUCCEEDED' | 'FAILED' | 'PENDING', Record<string, unknown>[]][] = [
      [
        'SUCCEEDED',
        children.filter((c) => c.status === 'SUCCEEDED').map((c) => resultEntry(c, childStateMachineArn)),
      ],
      [
        'FAILED',
        children.filter((c) => c.status !== 'SUCCEEDED').map((c) => resultEntry(c, childStateMachineArn)),
      ],
      [
        'PENDING',
        pendingInputs.map((p) => ({
          Input: JSON.stringify(p.input),
          InputDetails: { Included: true },
          Status: 'PENDING',
          StateMachineArn: childStateMachineArn,
        })),
      ],
    ];
    for (const [status, entries] of groups) {
      if (entries.length === 0) continue;
      const key = `${prefix}${mapRunId}/${status}_0.json`;
      const body = JSON.stringify(entries);
      await put(key, body);
      files[status].push({ Key: key, Size: Buffer.byteLength(body, 'utf8') });
    }
    const manifestKey = `${prefix}${mapRunId}/manifest.json`;
    await put(
      manifestKey,
      JSON.stringify({ DestinationBucket: bucket, MapRunArn: mapRunArn, ResultFiles: files }),
    );
    record.resultWriterDetails = { Bucket: bucket, Key: manifestKey };
    output = { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: bucket, Key: manifestKey } };
    resultLocation = ` (results: s3://${bucket}/${manifestKey})`;
  } else {
    output = children.map((c) => (c.status === 'SUCCEEDED' ? c.output : { Error: c.error, Cause: c.cause }));
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
      `Map Run ${mapRunArn} failed: ${failedItems} of ${totalItems} items failed, more than the tolerated ${threshold || '0 items'}${resultLocation}`,
    );
    (error as TaskError & { mapRun?: MapRunRecord }).mapRun = record;
    throw error;
  }
  return { output, record };
}
