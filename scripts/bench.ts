/**
 * `npm run bench [-- --customers N] [--concurrency N] [--batch-size N] [--naive-customers N]
 * [--json FILE]`: the speed and cost of a billing run on this machine, on one fresh local stack:
 *   1. PDF: median / p95 of a typical one-page invoice, of it in Arabic and in Thai, of a 300-line one, and of the typical one
 *      as HTML printed by headless Chromium (scripts/bench/chromium.ts), as a ratio;
 *   2. calibration: 30 customers one at a time, so each Lambda step's duration has no queueing in
 *      it (the p50 per state prices Lambda in the cost model);
 *   3. the naive design for comparison: one map child per customer (batch size 1);
 *   4. the floor: the calls no design can skip (PDF and e-invoice renders, 4 S3 PUTs, a two-item transaction,
 *      2 UpdateItem, 1 SNS publish) at the same concurrency, no workflow;
 *   5. the billing run itself at --customers, batched.
 * Prints one table; `--json FILE` also writes every figure as one JSON document.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Command } from 'commander';
import { BATCH_SIZE_RANGE, DEFAULT_BATCH_SIZE, MAX_CONCURRENCY_RANGE } from '../lambdas/shared/config.js';
import { table } from './cli/format.js';
import { integerOption } from './cli/options.js';
import { print } from './cli/output.js';
import { runLocalBilling, type LocalBillingResult } from '../workflows/local/harness/billing-run.js';
import { defaultWorkerThreads } from '../workflows/local/harness/lambda-pool.js';
import type { LocalSession } from '../workflows/local/harness/session.js';
import { withFreshSession } from './bench/fresh-session.js';
import { measureFloor } from './bench/floor.js';
import { longInvoice, scriptInvoice, typicalInvoice } from './bench/invoices.js';
import { timeChromium } from './bench/chromium.js';
import { timeRenders } from './bench/pdf.js';
import { costOfRun, PRICES, PRICES_AS_OF } from './cost-model.js';

const opts = new Command('bench')
  .option('--customers <n>', 'demo customers of the billing run', integerOption(1, 100000), 1000)
  .option('--concurrency <n>', 'customers in flight', integerOption(...MAX_CONCURRENCY_RANGE), 40)
  .option(
    '--batch-size <n>',
    'customers per map child',
    integerOption(...BATCH_SIZE_RANGE),
    DEFAULT_BATCH_SIZE,
  )
  .option(
    '--naive-customers <n>',
    'customers of the naive comparison run (default: up to 1000)',
    integerOption(1, 100000),
  )
  .option('--workers <n>', 'worker threads for the functions (default: CPUs - 2)', integerOption(0, 64))
  .option('--json <file>', 'also write the figures to FILE as JSON')
  .parse(process.argv)
  .opts<{
    customers: number;
    concurrency: number;
    batchSize: number;
    naiveCustomers?: number;
    workers?: number;
    json?: string;
  }>();

const CALIBRATION_CUSTOMERS = 30;

/** Peak RSS in MB of another process (Linux /proc), e.g. DynamoDB Local's JVM. */
function peakRssMbOf(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

const steps = (result: LocalBillingResult) =>
  Object.fromEntries(
    Object.entries(result.metrics.states).map(([name, t]) => [
      name,
      { count: t.count, p50Ms: t.p50Ms, p95Ms: t.p95Ms },
    ]),
  );

const workerThreads = opts.workers ?? defaultWorkerThreads();
/** What PlanRun makes of --batch-size: never more customers than may be in flight. */
const batchSize = Math.min(opts.batchSize, opts.concurrency);

async function billing(
  session: LocalSession,
  period: string,
  customers: number,
  concurrency: number,
  batchSize: number,
) {
  return runLocalBilling(session, {
    period,
    demoCustomers: customers,
    maxConcurrency: concurrency,
    batchSize,
    workerThreads,
  });
}

/** Each billing run gets a fresh stack: demo customers are seeded into an empty data dir only. */
const withSession = <T>(work: (session: LocalSession) => Promise<T>): Promise<T> =>
  withFreshSession('bench', work);

{
  const pdf = {
    typical: await timeRenders(typicalInvoice, 300),
    arabic: await timeRenders((i) => scriptInvoice('arabic', i), 100),
    thai: await timeRenders((i) => scriptInvoice('thai', i), 100),
    lines300: await timeRenders(() => longInvoice(300), 20),
    chromiumTypical: await timeChromium(typicalInvoice, 50),
  };
  const chromiumRatio =
    'medianMs' in pdf.chromiumTypical
      ? Number((pdf.chromiumTypical.medianMs / pdf.typical.medianMs).toFixed(1))
      : undefined;
  // The billing run first, so that the process's peak RSS is its own; the floor on the same stack.
  const { run, floor, dynamodbLocalPeakRssMb } = await withSession(async (session) => {
    const floor = await measureFloor(session, Math.min(opts.customers, 2000), opts.concurrency);
    const run = await billing(session, '2026-10', opts.customers, opts.concurrency, opts.batchSize);
    return { run, floor, dynamodbLocalPeakRssMb: peakRssMbOf(session.stack.dynamoDbPid) };
  });
  const calibration = await withSession((session) =>
    billing(session, '2026-10', CALIBRATION_CUSTOMERS, 1, 1),
  );
  // Per state, one customer per invocation (the calibration runs batches of 1).
  const unqueuedMs = Object.fromEntries(
    Object.entries(calibration.metrics.states).map(([name, t]) => [name, t.p50Ms]),
  );
  // A batch's ComputeBatch reads and decides for all its customers: priced as that many single ones.
  const msPerInvocation = { ...unqueuedMs, ComputeBatch: (unqueuedMs.ComputeBatch ?? 0) * batchSize };
  const naiveCustomers = opts.naiveCustomers ?? Math.min(opts.customers, 1000);
  const naive = await withSession((session) =>
    billing(session, '2026-10', naiveCustomers, opts.concurrency, 1),
  );

  const cost = costOfRun(run.metrics, run.issued, { msPerInvocation });
  const naiveCost = costOfRun(naive.metrics, naive.issued, { msPerInvocation: unqueuedMs });
  const usd = (breakdown: typeof cost) =>
    Object.fromEntries(
      Object.entries(breakdown.perThousandInvoices).map(([k, v]) => [k, Number(v.toFixed(5))]),
    );
  const report = {
    machine: { cpus: availableParallelism(), node: process.version },
    settings: {
      customers: opts.customers,
      concurrency: opts.concurrency,
      batchSize,
      workerThreads,
    },
    run: {
      issued: run.issued,
      failed: run.failed,
      wallSeconds: run.wallMs / 1000,
      invoicesPerSecond: Number(run.invoicesPerSecond.toFixed(1)),
      peakRssMb: { node: run.peakRssMb, dynamodbLocal: dynamodbLocalPeakRssMb },
      perInvoice: cost.perInvoice,
      awsCalls: run.metrics.awsCalls,
      lambdaInvocations: run.metrics.lambdaInvocations,
      childExecutions: run.metrics.childExecutions,
      steps: steps(run),
    },
    floor: {
      ...floor,
      runShareOfFloor: Number((run.invoicesPerSecond / floor.invoicesPerSecond).toFixed(2)),
    },
    pdf: { ...pdf, chromiumOverPdfkitMedian: chromiumRatio },
    cost: {
      pricesAsOf: PRICES_AS_OF,
      prices: PRICES,
      lambdaPricedAt: 'p50 per state of a calibration run of 30 customers at concurrency 1 (no queueing)',
      lambdaMsPerInvocation: msPerInvocation,
      batched: { perThousandInvoicesUsd: usd(cost), perInvoice: cost.perInvoice },
      naive: {
        customers: naiveCustomers,
        invoicesPerSecond: Number(naive.invoicesPerSecond.toFixed(1)),
        perThousandInvoicesUsd: usd(naiveCost),
        perInvoice: naiveCost.perInvoice,
        awsCalls: naive.metrics.awsCalls,
      },
    },
  };
  if (opts.json) writeFileSync(opts.json, `${JSON.stringify(report, null, 2)}\n`);
  const rows: string[][] = [
    ['machine', `${report.machine.cpus} CPUs, Node ${report.machine.node}`],
    [
      'billing run',
      `${opts.customers} customers, concurrency ${opts.concurrency}, batch ${batchSize}, ${workerThreads} worker threads`,
    ],
    ['  wall time', `${report.run.wallSeconds.toFixed(1)} s, ${report.run.invoicesPerSecond} invoices/s`],
    [
      '  peak RSS',
      `node ${report.run.peakRssMb.node} MB, DynamoDB Local ${report.run.peakRssMb.dynamodbLocal ?? '?'} MB`,
    ],
    [
      '  per invoice',
      `${cost.perInvoice.awsCalls.toFixed(2)} AWS calls, ${cost.perInvoice.lambdaInvocations.toFixed(2)} Lambda invocations, ${cost.perInvoice.transitions.toFixed(2)} transitions`,
    ],
    [
      'floor',
      `${floor.invoicesPerSecond} invoices/s (${floor.invoices} at concurrency ${floor.concurrency})`,
    ],
    ['  run / floor', `${(report.floor.runShareOfFloor * 100).toFixed(0)} %`],
    [
      'PDF typical',
      `median ${pdf.typical.medianMs} ms, p95 ${pdf.typical.p95Ms} ms (${pdf.typical.pdfBytes} bytes)`,
    ],
    ...(['arabic', 'thai'] as const).map((script): [string, string] => [
      `PDF ${script === 'arabic' ? 'Arabic' : 'Thai'}`,
      `median ${pdf[script].medianMs} ms, p95 ${pdf[script].p95Ms} ms: ${(pdf[script].medianMs / pdf.typical.medianMs).toFixed(1)}x the typical`,
    ]),
    ['PDF 300 lines', `median ${pdf.lines300.medianMs} ms, p95 ${pdf.lines300.p95Ms} ms`],
    [
      'Chromium typical',
      'medianMs' in pdf.chromiumTypical
        ? `median ${pdf.chromiumTypical.medianMs} ms, p95 ${pdf.chromiumTypical.p95Ms} ms: pdfkit is ${chromiumRatio}x faster`
        : `not measured: ${pdf.chromiumTypical.unavailable}`,
    ],
    ['cost / 1000 batched', `$${cost.perThousandInvoices.total.toFixed(4)}`],
    [
      'cost / 1000 naive',
      `$${naiveCost.perThousandInvoices.total.toFixed(4)} (${naiveCustomers} customers, ${report.cost.naive.invoicesPerSecond} invoices/s)`,
    ],
    ...Object.entries(run.metrics.states)
      .filter(([, t]) => t.count >= run.issued / 2)
      .map(([name, t]) => [`  step ${name}`, `${t.count} x, p50 ${t.p50Ms} ms, p95 ${t.p95Ms} ms`]),
  ];
  print(false, report, () => table(['figure', 'value'], rows));
}
