/**
 * The per-customer functions served from worker threads (workflows/local/harness/lambda-pool.ts):
 * the same run as in-thread, with the same results, documents and counted AWS calls.
 */
import { DEFAULT_SELLER } from '../../lambdas/shared/config.js';
import { runLocalBilling } from '../../workflows/local/harness/billing-run.js';
import { LambdaPool } from '../../workflows/local/harness/lambda-pool.js';
import { CallCounters } from '../../workflows/local/instrumentation.js';
import { demoCustomers } from '../../workflows/local/demo/demo-data.js';
import { invariantViolations, openBillingFixture, type BillingFixture } from '../support/billing-fixture.js';

const DEMO = 20;
const active = demoCustomers(DEMO).filter((c) => c.status === 'active');
let f: BillingFixture;

beforeAll(async () => {
  f = await openBillingFixture('lambda-pool');
});

afterAll(async () => {
  await f?.cleanup();
});

describe('the Lambda worker pool', () => {
  it('issues every customer with the calls counted, as an in-thread run of another period does', async () => {
    const pooled = await runLocalBilling(f.session, {
      period: '2026-03',
      demoCustomers: DEMO,
      workerThreads: 2,
      batchSize: 4,
    });
    const inThread = await runLocalBilling(f.session, { period: '2026-04', batchSize: 4 });
    for (const result of [pooled, inThread]) {
      expect(result).toMatchObject({ issued: active.length, failed: 0 });
      expect(result.metrics.lambdaInvocations['render-documents']).toBe(active.length);
    }
    expect(await invariantViolations(f, '2026-03')).toEqual([]);
    // The handlers' calls made in the workers reach the run's counters.
    for (const call of [
      'dynamodb:TransactWriteItems',
      'dynamodb:Query',
      's3:PutObject',
      'dynamodb:BatchGetItem',
    ])
      expect([call, pooled.metrics.awsCalls[call]]).toEqual([call, inThread.metrics.awsCalls[call]]);
  });

  it('rethrows a handler error with its name, which Step Functions matches Retry and Catch on', async () => {
    const counters = new CallCounters();
    const pool = new LambdaPool(
      1,
      {
        clientOptions: f.session.clientOptions(),
        storage: f.session.storage,
        seller: DEFAULT_SELLER,
        linkSettings: f.session.linkSettings,
      },
      counters,
    );
    try {
      const compute = pool.handlerFor('compute-invoice');
      const context = { functionName: 'compute-invoice', awsRequestId: 'r1' } as never;
      await expect(
        compute({ customerId: 'cus_nobody', period: '2026-06', runId: 'r' } as never, context),
      ).rejects.toMatchObject({
        name: 'InvalidInputError',
        message: 'customer cus_nobody: no such customer record',
      });
      expect(counters.get('dynamodb:GetItem')).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  });
});
