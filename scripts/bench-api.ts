/**
 * `node scripts/bin/run-ts.mjs scripts/bench-api.ts [--invoices N] [--requests N] [--json]`: the
 * read API's latency over real HTTP on a fresh local stack holding N invoices (default 10,000:
 * index rows written directly, as a run would leave them, and a summary document for each
 * invoice the detail requests open). Prints p50 / p95 in ms of: a customer's list page, a
 * period's list page (25 of N), an invoice's detail (its summary from S3), and the hosted invoice
 * page a customer opens from their link (link lookup, index row, the JSON detail from S3, HTML),
 * one JSON object with --json. Requests are made one at a time, so the figures are latency, not throughput.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { s3Keys } from '../lambdas/shared/contracts/keys.js';
import { serializeInvoiceDetail, serializeInvoiceSummary } from '../lambdas/shared/documents/schema.js';
import { percentile } from '../workflows/local/instrumentation.js';
import { serveSessionApi } from '../workflows/local/api-server.js';
import { issuedIndexRow } from '../workflows/local/demo/index-rows.js';
import { putAll } from '../workflows/local/demo/seed.js';
import { openLocalSession } from '../workflows/local/harness/session.js';
import { typicalInvoice } from './bench/invoices.js';
import { integerOption } from './cli/options.js';
import { print } from './cli/output.js';

const opts = new Command('bench-api')
  .option('--invoices <n>', 'invoices in the index', integerOption(100, 1_000_000), 10_000)
  .option('--requests <n>', 'requests per kind', integerOption(10, 100_000), 300)
  .option('--json', 'print one JSON object')
  .parse(process.argv)
  .opts<{ invoices: number; requests: number; json?: boolean }>();

/** Customers hold 12 monthly invoices each, so a customer's list has a year to page through. */
const PERIODS = Array.from({ length: 12 }, (_, m) => `2025-${String(m + 1).padStart(2, '0')}`);

const dataDir = mkdtempSync(join(tmpdir(), 'invoicer-bench-api-'));
const session = await openLocalSession({ dataDir });
try {
  const table = session.storage.tables.invoices;
  const numberOf = (i: number) => `INV-2025-${String(i + 1).padStart(6, '0')}`;
  const customerOf = (i: number) => `cus_${String(Math.floor(i / PERIODS.length)).padStart(6, '0')}`;
  const periodOf = (i: number) => PERIODS[i % PERIODS.length]!;
  const rows = Array.from({ length: opts.invoices }, (_, i) =>
    issuedIndexRow({
      customerId: customerOf(i),
      period: periodOf(i),
      invoiceNumber: numberOf(i),
      totalMinor: 10_000 + i,
      currency: 'EUR',
      issueDate: '2026-01-05',
      runId: 'bench-api',
    }),
  );
  await putAll(session.clients.dynamodb, table, rows);
  // The invoices the detail requests open get their summary and full JSON, and a hosted link.
  const opened = Array.from({ length: opts.requests }, (_, r) => (r * 7919) % opts.invoices);
  const hostedPaths = new Map<number, string>();
  for (const i of new Set(opened)) {
    const detail = { ...typicalInvoice(i), invoiceNumber: numberOf(i), customerId: customerOf(i) };
    await session.stores.documents.put(
      s3Keys.invoiceSummary(periodOf(i), customerOf(i), numberOf(i)),
      serializeInvoiceSummary(detail),
      'application/json',
    );
    await session.stores.documents.put(rows[i]!.jsonKey, serializeInvoiceDetail(detail), 'application/json');
    hostedPaths.set(i, new URL(await session.hostedLink(numberOf(i))).pathname);
  }

  const api = await serveSessionApi(session, {
    reportError: (error) => {
      throw error;
    },
  });
  const timeRequests = async (pathOf: (r: number) => string) => {
    const times: number[] = [];
    for (let r = 0; r < opts.requests; r++) {
      const start = performance.now();
      const response = await fetch(`${api.url}${pathOf(r)}`);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${pathOf(r)} answered ${response.status}`);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    return {
      p50Ms: Number(percentile(times, 50).toFixed(2)),
      p95Ms: Number(percentile(times, 95).toFixed(2)),
    };
  };
  const customers = Math.ceil(opts.invoices / PERIODS.length);
  const figures = {
    invoices: opts.invoices,
    requests: opts.requests,
    customerListPage: await timeRequests(
      (r) => `/v1/customers/${customerOf(((r * 31) % customers) * PERIODS.length)}/invoices`,
    ),
    periodListPage: await timeRequests((r) => `/v1/invoices?period=${PERIODS[r % PERIODS.length]}&limit=25`),
    invoiceDetail: await timeRequests((r) => `/v1/invoices/${numberOf(opened[r]!)}/detail`),
    hostedPage: await timeRequests((r) => hostedPaths.get(opened[r]!)!),
  };
  await api.close();
  print(Boolean(opts.json), figures, () =>
    [
      `read API over HTTP, ${figures.invoices} invoices, ${figures.requests} requests each, one at a time`,
      `  customer list page   p50 ${figures.customerListPage.p50Ms} ms, p95 ${figures.customerListPage.p95Ms} ms`,
      `  period list page     p50 ${figures.periodListPage.p50Ms} ms, p95 ${figures.periodListPage.p95Ms} ms`,
      `  invoice detail       p50 ${figures.invoiceDetail.p50Ms} ms, p95 ${figures.invoiceDetail.p95Ms} ms`,
      `  hosted invoice page  p50 ${figures.hostedPage.p50Ms} ms, p95 ${figures.hostedPage.p95Ms} ms`,
    ].join('\n'),
  );
} finally {
  await session.close();
  rmSync(dataDir, { recursive: true, force: true });
}
