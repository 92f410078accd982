/**
 * The read API over real HTTP on the local stack (the same Hono app Lambda serves): lists from the
 * DynamoDB index only (the S3 calls are counted), detail fetched lazily (summary, then lines), the
 * PDF and e-invoice as redirects to short-lived S3 URLs, and errors as JSON with stable codes.
 */
import fc from 'fast-check';
import type { AwsCall } from '../../lambdas/shared/aws/clients.js';
import { s3Keys } from '../../lambdas/shared/contracts/keys.js';
import { issuedIndexRow } from '../../workflows/local/demo/index-rows.js';
import { putAll } from '../../workflows/local/demo/seed.js';
import { runLocalBilling } from '../../workflows/local/harness/billing-run.js';
import { serveSessionApi, type ApiServer } from '../../workflows/local/api-server.js';
import { openBillingFixture, type BillingFixture } from '../support/billing-fixture.js';

const SEEDED_PERIOD = '2019-03';
const SEEDED = 1000;
let f: BillingFixture;
let api: ApiServer;
const calls: AwsCall[] = [];
const errors: unknown[] = [];

/** Index rows only (no documents): what a list must be able to show without S3. */
const seededRow = (i: number) =>
  issuedIndexRow({
    customerId: `cus_seed_${String(i).padStart(4, '0')}`,
    period: SEEDED_PERIOD,
    invoiceNumber: `INV-2019-${String(i + 1).padStart(6, '0')}`,
    totalMinor: 1000 + i,
    currency: 'EUR',
    issueDate: '2019-04-01',
    runId: 'seed',
  });

beforeAll(async () => {
  f = await openBillingFixture('read-api');
  await runLocalBilling(f.session, { period: '2026-09', demoCustomers: 6, retryIntervalMs: 1 });
  await runLocalBilling(f.session, { period: '2026-10', retryIntervalMs: 1 });
  const rows = Array.from({ length: SEEDED }, (_, i) => seededRow(i));
  await putAll(f.session.clients.dynamodb, f.session.storage.tables.invoices, rows);
  // Every AWS call the API makes is recorded.
  api = await serveSessionApi(f.session, {
    middlewares: [{ name: 'read-api-calls', before: (call) => void calls.push(call) }],
    reportError: (error) => errors.push(error),
  });
}, 180_000);

afterAll(async () => {
  await api?.close();
  await f?.cleanup();
});

/** A JSON body as the tests read it (the API's shapes are asserted field by field). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test access to response JSON
type Json = any;

async function get(path: string): Promise<{ status: number; body: Json; headers: Headers }> {
  calls.length = 0;
  const response = await fetch(`${api.url}${path}`, { redirect: 'manual' });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

const s3Calls = () => calls.filter((c) => c.service === 's3').map((c) => c.operation);

describe('read API', () => {
  it("pages through a period's 1,000 invoices from the index alone: no S3 read", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    let s3 = 0;
    do {
      const page: { status: number; body: Json } = await get(
        `/v1/invoices?period=${SEEDED_PERIOD}&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.invoices.map((i: { number: string }) => i.number));
      s3 += s3Calls().length;
      expect(calls.map((c) => c.operation)).toEqual(['Query']);
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor !== null);
    expect(new Set(seen).size).toBe(SEEDED);
    expect(pages).toBeGreaterThanOrEqual(10);
    expect(s3).toBe(0);
  });

  it("lists a customer's invoices newest first, with amounts and links, no storage keys", async () => {
    const { status, body } = await get('/v1/customers/cus_00001/invoices');
    expect(status).toBe(200);
    expect(body.invoices.map((i: { period: string }) => i.period)).toEqual(['2026-10', '2026-09']);
    const [newest] = body.invoices;
    expect(newest).toMatchObject({
      customerId: 'cus_00001',
      documentType: 'invoice',
      status: 'NOTIFIED',
      total: { amount: expect.stringMatching(/^\d+\.\d{2}$/), currency: expect.any(String) },
      links: { detail: `/v1/invoices/${newest.number}/detail` },
    });
    expect(JSON.stringify(body)).not.toMatch(/invoiceKey|pdfKey|jsonKey|periodCustomer/);
    expect(s3Calls()).toEqual([]);
  });

  it('opens an invoice lazily: its row, then the summary, then the lines, one S3 read each', async () => {
    const { body: list } = await get('/v1/customers/cus_00001/invoices?limit=1');
    const number = list.invoices[0].number;
    expect(list.nextCursor).not.toBeNull();
    const one = await get(`/v1/invoices/${number}`);
    expect(one.body).toEqual(list.invoices[0]);
    expect(s3Calls()).toEqual([]);
    const summary = await get(`/v1/invoices/${number}/detail`);
    expect(summary.body).toMatchObject({ invoiceNumber: number, lineCount: expect.any(Number) });
    expect(summary.body.lines).toBeUndefined();
    expect(summary.body.taxes.length).toBe(1);
    expect(s3Calls()).toEqual(['GetObject']);
    const lines = await get(`/v1/invoices/${number}/detail/lines`);
    expect(lines.body.lines).toHaveLength(summary.body.lineCount);
    expect(s3Calls()).toEqual(['GetObject']);
  });

  it('opens an invoice issued before summaries were stored from its full detail', async () => {
    const row = (await f.invoices('2026-09')).find((r) => r.customerId === 'cus_00002')!;
    await f.session.stores.documents.delete(
      s3Keys.invoiceSummary(row.period, row.customerId, row.invoiceNumber),
    );
    const summary = await get(`/v1/invoices/${row.invoiceNumber}/detail`);
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({ invoiceNumber: row.invoiceNumber, lineCount: expect.any(Number) });
    expect(summary.body.lines).toBeUndefined();
    expect(s3Calls()).toEqual(['GetObject', 'GetObject']);
  });

  it('redirects to the stored PDF, JSON detail and e-invoice through short-lived URLs', async () => {
    const { body: list } = await get('/v1/customers/cus_00001/invoices?limit=1');
    const row = (await f.invoices('2026-10')).find((r) => r.invoiceNumber === list.invoices[0].number)!;
    const pdf = await get(`/v1/invoices/${row.invoiceNumber}/pdf`);
    expect(pdf.status).toBe(302);
    const location = pdf.headers.get('location')!;
    expect(location).toMatch(/X-Amz-Expires=300/);
    const bytes = Buffer.from(await (await fetch(location)).arrayBuffer());
    expect(bytes.equals(await f.session.stores.documents.getBytes(row.pdfKey))).toBe(true);
    const json = await get(`/v1/invoices/${row.invoiceNumber}/json`);
    const stored = await f.session.stores.documents.getBytes(row.jsonKey);
    expect(Buffer.from(await (await fetch(json.headers.get('location')!)).arrayBuffer()).equals(stored)).toBe(
      true,
    );
    const xml = await get(`/v1/invoices/${row.invoiceNumber}/e-invoice`);
    expect(xml.status).toBe(302);
    expect(await (await fetch(xml.headers.get('location')!)).text()).toContain(row.invoiceNumber);
  });

  it('answers errors as JSON with stable codes, leaking nothing', async () => {
    expect(await get('/v1/invoices/INV-2026-999999')).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found', message: 'invoice INV-2026-999999 does not exist' } },
    });
    expect((await get('/v1/customers/cus_00001/invoices?cursor=not-a-cursor')).body.error.code).toBe(
      'bad_cursor',
    );
    // A cursor of one customer's list does not open another's.
    const { body: first } = await get('/v1/customers/cus_00001/invoices?limit=1');
    const other = await get(`/v1/customers/cus_00002/invoices?cursor=${first.nextCursor}`);
    expect(other).toMatchObject({ status: 400, body: { error: { code: 'bad_cursor' } } });
    expect((await get('/v1/customers/cus_00001/invoices?limit=0')).body.error.code).toBe('bad_request');
    expect((await get('/v1/invoices')).status).toBe(400);
    expect((await get('/v1/invoices?period=2026-13')).status).toBe(400);
    expect((await get('/v1/nothing')).body.error.code).toBe('not_found');
    expect(errors).toEqual([]);
  });

  it('refuses forged cursors with 400 bad_cursor before any DynamoDB call', async () => {
    const { body: first } = await get(`/v1/invoices?period=${SEEDED_PERIOD}&limit=2`);
    const [body, mac] = (first.nextCursor as string).split('.') as [string, string];
    const unsigned = (json: unknown) => Buffer.from(JSON.stringify(json)).toString('base64url');
    const forged = [
      // The old unsigned form: garbage key attributes, a key without its sort key.
      unsigned({ s: `period:${SEEDED_PERIOD}:*`, k: { period: SEEDED_PERIOD, customerId: { N: '1' } } }),
      unsigned({ s: `period:${SEEDED_PERIOD}:*`, k: { period: SEEDED_PERIOD } }),
      // A real signature over another body, and an edited body under the real signature.
      `${unsigned({ s: `period:${SEEDED_PERIOD}:*`, k: { period: SEEDED_PERIOD } })}.${mac}`,
      `${body.slice(0, -2)}AA.${mac}`,
      `${body}.${'A'.repeat(22)}`,
      `${body}.${mac}.x`,
      'x'.repeat(5000),
    ];
    for (const cursor of forged) {
      const answer = await get(`/v1/invoices?period=${SEEDED_PERIOD}&cursor=${encodeURIComponent(cursor)}`);
      expect(answer).toMatchObject({ status: 400, body: { error: { code: 'bad_cursor' } } });
      expect(calls.filter((c) => c.service === 'dynamodb')).toEqual([]);
    }
    // The real cursor still opens the next page.
    expect(
      (await get(`/v1/invoices?period=${SEEDED_PERIOD}&limit=2&cursor=${first.nextCursor}`)).status,
    ).toBe(200);
    expect(errors).toEqual([]);
  });

  it('answers generated hostile paths and queries with 2xx-4xx JSON, never a 500 or a stack', async () => {
    const segment = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        '__proto__',
        'constructor',
        '..',
        '%00',
        '%ff%fe',
        'INV-2026-000001',
        'cus_00001',
        '2026-10',
      ),
    );
    const route = fc.oneof(
      segment.map((s) => `/v1/invoices/${encodeURIComponent(s)}`),
      segment.map((s) => `/v1/invoices/${encodeURIComponent(s)}/detail`),
      segment.map((s) => `/v1/customers/${encodeURIComponent(s)}/invoices`),
      fc
        .tuple(segment, segment, segment)
        .map(
          ([p, st, c]) =>
            `/v1/invoices?period=${encodeURIComponent(p)}&status=${encodeURIComponent(st)}&cursor=${encodeURIComponent(c)}`,
        ),
      fc
        .tuple(segment, segment)
        .map(
          ([l, c]) =>
            `/v1/customers/cus_00001/invoices?limit=${encodeURIComponent(l)}&cursor=${encodeURIComponent(c)}`,
        ),
      segment.map((s) => `/i/${encodeURIComponent(s)}`),
      // Raw bytes that are no valid percent-encoding or UTF-8.
      fc.constantFrom(
        '/v1/invoices/%ff',
        '/v1/invoices?period=%E0%A4%A',
        '/i/%C0%AF',
        '/v1/customers/%00/invoices',
      ),
    );
    await fc.assert(
      fc.asyncProperty(route, async (path) => {
        const response = await fetch(`${api.url}${path}`, { redirect: 'manual' });
        const text = await response.text();
        expect(response.status).toBeLessThan(500);
        expect(text).not.toMatch(/\bat .+\(.*:\d+:\d+\)|node_modules|Exception/);
      }),
      { numRuns: 150 },
    );
    expect(errors).toEqual([]);
  });
});
