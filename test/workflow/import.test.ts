/**
 * `invoicer import` on the real local stack: customers, plans and usage from JSON Lines and CSV,
 * every bad row named by row and field while the rest is written, a re-import writing nothing, a
 * changed row written alone, and a run billing what was imported.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importRecords, type ImportKind } from '../../lambdas/shared/operations/import-records.js';
import { dynamoRecordWriter } from '../../lambdas/shared/store/record-writer.js';
import { demoCustomers, demoPlans, demoUsage } from '../../workflows/local/demo/demo-data.js';
import { runLocalBilling } from '../../workflows/local/harness/billing-run.js';
import { importRows } from '../../scripts/cli/import-rows.js';
import { openBillingFixture, type BillingFixture } from '../support/billing-fixture.js';

const PERIOD = '2026-10';
let f: BillingFixture;
let dir: string;

beforeAll(async () => {
  f = await openBillingFixture('import');
  dir = f.session.dataDir;
}, 120_000);

afterAll(async () => {
  await f?.cleanup();
});

const jsonl = (name: string, records: unknown[], extraLines: string[] = []): string => {
  const file = join(dir, name);
  writeFileSync(file, [...records.map((r) => JSON.stringify(r)), ...extraLines].join('\n') + '\n');
  return file;
};

const load = (kind: ImportKind, file: string, format: 'jsonl' | 'csv' = 'jsonl') =>
  importRecords(
    { writer: dynamoRecordWriter(f.session.clients.dynamodb), tables: f.session.storage.tables },
    kind,
    importRows(file, format),
  );

const customers = demoCustomers(30)
  .filter((c) => c.status === 'active')
  .slice(0, 30);
const plans = demoPlans();
const usage = demoUsage(customers, plans, PERIOD);

describe('import', () => {
  it('writes valid rows in batches and names every bad one by row and field', async () => {
    expect(await load('plans', jsonl('plans.jsonl', plans))).toMatchObject({
      rows: plans.length,
      written: plans.length,
      rejected: 0,
    });
    const bad = { ...customers[0]!, customerId: 'cus_bad', email: 'nope' };
    const summary = await load(
      'customers',
      jsonl('customers.jsonl', [...customers, bad, customers[1]], ['{"customerId": "cus_x",', '']),
    );
    expect(summary).toMatchObject({
      rows: customers.length + 3,
      written: customers.length,
      unchanged: 0,
      rejected: 3,
    });
    expect(summary.errors).toEqual([
      { row: customers.length + 1, message: 'customer cus_bad.email: not an email address' },
      { row: customers.length + 2, message: `has the same key as row 2 (${customers[1]!.customerId})` },
      { row: customers.length + 3, message: expect.stringMatching(/^not JSON/) },
    ]);
    const badUsage = { ...usage[0]!, recordId: 'u_bad', quantity: '-3' };
    const usageSummary = await load('usage', jsonl('usage.jsonl', [...usage, badUsage]));
    expect(usageSummary).toMatchObject({ written: usage.length, rejected: 1 });
    expect(usageSummary.errors[0]?.message).toMatch(/^usage u_bad\.quantity: /);
  });

  it('writes nothing on a re-import, and only the changed row after an edit', async () => {
    expect(await load('customers', jsonl('again.jsonl', customers))).toMatchObject({
      written: 0,
      unchanged: customers.length,
      rejected: 0,
    });
    const edited = customers.map((c, i) => (i === 4 ? { ...c, legalName: `${c.legalName} (renamed)` } : c));
    expect(await load('customers', jsonl('edited.jsonl', edited))).toMatchObject({
      written: 1,
      unchanged: customers.length - 1,
    });
    expect(await f.session.stores.records.getCustomer(customers[4]!.customerId)).toMatchObject({
      legalName: `${customers[4]!.legalName} (renamed)`,
    });
  });

  it('reads CSV with dotted columns, JSON cells and empty cells left out', async () => {
    const file = join(dir, 'customers.csv');
    writeFileSync(
      file,
      [
        'customerId,legalName,email,billingAddress.line1,billingAddress.city,billingAddress.country,currency,locale,planId,status,discounts,facturX',
        `cus_csv1,CSV One GmbH,one@csv.example,Weg 1,Köln,DE,EUR,de-DE,${plans.find((p) => p.currency === 'EUR')!.planId},active,"[{""kind"":""percentage"",""description"":""Loyal"",""percent"":""5""}]",`,
        'cus_csv2,CSV Two,two@csv.example,Weg 2,Köln,DE,EUR,de-DE,plan_x,active,,maybe',
      ].join('\n'),
    );
    const summary = await load('customers', file, 'csv');
    expect(summary).toMatchObject({ rows: 2, written: 1, rejected: 1 });
    expect(summary.errors).toEqual([
      { row: 3, message: 'column facturX: expected true or false, got "maybe"' },
    ]);
    expect(await f.session.stores.records.getCustomer('cus_csv1')).toMatchObject({
      billingAddress: { line1: 'Weg 1', city: 'Köln', country: 'DE' },
      discounts: [{ kind: 'percentage', description: 'Loyal', percent: '5' }],
    });
  });

  it('bills what was imported', async () => {
    const run = await runLocalBilling(f.session, { period: PERIOD, retryIntervalMs: 1 });
    expect(run.failed).toBe(0);
    expect(run.issued).toBe(customers.length + 1);
  });
});
