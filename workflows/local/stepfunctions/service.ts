/**
 * The local Step Functions API's operations over one state machine (the billing run), with the
 * behaviour AWS documents for a STANDARD state machine:
 * - StartExecution: a name is unique per state machine; the same name and input while it runs
 *   returns the running execution (idempotent), anything else is ExecutionAlreadyExists;
 * - StopExecution: ABORTED, no further map children start (the running ones finish);
 * - RedriveExecution: only FAILED / ABORTED / TIMED_OUT executions; it continues at the state that
 *   did not finish, with the input that state had, and a Distributed Map there re-runs only the
 *   children that did not succeed; redriveCount counts up, the ARN stays;
 * - DescribeMapRun / ListMapRuns: counts of items (customers) and child executions, live.
 * Executions run in this process (`runner`); their records live in the data dir (execution-store.ts).
 */
import { readFileSync } from 'node:fs';
import { processAlive } from '../liveness.js';
import type { ChildOutcome, ExecutionEvent, RunStateMachineOptions } from '../executor.js';
import { ExecutionStore, type ExecutionStatus, type StoredExecution } from './execution-store.js';
import { ExecutionRecorder } from './execution-recorder.js';
import { historyOf, REDRIVEN_EVENT, unsuccessfulState, type HistoryEvent } from './history.js';
import {
  executionListItem,
  executionView,
  isRedrivable,
  mapRunListItem,
  mapRunView,
  page,
  SfnApiError,
} from './views.js';

export { SfnApiError } from './views.js';

export type RunnerHooks = Pick<
  RunStateMachineOptions,
  'abortSignal' | 'onEvent' | 'onMapChild' | 'onMapRunStart' | 'onMapItem' | 'redrive'
>;

/** Runs one execution of the state machine to its end (the local harness's billing run). */
export type ExecutionRunner = (request: {
  name: string;
  input: Record<string, unknown>;
  hooks: RunnerHooks;
}) => Promise<{ status: string; output?: unknown; error?: string; cause?: string }>;

export interface LocalStepFunctionsOptions {
  dataDir: string;
  region: string;
  account: string;
  stateMachineName: string;
  /** The ASL file: state types for the history. */
  aslPath: string;
  runner: ExecutionRunner;
}

const iso = (date: Date = new Date()): string => date.toISOString();

export class LocalStepFunctions {
  readonly stateMachineArn: string;
  private readonly store: ExecutionStore;
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private readonly live = new Map<string, StoredExecution>();
  private readonly stateTypes: Record<string, string>;

  constructor(private readonly options: LocalStepFunctionsOptions) {
    this.stateMachineArn = `arn:aws:states:${options.region}:${options.account}:stateMachine:${options.stateMachineName}`;
    this.store = new ExecutionStore(options.dataDir);
    const definition = JSON.parse(readFileSync(options.aslPath, 'utf8')) as {
      States: Record<string, { Type: string }>;
    };
    this.stateTypes = Object.fromEntries(Object.entries(definition.States).map(([n, s]) => [n, s.Type]));
    // An execution the previous service left RUNNING ended with it: FAILED, and redrivable.
    for (const execution of this.store.list()) {
      if (execution.status !== 'RUNNING' || processAlive(execution.ownerPid)) continue;
      this.store.save({
        ...execution,
        status: 'FAILED',
        error: 'States.Runtime',
        cause: 'the local stack stopped while the execution was running (redrive it to continue)',
        stopDate: iso(),
        mapRuns: execution.mapRuns.map((m) => (m.status === 'RUNNING' ? { ...m, status: 'ABORTED' } : m)),
      });
    }
  }

  executionArn(name: string): string {
    const { region, account, stateMachineName } = this.options;
    return `arn:aws:states:${region}:${account}:execution:${stateMachineName}:${name}`;
  }

  /** Resolves once every execution this service started has ended (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** Shutdown: every running execution is stopped (ABORTED, so it can be redriven later). */
  async stopAll(): Promise<void> {
    for (const { controller } of this.running.values()) controller.abort();
    await this.settled();
  }

  private nameOf(executionArn: unknown): string {
    const prefix = this.executionArn('');
    if (typeof executionArn !== 'string' || !executionArn.startsWith(prefix))
      throw new SfnApiError('InvalidArn', `Invalid Arn: '${String(executionArn)}'`);
    return executionArn.slice(prefix.length);
  }

  private describeStored(name: string): StoredExecution {
    const execution = this.live.get(name) ?? this.store.get(name);
    if (!execution)
      throw new SfnApiError(
        'ExecutionDoesNotExist',
        `Execution Does Not Exist: '${this.executionArn(name)}'`,
      );
    return execution;
  }

  private checkStateMachine(arn: unknown): void {
    if (arn !== this.stateMachineArn)
      throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(arn)}'`);
  }

  startExecution(request: { stateMachineArn?: string; name?: string; input?: string }): {
    executionArn: string;
    startDate: number;
  } {
    this.checkStateMachine(request.stateMachineArn);
    const name = request.name ?? crypto.randomUUID();
    if (!ExecutionStore.validName(name)) throw new SfnApiError('InvalidName', `Invalid Name: '${name}'`);
    const inputText = request.input ?? '{}';
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(inputText) as Record<string, unknown>;
    } catch (error) {
      throw new SfnApiError(
        'InvalidExecutionInput',
        `Invalid State Machine Execution Input: '${(error as Error).message}'`,
      );
    }
    const existing = this.live.get(name) ?? this.store.get(name);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === inputText)
        return { executionArn: existing.executionArn, startDate: Date.parse(existing.startDate) / 1000 };
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${existing.executionArn}'`);
    }
    const execution: StoredExecution = {
      executionArn: this.executionArn(name),
      stateMachineArn: this.stateMachineArn,
      name,
      status: 'RUNNING',
      input: inputText,
      startDate: iso(),
      redriveCount: 0,
      mapRuns: [],
      ownerPid: process.pid,
    };
    this.launch(execution, input, undefined);
    return { executionArn: execution.executionArn, startDate: Date.parse(execution.startDate) / 1000 };
  }

  private launch(
    execution: StoredExecution,
    input: Record<string, unknown>,
    redrive: RunnerHooks['redrive'],
  ): void {
    const { name } = execution;
    this.live.set(name, execution);
    this.store.save(execution);
    const controller = new AbortController();
    const done = this.run(execution, input, controller.signal, redrive).finally(() => {
      this.running.delete(name);
      this.live.delete(name);
    });
    this.running.set(name, { controller, done });
  }

  private async run(
    execution: StoredExecution,
    input: Record<string, unknown>,
    abortSignal: AbortSignal,
    redrive: RunnerHooks['redrive'],
  ): Promise<void> {
    const { name } = execution;
    const recorder = new ExecutionRecorder(this.store, execution, redrive);
    const hooks: RunnerHooks = { abortSignal, ...recorder.hooks, ...(redrive ? { redrive } : {}) };
    let outcome: { status: string; output?: unknown; error?: string; cause?: string };
    try {
      outcome = await this.options.runner({ name, input, hooks });
    } catch (error) {
      outcome = { status: 'FAILED', error: 'States.Runtime', cause: (error as Error).message };
    }
    recorder.finish(abortSignal.aborted ? 'ABORTED' : (outcome.status as ExecutionStatus), outcome);
  }

  describeExecution(request: { executionArn?: string }): Record<string, unknown> {
    return executionView(this.describeStored(this.nameOf(request.executionArn)));
  }

  listExecutions(request: {
    stateMachineArn?: string;
    statusFilter?: string;
    maxResults?: number;
    nextToken?: string;
  }): { executions: Record<string, unknown>[]; nextToken?: string } {
    this.checkStateMachine(request.stateMachineArn);
    const all = [...new Map([...this.store.list(), ...this.live.values()].map((e) => [e.name, e])).values()]
      .filter((e) => !request.statusFilter || e.status === request.statusFilter)
      .sort((a, b) => b.startDate.localeCompare(a.startDate) || b.name.localeCompare(a.name));
    const { items, nextToken } = page(all, request);
    return { executions: items.map(executionListItem), ...(nextToken ? { nextToken } : {}) };
  }

  getExecutionHistory(request: {
    executionArn?: string;
    maxResults?: number;
    nextToken?: string;
    reverseOrder?: boolean;
  }): { events: HistoryEvent[]; nextToken?: string } {
    const name = this.nameOf(request.executionArn);
    const execution = this.describeStored(name);
    const events = historyOf(execution, this.store.events(name), this.stateTypes);
    if (request.reverseOrder) events.reverse();
    const { items, nextToken } = page(events, request);
    return { events: items, ...(nextToken ? { nextToken } : {}) };
  }

  async stopExecution(request: { executionArn?: string }): Promise<{ stopDate: number }> {
    const name = this.nameOf(request.executionArn);
    const execution = this.describeStored(name);
    const running = this.running.get(name);
    if (execution.status !== 'RUNNING' || !running)
      throw new SfnApiError('ExecutionNotRunning', `Execution is not running: '${execution.executionArn}'`);
    running.controller.abort();
    await running.done;
    return { stopDate: Date.parse(this.describeStored(name).stopDate ?? iso()) / 1000 };
  }

  redriveExecution(request: { executionArn?: string }): { redriveDate: number } {
    const name = this.nameOf(request.executionArn);
    const execution = this.describeStored(name);
    if (!isRedrivable(execution) || this.running.has(name))
      throw new SfnApiError(
        'ExecutionNotRedrivable',
        `Execution is ${execution.status} and cannot be redriven: '${execution.executionArn}'`,
      );
    const events = this.store.events(name);
    const resumeAt = unsuccessfulState(events);
    const redriveDate = iso();
    const redriven: StoredExecution = {
      ...execution,
      status: 'RUNNING',
      redriveCount: execution.redriveCount + 1,
      redriveDate,
      ownerPid: process.pid,
    };
    delete redriven.stopDate;
    delete redriven.error;
    delete redriven.cause;
    this.store.appendEvent(name, {
      type: REDRIVEN_EVENT,
      timestamp: Date.now(),
      redriveCount: redriven.redriveCount,
    } as ExecutionEvent);
    const input = JSON.parse(execution.input) as Record<string, unknown>;
    const succeededChildren = new Map<number, ChildOutcome>();
    if (resumeAt) {
      for (const [index, child] of this.store.children(name, resumeAt.stateName))
        if (child.status === 'SUCCEEDED') succeededChildren.set(index, child);
    }
    const mapRunArn = resumeAt
      ? execution.mapRuns.findLast((m) => m.stateName === resumeAt.stateName)?.mapRunArn
      : undefined;
    this.launch(
      redriven,
      input,
      resumeAt
        ? {
            ...resumeAt,
            succeededChildren,
            startTime: execution.startDate,
            ...(mapRunArn ? { mapRunArn } : {}),
          }
        : undefined,
    );
    return { redriveDate: Date.parse(redriveDate) / 1000 };
  }

  listMapRuns(request: { executionArn?: string }): { mapRuns: Record<string, unknown>[] } {
    const execution = this.describeStored(this.nameOf(request.executionArn));
    return { mapRuns: execution.mapRuns.map((m) => mapRunListItem(execution, m)) };
  }

  describeMapRun(request: { mapRunArn?: string }): Record<string, unknown> {
    // Running executions first: `runs watch` asks about one every quarter second.
    const find = (executions: Iterable<StoredExecution>) => {
      for (const execution of executions) {
        const m = execution.mapRuns.find((r) => r.mapRunArn === request.mapRunArn);
        if (m) return mapRunView(execution, m);
      }
      return undefined;
    };
    const found = find(this.live.values()) ?? find(this.store.list());
    if (found) return found;
    throw new SfnApiError('ResourceNotFound', `Resource not found: '${String(request.mapRunArn)}'`);
  }
}
