/**
 * One billing run on the local stack: seeds demo data if asked, registers the real Lambda
 * handlers in-process, and executes the production ASL file with the local executor.
 */
import { hostname } from 'node:os';
import {
  BILLING_RUN_ASL_PATH,
  BILLING_RUN_FUNCTIONS,
  type BillingRunSubstitutions,
} from '../../workflows/definition.js';
import { runStateMachine, type ExecutionMetrics } from '../../workflows/local/executor.js';
import {
  LambdaRegistry,
  localLambdaArn,
  TaskError,
  type LocalLambdaHandler,
} from '../../workflows/local/integrations.js';
import { recordedAwsCalls } from '../../lambdas/shared/aws.js';
import {
  crashAfterNotify,
  injectedFaults,
  integrationFault,
  setFaultPlan,
  type FaultPlan,
} from '../../lambdas/shared/faults.js';
import type { RunSummary } from '../../lambdas/finalize-run/summary.js';
import { getObjectBytes } from '../../lambdas/shared/store/documents.js';
import { getRunRecord } from '../../lambdas/shared/store/runs.js';
import { seedDemoData } from '../demo/seed.js';
import type { LocalSession } from './local-session.js';

export interface LocalBillingOptions {
  period: string;
  demoCustomers?: number;
  maxConcurrency?: number;
  toleratedFailurePercentage?: number;
  faults?: FaultPlan | undefined;
  /** Replaces every Retry pause (tests); default: the ASL's own backoff and jitter. */
  retryIntervalMs?: number;
  executionName?: string;
  onStart?: (customers: number) => void;
  onProgress?: (completed: number, total: number) => void;
  /** Replaces a function's handler (tests: crash a step for real). */
  handlerOverrides?: Partial<Record<string, LocalLambdaHandler>>;
}

export interface LocalBillingResult extends RunSummary {
  executionStatus: string;
  wallMs: number;
  invoicesPerSecond: number;
  peakRssMb: number;
  metrics: ExecutionMetrics;
  faultsInjected: Record<string, number>;
}

/** A run that ended before its summary existed (refused, or broken before FinalizeRun). */
export class RunFailedError extends Error {
  override readonly name = 'RunFailedError';
  constructor(
    readonly errorName: string,
    readonly errorCause: string,
  ) {
    super(`${errorName}: ${errorCause}`);
  }
}

/** The module of each function, by the function name the ASL placeholders resolve to. */
const HANDLER_MODULES: Record<string, () => Promise<{ handler: LocalLambdaHandler }>> = {
  'plan-run': () => import('../../lambdas/plan-run/handler.js') as never,
  'compute-invoice': () => import('../../lambdas/compute-invoice/handler.js') as never,
  'reserve-number': () => import('../../lambdas/reserve-number/handler.js') as never,
  'render-documents': () => import('../../lambdas/render-documents/handler.js') as never,
  compensate: () => import('../../lambdas/compensate/handler.js') as never,
  'finalize-run': () => import('../../lambdas/finalize-run/handler.js') as never,
};

/** Where the direct integrations fail under fault injection, and whose customer they serve. */
function integrationFaultHook(stateName: string, parameters: unknown): void {
  const p = parameters as {
    Key?: { invoiceKey?: { S?: string } };
    MessageAttributes?: { customerId?: { StringValue?: string } };
  };
  if (stateName === 'MarkNotified') {
    const customerId = p.Key?.invoiceKey?.S?.split('#')[0];
    if (customerId) crashAfterNotify(customerId);
    return;
  }
  const step =
    stateName === 'CommitInvoice' ? 'commit' : stateName === 'NotifyCustomer' ? 'notify' : undefined;
  if (!step) return;
  const customerId =
    step === 'commit' ? p.Key?.invoiceKey?.S?.split('#')[0] : p.MessageAttributes?.customerId?.StringValue;
  const fault = customerId ? integrationFault(step, customerId) : undefined;
  if (fault) throw new TaskError(fault.error, fault.cause);
}

export async function runLocalBilling(
  session: LocalSession,
  options: LocalBillingOptions,
): Promise<LocalBillingResult> {
  await seedDemoData(session.tables, options.demoCustomers ?? 0, options.period);

  const { localExecutionId, markLocalExecution } = await import('../../lambdas/plan-run/liveness.js');
  const executionName = options.executionName ?? `run-${options.period}-${Date.now().toString(36)}`;
  const holder = localExecutionId(executionName, hostname());

  const registry = new LambdaRegistry();
  const substitutions: Partial<BillingRunSubstitutions> = {
    InvoicesTableName: session.tables.invoices,
    RunsTableName: session.tables.runs,
    DocumentsBucketName: session.bucket,
    CustomerTopicArn: session.stack.resources.topics.customerNotifications,
    OpsTopicArn: session.stack.resources.topics.opsSummary,
  };
  for (const [placeholder, functionName] of Object.entries(BILLING_RUN_FUNCTIONS)) {
    const handler =
      options.handlerOverrides?.[functionName] ?? (await HANDLER_MODULES[functionName]!()).handler;
    // A local run's lock holder is this process, not an execution ARN (see plan-run/liveness.ts).
    const local: LocalLambdaHandler =
      functionName === 'plan-run'
        ? (event, context) => handler({ ...(event as object), executionId: holder } as never, context)
        : handler;
    registry.register(functionName, local);
    substitutions[placeholder as keyof BillingRunSubstitutions] = localLambdaArn(
      functionName,
      session.stack.region,
    );
  }

  setFaultPlan(options.faults);
  markLocalExecution(holder, true);
  const started = performance.now();
  let announced = false;
  try {
    const result = await runStateMachine({
      aslPath: BILLING_RUN_ASL_PATH,
      substitutions: substitutions as BillingRunSubstitutions,
      input: {
        period: options.period,
        ...(options.maxConcurrency ? { maxConcurrency: options.maxConcurrency } : {}),
        ...(options.toleratedFailurePercentage !== undefined
          ? { toleratedFailurePercentage: options.toleratedFailurePercentage }
          : {}),
      },
      stack: session.stack,
      lambdas: registry,
      stateMachineName: 'invoicer-local-billing-run',
      executionName,
      externalCallCounts: recordedAwsCalls,
      maxMapConcurrency: options.maxConcurrency ?? 40,
      childEvents: 'failed',
      beforeTask: integrationFaultHook,
      ...(options.retryIntervalMs !== undefined ? { retryIntervalMs: options.retryIntervalMs } : {}),
      onMapItem: (p) => {
        if (!announced) {
          announced = true;
          options.onStart?.(p.total);
        }
        options.onProgress?.(p.completed + p.failed, p.total);
      },
    });
    const wallMs = performance.now() - started;
    console.error(JSON.stringify(result.events, null, 1).slice(0, 6000));
    let summary: RunSummary;
    if (result.status === 'SUCCEEDED') {
      summary = result.output as RunSummary;
    } else {
      // A run over the failure threshold still wrote its summary; anything else is a failed run.
      const record = await getRunRecord(session.tables.runs, executionName);
      if (!record?.summaryKey) throw new RunFailedError(result.error ?? 'States.Runtime', result.cause ?? '');
      summary = JSON.parse(
        (await getObjectBytes(session.bucket, record.summaryKey)).toString('utf8'),
      ) as RunSummary;
    }
    return {
      ...summary,
      executionStatus: result.status,
      wallMs: Math.round(wallMs),
      invoicesPerSecond: summary.issued / (wallMs / 1000),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      metrics: result.metrics,
      faultsInjected: injectedFaults(),
    };
  } finally {
    markLocalExecution(holder, false);
    setFaultPlan(undefined);
  }
}
