/**
 * The one wrapper every Lambda handler goes through: log keys (step, run, customer, invoice),
 * the fault-injection context, metrics flushing. Errors propagate unchanged so that Step
 * Functions sees their `name` and Retry/Catch can match it.
 */
import type { FaultStep } from './faults.js';
import { withInvocation } from './faults.js';
import { logger, metrics } from './powertools.js';

export interface LogKeys {
  runId?: string;
  customerId?: string;
  invoiceNumber?: string;
}

export function stepHandler<I, O>(
  step: string,
  faultStep: FaultStep | undefined,
  keysOf: (input: I) => LogKeys,
  body: (input: I) => Promise<O>,
): (input: I) => Promise<O> {
  return async (input: I) => {
    const keys = keysOf(input);
    logger.resetKeys();
    logger.appendKeys({ step, ...keys });
    try {
      return await withInvocation(faultStep, keys.customerId, () => body(input));
    } catch (error) {
      logger.warn('step failed', { error: error as Error });
      throw error;
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
}
