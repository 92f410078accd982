/**
 * The local Step Functions endpoint, driven with @aws-sdk/client-sfn over HTTP exactly as on AWS,
 * running the production billing ASL: the behaviour AWS documents for StartExecution (name
 * uniqueness), DescribeExecution, ListExecutions, GetExecutionHistory, StopExecution,
 * RedriveExecution (only what did not succeed runs again, the map run keeps its ARN),
 * ListMapRuns and DescribeMapRun, and the errors each one names.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  type DescribeExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import { setTimeout as delay } from 'node:timers/promises';
import type { RunSummary } from '../../lambdas/shared/contracts/payloads.js';
import { seedDemoData } from '../../workflows/local/demo/seed.js';
import { LOCAL_CREDENTIALS } from '../../workflows/local/local-credentials.js';
import { startLocalService, type LocalService } from '../../workflows/local/service/local-service.js';

const PERIOD = '2026-10';
const CUSTOMERS = 12;
let dataDir: string;
let service: LocalService;
let sfn: SFNClient;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'invoicer-sfn-'));
  service = await startLocalService({ dataDir });
  const { session } = service;
  await seedDemoData(session.clients.dynamodb, session.storage.tables, CUSTOMERS, PERIOD);
  sfn = new SFNClient({
    region: service.info.region,
    endpoint: service.info.endpoints.stepfunctions,
    credentials: { ...LOCAL_CREDENTIALS },
  });
}, 120_000);

afterAll(async () => {
  sfn?.destroy();
  await service?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const start = (name: string, input: Record<string, unknown>) =>
  sfn.send(
    new StartExecutionCommand({
      stateMachineArn: service.info.stateMachineArn,
      name,
      input: JSON.stringify(input),
    }),
  );

/** Polls DescribeExecution until the execution has ended (no timing is asserted). */
async function ended(executionArn: string): Promise<DescribeExecutionCommandOutput> {
  for (;;) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING') return d;
    await delay(50);
  }
}

const apiError = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: Error) => ({ name: error.name, message: error.message }),
  );

const invoicesByCustomer = async () => {
  const rows = await service.session.listInvoices({ period: PERIOD });
  const count = new Map<string, number>();
  for (const r of rows.filter((x) => x.documentType !== 'credit_note'))
    count.set(r.customerId, (count.get(r.customerId) ?? 0) + 1);
  return { rows, count };
};

describe('local Step Functions API', () => {
  it('stops an execution mid-map (ABORTED), and a redrive bills only the customers not done, each once', async () => {
    const input = { period: PERIOD, maxConcurrency: 1, batchSize: 1 };
    const executionArn = (await start('stop-and-redrive', input)).executionArn!;
    // Idempotent while running: same name and input, same execution.
    expect((await start('stop-and-redrive', input)).executionArn).toBe(executionArn);
    expect(await apiError(start('stop-and-redrive', { ...input, maxConcurrency: 2 }))).toEqual({
      name: 'ExecutionAlreadyExists',
      message: `Execution Already Exists: '${executionArn}'`,
    });

    // Stop once two customers are done, as support would from the console.
    let mapRunArn: string | undefined;
    for (;;) {
      mapRunArn = (await sfn.send(new ListMapRunsCommand({ executionArn }))).mapRuns?.[0]?.mapRunArn;
      const counts = mapRunArn
        ? (await sfn.send(new DescribeMapRunCommand({ mapRunArn }))).itemCounts
        : undefined;
      if ((counts?.succeeded ?? 0) >= 2) break;
      await delay(50);
    }
    await sfn.send(new StopExecutionCommand({ executionArn }));
    const stopped = await ended(executionArn);
    expect(stopped).toMatchObject({ status: 'ABORTED', redriveStatus: 'REDRIVABLE', redriveCount: 0 });
    const partly = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    expect(partly.status).toBe('ABORTED');
    const doneBefore = partly.itemCounts?.succeeded ?? 0;
    expect(doneBefore).toBeGreaterThanOrEqual(2);
    expect(doneBefore).toBeLessThan(CUSTOMERS);
    expect(await apiError(sfn.send(new StopExecutionCommand({ executionArn })))).toMatchObject({
      name: 'ExecutionNotRunning',
    });

    await sfn.send(new RedriveExecutionCommand({ executionArn }));
    const redriven = await ended(executionArn);
    expect(redriven).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1, redriveStatus: 'NOT_REDRIVABLE' });
    const summary = JSON.parse(redriven.output ?? '{}') as RunSummary;
    expect([summary.issued, summary.failed, summary.notProcessed]).toEqual([CUSTOMERS, 0, 0]);

    // The map run kept its ARN; the children that had succeeded did not run again.
    const { mapRuns } = await sfn.send(new ListMapRunsCommand({ executionArn }));
    expect(mapRuns?.map((m) => m.mapRunArn)).toEqual([mapRunArn]);
    const finished = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    expect(finished).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    expect(finished.itemCounts).toMatchObject({ total: CUSTOMERS, succeeded: CUSTOMERS, failed: 0 });
    const childRuns = readFileSync(
      join(dataDir, 'stepfunctions', 'stop-and-redrive', 'children.jsonl'),
      'utf8',
    )
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { index: number }).index);
    expect(new Set(childRuns).size).toBe(childRuns.length);
    expect(childRuns).toHaveLength(CUSTOMERS);

    // Every customer billed exactly once, every invoice notified.
    const { rows, count } = await invoicesByCustomer();
    expect(count.size).toBe(CUSTOMERS);
    expect([...count.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['NOTIFIED']));

    // The owner's systems heard each invoice issued and sent once, across the stop and redrive.
    const round = await service.session.events!.deliverEvents!();
    expect(round.stream.failedRecords).toBe(0);
    const heard = await service.session.events!.archive.read({
      from: new Date(Date.now() - 3_600_000),
      to: new Date(Date.now() + 60_000),
    });
    for (const row of rows)
      expect(heard.filter((e) => e.subject.id === row.invoiceNumber).map((e) => e.type)).toEqual([
        'invoice.issued',
        'invoice.sent',
      ]);

    // The history says what happened, in AWS's event types.
    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    const types = events?.map((e) => e.type) ?? [];
    expect(types[0]).toBe('ExecutionStarted');
    expect(types.filter((t) => t === 'ExecutionStarted')).toHaveLength(1);
    expect(types).toEqual(
      expect.arrayContaining([
        'TaskStateEntered',
        'MapStateEntered',
        'MapRunStarted',
        'ExecutionAborted',
        'ExecutionRedriven',
      ]),
    );
    expect(types.indexOf('ExecutionAborted')).toBeLessThan(types.indexOf('ExecutionRedriven'));
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    expect(events?.map((e) => e.id)).toEqual(events?.map((_e, i) => i + 1));
    expect(events?.find((e) => e.type === 'TaskStateEntered')?.stateEnteredEventDetails?.name).toBe(
      'PlanRun',
    );
  });

  it('names what is wrong: unknown state machine or execution, a second start of a finished name, a redrive of a success', async () => {
    const arn = service.info.stateMachineArn;
    const missing = `${arn.replace(':stateMachine:', ':execution:')}:no-such-run`;
    expect(
      await apiError(sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}-x`, name: 'a' }))),
    ).toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
    expect(await apiError(sfn.send(new DescribeExecutionCommand({ executionArn: missing })))).toEqual({
      name: 'ExecutionDoesNotExist',
      message: `Execution Does Not Exist: '${missing}'`,
    });
    expect(
      await apiError(sfn.send(new DescribeExecutionCommand({ executionArn: 'arn:nonsense' }))),
    ).toMatchObject({
      name: 'InvalidArn',
    });
    expect(await apiError(start('bad name!', {}))).toMatchObject({ name: 'InvalidName' });
    const finished = `${arn.replace(':stateMachine:', ':execution:')}:stop-and-redrive`;
    expect(await apiError(start('stop-and-redrive', { period: PERIOD }))).toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
    expect(await apiError(sfn.send(new RedriveExecutionCommand({ executionArn: finished })))).toMatchObject({
      name: 'ExecutionNotRedrivable',
    });
  });

  it('re-runs only the customers named in the input, and lists executions newest first with a status filter', async () => {
    const executionArn = (await start('rerun-two', { period: PERIOD, customers: ['cus_00002', 'cus_00005'] }))
      .executionArn!;
    const d = await ended(executionArn);
    const summary = JSON.parse(d.output ?? '{}') as RunSummary;
    expect([summary.customers, summary.issued, summary.skipped]).toEqual([2, 0, 2]);

    const refused = await ended(
      (await start('rerun-typo', { period: PERIOD, customers: ['cus_nope'] })).executionArn!,
    );
    expect(refused).toMatchObject({ status: 'FAILED', error: 'InvalidRunRequestError' });
    expect(refused.cause).toContain('no customer record for cus_nope');

    const listed = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: service.info.stateMachineArn }),
    );
    expect(listed.executions?.map((e) => e.name)).toEqual(['rerun-typo', 'rerun-two', 'stop-and-redrive']);
    const failed = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: service.info.stateMachineArn, statusFilter: 'FAILED' }),
    );
    expect(failed.executions?.map((e) => e.name)).toEqual(['rerun-typo']);
    const paged = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: service.info.stateMachineArn, maxResults: 2 }),
    );
    expect(paged.executions).toHaveLength(2);
    const rest = await sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: service.info.stateMachineArn,
        maxResults: 2,
        nextToken: paged.nextToken,
      }),
    );
    expect(rest.executions?.map((e) => e.name)).toEqual(['stop-and-redrive']);
  });
});
