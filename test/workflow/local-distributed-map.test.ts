/**
 * The Distributed Map emulator on the real local stack: JSONL ItemReader, ItemSelector with
 * $$.Map.Item, MaxConcurrency, tolerated failures under and over the threshold, and the
 * ResultWriter files in S3 in AWS's format.
 */
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { InvalidInputError } from '../../lambdas/shared/errors.js';
import { runDistributedMap } from '../../workflows/local/distributed-map.js';
import { eventsOf, runStateMachine, type MapItemProgress } from '../../workflows/local/executor.js';
import { ASL_FIXTURES, startTestStack, type TestStack } from './local-stack-fixture.js';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack('dmap');
});

afterAll(async () => {
  await t?.cleanup();
});

interface ItemInput {
  customerId: string;
  shouldFail: boolean;
  position: number;
  runId: string;
}

interface ResultEntry {
  ExecutionArn?: string;
  Input: string;
  InputDetails: { Included: boolean };
  Name?: string;
  Output?: string;
  Error?: string;
  Cause?: string;
  Status: string;
  StartDate?: string;
  StopDate?: string;
  StateMachineArn: string;
}

interface Manifest {
  DestinationBucket: string;
  MapRunArn: string;
  ResultFiles: Record<'FAILED' | 'PENDING' | 'SUCCEEDED', { Key: string; Size: number }[]>;
}

async function getText(key: string): Promise<string> {
  const object = await t.stack.clients.s3.send(
    new GetObjectCommand({ Bucket: t.stack.names.documentsBucket, Key: key }),
  );
  return (await object.Body?.transformToString('utf8')) ?? '';
}

async function writeManifest(key: string, failing: number[], count: number): Promise<void> {
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({ customerId: `cus_${i}`, fail: failing.includes(i) }),
  );
  await t.stack.clients.s3.send(
    new PutObjectCommand({ Bucket: t.stack.names.documentsBucket, Key: key, Body: `${lines.join('\n')}\n` }),
  );
}

function itemHandler(observed: { peak: number; running: number; seen: ItemInput[] }) {
  return async (event: ItemInput) => {
    observed.running++;
    observed.peak = Math.max(observed.peak, observed.running);
    observed.seen.push(event);
    try {
      // A real round trip, so children overlap when concurrency allows.
      await getText('runs/r1/manifest.jsonl');
      if (event.shouldFail) throw new InvalidInputError('no plan', `customer ${event.customerId}.planId`);
      return { handled: event.customerId };
    } finally {
      observed.running--;
    }
  };
}

const run = (
  input: Record<string, unknown>,
  observed: Parameters<typeof itemHandler>[0],
  progress: MapItemProgress[],
) =>
  runStateMachine({
    aslPath: join(ASL_FIXTURES, 'distributed-map.asl.json'),
    substitutions: { BucketName: t.stack.names.documentsBucket, ItemFunctionArn: 'handle-item' },
    input,
    stack: t.stack,
    lambdas: { 'handle-item': itemHandler(observed) },
    retryIntervalMs: 0,
    onMapItem: (p) => progress.push(p),
  });

describe('Distributed Map', () => {
  it('runs every JSONL item as a child execution and writes AWS-format result files when failures are tolerated', async () => {
    // Prepare: 10 customers, 2 of them fail (20% <= 25% tolerated).
    await writeManifest('runs/r1/manifest.jsonl', [2, 7], 10);
    const observed = { peak: 0, running: 0, seen: [] as ItemInput[] };
    const progress: MapItemProgress[] = [];

    // Act
    const result = await run(
      {
        runId: 'r1',
        manifestKey: 'runs/r1/manifest.jsonl',
        maxConcurrency: 3,
        toleratedFailurePercentage: 25,
        resultsPrefix: 'runs/r1/results',
      },
      observed,
      progress,
    );

    // Assess: the Map's output and the path taken
    expect(result.status).toBe('SUCCEEDED');
    expect(eventsOf(result.events, 'Finished')).not.toHaveLength(0);
    const map = (
      result.output as { map: { MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } } }
    ).map;
    expect(map.MapRunArn).toMatch(
      /^arn:aws:states:us-east-1:000000000000:mapRun:distributed-map\/ProcessItems:[0-9a-f-]{36}$/,
    );
    const mapRunId = map.MapRunArn.split(':').at(-1) as string;
    expect(map.ResultWriterDetails).toEqual({
      Bucket: t.stack.names.documentsBucket,
      Key: `runs/r1/results/${mapRunId}/manifest.json`,
    });

    // ItemSelector: $$.Map.Item.Value / Index and the Map input; MaxConcurrency respected.
    expect(observed.seen.map((s) => s.position).sort((a, b) => a - b)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(observed.seen.find((s) => s.position === 4)).toEqual({
      customerId: 'cus_4',
      shouldFail: false,
      position: 4,
      runId: 'r1',
    });
    expect(observed.peak).toBeLessThanOrEqual(3);
    expect(progress.map((p) => p.completed)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(progress.at(-1)).toMatchObject({ failed: 2, total: 10, stateName: 'ProcessItems' });

    // The manifest and the result files, as AWS writes them.
    const manifest = JSON.parse(await getText(map.ResultWriterDetails.Key)) as Manifest;
    expect(manifest.DestinationBucket).toBe(t.stack.names.documentsBucket);
    expect(manifest.MapRunArn).toBe(map.MapRunArn);
    expect(manifest.ResultFiles.PENDING).toEqual([]);
    expect(manifest.ResultFiles.SUCCEEDED.map((f) => f.Key)).toEqual([
      `runs/r1/results/${mapRunId}/SUCCEEDED_0.json`,
    ]);
    expect(manifest.ResultFiles.FAILED.map((f) => f.Key)).toEqual([
      `runs/r1/results/${mapRunId}/FAILED_0.json`,
    ]);

    const succeededText = await getText(manifest.ResultFiles.SUCCEEDED[0]?.Key as string);
    expect(Buffer.byteLength(succeededText)).toBe(manifest.ResultFiles.SUCCEEDED[0]?.Size);
    const succeeded = JSON.parse(succeededText) as ResultEntry[];
    expect(succeeded).toHaveLength(8);
    const first = succeeded[0] as ResultEntry;
    expect(first.ExecutionArn).toMatch(
      /^arn:aws:states:us-east-1:000000000000:express:distributed-map\/ProcessItems:[0-9a-f-]{36}$/,
    );
    expect(first.ExecutionArn?.endsWith(`:${first.Name}`)).toBe(true);
    expect(first.StateMachineArn).toBe(
      'arn:aws:states:us-east-1:000000000000:stateMachine:distributed-map/ProcessItems',
    );
    expect(first.Status).toBe('SUCCEEDED');
    expect(first.InputDetails).toEqual({ Included: true });
    expect(JSON.parse(first.Input)).toEqual({
      customerId: 'cus_0',
      shouldFail: false,
      position: 0,
      runId: 'r1',
    });
    expect(JSON.parse(first.Output as string)).toEqual({ handled: 'cus_0' });
    expect(Date.parse(first.StopDate as string)).toBeGreaterThanOrEqual(
      Date.parse(first.StartDate as string),
    );

    const failed = JSON.parse(await getText(manifest.ResultFiles.FAILED[0]?.Key as string)) as ResultEntry[];
    expect(failed.map((f) => JSON.parse(f.Input).customerId)).toEqual(['cus_2', 'cus_7']);
    expect(failed[0]).toMatchObject({ Status: 'FAILED', Error: 'InvalidInputError' });
    expect(failed[0]?.Output).toBeUndefined();
    expect(JSON.parse(failed[0]?.Cause as string)).toMatchObject({
      errorType: 'InvalidInputError',
      errorMessage: 'customer cus_2.planId: no plan',
    });

    // Instrumentation: children counted separately from the parent's transitions.
    expect(result.metrics.childExecutions).toBe(10);
    expect(result.metrics.childTransitions).toBe(10);
    expect(result.metrics.transitions).toBe(2); // ProcessItems, Finished
    expect(result.metrics.states.HandleItem?.count).toBe(10);
    expect(result.metrics.lambdaInvocations).toEqual({ 'handle-item': 10 });
    // The manifest is streamed twice: one pass counts the items (the tolerated percentage needs
    // the total before any child starts), one feeds the children.
    expect(result.metrics.integrationCalls).toEqual({ 's3:GetObject': 2, 's3:PutObject': 3 });
    expect(result.mapRuns).toHaveLength(1);
    expect(result.mapRuns[0]).toMatchObject({
      status: 'SUCCEEDED',
      total: 10,
      succeeded: 8,
      failed: 2,
      pending: 0,
    });
  });

  it('fails the Map with States.ExceedToleratedFailureThreshold past the threshold, stops launching, and keeps the rest PENDING', async () => {
    // Prepare: with one child at a time, the 2nd failure (index 3: 2/10 = 20% > 10%) stops the run.
    await writeManifest('runs/r2/manifest.jsonl', [1, 3], 10);
    const observed = { peak: 0, running: 0, seen: [] as ItemInput[] };

    // Act
    const result = await run(
      {
        runId: 'r2',
        manifestKey: 'runs/r2/manifest.jsonl',
        maxConcurrency: 1,
        toleratedFailurePercentage: 10,
        resultsPrefix: 'runs/r2/results',
      },
      observed,
      [],
    );

    // Assess: caught by the ASL's Catch, with the Map's own error name
    expect(result.status).toBe('SUCCEEDED');
    const output = result.output as { mapError: { Error: string; Cause: string }; map?: unknown };
    expect(output.map).toBeUndefined();
    expect(output.mapError.Error).toBe('States.ExceedToleratedFailureThreshold');
    expect(output.mapError.Cause).toContain('2 of 10 items failed');
    expect(eventsOf(result.events, 'ProcessItems').map((e) => e.type)).toContain('StateCaught');
    expect(eventsOf(result.events, 'TooManyFailures')).not.toHaveLength(0);
    expect(observed.seen.map((s) => s.position)).toEqual([0, 1, 2, 3]);

    // The result files still record what ran and what never started.
    const record = result.mapRuns[0];
    expect(record).toMatchObject({ status: 'FAILED', succeeded: 2, failed: 2, pending: 6 });
    const manifest = JSON.parse(await getText(record?.resultWriterDetails?.Key as string)) as Manifest;
    const pending = JSON.parse(
      await getText(manifest.ResultFiles.PENDING[0]?.Key as string),
    ) as ResultEntry[];
    expect(pending.map((p) => JSON.parse(p.Input).position)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(pending.every((p) => p.Status === 'PENDING')).toBe(true);
  });

  it('reads a JSON array with MaxItems and, without ResultWriter, returns the outputs in item order', async () => {
    await t.stack.clients.s3.send(
      new PutObjectCommand({
        Bucket: t.stack.names.documentsBucket,
        Key: 'inputs/numbers.json',
        Body: JSON.stringify([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }, { n: 5 }]),
      }),
    );
    const state = {
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'JSON', MaxItems: 4 },
        Parameters: { Bucket: t.stack.names.documentsBucket, Key: 'inputs/numbers.json' },
      },
      ItemSelector: { 'n.$': '$$.Map.Item.Value.n', 'offset.$': '$.offset' },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'X',
        States: {},
      },
      MaxConcurrency: 4,
    };

    const { output, record } = await runDistributedMap(
      'Numbers',
      state,
      { offset: 10 },
      {
        s3: t.stack.clients.s3,
        region: 'us-east-1',
        account: '000000000000',
        stateMachineName: 'toy',
        context: {},
        maxConcurrencyCap: 40,
        runChild: async (request) => {
          const { n, offset } = request.input as { n: number; offset: number };
          // Later items finish first: the output must still follow the item order.
          for (let i = 0; i < 4 - request.index; i++) await new Promise((resolve) => setImmediate(resolve));
          const now = new Date().toISOString();
          return {
            status: 'SUCCEEDED',
            output: n * 100 + offset + (4 - request.index),
            startDate: now,
            stopDate: now,
          };
        },
      },
    );

    expect(output).toEqual([114, 213, 312, 411]);
    expect(record).toMatchObject({ total: 4, succeeded: 4, failed: 0, status: 'SUCCEEDED' });
    expect(record.children[0]?.executionArn).toMatch(/:execution:toy\/Numbers:/);
  });

  /** The emulator's environment for a toy state machine, one child at a time. */
  const oneAtATime = () => ({
    s3: t.stack.clients.s3,
    region: 'us-east-1',
    account: '000000000000',
    stateMachineName: 'toy',
    context: {},
    maxConcurrencyCap: 1,
  });

  it('groups items with ItemBatcher: MaxItemsPerBatchPath, MaxInputBytesPerBatch and BatchInput', async () => {
    const items = Array.from({ length: 7 }, (_, i) => ({ id: `c${i}`, pad: 'x'.repeat(i === 5 ? 60 : 1) }));
    const state = {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemSelector: { 'id.$': '$$.Map.Item.Value.id', 'pad.$': '$$.Map.Item.Value.pad' },
      ItemBatcher: {
        MaxItemsPerBatchPath: '$.perBatch',
        MaxInputBytesPerBatch: 130,
        BatchInput: { 'run.$': '$.run' },
      },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
        StartAt: 'X',
        States: {},
      },
    };
    const inputs: unknown[] = [];
    const progress: MapItemProgress[] = [];
    const { record } = await runDistributedMap(
      'Batches',
      state,
      { items, perBatch: 3, run: 'r9' },
      {
        ...oneAtATime(),
        onItem: (p) => progress.push(p),
        runChild: async (request) => {
          inputs.push(request.input);
          const now = new Date().toISOString();
          return { status: 'SUCCEEDED', output: null, startDate: now, stopDate: now };
        },
      },
    );
    const ids = (inputs as { Items: { id: string }[] }[]).map((b) => b.Items.map((i) => i.id));
    // Three per batch, except where the 60-byte item would push a batch past 130 bytes.
    expect(ids).toEqual([['c0', 'c1', 'c2'], ['c3', 'c4'], ['c5'], ['c6']]);
    for (const batch of inputs as { Items: unknown[]; BatchInput: unknown }[]) {
      expect(batch.BatchInput).toEqual({ run: 'r9' });
      expect(Buffer.byteLength(JSON.stringify(batch))).toBeLessThanOrEqual(130);
    }
    expect(record.total).toBe(4);
    expect(progress.at(-1)).toMatchObject({ completed: 4, total: 4, itemsCompleted: 7, itemsTotal: 7 });
  });

  it('fails with States.Runtime when one item alone is bigger than MaxInputBytesPerBatch', async () => {
    const state = {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemBatcher: { MaxInputBytesPerBatch: 40 },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
        StartAt: 'X',
        States: {},
      },
    };
    await expect(
      runDistributedMap(
        'Batches',
        state,
        { items: [{ id: 'x'.repeat(50) }] },
        { ...oneAtATime(), runChild: async () => Promise.reject(new Error('no child may start')) },
      ),
    ).rejects.toMatchObject({ name: 'States.Runtime' });
  });

  it('writes FLATTEN / JSONL results in parts, in item order within a part, and the unstarted batches as PENDING', async () => {
    // Prepare: 12 items in batches of 2 from a streamed JSONL manifest; batch 3 (items 6, 7) fails
    // and, with no failure tolerated, stops the launching.
    await writeManifest('runs/r5/manifest.jsonl', [], 12);
    const state = {
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'JSONL' },
        Parameters: { Bucket: t.stack.names.documentsBucket, Key: 'runs/r5/manifest.jsonl' },
      },
      ItemSelector: { 'customerId.$': '$$.Map.Item.Value.customerId' },
      ItemBatcher: { MaxItemsPerBatch: 2 },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
        StartAt: 'X',
        States: {},
      },
      ResultWriter: {
        Resource: 'arn:aws:states:::s3:putObject',
        Parameters: { Bucket: t.stack.names.documentsBucket, Prefix: 'runs/r5/results' },
        WriterConfig: { Transformation: 'FLATTEN', OutputType: 'JSONL' },
      },
    };
    const started: number[] = [];

    // Act: a part closes after every child's entries (1 byte), so each child gets its own part.
    const run = runDistributedMap(
      'Batches',
      state,
      {},
      {
        ...oneAtATime(),
        resultPartBytes: 1,
        runChild: async (request) => {
          started.push(request.index);
          const now = new Date().toISOString();
          const { Items } = request.input as { Items: { customerId: string }[] };
          if (request.index === 3) {
            return { status: 'FAILED', error: 'Boom', cause: 'batch 3', startDate: now, stopDate: now };
          }
          return {
            status: 'SUCCEEDED',
            output: Items.map((i) => ({ outcome: 'issued', customerId: i.customerId })),
            startDate: now,
            stopDate: now,
          };
        },
      },
    );
    const error = (await run.then(
      () => undefined,
      (e: unknown) => e,
    )) as Error & { mapRun: { resultWriterDetails: { Key: string }; pending: number; children: unknown[] } };

    // Assess: launching stopped at the failure; the other 2 batches never started.
    expect(error.name).toBe('States.ExceedToleratedFailureThreshold');
    expect(started).toEqual([0, 1, 2, 3]);
    expect(error.mapRun).toMatchObject({ pending: 2 });
    expect(error.mapRun.children).toHaveLength(1); // with a ResultWriter only the failed child is kept
    const manifest = JSON.parse(await getText(error.mapRun.resultWriterDetails.Key)) as Manifest;
    expect(manifest.ResultFiles.SUCCEEDED.map((f) => f.Key.split('/').at(-1))).toEqual([
      'SUCCEEDED_0.json',
      'SUCCEEDED_1.json',
      'SUCCEEDED_2.json',
    ]);
    const lines = async (files: { Key: string }[]) =>
      (await Promise.all(files.map((f) => getText(f.Key))))
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    // FLATTEN: one line per element of a child's output array.
    expect((await lines(manifest.ResultFiles.SUCCEEDED)).map((o) => o.customerId)).toEqual([
      'cus_0',
      'cus_1',
      'cus_2',
      'cus_3',
      'cus_4',
      'cus_5',
    ]);
    // A failed child keeps its full entry; the unstarted batches are PENDING with their input.
    const [failed] = await lines(manifest.ResultFiles.FAILED);
    expect(failed).toMatchObject({ Status: 'FAILED', Error: 'Boom', Cause: 'batch 3' });
    expect(JSON.parse(failed?.Input as string)).toEqual({
      Items: [{ customerId: 'cus_6' }, { customerId: 'cus_7' }],
    });
    const pending = await lines(manifest.ResultFiles.PENDING);
    expect(pending.map((p) => JSON.parse(p.Input as string).Items.length)).toEqual([2, 2]);
    expect(pending.every((p) => p.Status === 'PENDING')).toBe(true);
  });
});
