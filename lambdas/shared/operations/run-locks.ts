/**
 * Stuck run locks, for support (`invoicer runs locks|unlock`, the console's runs page). A period's
 * lock is taken over by the next run only when its holder is known to be stopped; a holder that
 * cannot be checked from here (a local run of a host that is gone, a container with a new
 * hostname, a pid reused by another program) would block its period for ever. Support sees every
 * lock with its holder, age and what can be known of it, and releases one with a reason:
 *   - stopped: released;
 *   - running on AWS (DescribeExecution says RUNNING): refused — stop the execution first;
 *   - running locally (its pid is alive) or unverifiable: released only when the operator says
 *     they know the holder is gone (`force`), as a reused pid or another host cannot be told apart
 *     from a live run from here.
 */
import type { HolderState, LockHolderCheck, RunLock, RunStore } from '../store/runs.js';

export class RunLockError extends Error {
  override readonly name = 'RunLockError';
}

export interface HeldLock extends RunLock {
  holder: HolderState;
  /** Whole hours since the lock was taken. */
  ageHours: number;
}

export interface RunLockDeps {
  runs: Pick<RunStore, 'listLocks' | 'releaseLock'>;
  holderState: LockHolderCheck;
  now: () => Date;
}

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

export async function heldLocks(deps: RunLockDeps): Promise<HeldLock[]> {
  const now = deps.now().getTime();
  return Promise.all(
    (await deps.runs.listLocks()).map(async (lock) => {
      const acquired = Date.parse(lock.acquiredAt);
      return {
        ...lock,
        holder: await deps.holderState(lock.holderExecution),
        ageHours: Number.isNaN(acquired) ? 0 : Math.max(0, Math.floor((now - acquired) / 3_600_000)),
      };
    }),
  );
}

/** Why a lock may not be released now (undefined: it may). */
export function releaseRefusal(lock: HeldLock, force: boolean): string | undefined {
  const aws = lock.holderExecution.startsWith('arn:');
  if (lock.holder === 'stopped') return undefined;
  if (lock.holder === 'running' && aws)
    return `run ${lock.holderRunId} is RUNNING (DescribeExecution); stop it first (aws stepfunctions stop-execution --execution-arn ${lock.holderExecution}), then release its lock`;
  if (force) return undefined;
  return lock.holder === 'running'
    ? `the process holding it (${lock.holderExecution}) is alive on this host; if that pid now belongs to another program, release with --force`
    : `its holder ${lock.holderExecution} cannot be checked from here (another host, or not a run of this stack); if you know it is gone, release with --force`;
}

export async function releaseRunLock(
  deps: RunLockDeps,
  request: { period: string; force: boolean },
): Promise<HeldLock> {
  if (!PERIOD.test(request.period)) throw new RunLockError(`"${request.period}" is not a period (YYYY-MM)`);
  const lock = (await heldLocks(deps)).find((l) => l.period === request.period);
  if (lock === undefined)
    throw new RunLockError(`period ${request.period} has no run lock: nothing to release`);
  const refusal = releaseRefusal(lock, request.force);
  if (refusal !== undefined) throw new RunLockError(`the lock of ${request.period} is kept: ${refusal}`);
  if (!(await deps.runs.releaseLock(lock.period, lock.holderRunId)))
    throw new RunLockError(
      `the lock of ${request.period} changed hands meanwhile: look again (invoicer runs locks)`,
    );
  return lock;
}
