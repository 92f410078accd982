/**
 * One worker thread of the local Lambda pool (./lambda-pool.ts): a warm "Lambda environment" that
 * builds the per-customer functions once from their factories, with its own SDK clients to the
 * same local endpoints, and serves invocations. Each reply carries the output or the error's name
 * and message (Step Functions matches Retry/Catch on the name; a thrown Error would lose it
 * between threads), and the AWS calls the invocation made, for the run's counters.
 */
import { workerData } from 'node:worker_threads';
import { createAwsClients, type AwsClientOptions } from '../../../lambdas/shared/aws/clients.js';
import type { StorageConfig } from '../../../lambdas/shared/config.js';
import type { SellerConfig } from '../../../lambdas/shared/domain/types.js';
import { createStores } from '../../../lambdas/shared/store/index.js';
import type { LocalLinkSettings } from '../hosted-links.js';
import { CallCounters, callCounter } from '../instrumentation.js';
import { customerFunctions } from './customer-functions.js';
import { localObservability, type LocalLogLevel } from './observability.js';

export interface LambdaWorkerData {
  clientOptions: Omit<AwsClientOptions, 'middlewares' | 'decorate'>;
  storage: StorageConfig;
  seller: SellerConfig;
  linkSettings: LocalLinkSettings;
  logLevel?: LocalLogLevel;
}

export interface LambdaTask {
  functionName: string;
  event: unknown;
}

export type LambdaReply =
  | { ok: true; output: unknown; calls: Record<string, number> }
  | { ok: false; error: { name: string; message: string }; calls: Record<string, number> };

const data = workerData as LambdaWorkerData;
const counters = new CallCounters();
const clients = createAwsClients({ ...data.clientOptions, middlewares: [callCounter(counters)] });
const handlers: Record<string, (event: never) => Promise<unknown>> = customerFunctions({
  ...createStores(clients, data.storage),
  observability: localObservability(data.logLevel),
  now: () => new Date(),
  seller: data.seller,
  linkSettings: data.linkSettings,
});

/**
 * The calls counted since the last reply. A worker runs several invocations at once, so a reply's
 * counts may include another invocation's; summed over all replies they are exact.
 */
function takeCalls(): Record<string, number> {
  const calls = counters.snapshot();
  counters.reset();
  return calls;
}

export default async function invoke({ functionName, event }: LambdaTask): Promise<LambdaReply> {
  const handler = handlers[functionName];
  if (!handler) throw new Error(`the Lambda worker pool has no function ${functionName}`);
  try {
    const output = await handler(event as never);
    return { ok: true, output, calls: takeCalls() };
  } catch (error) {
    const e = error as Error;
    return { ok: false, error: { name: e.name, message: e.message }, calls: takeCalls() };
  }
}
