/**
 * Lock-holder liveness for local runs. A local run holds a period's lock as
 * `local:<host>:<pid>:<execution name>`: alive while that process lives and, in this process, while
 * the harness has the execution registered as running. On AWS the holder is an execution ARN
 * checked with DescribeExecution (lambdas/plan-run/liveness.ts); that check never sees these ids.
 */
import type { LockHolderCheck, LockHolderLiveness } from '../../lambdas/shared/store/runs.js';

const LOCAL_HOLDER = /^local:([^:]+):(\d+):(.+)$/;

/** Whether a process of this machine runs (EPERM: it does, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The executions this process is running, and the liveness check that consults them. */
export class LocalExecutions {
  private readonly running = new Set<string>();

  constructor(private readonly host: string) {}

  /** The lock-holder id of this process's execution `name`. */
  holderFor(name: string): string {
    return `local:${this.host}:${process.pid}:${name}`;
  }

  mark(executionId: string, running: boolean): void {
    if (running) this.running.add(executionId);
    else this.running.delete(executionId);
  }

  /**
   * A local holder of this host: running while its process lives (a reused pid looks alive too),
   * or while this process runs it. Another host's, or not a local holder: cannot be checked here.
   */
  readonly holderState: LockHolderCheck = async (holder) => {
    const local = LOCAL_HOLDER.exec(holder);
    if (!local || local[1] !== this.host) return 'unverifiable';
    const pid = Number(local[2]);
    const alive = pid === process.pid ? this.running.has(holder) : processAlive(pid);
    return alive ? 'running' : 'stopped';
  };

  /** What cannot be checked counts as live: a run is never taken over on a guess. */
  readonly isActive: LockHolderLiveness = async (holder) => (await this.holderState(holder)) !== 'stopped';
}
