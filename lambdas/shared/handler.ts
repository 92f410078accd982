/**
 * The one wrapper every Lambda handler goes through: a logger per invocation carrying the step,
 * run, customer and invoice ids (never personal data), the fault-injection context, metrics
 * flushing, and X-Ray capture of the AWS clients. Errors propagate unchanged so that Step
 * Functions sees their `name` and Retry/Catch can match it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '@aws-lambda-powertools/logger';
import { decorateClients } from './aws.js';
import type { FaultStep } from './faults.js';
import { withInvocation } from './faults.js';
import { logger, metrics, tracer } from './powertools.js';

// X-Ray subsegments per AWS call on Lambda; a no-op where tracing is off (local runs, tests).
decorateClients((client) => tracer.captureAWSv3Client(client));

export interface LogKeys {
  runId?: string;
  customerId?: string;
  invoiceNumber?: string;
}

const invocationLogger = new AsyncLocalStorage<Logger>();

/**
 * The current invocation's logger. A child per invocation, because the local run executes many
 * invocations concurrently in one process, where shared keys would mix customers up.
 */
export function log(): Logger {
  return invocationLogger.getStore() ?? logger;
}

export function stepHandler<I, O>(
  step: string,
  faultStep: FaultStep | undefined,
  keysOf: (input: I) => LogKeys,
  body: (input: I) => Promise<O>,
): (input: I) => Promise<O> {
  return async (input: I) => {
    const keys = keysOf(input);
    const persistentKeys = Object.fromEntries(
      Object.entries({ step, ...keys }).filter(([, value]) => value !== undefined),
    );
    const child = logger.createChild({ persistentKeys });
    return invocationLogger.run(child, async () => {
      try {
        return await withInvocation(faultStep, keys.customerId, () => body(input));
      } catch (error) {
        child.warn('step failed', { error: error as Error });
        throw error;
      } finally {
        if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      }
    });
  };
}
