/**
 * Runs as support staff operate them: `runs list|show|watch`, `rerun` (a new execution limited to
 * some customers, e.g. those a run failed) and `redrive` (RedriveExecution of a run that stopped).
 */
import { Command, InvalidArgumentError } from 'commander';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { s3Keys } from '../../lambdas/shared/contracts/keys.js';
import type { RunFailure } from '../../lambdas/shared/contracts/payloads.js';
import type { OperatorSession } from '../../workflows/operator/session-types.js';
import { dataDirOption, stackOption, targetOption } from './common.js';
import { executionSummary, followExecution } from './executions.js';
import { executionArnOf, redriveRun, startRerun } from './operations.js';
import { formatOperatorLog, formatRunSummary, formatRuns } from './format.js';
import { periodOption, usageError } from './options.js';
import { print } from './output.js';
import { executeRun, withNoCustomersNotice } from './run.js';
import { withSession, withTarget, type Target } from './target.js';
import { addLockCommands } from './run-locks.js';
import { withFailureRetries } from '../../workflows/operator/retry-policy.js';

/** Every customer a run failed (the summary lists the first 100; the JSON Lines parts all). */
export async function failedCustomersOf(session: OperatorSession, runId: string): Promise<string[]> {
  const summary = await session.getRunSummary(runId);
  if (summary.failed <= summary.failures.length) return summary.failures.map((f) => f.customerId);
  const prefix = s3Keys.runFailuresPrefix(runId);
  const ids: string[] = [];
  for (const key of await session.stores.documents.list(prefix))
    for await (const line of session.stores.documents.lines(key))
      ids.push((JSON.parse(line) as RunFailure).customerId);
  return ids;
}

const customerList = (value: string): string[] => {
  const ids = value.split(',').map((id) => id.trim());
  if (ids.some((id) => id === ''))
    throw new InvalidArgumentError('expected customer ids separated by commas');
  return ids;
};

/** Follows an execution with a progress bar (unless quiet) and prints its summary or progress. */
async function follow(target: Target, runId: string, json: boolean): Promise<void> {
  const executionArn = executionArnOf(target, runId);
  const described = await followExecution(target, executionArn, json ? undefined : runId);
  if (described.status === 'ABORTED') {
    process.exitCode = 1;
    const progress = await target.session.getRunProgress(runId);
    return print(
      json,
      { ...progress, executionStatus: described.status },
      () =>
        `run ${runId} was stopped (ABORTED) after issuing ${progress.issuedSoFar} of ${progress.customers}; continue it with: invoicer redrive ${runId}`,
    );
  }
  const summary = await executionSummary(target, described);
  process.exitCode = summary.failed === 0 && summary.status !== 'FAILED' ? 0 : 1;
  print(json, summary, () => formatRunSummary(summary));
}

export function runsCommands(): Command[] {
  const runs = new Command('runs').description(
    'inspect billing runs and their failures, and their period locks',
  );
  addLockCommands(runs);
  runs
    .command('list')
    .description('list runs (status, counts)')
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print JSON')
    .action(async (opts) => {
      const records = await withSession(opts, (s) => s.listRuns());
      print(opts.json, records, () => formatRuns(records));
    });
  runs
    .command('show')
    .description('show one run: counts, totals, failed customers with their errors')
    .argument('<runId>')
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print JSON')
    .action(async (runId: string, opts) => {
      await withSession(opts, async (s) => {
        const record = (await s.listRuns()).find((r) => r.runId === runId);
        if (record && record.summaryKey === undefined) {
          // A run still going (or one that died) has no summary yet: its progress instead.
          const p = await s.getRunProgress(runId);
          const text = `run ${p.runId} for ${p.period}: ${p.status} since ${p.startedAt}, issued ${p.issuedSoFar} of ${p.customers} customers so far`;
          const operatorLog = await s.operatorLog.entries({ kind: 'run', runId });
          return print(opts.json, { ...p, operatorLog }, () =>
            [text, ...(operatorLog.length ? [formatOperatorLog(operatorLog)] : [])].join('\n'),
          );
        }
        const summary = withFailureRetries(await s.getRunSummary(runId));
        const operatorLog = await s.operatorLog.entries({ kind: 'run', runId });
        print(opts.json, { ...summary, operatorLog }, () =>
          [formatRunSummary(summary), ...(operatorLog.length ? [formatOperatorLog(operatorLog)] : [])].join(
            '\n',
          ),
        );
      });
    });
  runs
    .command('watch')
    .description("follow a run to its end with a progress bar from its map run's counts, then its summary")
    .argument('<runId>')
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'no progress bar; print the summary as JSON at the end')
    .action(async (runId: string, opts) => {
      await withTarget(opts, {}, async (target) => {
        await target.sfn.send(new DescribeExecutionCommand({ executionArn: executionArnOf(target, runId) }));
        await follow(target, runId, Boolean(opts.json));
      });
    });

  const rerun = new Command('rerun')
    .description('run a period again for some customers only: those a run failed, or the ones named')
    .option('--period <YYYY-MM>', "billing period (default with --failed-of: that run's)", periodOption)
    .option('--failed-of <runId>', 'the customers this run failed')
    .option('--customers <ids>', 'these customers (comma-separated ids)', customerList)
    .option('--reason <text>', 'why (kept in the operator log of both runs)')
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print the summary as one JSON object')
    .action(async (opts) => {
      if (Boolean(opts.failedOf) === Boolean(opts.customers))
        throw usageError('give exactly one of --failed-of RUN and --customers IDS');
      await withTarget(opts, {}, async (target) => {
        const { session } = target;
        const source = opts.failedOf ? await session.getRunSummary(opts.failedOf as string) : undefined;
        const period: string | undefined = opts.period ?? source?.period;
        if (!period) throw usageError('--period is required with --customers');
        const customers: string[] =
          opts.customers ?? (await failedCustomersOf(session, opts.failedOf as string));
        if (customers.length === 0) {
          return print(
            opts.json,
            { rerun: false, reason: `run ${String(opts.failedOf)} has no failed customers` },
            () => `nothing to re-run: run ${String(opts.failedOf)} has no failed customers`,
          );
        }
        const name = await startRerun(target, {
          period,
          customers,
          ...(opts.failedOf ? { failedOf: opts.failedOf as string } : {}),
          ...(opts.reason ? { reason: opts.reason as string } : {}),
        });
        const run = withNoCustomersNotice(
          await executeRun(target, {
            name,
            input: { period, customers },
            quiet: Boolean(opts.json),
            started: true,
          }),
        );
        await session.deliverEmails();
        process.exitCode = run.failed === 0 && run.status !== 'FAILED' ? 0 : 1;
        print(opts.json, run, () => formatRunSummary(run));
      });
    });

  const redrive = new Command('redrive')
    .description(
      'continue a run that stopped (failed, aborted, or its local stack went down) where it stopped: RedriveExecution re-runs only the customers not done',
    )
    .argument('<runId>')
    .option('--reason <text>', "why (kept in the run's operator log)")
    .addOption(dataDirOption())
    .addOption(targetOption())
    .addOption(stackOption())
    .option('--json', 'print the summary as one JSON object')
    .action(async (runId: string, opts) => {
      await withTarget(opts, {}, async (target) => {
        await redriveRun(target, runId, opts.reason as string | undefined);
        await follow(target, runId, Boolean(opts.json));
        await target.session.deliverEmails();
      });
    });
  return [runs, rerun, redrive];
}
