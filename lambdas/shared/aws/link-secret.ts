/**
 * The hosted-link secret on Lambda: read from Secrets Manager once per execution environment (the
 * first link an invocation makes), kept for the environment's life. A failed read is not kept, so
 * the next attempt asks again.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { parseLinkSecret } from '../hosted-links/token.js';

export function secretsManagerLinkSecret(
  client: SecretsManagerClient,
  secretId: string,
): () => Promise<Buffer> {
  let loading: Promise<Buffer> | undefined;
  return () => {
    loading ??= client
      .send(new GetSecretValueCommand({ SecretId: secretId }))
      .then((out) => {
        if (out.SecretString === undefined) throw new Error(`secret ${secretId} has no SecretString`);
        return parseLinkSecret(out.SecretString, `secret ${secretId}`);
      })
      .catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
    return loading;
  };
}
