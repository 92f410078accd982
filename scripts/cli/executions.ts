/**
 * Starting and following billing executions through the Step Functions API: the same calls on
 * the local endpoint as on AWS (StartExecution, DescribeExecution, ListMapRuns, DescribeMapRun).
 */
import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ListMapRunsCommand,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
  type MapRunItemCounts,
} from '@aws-sdk/client-sfn';
import { setTimeout as delay } from 'node:timers/promises';
import type { RunSummary } from '../../lambdas/shared/contracts/payloads.js';
import { billingRunSummary } from '../../workflows/local/harness/run-summary.js';
import type { LocalExecutionSettings } from '../../workflows/local/stepfunctions/billing-state-machine.js';
import type { Target } from './target.js';
import { withFailureRetries } from '../../workflows/operator/retry-policy.js';

/** An execution name for a run of `period`: unique, and saying what it is. */
export const executionNameFor = (kind: 'run' | 'rerun', period: string): string =>
  `${kind}-${period}-${Date.now().toString(36)}`;

export async function startExecution(
  target: Target,
  name: string,
  input: Record<string, unknown>,
  settings: LocalExecutionSettings = {},
): Promise<string> {
  await target.setExecutionSettings(name, settings);
  const { executionArn } = await target.sfn.send(
    new StartExecutionCommand({
      stateMachineArn: target.stateMachineArn,
      name,
      input: JSON.stringify(input),
    }),
  );
  if (!executionArn) throw new Error(`StartExecution ${name} returned no executionArn`);
  return executionArn;
}

/** The item counts of the execution's latest map run, or undefined before it started. */
export async function mapRunCounts(
  target: Target,
  executionArn: string,
): Promise<MapRunItemCounts | undefined> {
  const { mapRuns } = await target.sfn.send(new ListMapRunsCommand({ executionArn }));
  const latest = mapRuns?.at(-1)?.mapRunArn;
  if (!latest) return undefined;
  return (await target.sfn.send(new DescribeMapRunCommand({ mapRunArn: latest }))).itemCounts;
}

/** Polls until the execution ends; `onProgress` gets the map run's item counts meanwhile. */
export async function waitForExecution(
  target: Target,
  executionArn: string,
  onProgress?: (counts: MapRunItemCounts) => void,
  pollMs = 250,
): Promise<DescribeExecutionCommandOutput> {
  for (;;) {
    let described: DescribeExecutionCommandOutput;
    try {
      described = await target.sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (onProgress) {
        const counts = await mapRunCounts(target, executionArn);
        if (counts) onProgress(counts);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNREFUSED') throw error;
      const name = executionArn.split(':').at(-1);
      throw new Error(
        `the local stack stopped while ${name} was running; start it again (invoicer local up) and continue the run with: invoicer redrive ${name}`,
        { cause: error },
      );
    }
    if (described.status !== 'RUNNING') return described;
    await delay(pollMs);
  }
}

/**
 * Waits for the execution to end, drawing a bar of the customers done (from its map run's item
 * counts) labelled `label`, or none when `label` is undefined (--json).
 */
export async function followExecution(
  target: Target,
  executionArn: string,
  label: string | undefined,
): Promise<DescribeExecutionCommandOutput> {
  // The progress bar's module loads only when a bar is drawn.
  const cliProgress = label === undefined ? undefined : (await import('cli-progress')).default;
  const bar =
    label === undefined || cliProgress === undefined
      ? undefined
      : new cliProgress.SingleBar(
          // Customer failures end inside their batch (a succeeded child): the summary counts them.
          { format: `${label} [{bar}] {value}/{total} customers | {eta_formatted} left`, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
  let started = false;
  try {
    return await waitForExecution(target, executionArn, (c) => {
      if (!bar) return;
      const done = (c.succeeded ?? 0) + (c.failed ?? 0) + (c.timedOut ?? 0) + (c.aborted ?? 0);
      if (!started) {
        started = true;
        bar.start(c.total ?? 0, done);
      }
      bar.update(done);
    });
  } finally {
    if (started) bar?.stop();
  }
}

/** What an ended execution summarized (its output, or the summary a failed run wrote). */
export async function executionSummary(
  target: Target,
  described: DescribeExecutionCommandOutput,
): Promise<RunSummary> {
  const summary = await billingRunSummary(target.session, {
    name: described.name ?? '',
    status: described.status ?? 'FAILED',
    ...(described.output ? { output: JSON.parse(described.output) as unknown } : {}),
    ...(described.error ? { error: described.error } : {}),
    ...(described.cause !== undefined ? { cause: described.cause } : {}),
  });
  return withFailureRetries(summary);
}
