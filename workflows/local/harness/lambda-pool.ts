/**
 * The per-customer Lambda functions in a pool of worker threads (piscina), one warm "Lambda
 * environment" per thread (./lambda-worker.ts), so that rendering and the handlers' SDK work use
 * the machine's other cores while the interpreter, the emulators' glue and the orchestration stay
 * on the main thread. PlanRun and FinalizeRun stay in-process (PlanRun needs this process's lock
 * liveness), and so does everything when faults are injected: the fault injector's per-customer
 * attempt counts and its crash live in the main thread.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { CallCounters } from '../instrumentation.js';
import type { CustomerFunction } from './customer-functions.js';
import type { LocalLambdaHandler } from '../integrations.js';
import type { LambdaReply, LambdaTask, LambdaWorkerData } from './lambda-worker.js';

/** The functions the pool serves. */
export const POOLED_FUNCTIONS = [
  'compute-invoice',
  'reserve-number',
  'render-documents',
  'compensate',
] as const;

/**
 * Threads for this machine: one core stays with the main thread (the interpreter, fauxqs, the
 * orchestration) and one with DynamoDB Local's JVM; the rest serve the functions. On 2 cores that
 * is 0, and measured so: a pool of 2 made a 1,000-customer run no faster (37.8 vs 36.8 invoices/s)
 * and cost 560 MB more peak RSS, both cores being busy already.
 */
export function defaultWorkerThreads(): number {
  return Math.max(0, availableParallelism() - 2);
}

/** Invocations a worker runs at once: they mostly wait on the local endpoints. */
const INVOCATIONS_PER_WORKER = 64;

export class LambdaPool {
  private readonly pool: Piscina<LambdaTask, LambdaReply>;

  constructor(
    threads: number,
    data: LambdaWorkerData,
    private readonly counters: CallCounters,
  ) {
    this.pool = new Piscina({
      filename: new URL('./lambda-worker.mjs', import.meta.url).href,
      minThreads: threads,
      maxThreads: threads,
      concurrentTasksPerWorker: INVOCATIONS_PER_WORKER,
      idleTimeout: Number.MAX_SAFE_INTEGER,
      workerData: data,
    });
  }

  /** A local Lambda handler that invokes `functionName` in the pool. */
  handlerFor(functionName: CustomerFunction): LocalLambdaHandler {
    return async (event) => {
      const reply = await this.pool.run({ functionName, event });
      this.counters.addAll(reply.calls);
      if (!reply.ok) {
        const error = new Error(reply.error.message);
        error.name = reply.error.name;
        throw error;
      }
      return reply.output;
    };
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}
