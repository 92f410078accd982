/**
 * The Distributed Map's items, streamed: ItemReader (`arn:aws:states:::s3:getObject`, InputType
 * JSONL or JSON, MaxItems(Path)) or ItemsPath, then ItemSelector per item, then ItemBatcher groups.
 * A JSONL manifest is read twice, line by line, and never held whole: one pass validates and counts
 * it (the tolerated failure percentage needs the total before the first child starts), the second
 * feeds the children as the pool asks for them. A JSON array is parsed whole (it is one value).
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { TaskError } from '../integrations.js';
import { evaluatePath, evaluatePayload } from '../payload.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type MapStateDefinition = Record<string, any>;

/** What a child execution gets: one item, or a batch `{ Items, BatchInput }` of `itemCount` items. */
export interface ChildInput {
  input: unknown;
  itemCount: number;
}

export interface MapItems {
  /** Items in the dataset (after MaxItems). */
  total: number;
  /** Child inputs in item order, built as they are asked for. */
  childInputs: AsyncGenerator<ChildInput>;
}

/** AWS's limit on a child's input, and so on MaxInputBytesPerBatch. */
const MAX_CHILD_INPUT_BYTES = 256 * 1024;

export async function numberField(
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

interface Source {
  s3: S3Client;
  bucket: string;
  key: string;
  where: string;
}

const readerFailed = (source: Source, message: string): TaskError =>
  new TaskError('States.ItemReaderFailed', `${source.where}: s3://${source.bucket}/${source.key} ${message}`);

async function openBody(source: Source): Promise<Readable> {
  try {
    const response = await source.s3.send(new GetObjectCommand({ Bucket: source.bucket, Key: source.key }));
    if (!response.Body) throw new Error('empty body');
    return response.Body as Readable;
  } catch (error) {
    throw readerFailed(source, `cannot be read: ${(error as Error).name}: ${(error as Error).message}`);
  }
}

/** The parsed JSON Lines of the object, blank lines skipped, at most `limit` of them. */
async function* jsonLines(source: Source, limit: number): AsyncGenerator<unknown> {
  const lines = createInterface({ input: await openBody(source), crlfDelay: Infinity });
  let lineNumber = 0;
  let yielded = 0;
  try {
    for await (const raw of lines) {
      lineNumber++;
      const line = raw.trim();
      if (!line) continue;
      if (yielded >= limit) return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw readerFailed(source, `line ${lineNumber} is not JSON`);
      }
      yielded++;
      yield value;
    }
  } catch (error) {
    if (error instanceof TaskError) throw error;
    throw readerFailed(source, `cannot be read: ${(error as Error).name}: ${(error as Error).message}`);
  } finally {
    lines.close();
  }
}

async function readJsonArray(source: Source): Promise<unknown[]> {
  const body = await openBody(source);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw readerFailed(source, 'is not JSON');
  }
  if (!Array.isArray(parsed)) throw readerFailed(source, 'is not a JSON array');
  return parsed;
}

async function* fromArray(items: unknown[]): AsyncGenerator<unknown> {
  yield* items;
}

/** The raw items and their count, from ItemReader or ItemsPath. */
async function readItems(
  state: MapStateDefinition,
  input: unknown,
  s3: S3Client,
  context: Record<string, unknown>,
  stateName: string,
): Promise<{ total: number; items: AsyncGenerator<unknown> }> {
  const reader = state.ItemReader;
  if (!reader) {
    const items = state.ItemsPath ? await evaluatePath(state.ItemsPath, input, context) : input;
    if (!Array.isArray(items)) {
      throw new TaskError('States.Runtime', `state ${stateName}: the Map input (ItemsPath) is not an array`);
    }
    return { total: items.length, items: fromArray(items) };
  }
  if (reader.Resource !== 'arn:aws:states:::s3:getObject') {
    throw new TaskError(
      'States.ItemReaderFailed',
      `state ${stateName}: ItemReader resource ${reader.Resource} is not supported locally`,
    );
  }
  const params = (await evaluatePayload(reader.Parameters ?? {}, input, context)) as {
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
  const maxItems = await numberField(reader.ReaderConfig ?? {}, 'MaxItems', input, context);
  const limit = maxItems && maxItems > 0 ? maxItems : Infinity;
  const source: Source = {
    s3,
    bucket: String(params.Bucket),
    key: String(params.Key),
    where: `state ${stateName}`,
  };
  if (inputType === 'JSON') {
    const all = await readJsonArray(source);
    const items = all.length > limit ? all.slice(0, limit) : all;
    return { total: items.length, items: fromArray(items) };
  }
  let total = 0;
  const counting = jsonLines(source, limit);
  while (!(await counting.next()).done) total++;
  return { total, items: jsonLines(source, limit) };
}

/**
 * ItemBatcher: items in order, a batch closed when the next item would pass MaxItemsPerBatch(Path)
 * or MaxInputBytesPerBatch(Path) (the batch's JSON `{ Items, BatchInput }`); at least one item per
 * batch; one item bigger than the byte limit fails the state (States.Runtime), as on AWS.
 */
async function* batches(
  batcher: MapStateDefinition,
  selected: AsyncGenerator<unknown>,
  input: unknown,
  context: Record<string, unknown>,
  stateName: string,
): AsyncGenerator<ChildInput> {
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
  let current: unknown[] = [];
  let bytes = overhead;
  for await (const item of selected) {
    const itemBytes = Buffer.byteLength(JSON.stringify(item));
    if (overhead + itemBytes > maxBytes) {
      throw new TaskError(
        'States.Runtime',
        `state ${stateName}: an item of ${itemBytes} bytes is larger than MaxInputBytesPerBatch (${maxBytes})`,
      );
    }
    const separator = current.length > 0 ? 1 : 0;
    if (current.length > 0 && (current.length >= maxItems || bytes + separator + itemBytes > maxBytes)) {
      yield { input: wrap(current), itemCount: current.length };
      current = [];
      bytes = overhead;
    }
    bytes += itemBytes + (current.length > 0 ? 1 : 0);
    current.push(item);
  }
  if (current.length > 0) yield { input: wrap(current), itemCount: current.length };
}

/** The Map's dataset as a stream of child inputs, and its size. */
export async function openMapItems(
  state: MapStateDefinition,
  input: unknown,
  s3: S3Client,
  context: Record<string, unknown>,
  stateName: string,
): Promise<MapItems> {
  const { total, items } = await readItems(state, input, s3, context, stateName);
  const selector = state.ItemSelector ?? state.Parameters;
  async function* selected(): AsyncGenerator<unknown> {
    let index = 0;
    for await (const value of items) {
      yield selector
        ? await evaluatePayload(selector, input, {
            ...context,
            Map: { Item: { Value: value, Index: index } },
          })
        : value;
      index++;
    }
  }
  async function* single(): AsyncGenerator<ChildInput> {
    for await (const value of selected()) yield { input: value, itemCount: 1 };
  }
  return {
    total,
    childInputs: state.ItemBatcher
      ? batches(state.ItemBatcher, selected(), input, context, stateName)
      : single(),
  };
}
