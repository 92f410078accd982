/**
 * `npm run bench [-- --customers N] [--concurrency N]`: a full local billing run on a fresh data
 * dir; prints wall time, invoices per second, peak memory, per-step timings, AWS calls and
 * state transitions per invoice, and the AWS cost per 1,000 invoices they imply.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { MAX_CONCURRENCY_RANGE } from '../lambdas/shared/config.js';
import { integerOption } from './cli/options.js';
import { runLocalBilling } from '../workflows/local/harness/billing-run.js';
import { openLocalSession } from '../workflows/local/harness/session.js';
import { costOfRun } from './cost-model.js';

const opts = new Command('bench')
  .option('--customers <n>', 'demo customers', integerOption(1, 100000), 1000)
  .option('--concurrency <n>', 'map concurrency', integerOption(...MAX_CONCURRENCY_RANGE), 40)
  .option('--period <YYYY-MM>', 'period', '2026-10')
  .parse(process.argv)
  .opts();

const dataDir = mkdtempSync(join(tmpdir(), 'invoicer-bench-'));
const session = await openLocalSession({ dataDir });
try {
  const result = await runLocalBilling(session, {
    period: opts.period,
    demoCustomers: opts.customers,
    maxConcurrency: opts.concurrency,
  });
  const cost = costOfRun(result.metrics, result.issued);
  const steps = Object.fromEntries(
    Object.entries(result.metrics.states).map(([name, t]) => [
      name,
      { count: t.count, p50Ms: t.p50Ms, p95Ms: t.p95Ms },
    ]),
  );
  console.log(
    JSON.stringify(
      {
        customers: opts.customers,
        concurrency: opts.concurrency,
        issued: result.issued,
        failed: result.failed,
        wallSeconds: result.wallMs / 1000,
        invoicesPerSecond: Number(result.invoicesPerSecond.toFixed(1)),
        peakRssMb: result.peakRssMb,
        stackStartupMs: session.stack.startupMs.total,
        perInvoice: cost.perInvoice,
        awsCalls: result.metrics.awsCalls,
        costPerThousandInvoicesUsd: Object.fromEntries(
          Object.entries(cost.perThousandInvoices).map(([k, v]) => [k, Number(v.toFixed(5))]),
        ),
        steps,
      },
      null,
      2,
    ),
  );
} finally {
  await session.close();
  rmSync(dataDir, { recursive: true, force: true });
}
