/**
 * `invoicer import` on the real local stack: customers, plans and usage from JSON Lines and CSV,
 * every bad row named by row and field while the rest is written, a re-import writing nothing, a
 * changed row written alone, and a run billing what was imported; then the API's import routes
 * (the same operation) over HTTP.
 */
import { createReadStream, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { join } from 'node:path';
import { importRecords, type ImportKind } from '../../lambdas/shared/operations/import-records.js';
import { dynamoRecordWriter } from '../../lambdas/shared/store/record-writer.js';
import { demoCustomers, demoPlans, demoUsage } from '../../workflows/local/demo/demo-data.js';
import { runLocalBilling } from '../../workflows/local/harness/billing-run.js';
import { importRows } from '../../lambdas/shared/operations/import-rows.js';
import { MAX_IMPORT_BYTES } from '../../lambdas/api/import-routes.js';
import { serveSessionApi, type ApiServer } from '../../workflows/local/api-server.js';
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
    importRows(createReadStream(file), format),
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

describe('import routes of the API, over HTTP', () => {
  let api: ApiServer;
  const post = (path: string, body: string | Buffer, type?: string) =>
    fetch(`${api.url}${path}`, {
      method: 'POST',
      body,
      ...(type ? { headers: { 'content-type': type } } : {}),
    });

  beforeAll(async () => {
    api = await serveSessionApi(f.session, {
      importsBy: 'test:owner-system',
      reportError: (error) => {
        throw error;
      },
    });
  });

  afterAll(async () => {
    await api.close();
  });

  it('imports JSON Lines, names bad rows, and records the import as its caller', async () => {
    const edited = { ...customers[7]!, legalName: 'Renamed over the API' };
    const res = await post(
      '/v1/imports/customers?reason=nightly%20sync',
      [customers[6], edited, { ...customers[8], email: 'nope' }].map((c) => JSON.stringify(c)).join('\n'),
      'application/x-ndjson',
    );
    expect(res.status).toBe(200);
    const summary = (await res.json()) as {
      rows: number;
      written: number;
      unchanged: number;
      rejected: number;
      errors: { row: number; message: string }[];
    };
    expect(summary).toMatchObject({ kind: 'customers', rows: 3, written: 1, unchanged: 1, rejected: 1 });
    expect(summary.errors[0]).toMatchObject({ row: 3, message: expect.stringContaining('email') });
    expect(await f.session.stores.records.getCustomer(edited.customerId)).toMatchObject({
      legalName: 'Renamed over the API',
    });
    const log = await f.session.operatorLog.entries({ kind: 'records', table: 'customers' });
    expect(log.at(-1)).toMatchObject({
      by: 'test:owner-system',
      action: 'import',
      reason: 'nightly sync',
      details: { via: 'api', rows: 3, written: 1, unchanged: 1, rejected: 1 },
    });
  });

  it('imports CSV by its media type or ?format=csv', async () => {
    const plan = plans[0]!;
    const csv = [
      'planId,name,currency,baseFeeMinor,components',
      `${plan.planId},Renamed plan,${plan.currency},${plan.baseFeeMinor},"${JSON.stringify(plan.components).replace(/"/g, `""`)}"`,
    ].join('\n');
    const byType = await post('/v1/imports/plans', csv, 'text/csv');
    expect(byType.status).toBe(200);
    expect(await byType.json()).toMatchObject({ rows: 1, written: 1, rejected: 0, errors: [] });
    const byQuery = await post('/v1/imports/plans?format=csv', csv, 'application/octet-stream');
    expect(await byQuery.json()).toMatchObject({ rows: 1, unchanged: 1 });
  });

  it('answers what is wrong with a request with its status and a stable code', async () => {
    const cases: [Response, number, string][] = [
      [await post('/v1/imports/invoices', '{}', 'application/x-ndjson'), 404, 'not_found'],
      [await post('/v1/imports/usage', '{}', 'application/json'), 415, 'unsupported_media_type'],
      [await post('/v1/imports/usage?format=xml', '{}'), 400, 'bad_request'],
      [await post('/v1/imports/usage', '\n\n', 'application/x-ndjson'), 400, 'bad_request'],
      [
        await post('/v1/imports/usage', 'x'.repeat(MAX_IMPORT_BYTES + 1), 'application/x-ndjson'),
        413,
        'payload_too_large',
      ],
    ];
    for (const [res, status, code] of cases) {
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    }
  });

  it('one CSV with a __proto__ column does not poison the process: the next clean import succeeds', async () => {
    const poisoned = await post(
      '/v1/imports/customers',
      'customerId,__proto__.polluted\ncus_x,yes\n',
      'text/csv',
    );
    expect(poisoned.status).toBe(200);
    expect(await poisoned.json()).toMatchObject({ rows: 1, written: 0, rejected: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const clean = await post('/v1/imports/customers', JSON.stringify(customers[9]), 'application/x-ndjson');
    expect(clean.status).toBe(200);
    expect(await clean.json()).toMatchObject({ rejected: 0 });
  });

  it('refuses a JSON Lines row that is not UTF-8 by its number, writing nothing of it', async () => {
    // The customer's name with its ü in Latin-1 (0xfc) instead of UTF-8 (0xc3 0xbc).
    const utf8 = Buffer.from(`${JSON.stringify({ ...customers[10]!, legalName: 'Müller GmbH' })}\n`);
    const at = utf8.indexOf(Buffer.from('ü'));
    const latin1 = Buffer.concat([utf8.subarray(0, at), Buffer.from([0xfc]), utf8.subarray(at + 2)]);
    const answer = await post('/v1/imports/customers', latin1, 'application/x-ndjson');
    expect(await answer.json()).toMatchObject({
      rows: 1,
      written: 0,
      rejected: 1,
      errors: [{ row: 1, message: 'not valid UTF-8' }],
    });
    const stored = (await f.session.stores.records.getCustomer(customers[10]!.customerId)) as {
      legalName?: string;
    };
    expect(stored?.legalName ?? '').not.toContain('\uFFFD');
  });

  it('answers generated hostile bodies with 2xx-4xx, never a 500, and writes no refused row', async () => {
    const before = await f.session.stores.records.getCustomer(customers[11]!.customerId);
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
      fc.array(fc.json(), { maxLength: 4 }).map((rows) => rows.join('\n')),
      fc
        .array(fc.string({ maxLength: 30 }), { maxLength: 5 })
        .map((cells) => `customerId,__proto__.x,constructor\n${cells.join(',')}`),
    );
    const type = fc.constantFrom(
      'application/x-ndjson',
      'text/csv',
      'application/json',
      'text/csv; charset=latin1',
      '',
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('customers', 'plans', 'usage'), body, type, async (kind, b, t) => {
        const answer = await post(`/v1/imports/${kind}`, b, t || undefined);
        expect(answer.status).toBeLessThan(500);
        const text = await answer.text();
        expect(text).not.toMatch(/\bat .+:\d+:\d+|node_modules/);
      }),
      { numRuns: 120 },
    );
    // Nothing generated is a valid record of an existing customer: the stored one is unchanged.
    expect(await f.session.stores.records.getCustomer(customers[11]!.customerId)).toEqual(before);
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});
