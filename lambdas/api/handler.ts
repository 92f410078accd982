/**
 * The read API on Lambda, behind an API Gateway HTTP API (payload format 2.0): the Hono app of
 * ./app.ts built from the environment on first use.
 */
import { handle } from 'hono/aws-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretsManagerKey } from '../shared/aws/link-secret.js';
import { requireEnv, storageConfig } from '../shared/config.js';
import { ENV } from '../shared/contracts/env.js';
import { lazyHandler } from '../shared/handler.js';
import { lambdaRuntime } from '../shared/runtime.js';
import { presignedDocumentLinks } from '../shared/store/document-links.js';
import { s3OperatorLog } from '../shared/store/operator-log.js';
import { createApiApp, type ApiDeps } from './app.js';

export function fromEnv(env: NodeJS.ProcessEnv = process.env): ApiDeps {
  const runtime = lambdaRuntime(env);
  return {
    invoices: runtime.invoices,
    documents: runtime.documents,
    links: runtime.links,
    deliveries: runtime.deliveries,
    receivables: runtime.receivables,
    operatorLog: s3OperatorLog(runtime.documents),
    // The operator log names the function that refused to serve an altered file.
    operator: `lambda:${env[ENV.lambdaFunctionName] ?? 'read-api'}`,
    documentUrl: presignedDocumentLinks(runtime.clients.s3, storageConfig(env).documentsBucket),
    cursorKey: secretsManagerKey(
      runtime.traceClient(new SecretsManagerClient({})),
      requireEnv(ENV.cursorKeyArn, env),
    ),
    reportError: (error, errorId) =>
      runtime.observability.logger.error('read API request failed', { error: error as Error, errorId }),
  };
}

/** Built on the first request, so that importing this module reads no environment. */
export const handler = lazyHandler(() => handle(createApiApp(fromEnv())));
