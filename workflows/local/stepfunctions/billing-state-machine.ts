/**
 * The billing run behind the local Step Functions API: StartExecution of the local billing state
 * machine runs the production ASL with the harness (../harness/billing-run.ts) on a session.
 * Local-only settings of one execution (fault injection, worker threads, handler logs) are given
 * beforehand through the `execution-settings` route: the seam that keeps them out of the API.
 */
import type { SellerConfig } from '../../../lambdas/shared/domain/types.js';
import { BILLING_RUN_ASL_PATH } from '../../definition.js';
import type { FaultPlan } from '../faults.js';
import { executeBillingRun, LOCAL_BILLING_STATE_MACHINE } from '../harness/billing-run.js';
import type { LocalLogLevel } from '../harness/observability.js';
import type { LocalSession } from '../harness/session.js';
import type { ExecutionMetrics } from '../executor.js';
import { LOCAL_ACCOUNT } from '../integrations.js';
import { LocalStepFunctions } from './service.js';
import type { LocalRoute } from './server.js';

/** What a client may set for one execution before starting it (local only). */
export interface LocalExecutionSettings {
  faults?: FaultPlan;
  workerThreads?: number;
  logLevel?: LocalLogLevel;
  retryIntervalMs?: number;
}

export interface LocalBillingMachine {
  service: LocalStepFunctions;
  /** Routes under /_invoicer/: execution-settings (POST {name, settings}), execution-metrics (GET ?name=). */
  routes: Record<string, LocalRoute>;
}

export function localBillingMachine(
  session: LocalSession,
  defaults: { seller?: SellerConfig; workerThreads?: number; timeZone?: string },
): LocalBillingMachine {
  const settings = new Map<string, LocalExecutionSettings>();
  const metrics = new Map<string, ExecutionMetrics & { faultsInjected: Record<string, number> }>();
  const service = new LocalStepFunctions({
    dataDir: session.dataDir,
    region: session.stack.region,
    account: LOCAL_ACCOUNT,
    stateMachineName: LOCAL_BILLING_STATE_MACHINE,
    aslPath: BILLING_RUN_ASL_PATH,
    runner: async ({ name, input, hooks }) => {
      // Used once: a redrive runs without the first attempt's faults (the cause was fixed).
      const own = settings.get(name) ?? {};
      settings.delete(name);
      const workerThreads = own.workerThreads ?? defaults.workerThreads;
      const { result, faultsInjected } = await executeBillingRun(session, {
        executionName: name,
        input,
        hooks,
        ...(defaults.seller ? { seller: defaults.seller } : {}),
        ...(defaults.timeZone ? { timeZone: defaults.timeZone } : {}),
        ...(workerThreads ? { workerThreads } : {}),
        faults: own.faults,
        ...(own.logLevel ? { logLevel: own.logLevel } : {}),
        ...(own.retryIntervalMs !== undefined ? { retryIntervalMs: own.retryIntervalMs } : {}),
      });
      metrics.set(name, { ...result.metrics, faultsInjected });
      return result;
    },
  });
  return {
    service,
    routes: {
      'execution-settings': (body) => {
        const name = String(body.name ?? '');
        settings.set(name, (body.settings ?? {}) as LocalExecutionSettings);
        return { name };
      },
      'execution-metrics': (_body, query) => metrics.get(query.get('name') ?? '') ?? {},
    },
  };
}
