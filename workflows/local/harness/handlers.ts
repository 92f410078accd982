/**
 * The six functions of the billing run, built for one local run from their factories with the
 * local stack's stores: SDK clients carry the run's call counter and fault injector (the
 * middleware seam), each fault step's invocation is tagged with its step and customer, and the
 * lock holder is this process. The same factories build the deployed functions from the
 * environment (`fromEnv`); only the dependencies differ.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createAwsClients, type AwsClients } from '../../../lambdas/shared/aws/clients.js';
import type { RunDefaults } from '../../../lambdas/shared/config.js';
import type { SellerConfig } from '../../../lambdas/shared/domain/types.js';
import { createStores } from '../../../lambdas/shared/store/index.js';
import { createHandler as finalizeRun } from '../../../lambdas/finalize-run/handler.js';
import { createHandler as planRun } from '../../../lambdas/plan-run/handler.js';
import type { BILLING_RUN_FUNCTIONS } from '../../definition.js';
import type { FaultInjector, FaultStep } from '../faults.js';
import {
  callCounter,
  functionCallRecorder,
  type CallCounters,
  type FunctionCall,
} from '../instrumentation.js';
import type { LocalLambdaHandler } from '../integrations.js';
import type { LocalExecutions } from '../liveness.js';
import { CUSTOMER_FUNCTIONS, customerFunctions } from './customer-functions.js';
import type { LambdaPool } from './lambda-pool.js';
import { localObservability, type LocalLogLevel } from './observability.js';
import type { LocalSession } from './session.js';

export type FunctionName = (typeof BILLING_RUN_FUNCTIONS)[keyof typeof BILLING_RUN_FUNCTIONS];

export interface LocalHandlerOptions {
  session: LocalSession;
  seller: SellerConfig;
  runDefaults: RunDefaults;
  faults: FaultInjector;
  counters: CallCounters;
  executions: LocalExecutions;
  /** This run's lock-holder id (see ../liveness.ts), given to PlanRun as its execution id. */
  holder: string;
  logLevel?: LocalLogLevel;
  /** Serves the per-customer functions from worker threads (the harness gives none while faults are injected). */
  pool?: LambdaPool;
  /** Collects every AWS call with the function that made it (the handlers must run in this thread). */
  recordCalls?: FunctionCall[];
}

/** The fault step a function's invocations serve (the others have no fault point). */
const FAULT_STEP: Partial<Record<FunctionName, FaultStep>> = {
  'compute-invoice': 'compute',
  'reserve-number': 'reserve',
  'render-documents': 'render',
};

/** The customer a per-customer payload is about: top-level, or in the draft (RenderDocuments). */
function customerOf(event: unknown): string | undefined {
  const e = event as { customerId?: unknown; draft?: { customerId?: unknown } } | null;
  const id = e?.customerId ?? e?.draft?.customerId;
  return typeof id === 'string' ? id : undefined;
}

/** The handlers with the SDK clients they share; destroy the clients when the run ends. */
export function buildLocalHandlers(o: LocalHandlerOptions): {
  handlers: Record<FunctionName, LocalLambdaHandler>;
  clients: AwsClients;
} {
  // Which function an AWS call is made in, for recordCalls.
  const invocation = new AsyncLocalStorage<FunctionName>();
  const recorder = o.recordCalls ? [functionCallRecorder(o.recordCalls, () => invocation.getStore())] : [];
  const clients = createAwsClients(
    o.session.clientOptions([callCounter(o.counters), o.faults.middleware, ...recorder]),
  );
  const deps = {
    ...createStores(clients, o.session.storage),
    observability: localObservability(o.logLevel),
    now: () => new Date(),
    seller: o.seller,
    linkSettings: o.session.linkSettings,
    runDefaults: o.runDefaults,
    isLockHolderActive: o.executions.isActive,
  };
  const withFaults =
    (name: FunctionName, handler: (event: never) => Promise<unknown>): LocalLambdaHandler =>
    (event) => {
      const step = FAULT_STEP[name];
      const customerId = customerOf(event);
      return step && customerId
        ? o.faults.withInvocation(step, customerId, () => handler(event as never))
        : handler(event as never);
    };
  const plan = planRun(deps);
  // A batch's per-customer reads are tagged through the compute handler's seam, one customer at a time.
  const perCustomer = o.pool
    ? Object.fromEntries(CUSTOMER_FUNCTIONS.map((name) => [name, o.pool!.handlerFor(name)]))
    : customerFunctions(deps, (customerId, work) => o.faults.withInvocation('compute', customerId, work));
  const built: Record<FunctionName, LocalLambdaHandler> = {
    // A local run's lock holder is this process, not an execution ARN.
    'plan-run': (event) => plan({ ...(event as object), executionId: o.holder } as never),
    'compute-invoice': withFaults('compute-invoice', perCustomer['compute-invoice'] as never),
    'reserve-number': withFaults('reserve-number', perCustomer['reserve-number'] as never),
    'render-documents': withFaults('render-documents', perCustomer['render-documents'] as never),
    compensate: perCustomer.compensate as LocalLambdaHandler,
    'finalize-run': finalizeRun(deps) as never,
  };
  const handlers = o.recordCalls
    ? (Object.fromEntries(
        Object.entries(built).map(([name, handler]) => [
          name,
          ((event, context) =>
            invocation.run(name as FunctionName, () => handler(event, context))) as LocalLambdaHandler,
        ]),
      ) as unknown as Record<FunctionName, LocalLambdaHandler>)
    : built;
  return { handlers, clients };
}
