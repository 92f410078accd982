import { costOfRun, PRICES } from '../../../scripts/cost-model.js';
import type { ExecutionMetrics } from '../../../workflows/local/executor.js';
import { BATCH_GET_KEYS, CallCounters, callCounter } from '../../../workflows/local/instrumentation.js';

const timing = (count: number, totalMs: number) => ({ count, totalMs, p50Ms: 0, p95Ms: 0, maxMs: 0 });

describe('cost model', () => {
  const metrics: ExecutionMetrics = {
    states: {
      RenderDocuments: timing(1000, 100_000),
      ComputeInvoice: timing(1000, 50_000),
      PlanRun: timing(1, 100),
    },
    transitions: 7,
    retries: {},
    childTransitions: 8000,
    childExecutions: 1000,
    awsCalls: {
      'dynamodb:TransactWriteItems': 1000,
      'dynamodb:GetItem': 2000,
      'sns:Publish': 1000,
      's3:PutObject': 2000,
    },
    integrationCalls: {},
    lambdaInvocations: { 'render-documents': 1000, 'compute-invoice': 1000, 'plan-run': 1 },
    durationMs: 0,
  };
  const cost = costOfRun(metrics, 1000);

  it('prices DynamoDB by capacity units: a two-item transaction writes 4 units, a read 1', () => {
    expect(cost.perThousandInvoices.dynamodb).toBeCloseTo(
      4000 * PRICES.dynamoWriteUnit + 2000 * PRICES.dynamoReadUnit,
      10,
    );
  });

  it('prices Lambda by requests and GB-seconds at each function’s deployed memory', () => {
    // render-documents runs at 1024 MB, the others at 512 MB.
    const gbSeconds = 100 * 1 + 50 * 0.5 + 0.1 * 0.5;
    expect(cost.perThousandInvoices.lambda).toBeCloseTo(
      2001 * PRICES.lambdaRequest + gbSeconds * PRICES.lambdaGbSecond,
      10,
    );
  });

  it('prices S3 PUTs, SNS publishes and one Standard transition per map child', () => {
    expect(cost.perThousandInvoices.s3).toBeCloseTo(2000 * PRICES.s3Put, 10);
    expect(cost.perThousandInvoices.sns).toBeCloseTo(1000 * PRICES.snsPublish, 10);
    expect(cost.perThousandInvoices.stepFunctionsStandard).toBeCloseTo(1007 * PRICES.standardTransition, 10);
  });

  it('reports per-invoice counts', () => {
    expect(cost.perInvoice).toEqual({
      transitions: 8.007,
      childTransitions: 8,
      awsCalls: 6,
      lambdaInvocations: 2.001,
    });
  });
});

describe('cost model with durations measured without queueing', () => {
  it('prices each Lambda state at its unqueued duration per invocation', () => {
    const metrics: ExecutionMetrics = {
      states: { RenderDocuments: timing(1000, 900_000) },
      transitions: 0,
      retries: {},
      childTransitions: 0,
      childExecutions: 0,
      awsCalls: {},
      integrationCalls: {},
      lambdaInvocations: { 'render-documents': 1000 },
      durationMs: 0,
    };
    const queued = costOfRun(metrics, 1000).perThousandInvoices.lambda!;
    const unqueued = costOfRun(metrics, 1000, { msPerInvocation: { RenderDocuments: 20 } })
      .perThousandInvoices.lambda!;
    // 1,000 renders of 20 ms at 1024 MB: 20 GB-s, instead of the 900 GB-s the busy machine measured.
    expect(unqueued).toBeCloseTo(1000 * PRICES.lambdaRequest + 20 * PRICES.lambdaGbSecond, 10);
    expect(queued).toBeGreaterThan(unqueued * 20);
  });
});

describe('BatchGetItem read units', () => {
  it('are counted per key asked for and priced at one read unit each', () => {
    const counters = new CallCounters();
    const counter = callCounter(counters);
    counter.before({
      service: 'dynamodb',
      operation: 'BatchGetItem',
      input: { RequestItems: { invoices: { Keys: [{}, {}, {}] }, customers: { Keys: [{}, {}] } } },
    });
    expect(counters.snapshot()).toEqual({ 'dynamodb:BatchGetItem': 1, [BATCH_GET_KEYS]: 5 });
    const metrics: ExecutionMetrics = {
      states: {},
      transitions: 0,
      retries: {},
      childTransitions: 0,
      childExecutions: 0,
      awsCalls: counters.snapshot(),
      integrationCalls: {},
      lambdaInvocations: {},
      durationMs: 0,
    };
    const cost = costOfRun(metrics, 1000);
    expect(cost.perThousandInvoices.dynamodb).toBeCloseTo(5 * PRICES.dynamoReadUnit, 12);
    expect(cost.perInvoice.awsCalls).toBe(0.001);
  });
});
