/**
 * Keeps an execution's record up to date while it runs: its events and finished map children
 * appended to the store, its map runs' item and child-execution counts (saved at most once a
 * second while children finish), and its end.
 */
import type { ExecutionEvent, MapRunStart, RunStateMachineOptions } from '../executor.js';
import {
  emptyCounts,
  type Counts,
  type ExecutionStatus,
  type ExecutionStore,
  type StoredChild,
  type StoredExecution,
} from './execution-store.js';

const iso = (): string => new Date().toISOString();

const countKey = (status: string): keyof Counts =>
  status === 'SUCCEEDED'
    ? 'succeeded'
    : status === 'ABORTED'
      ? 'aborted'
      : status === 'TIMED_OUT'
        ? 'timedOut'
        : 'failed';

export class ExecutionRecorder {
  private lastSave = 0;

  constructor(
    private readonly store: ExecutionStore,
    private readonly execution: StoredExecution,
    private readonly redrive: RunStateMachineOptions['redrive'],
  ) {}

  readonly hooks: Pick<RunStateMachineOptions, 'onEvent' | 'onMapRunStart' | 'onMapChild'> = {
    onEvent: (event: ExecutionEvent) => this.store.appendEvent(this.execution.name, event),
    onMapRunStart: (start: MapRunStart) => {
      const { execution, redrive } = this;
      // A redriven map counts the children it reuses as succeeded from the start.
      const reused = [...(redrive?.stateName === start.stateName ? redrive.succeededChildren.values() : [])];
      const reusedItems = reused.reduce((n, c) => n + ((c as Partial<StoredChild>).items ?? 1), 0);
      // A redriven map run keeps its ARN: its record starts over.
      execution.mapRuns = execution.mapRuns.filter((m) => m.mapRunArn !== start.mapRunArn);
      execution.mapRuns.push({
        mapRunArn: start.mapRunArn,
        stateName: start.stateName,
        status: 'RUNNING',
        startDate: iso(),
        maxConcurrency: start.maxConcurrency,
        toleratedFailurePercentage: start.toleratedFailurePercentage ?? 0,
        toleratedFailureCount: start.toleratedFailureCount ?? 0,
        itemCounts: {
          ...emptyCounts(),
          total: start.itemsTotal,
          pending: start.itemsTotal - reusedItems,
          succeeded: reusedItems,
        },
        executionCounts: { ...emptyCounts(), total: reused.length, succeeded: reused.length },
      });
      this.store.save(execution);
    },
    onMapChild: (child) => {
      const batch = (child.input as { Items?: unknown[] } | undefined)?.Items;
      const items = Array.isArray(batch) ? batch.length : 1;
      this.store.appendChild(this.execution.name, {
        stateName: child.stateName,
        index: child.index,
        items,
        status: child.status,
        ...(child.output !== undefined ? { output: child.output } : {}),
        ...(child.error !== undefined ? { error: child.error } : {}),
        ...(child.cause !== undefined ? { cause: child.cause } : {}),
        startDate: child.startDate,
        stopDate: child.stopDate,
      });
      const run = this.execution.mapRuns.findLast((m) => m.stateName === child.stateName);
      if (!run) return;
      const key = countKey(child.status);
      run.itemCounts[key] += items;
      run.itemCounts.pending = Math.max(0, run.itemCounts.pending - items);
      run.executionCounts[key] += 1;
      run.executionCounts.total += 1;
      if (Date.now() - this.lastSave >= 1000) {
        this.lastSave = Date.now();
        this.store.save(this.execution);
      }
    },
  };

  /** The execution ended: its status, output or error, and its map runs' final state. */
  finish(status: ExecutionStatus, outcome: { output?: unknown; error?: string; cause?: string }): void {
    const { execution } = this;
    Object.assign(execution, {
      status,
      stopDate: iso(),
      ...(outcome.output !== undefined ? { output: JSON.stringify(outcome.output) } : {}),
      ...(outcome.error !== undefined && status !== 'ABORTED'
        ? { error: outcome.error, cause: outcome.cause ?? '' }
        : {}),
    });
    for (const run of execution.mapRuns) {
      if (run.status !== 'RUNNING') continue;
      const failed = run.itemCounts.failed + run.itemCounts.timedOut > 0;
      run.status =
        status === 'ABORTED' ? 'ABORTED' : failed && status !== 'SUCCEEDED' ? 'FAILED' : 'SUCCEEDED';
      run.stopDate = iso();
      run.itemCounts.resultsWritten = run.itemCounts.total - run.itemCounts.pending;
      run.executionCounts.resultsWritten = run.executionCounts.total;
    }
    this.store.save(execution);
  }
}
