/**
 * What every handler's `fromEnv()` starts from on Lambda: Powertools, SDK clients traced with
 * X-Ray (endpoints and region from the SDK's own resolution), and the stores over them.
 */
import { createAwsClients, type AwsClients } from './aws/clients.js';
import { storageConfig } from './config.js';
import type { Observability } from './handler.js';
import { lambdaObservability } from './observability.js';
import { createStores, type Stores } from './store/index.js';

export interface LambdaRuntime extends Stores {
  observability: Observability;
  clients: AwsClients;
  now: () => Date;
}

export function lambdaRuntime(env: NodeJS.ProcessEnv): LambdaRuntime {
  const { traceClient, ...observability } = lambdaObservability(env);
  const clients = createAwsClients({ decorate: traceClient });
  return { observability, clients, now: () => new Date(), ...createStores(clients, storageConfig(env)) };
}
