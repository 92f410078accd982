/**
 * One billing run on the local stack: seeds demo data if asked, builds the six functions from
 * their factories (./handlers.ts), and executes the production ASL file with the local executor.
 * The CLI (`invoicer run`), the benchmark and the workflow tests all run billing through here.
 */
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_BILLING_TIME_ZONE,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_SELLER,
  DEFAULT_TOLERATED_FAILURE_PERCENTAGE,
  type RunDefaults,
} from '../../../lambdas/shared/config.js';
import { parseInvoiceKey } from '../../../lambdas/shared/contracts/keys.js';
import type { RunSummary } from '../../../lambdas/shared/contracts/payloads.js';
import type { SellerConfig } from '../../../lambdas/shared/domain/types.js';
import {
  BILLING_RUN_ASL_PATH,
  BILLING_RUN_FUNCTIONS,
  type BillingRunSubstitutions,
} from '../../definition.js';
import { seedDemoData } from '../demo/seed.js';
import {
  runStateMachine,
  type ExecutionMetrics,
  type ExecutionResult,
  type RunStateMachineOptions,
} from '../executor.js';
import { FaultInjector, type FaultPlan } from '../faults.js';
import { CallCounters, functionCallRecorder, type FunctionCall } from '../instrumentation.js';

/** What recordCalls names the state machine's own service integrations (its role's calls). */
export const STATE_MACHINE_CALLER = 'state-machine';
/** The local billing state machine's name (its ARN: arn:aws:states:<region>:000000000000:stateMachine:<name>). */
export const LOCAL_BILLING_STATE_MACHINE = 'invoicer-local-billing-run';
import { LambdaRegistry, localLambdaArn, TaskError } from '../integrations.js';
import { buildLocalHandlers } from './handlers.js';
import { LambdaPool } from './lambda-pool.js';
import type { LocalLogLevel } from './observability.js';
import type { LocalSession } from './session.js';
import { billingRunSummary } from './run-summary.js';

export { billingRunSummary, RunFailedError } from './run-summary.js';

export interface LocalBillingOptions {
  period: string;
  demoCustomers?: number;
  maxConcurrency?: number;
  toleratedFailurePercentage?: number;
  /** Customers per map child; default the deployed default (DEFAULT_BATCH_SIZE). */
  batchSize?: number;
  /**
   * Worker threads serving the per-customer functions (./lambda-pool.ts); 0 (the default): all
   * in this thread. Ignored while faults are injected.
   */
  workerThreads?: number;
  faults?: FaultPlan | undefined;
  /**
   * Collects every AWS call with who made it: a function's name, or STATE_MACHINE_CALLER for the
   * state machine's service integrations (IAM contract tests).
   */
  recordCalls?: FunctionCall[];
  /** Replaces every Retry pause (tests); default: the ASL's own backoff and jitter. */
  retryIntervalMs?: number;
  executionName?: string;
  /** The seller printed on the invoices. Default: the demo seller (the CDK default too). */
  seller?: SellerConfig;
  /** The time zone PlanRun bills "the previous month" in when no period is given. */
  timeZone?: string;
  /** The handlers' log level (their logs go to stderr). Default ERROR. */
  logLevel?: LocalLogLevel;
  onStart?: (customers: number) => void;
  onProgress?: (completed: number, total: number) => void;
}

export interface LocalBillingResult extends RunSummary {
  executionStatus: string;
  wallMs: number;
  invoicesPerSecond: number;
  peakRssMb: number;
  metrics: ExecutionMetrics;
  faultsInjected: Record<string, number>;
}

/** The customer a direct integration's parameters are about (CommitInvoice, NotifyCustomer, MarkNotified). */
function customerOfIntegration(parameters: unknown): string | undefined {
  const p = parameters as {
    Key?: { invoiceKey?: { S?: string } };
    MessageAttributes?: { customerId?: { StringValue?: string } };
  };
  const key = p.Key?.invoiceKey?.S;
  return key ? parseInvoiceKey(key)?.customerId : p.MessageAttributes?.customerId?.StringValue;
}

/** Where the direct integrations fail under fault injection. */
function integrationFaultHook(faults: FaultInjector) {
  return (stateName: string, parameters: unknown): void => {
    const customerId = customerOfIntegration(parameters);
    if (!customerId) return;
    if (stateName === 'MarkNotified') return faults.crashAfterNotify(customerId);
    const step =
      stateName === 'CommitInvoice' ? 'commit' : stateName === 'NotifyCustomer' ? 'notify' : undefined;
    const fault = step ? faults.integrationFault(step, customerId) : undefined;
    if (fault) throw new TaskError(fault.error, fault.cause);
  };
}

/** How one execution of the billing state machine runs locally (the local Step Functions API's runner). */
export interface BillingExecutionOptions {
  executionName: string;
  /** The execution input, as StartExecution gets it (period, run settings, customers). */
  input: Record<string, unknown>;
  seller?: SellerConfig;
  timeZone?: string;
  workerThreads?: number;
  faults?: FaultPlan | undefined;
  recordCalls?: FunctionCall[];
  retryIntervalMs?: number;
  logLevel?: LocalLogLevel;
  /** Step Functions API hooks: stop, live history, map progress, redrive. */
  hooks?: Pick<
    RunStateMachineOptions,
    'abortSignal' | 'onEvent' | 'onMapChild' | 'onMapRunStart' | 'onMapItem' | 'redrive'
  >;
}

/** Executes the production ASL once on the session's stack; never throws for a FAILED execution. */
export async function executeBillingRun(
  session: LocalSession,
  options: BillingExecutionOptions,
): Promise<{ result: ExecutionResult; faultsInjected: Record<string, number> }> {
  const { storage, stack, executions } = session;
  const { executionName } = options;
  const holder = executions.holderFor(executionName);
  const faults = new FaultInjector(options.faults);
  const counters = new CallCounters();
  // What the deployed PlanRun defaults to; a run's own settings travel in its input, as on AWS.
  const runDefaults: RunDefaults = {
    timeZone: options.timeZone ?? DEFAULT_BILLING_TIME_ZONE,
    maxConcurrency: DEFAULT_MAX_CONCURRENCY,
    toleratedFailurePercentage: DEFAULT_TOLERATED_FAILURE_PERCENTAGE,
    batchSize: DEFAULT_BATCH_SIZE,
  };
  const seller = options.seller ?? DEFAULT_SELLER;
  const pool =
    options.workerThreads && !faults.active && !options.recordCalls
      ? new LambdaPool(
          options.workerThreads,
          {
            clientOptions: session.clientOptions(),
            storage,
            seller,
            linkSettings: session.linkSettings,
            ...(options.logLevel ? { logLevel: options.logLevel } : {}),
          },
          counters,
        )
      : undefined;
  const { handlers, clients } = buildLocalHandlers({
    session,
    seller,
    runDefaults,
    ...(pool ? { pool } : {}),
    ...(options.recordCalls ? { recordCalls: options.recordCalls } : {}),
    faults,
    counters,
    executions,
    holder,
    ...(options.logLevel ? { logLevel: options.logLevel } : {}),
  });

  const registry = new LambdaRegistry();
  const substitutions: Partial<BillingRunSubstitutions> = {
    InvoicesTableName: storage.tables.invoices,
    RunsTableName: storage.tables.runs,
    DocumentsBucketName: storage.documentsBucket,
    CustomerTopicArn: stack.resources.topics.customerNotifications,
    OpsTopicArn: stack.resources.topics.opsSummary,
  };
  for (const [placeholder, functionName] of Object.entries(BILLING_RUN_FUNCTIONS)) {
    registry.register(functionName, handlers[functionName]);
    substitutions[placeholder as keyof BillingRunSubstitutions] = localLambdaArn(functionName, stack.region);
  }

  executions.mark(holder, true);
  try {
    const requested = options.input.maxConcurrency;
    const result = await runStateMachine({
      aslPath: BILLING_RUN_ASL_PATH,
      substitutions: substitutions as BillingRunSubstitutions,
      input: options.input,
      stack,
      lambdas: registry,
      stateMachineName: LOCAL_BILLING_STATE_MACHINE,
      executionName,
      counters,
      ...(options.recordCalls
        ? { integrationMiddlewares: [functionCallRecorder(options.recordCalls, () => STATE_MACHINE_CALLER)] }
        : {}),
      maxMapConcurrency: typeof requested === 'number' ? requested : 40,
      childEvents: 'failed',
      beforeTask: integrationFaultHook(faults),
      ...(options.retryIntervalMs !== undefined ? { retryIntervalMs: options.retryIntervalMs } : {}),
      ...options.hooks,
    });
    return { result, faultsInjected: faults.injected() };
  } finally {
    executions.mark(holder, false);
    clients.destroy();
    await pool?.close();
  }
}

export async function runLocalBilling(
  session: LocalSession,
  options: LocalBillingOptions,
): Promise<LocalBillingResult> {
  await seedDemoData(
    session.clients.dynamodb,
    session.storage.tables,
    options.demoCustomers ?? 0,
    options.period,
  );
  let announced = false;
  const started = performance.now();
  const { result, faultsInjected } = await executeBillingRun(session, {
    executionName: options.executionName ?? `run-${options.period}-${Date.now().toString(36)}`,
    input: {
      period: options.period,
      ...(options.maxConcurrency ? { maxConcurrency: options.maxConcurrency } : {}),
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      ...(options.toleratedFailurePercentage !== undefined
        ? { toleratedFailurePercentage: options.toleratedFailurePercentage }
        : {}),
    },
    ...(options.seller ? { seller: options.seller } : {}),
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    ...(options.workerThreads ? { workerThreads: options.workerThreads } : {}),
    faults: options.faults,
    ...(options.recordCalls ? { recordCalls: options.recordCalls } : {}),
    ...(options.retryIntervalMs !== undefined ? { retryIntervalMs: options.retryIntervalMs } : {}),
    ...(options.logLevel ? { logLevel: options.logLevel } : {}),
    hooks: {
      onMapItem: (p) => {
        if (!announced) {
          announced = true;
          options.onStart?.(p.itemsTotal);
        }
        options.onProgress?.(p.itemsCompleted, p.itemsTotal);
      },
    },
  });
  const wallMs = performance.now() - started;
  const summary = await billingRunSummary(session, result);
  return {
    ...summary,
    executionStatus: result.status,
    wallMs: Math.round(wallMs),
    invoicesPerSecond: summary.issued / (wallMs / 1000),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    metrics: result.metrics,
    faultsInjected,
  };
}
