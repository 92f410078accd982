/**
 * `invoicer run`: one billing run, started with StartExecution on the local Step Functions
 * endpoint (the running local stack's, else one started for the command) and followed with
 * DescribeExecution / DescribeMapRun until it ends; then its summary.
 */
import { politeStop } from './polite-stop.js';
import { Command } from 'commander';
import {
  BATCH_SIZE_RANGE,
  DEFAULT_BATCH_SIZE,
  DEFAULT_BILLING_TIME_ZONE,
  MAX_CONCURRENCY_RANGE,
  TOLERATED_FAILURE_RANGE,
} from '../../lambdas/shared/config.js';
import type { RunSummary } from '../../lambdas/shared/contracts/payloads.js';
import { previousPeriod } from '../../lambdas/shared/domain/periods.js';
import { LOCAL_API_PORT } from '../../workflows/local/hosted-links.js';
import type { LocalExecutionSettings } from '../../workflows/local/stepfunctions/billing-state-machine.js';
import { dataDirOption, stackOption, targetOption, debugRequested, localSeller } from './common.js';
import { executionNameFor, executionSummary, followExecution, startExecution } from './executions.js';
import { formatRunSummary } from './format.js';
import { executionArnOf } from './operations.js';
import { faultsOption, integerOption, periodOption, usageError } from './options.js';
import { print } from './output.js';
import { portOption, serveUntilStopped, servingText } from './serve.js';
import { awsStackOf, localSessionOf, withTarget, type Target, type TargetSelection } from './target.js';

export interface ExecutedRun extends RunSummary {
  executionArn: string;
  executionStatus: string;
  wallMs: number;
  invoicesPerSecond: number;
  /** Local only: per-state timings, AWS calls, faults injected. */
  metrics: Record<string, unknown>;
}

/** Starts an execution, shows a progress bar unless `quiet`, waits for it and returns its summary. */
export async function executeRun(
  target: Target,
  request: {
    name: string;
    input: Record<string, unknown>;
    settings?: LocalExecutionSettings;
    quiet: boolean;
    /** It was started already (e.g. by startRerun): only follow it. */
    started?: boolean;
  },
): Promise<ExecutedRun> {
  const period = String(request.input.period ?? '');
  const started = performance.now();
  const executionArn = request.started
    ? executionArnOf(target, request.name)
    : await startExecution(target, request.name, request.input, request.settings);
  const described = await followExecution(
    target,
    executionArn,
    request.quiet ? undefined : `billing ${period}`,
  );
  const wallMs = performance.now() - started;
  if (described.status === 'ABORTED')
    throw new Error(
      `run ${request.name} was stopped (ABORTED) before it ended; continue it with: invoicer redrive ${request.name}`,
    );
  const summary = await executionSummary(target, described);
  return {
    ...summary,
    executionArn: described.executionArn ?? '',
    executionStatus: described.status ?? '',
    wallMs: Math.round(wallMs),
    invoicesPerSecond: summary.issued / (wallMs / 1000),
    metrics: await target.executionMetrics(request.name),
  };
}

/** The notice a run without customers ends with. */
export const withNoCustomersNotice = <T extends RunSummary>(run: T): T =>
  run.customers === 0
    ? {
        ...run,
        notices: [
          ...run.notices,
          'there are no customers to bill: load demo customers with --demo-customers N, or put records into the Customers, Plans and Usage tables (docs/deploy.md)',
        ],
      }
    : run;

/**
 * What only the local stack has: demo data, fault injection, worker threads, the local API.
 * Refused on AWS (a usage error); true when the run goes to AWS.
 */
function refuseLocalOnlyFlagsOnAws(opts: Record<string, unknown> & TargetSelection): boolean {
  if (awsStackOf(opts) === undefined) return false;
  const given: [string, boolean][] = [
    ['--demo-customers', Number(opts.demoCustomers) > 0],
    ['--inject-faults', opts.injectFaults !== undefined],
    ['--workers', opts.workers !== undefined],
    ['--serve', opts.serve !== undefined],
  ];
  const flag = given.find(([, present]) => present)?.[0];
  if (flag) throw usageError(`${flag} is for the local stack only (not --target aws)`);
  return true;
}

export function runCommand(): Command {
  return new Command('run')
    .description(
      'run the monthly billing run for a period (on the running local stack, else one started for it)',
    )
    .option('--period <YYYY-MM>', 'billing period (default: the previous calendar month)', periodOption)
    .option(
      '--demo-customers <n>',
      'seed this many demo customers when the data dir is empty',
      integerOption(0, 100000),
      0,
    )
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print the summary as one JSON object')
    .option(
      '--inject-faults <spec>',
      'fault injection: STEP:KIND:RATE,... or STEP:KIND:customer=ID (STEP compute|reserve|render|commit|notify, KIND transient|permanent|crash)',
      faultsOption,
    )
    .option('--fault-seed <n>', 'seed of the fault injection', integerOption(0, 2 ** 31 - 1), 1)
    .option(
      '--max-concurrency <n>',
      'customers processed at once',
      integerOption(...MAX_CONCURRENCY_RANGE),
      16,
    )
    .option(
      '--tolerated-failure-percentage <n>',
      'the run fails above this share of failed customers',
      integerOption(...TOLERATED_FAILURE_RANGE),
      100,
    )
    .option(
      '--workers <n>',
      'worker threads serving the per-customer functions (default: CPUs - 2; 0: all in one thread)',
      integerOption(0, 64),
    )
    .option(
      '--batch-size <n>',
      `customers per map child (capped by --max-concurrency; default ${DEFAULT_BATCH_SIZE})`,
      integerOption(...BATCH_SIZE_RANGE),
    )
    .option('--time-zone <tz>', 'billing time zone for the default period', DEFAULT_BILLING_TIME_ZONE)
    .option('--verbose', "print the handlers' structured logs to stderr")
    .option(
      '--serve [port]',
      `then serve the read API and hosted pages until Ctrl-C (default port ${LOCAL_API_PORT})`,
      portOption(),
    )
    .action(async (opts) => {
      const onAws = refuseLocalOnlyFlagsOnAws(opts);
      const period: string = opts.period ?? previousPeriod(new Date().toISOString(), opts.timeZone).id;
      // Loaded on use, and only for a local run: the worker pool and the demo data.
      const workerThreads: number = onAws
        ? 0
        : (opts.workers ??
          (await import('../../workflows/local/harness/lambda-pool.js')).defaultWorkerThreads());
      const seller = localSeller();
      const verbose = Boolean(opts.verbose) || debugRequested();
      await withTarget(opts, { ...(seller ? { seller } : {}), workerThreads }, async (target) => {
        const { session } = target;
        if (opts.demoCustomers > 0) {
          const { seedDemoData } = await import('../../workflows/local/demo/seed.js');
          await seedDemoData(session.clients.dynamodb, session.storage.tables, opts.demoCustomers, period);
        }
        // A signal stops this process's run politely (an embedded stack only: with `local up` the
        // run goes on in the stack, and on AWS in Step Functions, whatever happens to this command).
        const stopping = target.stopExecutions ? politeStop(target.stopExecutions) : undefined;
        const name = executionNameFor('run', period);
        let executed: ExecutedRun;
        try {
          executed = await executeRun(target, {
            name,
            input: {
              period,
              maxConcurrency: opts.maxConcurrency,
              toleratedFailurePercentage: opts.toleratedFailurePercentage,
              ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
            },
            settings: {
              workerThreads,
              ...(opts.injectFaults ? { faults: { rules: opts.injectFaults, seed: opts.faultSeed } } : {}),
              ...(verbose ? { logLevel: 'INFO' as const } : {}),
            },
            quiet: Boolean(opts.json),
          });
        } catch (error) {
          if (stopping?.signal === undefined) throw error;
          process.exitCode = stopping.exitCode;
          process.stderr.write(
            `invoicer: ${stopping.signal}: run ${name} stopped after its customers in flight; continue it with: invoicer redrive ${name}\n`,
          );
          return;
        } finally {
          stopping?.dispose();
        }
        // The e-mail subscriber's turn: what AWS runs as soon as the notifications are queued.
        await session.deliverEmails();
        const run = withNoCustomersNotice(executed);
        process.exitCode = run.failed === 0 && run.status !== 'FAILED' ? 0 : 1;
        if (opts.serve === undefined) return print(opts.json, run, () => formatRunSummary(run));
        // --serve: then the read API and hosted pages, on the same local stack, until Ctrl-C.
        const port = opts.serve === true ? LOCAL_API_PORT : (opts.serve as number);
        await serveUntilStopped(localSessionOf(target, '--serve'), { port, verbose, period }, (s) =>
          // --json: one document, the run's summary and where it is served.
          print(opts.json, { run, api: s }, () => `${formatRunSummary(run)}\n${servingText(s)}`),
        );
      });
    });
}
