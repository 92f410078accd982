/**
 * A demo seed interrupted at any point is completed by the next command that seeds, never taken
 * as whole: the seed marker is written first and closed last, and each period's usage has a
 * marker of its own written after its last row. (A kill is simulated by writing what a killed
 * seed leaves: its marker, and part of its rows.)
 */
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { demoCustomers, demoPlans, demoUsage } from '../../workflows/local/demo/demo-data.js';
import { putAll, seedDemoData } from '../../workflows/local/demo/seed.js';
import { usageKey } from '../../lambdas/shared/contracts/keys.js';
import { openBillingFixture, type BillingFixture } from '../support/billing-fixture.js';

const COUNT = 40;
let f: BillingFixture;

beforeAll(async () => {
  f = await openBillingFixture('seed');
}, 120_000);

afterAll(async () => {
  await f?.cleanup();
});

const count = async (table: string) => {
  let n = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await f.session.clients.dynamodb.send(
      new ScanCommand({ TableName: table, ExclusiveStartKey: start }),
    );
    n += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return n;
};

describe('demo seed', () => {
  it('completes a seed killed after 19 customers, and a period whose usage was half written', async () => {
    const { dynamodb } = f.session.clients;
    const tables = f.session.storage.tables;
    // What a seed killed midway leaves: its marker (written first), the plans, 19 customers, and
    // part of the first period's usage without that period's marker.
    await dynamodb.send(
      new PutCommand({
        TableName: tables.runs,
        Item: { runId: 'DEMO#seed', count: COUNT, state: 'seeding' },
      }),
    );
    await putAll(dynamodb, tables.plans, demoPlans() as unknown as object[]);
    const customers = demoCustomers(COUNT);
    await putAll(dynamodb, tables.customers, customers.slice(0, 19));
    const usage = demoUsage(customers, demoPlans(), '2026-10').map((u) => ({
      ...u,
      usageKey: usageKey(u.period, u.metric, u.recordId),
    }));
    await putAll(dynamodb, tables.usage, usage.slice(0, 7));

    const seeded = await seedDemoData(dynamodb, tables, COUNT, '2026-10');
    expect(seeded).toEqual({ customers: COUNT, plans: demoPlans().length, usage: usage.length });
    expect(await count(tables.customers)).toBe(customers.length);
    expect(await count(tables.usage)).toBe(usage.length);

    // Whole now: the next command writes nothing.
    expect(await seedDemoData(dynamodb, tables, COUNT, '2026-10')).toEqual({
      customers: 0,
      plans: 0,
      usage: 0,
    });
  });
});
