/**
 * Executions of the local Step Functions API, kept under <dataDir>/stepfunctions/<name>/ so that
 * DescribeExecution, GetExecutionHistory and RedriveExecution work after the stack restarts:
 *   execution.json   the description (status, input, output, map runs with their counts)
 *   events.jsonl     the parent execution's events as they happened (all attempts)
 *   children.jsonl   every Distributed Map child as it finished (a redrive reuses the succeeded)
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildOutcome, ExecutionEvent } from '../executor.js';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface Counts {
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  aborted: number;
  total: number;
  resultsWritten: number;
}

export interface StoredMapRun {
  mapRunArn: string;
  stateName: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  startDate: string;
  stopDate?: string;
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  toleratedFailureCount: number;
  /** Items (customers) and child executions (batches of them). */
  itemCounts: Counts;
  executionCounts: Counts;
}

export interface StoredExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  /** The input as StartExecution got it (a JSON string). */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: string;
  stopDate?: string;
  redriveCount: number;
  redriveDate?: string;
  mapRuns: StoredMapRun[];
  /** The process running it (local): a RUNNING execution whose process is gone ended with it. */
  ownerPid: number;
}

export interface StoredChild extends ChildOutcome {
  stateName: string;
  index: number;
  /** Customers in the child (a batch). */
  items: number;
}

export const emptyCounts = (): Counts => ({
  pending: 0,
  running: 0,
  succeeded: 0,
  failed: 0,
  timedOut: 0,
  aborted: 0,
  total: 0,
  resultsWritten: 0,
});

const NAME = /^[A-Za-z0-9_-]{1,80}$/;

export class ExecutionStore {
  private readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'stepfunctions');
    mkdirSync(this.root, { recursive: true });
  }

  /** Execution names as AWS allows them (1-80 characters, no spaces or wildcards; stricter here). */
  static validName(name: string): boolean {
    return NAME.test(name);
  }

  private dir(name: string): string {
    return join(this.root, name);
  }

  has(name: string): boolean {
    return existsSync(join(this.dir(name), 'execution.json'));
  }

  get(name: string): StoredExecution | undefined {
    const file = join(this.dir(name), 'execution.json');
    if (!existsSync(file)) return undefined;
    return JSON.parse(readFileSync(file, 'utf8')) as StoredExecution;
  }

  save(execution: StoredExecution): void {
    mkdirSync(this.dir(execution.name), { recursive: true });
    writeFileSync(join(this.dir(execution.name), 'execution.json'), `${JSON.stringify(execution)}\n`);
  }

  list(): StoredExecution[] {
    return readdirSync(this.root)
      .map((name) => this.get(name))
      .filter((e): e is StoredExecution => e !== undefined);
  }

  appendEvent(name: string, event: ExecutionEvent): void {
    appendFileSync(join(this.dir(name), 'events.jsonl'), `${JSON.stringify(event)}\n`);
  }

  events(name: string): ExecutionEvent[] {
    return readLines<ExecutionEvent>(join(this.dir(name), 'events.jsonl'));
  }

  appendChild(name: string, child: StoredChild): void {
    appendFileSync(join(this.dir(name), 'children.jsonl'), `${JSON.stringify(child)}\n`);
  }

  /** The last outcome of each child of a map state, by item index. */
  children(name: string, stateName: string): Map<number, StoredChild> {
    const byIndex = new Map<number, StoredChild>();
    for (const child of readLines<StoredChild>(join(this.dir(name), 'children.jsonl')))
      if (child.stateName === stateName) byIndex.set(child.index, child);
    return byIndex;
  }
}

function readLines<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  const out: T[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      // A line cut short by a crash: the events before it still count.
    }
  }
  return out;
}
