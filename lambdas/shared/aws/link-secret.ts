/**
 * The hosted-link secret (and the cursor key) on Lambda: read from Secrets Manager once per execution environment (the
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
  return secretsManagerKey(client, secretId);
}

/** A secret key of at least 32 bytes (hex or base64) from Secrets Manager: links, cursors. */
export function secretsManagerKey(client: SecretsManagerClient, secretId: string): () => Promise<Buffer> {
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
