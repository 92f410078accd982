/**
 * The one wrapper every Lambda handler goes through: a child logger per invocation carrying the
 * step, run, customer and invoice ids (never personal data), and metrics flushed at the end.
 * Errors propagate unchanged so that Step Functions sees their `name` and Retry/Catch can match it.
 * What the wrapper logs with and emits to comes from the handler's dependencies, never from
 * module state: Powertools on Lambda (./observability.ts), whatever the local harness gives locally.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { MetricName } from './contracts/metrics.js';

/** Counters a run emits (EMF on Lambda). */
export interface RunMetrics {
  count(name: MetricName, value: number): void;
  /** Writes what was counted (called once per invocation). */
  flush(): void;
}

export interface Observability {
  logger: Logger;
  metrics: RunMetrics;
}

export interface LogKeys {
  runId?: string;
  customerId?: string;
  invoiceNumber?: string;
}

/** What a step's body gets besides its input: the invocation's own logger. */
export interface StepContext {
  log: Logger;
}

export function stepHandler<I, O>(
  step: string,
  observability: Observability,
  keysOf: (input: I) => LogKeys,
  body: (input: I, context: StepContext) => Promise<O>,
): (input: I) => Promise<O> {
  return async (input: I) => {
    const persistentKeys = Object.fromEntries(
      Object.entries({ step, ...keysOf(input) }).filter(([, value]) => value !== undefined),
    );
    // A child per invocation: the local run executes many invocations concurrently in one process.
    const log = observability.logger.createChild({ persistentKeys });
    try {
      return await body(input, { log });
    } catch (error) {
      log.warn('step failed', { error: error as Error });
      throw error;
    } finally {
      observability.metrics.flush();
    }
  };
}

/**
 * `handler` of a function module: built from the environment on first use, so that importing a
 * handler module (tests, the local harness) never reads the environment. A configuration error
 * fails that invocation with the variable's name, and the next invocation tries again.
 */
export function lazyHandler<A extends unknown[], O>(
  build: () => (...args: A) => Promise<O>,
): (...args: A) => Promise<O> {
  let built: ((...args: A) => Promise<O>) | undefined;
  return async (...args: A) => {
    built ??= build();
    return built(...args);
  };
}
