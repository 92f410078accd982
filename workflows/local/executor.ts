/**
 * Runs an ASL state machine locally with aws-local-stepfunctions against the local stack:
 * - the file is loaded and `${Name}` placeholders substituted exactly like CDK's
 *   definitionSubstitutions (workflows/definition.ts substituteDefinition);
 * - every Task state is served by its Resource (see integrations.ts): Lambda handlers in-process,
 *   DynamoDB / SNS / aws-sdk integrations with the AWS SDK v3 against the local endpoints, errors
 *   named as Step Functions names them;
 * - each Distributed Map state is replaced by a Task state with the same InputPath, ResultSelector,
 *   ResultPath, OutputPath, Retry, Catch and Next, served by the emulator in distributed-map.ts;
 *   the rest of the definition runs unchanged;
 * - every execution reports its events, per-state timings, state transitions and AWS calls.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import { substituteDefinition } from '../definition.js';
import {
  isDistributedMap,
  runDistributedMap,
  type ChildExecutionRequest,
  type ChildOutcome,
  type MapItemProgress,
  type MapRunRecord,
  type MapRunStart,
} from './distributed-map.js';
import { addCallMiddlewares, type AwsCallMiddleware } from '../../lambdas/shared/aws/clients.js';
import { CallCounters, Timings, callCounter, diffCounts, type TimingSummary } from './instrumentation.js';
import {
  LambdaRegistry,
  LOCAL_ACCOUNT,
  TaskError,
  classifyResource,
  runTaskResource,
  type IntegrationClients,
  type LocalLambdaHandler,
} from './integrations.js';
import type { LocalClientConfig } from './stack.js';

export { CallCounters, callCounter } from './instrumentation.js';
export {
  LambdaRegistry,
  localLambdaArn,
  type LocalLambdaContext,
  type LocalLambdaHandler,
} from './integrations.js';
export type { ChildOutcome, MapItemProgress, MapRunRecord, MapRunStart } from './distributed-map.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type AslDefinition = Record<string, any>;

/** One entry of the execution history (aws-local-stepfunctions' event log format). */
export interface ExecutionEvent {
  type: string;
  timestamp: number;
  state?: { name: string; type: string; input: unknown; output?: unknown };
  index?: number;
  Error?: string;
  Cause?: unknown;
  retry?: { retrier: unknown; attempt: number };
  catch?: { catcher: unknown };
  input?: unknown;
  output?: unknown;
  parentState?: { name: string; type: string; input: unknown };
}

export type ExecutionStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ChildExecutionResult extends ChildOutcome {
  index: number;
  executionArn: string;
  name: string;
  input: unknown;
  events?: ExecutionEvent[];
}

export interface ExecutionMetrics {
  /** Per state name (child executions included): count of completed visits and durations in ms. */
  states: Record<string, TimingSummary>;
  /** State transitions of the (STANDARD) parent execution, each retry counted: what Standard bills. */
  transitions: number;
  /** Retries taken (each a transition), per state name, child executions included. */
  retries: Record<string, number>;
  /** State transitions inside Distributed Map child executions. */
  childTransitions: number;
  childExecutions: number;
  /** Every AWS call: the integrations' and whatever else counts into the shared `counters` (the handlers). */
  awsCalls: Record<string, number>;
  /** Calls made by service integrations, ItemReader and ResultWriter alone. */
  integrationCalls: Record<string, number>;
  lambdaInvocations: Record<string, number>;
  durationMs: number;
}

export interface ExecutionResult {
  executionArn: string;
  name: string;
  stateMachineArn: string;
  status: ExecutionStatus;
  output?: unknown;
  error?: string;
  cause?: string;
  startDate: string;
  stopDate: string;
  /** The parent execution's history (inline Map / Parallel iterations included). */
  events: ExecutionEvent[];
  /** Distributed Map runs with their child executions (events per childEvents option). */
  mapRuns: (MapRunRecord & { children: ChildExecutionResult[] })[];
  metrics: ExecutionMetrics;
}

export interface LocalAwsTarget {
  region: string;
  clientConfig: {
    dynamodb: LocalClientConfig;
    s3: LocalClientConfig;
    sns: LocalClientConfig;
    sqs: LocalClientConfig;
  };
}

export interface RunStateMachineOptions {
  /** The ASL file (with `${Name}` placeholders), or an already parsed definition. */
  aslPath?: string;
  definition?: AslDefinition | string;
  /** Values for `${Name}` placeholders; a missing one is an error. */
  substitutions?: Record<string, string>;
  input?: unknown;
  /** The local stack (or anything with region + clientConfig) the integrations call. */
  stack: LocalAwsTarget;
  /** In-process Lambda handlers by function name or ARN. */
  lambdas?: Record<string, LocalLambdaHandler> | LambdaRegistry;
  /** Default: the ASL file name without `.asl.json`, else 'state-machine'. */
  stateMachineName?: string;
  /** Default: a UUID. */
  executionName?: string;
  /** Shared counters: integration calls are added; give the handlers' clients the same (callCounter). */
  counters?: CallCounters;
  /** More middlewares on the service integrations' clients (e.g. a recorder of their calls). */
  integrationMiddlewares?: readonly AwsCallMiddleware[];
  /** Replace every Retry pause with this many ms (tests); default: the definition's backoff and jitter. */
  retryIntervalMs?: number;
  /** Local cap on concurrent Distributed Map children. Default 40. */
  maxMapConcurrency?: number;
  /** Called after each Distributed Map child execution finishes. */
  onMapItem?: (progress: MapItemProgress) => void;
  /** Which child executions keep their event history. Default 'all'. */
  childEvents?: 'all' | 'failed' | 'none';
  /** Task timeout when a Task state sets none; AWS has none, the interpreter defaults to 60 s. */
  defaultTaskTimeoutSeconds?: number;
  /**
   * Called with a Task state's effective parameters before its resource runs; throwing a
   * TaskError fails that attempt with the error's name (fault injection for integrations).
   */
  beforeTask?: (stateName: string, parameters: unknown) => void;
  /** Aborts the execution (StopExecution): no further map children start, the result is ABORTED. */
  abortSignal?: AbortSignal;
  /** Receives each event of the parent execution as it happens (the local history store). */
  onEvent?: (event: ExecutionEvent) => void;
  /** Called when a Distributed Map run starts (its ARN, items and settings). */
  onMapRunStart?: (start: MapRunStart) => void;
  /** Receives each Distributed Map child as it finishes (the local history store, for redrive). */
  onMapChild?: (child: ChildExecutionResult & { stateName: string }) => void;
  /**
   * A redrive: the execution continues at this state with the input it had, and a Distributed
   * Map there reuses the children that succeeded before (by item index) instead of re-running them.
   */
  redrive?: {
    stateName: string;
    input: unknown;
    succeededChildren: Map<number, ChildOutcome>;
    /** The map run of that state in the earlier attempt (a Distributed Map keeps it). */
    mapRunArn?: string;
    /** The first attempt's start ($$.Execution.StartTime stays). */
    startTime: string;
  };
}

/** Loads an ASL file and applies the substitutions (CDK definitionSubstitutions semantics). */
export function loadDefinition(aslPath: string, substitutions: Record<string, string> = {}): AslDefinition {
  const text = readFileSync(aslPath, 'utf8');
  try {
    return JSON.parse(substituteDefinition(text, substitutions)) as AslDefinition;
  } catch (error) {
    throw new Error(`${aslPath}: ${(error as Error).message}`, { cause: error });
  }
}

// A Task timeout must fit setTimeout's 32-bit milliseconds (about 24.8 days).
const NO_TIMEOUT_SECONDS = 2_000_000;

interface RunEnv {
  region: string;
  stateMachineName: string;
  clients: IntegrationClients;
  lambdas: LambdaRegistry;
  timings: Timings;
  retryIntervalMs: number | undefined;
  maxMapConcurrency: number;
  onMapItem: ((progress: MapItemProgress) => void) | undefined;
  childEvents: 'all' | 'failed' | 'none';
  taskTimeoutSeconds: number;
  mapRuns: (MapRunRecord & { children: ChildExecutionResult[] })[];
  childTransitions: number;
  childExecutions: number;
  beforeTask: RunStateMachineOptions['beforeTask'];
  abortSignal: AbortSignal | undefined;
  onMapChild: RunStateMachineOptions['onMapChild'];
  onMapRunStart: RunStateMachineOptions['onMapRunStart'];
  redrive: RunStateMachineOptions['redrive'];
  /** Distributed Maps still running: an aborted execution ends once their children have. */
  mapsInFlight: Set<Promise<void>>;
}

interface Prepared {
  definition: AslDefinition;
  handlers: Record<string, (input: unknown) => Promise<unknown>>;
  retryStates: string[];
}

/**
 * Rewrites a definition for the interpreter and builds its Task handlers. Distributed Map states
 * become Task states; inline Map and Parallel states are prepared recursively.
 */
function prepare(definition: AslDefinition, env: RunEnv, context: () => Record<string, unknown>): Prepared {
  const handlers: Prepared['handlers'] = {};
  const retryStates: string[] = [];
  const walk = (machine: AslDefinition): AslDefinition => {
    const states: Record<string, AslDefinition> = {};
    for (const [name, state] of Object.entries(machine.States as Record<string, AslDefinition>)) {
      if (Array.isArray(state.Retry) && state.Retry.length) retryStates.push(name);
      if (state.Type === 'Task') {
        const kind = classifyResource(String(state.Resource), name);
        handlers[name] = async (parameters) => {
          env.beforeTask?.(name, parameters);
          return runTaskResource(kind, parameters, env, name);
        };
        states[name] =
          state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined
            ? { ...state, TimeoutSeconds: env.taskTimeoutSeconds }
            : state;
      } else if (state.Type === 'Map' && isDistributedMap(state)) {
        const original = state;
        const { InputPath, ResultSelector, ResultPath, OutputPath, Retry, Catch, Next, End, Comment } = state;
        states[name] = Object.fromEntries(
          Object.entries({
            Type: 'Task',
            Resource: 'arn:aws:states:::local:distributedMap',
            Comment,
            InputPath,
            ResultSelector,
            ResultPath,
            OutputPath,
            Retry,
            Catch,
            Next,
            End,
            TimeoutSeconds: NO_TIMEOUT_SECONDS,
          }).filter(([, v]) => v !== undefined),
        );
        handlers[name] = async (input) => {
          let settle = (): void => undefined;
          const settled = new Promise<void>((resolve) => (settle = resolve));
          env.mapsInFlight.add(settled);
          try {
            const { output, record } = await runDistributedMap(name, original, input, {
              s3: env.clients.s3,
              region: env.region,
              account: LOCAL_ACCOUNT,
              stateMachineName: env.stateMachineName,
              context: context(),
              runChild: async (request) => {
                const child = await runChild(request, env);
                env.onMapChild?.({ ...child, stateName: name });
                return child;
              },
              maxConcurrencyCap: env.maxMapConcurrency,
              ...(env.abortSignal ? { abortSignal: env.abortSignal } : {}),
              ...(env.onMapRunStart ? { onStart: env.onMapRunStart } : {}),
              ...(env.redrive?.stateName === name
                ? {
                    succeededBefore: env.redrive.succeededChildren,
                    ...(env.redrive.mapRunArn ? { mapRunArn: env.redrive.mapRunArn } : {}),
                  }
                : {}),
              ...(env.onMapItem ? { onItem: env.onMapItem } : {}),
            });
            env.mapRuns.push(record as MapRunRecord & { children: ChildExecutionResult[] });
            return output;
          } catch (error) {
            const record = (error as { mapRun?: MapRunRecord }).mapRun;
            if (record) env.mapRuns.push(record as MapRunRecord & { children: ChildExecutionResult[] });
            throw error;
          } finally {
            settle();
            env.mapsInFlight.delete(settled);
          }
        };
      } else if (state.Type === 'Map') {
        const processorKey = state.ItemProcessor ? 'ItemProcessor' : 'Iterator';
        states[name] = { ...state, [processorKey]: walk(state[processorKey]) };
      } else if (state.Type === 'Parallel') {
        states[name] = { ...state, Branches: (state.Branches as AslDefinition[]).map(walk) };
      } else {
        states[name] = state;
      }
    }
    return { ...machine, States: states };
  };
  return { definition: walk(definition), handlers, retryStates };
}

/** Per-state durations and transitions from one execution's events. */
function accumulate(events: ExecutionEvent[], timings: Timings): number {
  let transitions = 0;
  const open = new Map<string, { name: string; since: number; last: number }>();
  for (const event of events) {
    if (!event.state) continue;
    const key = `${event.index ?? ''}|${event.state.name}`;
    switch (event.type) {
      case 'StateEntered':
        transitions++;
        open.set(key, { name: event.state.name, since: event.timestamp, last: event.timestamp });
        break;
      case 'StateRetried':
        transitions++;
        timings.retried(event.state.name);
        break;
      case 'StateExited':
      case 'StateCaught': {
        const entry = open.get(key);
        if (entry) timings.record(entry.name, event.timestamp - entry.since);
        open.delete(key);
        break;
      }
      default: {
        const entry = open.get(key);
        if (entry) entry.last = event.timestamp;
      }
    }
  }
  for (const entry of open.values()) timings.record(entry.name, entry.last - entry.since); // failed for good
  return transitions;
}

interface ExecutionIdentity {
  executionArn: string;
  name: string;
  stateMachineArn: string;
  stateMachineName: string;
}

interface RawOutcome {
  status: ExecutionStatus;
  output?: unknown;
  error?: string;
  cause?: string;
  startDate: string;
  stopDate: string;
  events: ExecutionEvent[];
}

async function execute(
  definition: AslDefinition,
  input: unknown,
  identity: ExecutionIdentity,
  env: RunEnv,
  parent?: {
    /** $$.Execution.Input and StartTime: a redrive keeps the first attempt's. */
    executionInput: unknown;
    startTime: string | undefined;
    onEvent: RunStateMachineOptions['onEvent'];
    abortSignal: AbortSignal | undefined;
  },
): Promise<RawOutcome> {
  const startDate = new Date().toISOString();
  // $$.State.EnteredTime is read while the state's Parameters are evaluated, i.e. as it is entered.
  const stateContext = {
    get EnteredTime(): string {
      return new Date().toISOString();
    },
  };
  const context: Record<string, unknown> = {
    Execution: {
      Id: identity.executionArn,
      Name: identity.name,
      StartTime: parent?.startTime ?? startDate,
      Input: parent ? parent.executionInput : input,
      RoleArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/local`,
    },
    StateMachine: { Id: identity.stateMachineArn, Name: identity.stateMachineName },
    State: stateContext,
  };
  const prepared = prepare(definition, env, () => context);
  // Validation (ajv over the whole ASL) is per definition, not per execution: a Distributed Map
  // starts one child execution per batch from the same definition object.
  const validated = validatedDefinitions.has(definition);
  const machine = new StateMachine(prepared.definition as StateMachineDefinition, {
    validationOptions: validated ? { noValidate: true } : { checkArn: false },
  });
  validatedDefinitions.add(definition);
  const retryIntervalOverrides =
    env.retryIntervalMs === undefined
      ? undefined
      : Object.fromEntries(prepared.retryStates.map((name) => [name, env.retryIntervalMs as number]));
  const run = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: prepared.handlers as never,
      ...(retryIntervalOverrides ? { retryIntervalOverrides } : {}),
    },
    context: context as never,
  });
  const events: ExecutionEvent[] = [];
  const onAbort = (): void => run.abort();
  if (parent?.abortSignal?.aborted) run.abort();
  parent?.abortSignal?.addEventListener('abort', onAbort);
  const collecting = (async () => {
    for await (const event of run.eventLogs) {
      events.push(event as unknown as ExecutionEvent);
      parent?.onEvent?.(event as unknown as ExecutionEvent);
    }
  })();
  let outcome: Omit<RawOutcome, 'events' | 'startDate' | 'stopDate'>;
  try {
    outcome = { status: 'SUCCEEDED', output: await run.result };
  } catch (error) {
    if (error instanceof ExecutionTimeoutError) {
      outcome = { status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution timed out' };
    } else if (error instanceof ExecutionAbortedError) {
      outcome = { status: 'ABORTED' };
    } else if (error instanceof ExecutionError) {
      const cause = error.cause as Error | undefined;
      outcome = {
        status: 'FAILED',
        error: cause?.name ?? 'States.Runtime',
        cause: cause?.message ?? error.message,
      };
    } else {
      throw error;
    }
  }
  parent?.abortSignal?.removeEventListener('abort', onAbort);
  await collecting;
  return { ...outcome, startDate, stopDate: new Date().toISOString(), events };
}

/** Definitions the interpreter has validated (by identity). */
const validatedDefinitions = new WeakSet<AslDefinition>();
/** A Distributed Map's ItemProcessor without ProcessorConfig: the child state machine, one per map. */
const childDefinitions = new WeakMap<AslDefinition, AslDefinition>();

function childDefinition(processor: AslDefinition): AslDefinition {
  let definition = childDefinitions.get(processor);
  if (!definition) {
    const { ProcessorConfig: _processorConfig, ...rest } = processor;
    void _processorConfig;
    definition = rest;
    childDefinitions.set(processor, definition);
  }
  return definition;
}

async function runChild(request: ChildExecutionRequest, env: RunEnv): Promise<ChildExecutionResult> {
  const definition = childDefinition(request.definition as AslDefinition);
  const outcome = await execute(
    definition,
    request.input,
    {
      executionArn: request.executionArn,
      name: request.name,
      stateMachineArn: request.stateMachineArn,
      stateMachineName: request.stateMachineArn.split(':stateMachine:')[1] ?? request.name,
    },
    env,
  );
  env.childExecutions++;
  env.childTransitions += accumulate(outcome.events, env.timings);
  const keepEvents =
    env.childEvents === 'all' || (env.childEvents === 'failed' && outcome.status !== 'SUCCEEDED');
  const { events, ...rest } = outcome;
  return {
    ...rest,
    index: request.index,
    executionArn: request.executionArn,
    name: request.name,
    input: request.input,
    ...(keepEvents ? { events } : {}),
  };
}

/** Runs a state machine to completion on the local stack; never throws for a FAILED execution. */
export async function runStateMachine(options: RunStateMachineOptions): Promise<ExecutionResult> {
  const definition: AslDefinition =
    options.aslPath !== undefined
      ? loadDefinition(options.aslPath, options.substitutions)
      : typeof options.definition === 'string'
        ? (JSON.parse(substituteDefinition(options.definition, options.substitutions ?? {})) as AslDefinition)
        : options.definition
          ? (JSON.parse(
              substituteDefinition(JSON.stringify(options.definition), options.substitutions ?? {}),
            ) as AslDefinition)
          : (() => {
              throw new Error('runStateMachine: give aslPath or definition');
            })();
  const region = options.stack.region;
  const stateMachineName =
    options.stateMachineName ??
    (options.aslPath ? basename(options.aslPath).replace(/\.asl\.json$|\.json$/, '') : 'state-machine');
  const name = options.executionName ?? randomUUID();
  const stateMachineArn = `arn:aws:states:${region}:${LOCAL_ACCOUNT}:stateMachine:${stateMachineName}`;
  const executionArn = `arn:aws:states:${region}:${LOCAL_ACCOUNT}:execution:${stateMachineName}:${name}`;

  const counters = options.counters ?? new CallCounters();
  const integrationCounters = new CallCounters();
  const counting = [
    callCounter(integrationCounters, 'invoicerIntegrationCalls'),
    callCounter(counters),
    ...(options.integrationMiddlewares ?? []),
  ];
  const instrument = <T extends { middlewareStack: unknown }>(client: T, service: string): T =>
    addCallMiddlewares(client, service, counting);
  const config = options.stack.clientConfig;
  const clients: IntegrationClients = {
    dynamodb: instrument(new DynamoDBClient(config.dynamodb), 'dynamodb'),
    s3: instrument(new S3Client(config.s3), 's3'),
    sns: instrument(new SNSClient(config.sns), 'sns'),
    sqs: instrument(new SQSClient(config.sqs), 'sqs'),
  };
  const lambdas =
    options.lambdas instanceof LambdaRegistry ? options.lambdas : new LambdaRegistry(options.lambdas ?? {});
  const invocationsBefore = new Map(lambdas.invocations);
  const env: RunEnv = {
    region,
    stateMachineName,
    clients,
    lambdas,
    timings: new Timings(),
    retryIntervalMs: options.retryIntervalMs,
    maxMapConcurrency: options.maxMapConcurrency ?? 40,
    beforeTask: options.beforeTask,
    abortSignal: options.abortSignal,
    onMapChild: options.onMapChild,
    onMapRunStart: options.onMapRunStart,
    redrive: options.redrive,
    mapsInFlight: new Set(),
    onMapItem: options.onMapItem,
    childEvents: options.childEvents ?? 'all',
    taskTimeoutSeconds: options.defaultTaskTimeoutSeconds ?? NO_TIMEOUT_SECONDS,
    mapRuns: [],
    childTransitions: 0,
    childExecutions: 0,
  };

  const countersBefore = counters.snapshot();
  const started = performance.now();
  let outcome: RawOutcome;
  try {
    const { redrive } = options;
    const resumed = redrive ? { ...definition, StartAt: redrive.stateName } : definition;
    // A redrive starts later in a definition validated as a whole: the states before are unreachable.
    if (redrive) validatedDefinitions.add(resumed);
    outcome = await execute(
      resumed,
      redrive ? redrive.input : (options.input ?? {}),
      { executionArn, name, stateMachineArn, stateMachineName },
      env,
      {
        executionInput: options.input ?? {},
        startTime: redrive?.startTime,
        onEvent: options.onEvent,
        abortSignal: options.abortSignal,
      },
    );
    await Promise.all(env.mapsInFlight);
  } finally {
    for (const client of Object.values(clients)) (client as { destroy(): void }).destroy();
  }
  const durationMs = Math.round(performance.now() - started);
  const transitions = accumulate(outcome.events, env.timings);
  const lambdaInvocations: Record<string, number> = {};
  for (const [fn, n] of lambdas.invocations) {
    const d = n - (invocationsBefore.get(fn) ?? 0);
    if (d) lambdaInvocations[fn] = d;
  }
  const { events, ...rest } = outcome;
  return {
    executionArn,
    name,
    stateMachineArn,
    ...rest,
    events,
    mapRuns: env.mapRuns,
    metrics: {
      states: env.timings.summary(),
      transitions,
      retries: env.timings.retriesByState(),
      childTransitions: env.childTransitions,
      childExecutions: env.childExecutions,
      awsCalls: diffCounts(counters.snapshot(), countersBefore),
      integrationCalls: integrationCounters.snapshot(),
      lambdaInvocations,
      durationMs,
    },
  };
}

/** Events of one state, in order (for tests asserting Retry / Catch paths). */
export function eventsOf(events: ExecutionEvent[], stateName: string): ExecutionEvent[] {
  return events.filter((e) => e.state?.name === stateName);
}

export { TaskError };
