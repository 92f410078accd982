/**
 * What every handler's `fromEnv()` starts from on Lambda: Powertools, SDK clients traced with
 * X-Ray (endpoints and region from the SDK's own resolution), and the stores over them.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createAwsClients, type AwsClients } from './aws/clients.js';
import { secretsManagerLinkSecret } from './aws/link-secret.js';
import { hostedLinkConfig, storageConfig } from './config.js';
import { hostedLinkIssuer, type HostedLinkIssuer } from './hosted-links/issuer.js';
import type { Observability } from './handler.js';
import { lambdaObservability } from './observability.js';
import { createStores, type Stores } from './store/index.js';

export interface LambdaRuntime extends Stores {
  observability: Observability;
  clients: AwsClients;
  now: () => Date;
  /** Wraps an SDK client for X-Ray, as the runtime's own clients are. */
  traceClient: <C>(client: C) => C;
}

export function lambdaRuntime(env: NodeJS.ProcessEnv): LambdaRuntime {
  const { traceClient, ...observability } = lambdaObservability(env);
  const clients = createAwsClients({ decorate: traceClient });
  return {
    observability,
    clients,
    traceClient,
    now: () => new Date(),
    ...createStores(clients, storageConfig(env)),
  };
}

/** Hosted links signed with the secret in Secrets Manager (read once per environment). */
export function lambdaHostedLinks(env: NodeJS.ProcessEnv, runtime: LambdaRuntime): HostedLinkIssuer {
  const config = hostedLinkConfig(env);
  const secrets = runtime.traceClient(new SecretsManagerClient({}));
  return hostedLinkIssuer({
    secret: secretsManagerLinkSecret(secrets, config.linkSecretArn),
    publicBaseUrl: config.publicBaseUrl,
    links: runtime.links,
    now: runtime.now,
  });
}
