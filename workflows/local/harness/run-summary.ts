/**
 * What an ended billing execution summarized, for whoever started it (the harness, the CLI over
 * the Step Functions API): a module of its own so that reading a summary loads no handlers.
 */
import type { RunSummary } from '../../../lambdas/shared/contracts/payloads.js';
import { causeMessage } from '../../../lambdas/shared/task-errors.js';
import type { OperatorSession } from '../../operator/session-types.js';

/** A run that ended before its summary existed (refused, or broken before FinalizeRun). */
export class RunFailedError extends Error {
  override readonly name = 'RunFailedError';
  constructor(
    readonly errorName: string,
    readonly errorCause: string,
  ) {
    // A Lambda's Cause is JSON with a stack trace: the message alone says what went wrong.
    super(`${errorName}: ${causeMessage(errorCause)}`);
  }
}

/**
 * What a finished execution summarized: its output, or (a run over the failure threshold) the
 * summary FinalizeRun wrote before the run failed; a run that ended without one is a RunFailedError.
 */
export async function billingRunSummary(
  session: Pick<OperatorSession, 'stores'>,
  result: { name: string; status: string; output?: unknown; error?: string; cause?: string },
): Promise<RunSummary> {
  if (result.status === 'SUCCEEDED') return result.output as RunSummary;
  const record = await session.stores.runs.getRecord(result.name);
  if (!record?.summaryKey) throw new RunFailedError(result.error ?? 'States.Runtime', result.cause ?? '');
  return JSON.parse(
    (await session.stores.documents.getBytes(record.summaryKey)).toString('utf8'),
  ) as RunSummary;
}
