/**
 * The dry run (`invoicer preview`) on the local stack: it computes and renders what a run would
 * issue, with the run's own ComputeInvoice, and writes nothing: every AWS call it makes is a read.
 * Its totals are the ones the run then issues.
 */
import type { AwsCall } from '../../lambdas/shared/aws/clients.js';
import { createAwsClients } from '../../lambdas/shared/aws/clients.js';
import { DEFAULT_SELLER } from '../../lambdas/shared/config.js';
import { decimalAmount } from '../../lambdas/shared/domain/money.js';
import { createStores } from '../../lambdas/shared/store/index.js';
import { seedDemoData } from '../../workflows/local/demo/seed.js';
import { runLocalBilling } from '../../workflows/local/harness/billing-run.js';
import { previewWithStores } from '../../workflows/local/harness/preview.js';
import { openBillingFixture, type BillingFixture } from '../support/billing-fixture.js';

const PERIOD = '2026-10';
const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'GetObject']);
let f: BillingFixture;
const calls: AwsCall[] = [];

const preview = () => {
  const clients = createAwsClients(
    f.session.clientOptions([{ name: 'preview-calls', before: (call) => void calls.push(call) }]),
  );
  return previewWithStores(createStores(clients, f.session.storage), DEFAULT_SELLER, {
    period: PERIOD,
    issueDate: '2026-11-02',
  }).finally(() => clients.destroy());
};

beforeAll(async () => {
  f = await openBillingFixture('preview');
  await seedDemoData(f.session.clients.dynamodb, f.session.storage.tables, 6, PERIOD);
}, 120_000);

afterAll(async () => {
  await f?.cleanup();
});

describe('preview', () => {
  it('computes and renders every billed customer with reads only, and leaves no trace', async () => {
    const result = await preview();
    expect(result.customers.length).toBeGreaterThan(3);
    for (const c of result.customers) {
      expect(c).toMatchObject({ outcome: 'would-issue', total: { amount: expect.any(String) } });
      expect(c.pdfBytes).toBeGreaterThan(5_000);
    }
    expect(calls.filter((c) => !READS.has(c.operation))).toEqual([]);
    expect(await f.invoices()).toEqual([]);
    expect(await f.session.readInbox()).toEqual([]);

    // What it showed is what the run issues.
    const run = await runLocalBilling(f.session, { period: PERIOD, retryIntervalMs: 1 });
    const issued = await f.runList<{ customerId: string; totalMinor: number; currency: string }>(
      run.runId,
      'issued',
    );
    const shown = new Map(result.customers.map((c) => [c.customerId, c.total!]));
    for (const i of issued)
      expect(shown.get(i.customerId)).toEqual({
        amount: decimalAmount(i.totalMinor, i.currency),
        currency: i.currency,
      });
    expect(issued).toHaveLength(result.customers.length);
  });

  it('says already issued after the run', async () => {
    const result = await preview();
    expect(new Set(result.customers.map((c) => c.outcome))).toEqual(new Set(['already-issued']));
  });
});
