/**
 * The API's record import routes on Lambda (./import-routes.ts), a function of their own behind
 * the same HTTP API: it may write the Customers, Plans and Usage tables and the operator log,
 * which the read API's function may not. The caller is the IAM principal API Gateway verified.
 */
import { Hono, type Context } from 'hono';
import { handle } from 'hono/aws-lambda';
import { storageConfig } from '../shared/config.js';
import { lazyHandler } from '../shared/handler.js';
import { lambdaRuntime } from '../shared/runtime.js';
import { s3OperatorLog } from '../shared/store/operator-log.js';
import { dynamoRecordWriter } from '../shared/store/record-writer.js';
import { withErrorResponses } from './app.js';
import { API_ERROR, ApiError } from './errors.js';
import { addImportRoutes, type ImportDeps } from './import-routes.js';

/** The IAM principal of an API Gateway (HTTP API, IAM authorizer) request. */
export function iamCallerOf(c: Context): string {
  const env = c.env as { requestContext?: { authorizer?: { iam?: { userArn?: string } } } } | undefined;
  const arn = env?.requestContext?.authorizer?.iam?.userArn;
  if (!arn) throw new ApiError(API_ERROR.forbidden, 'an import needs an IAM-signed request');
  return arn;
}

export function fromEnv(
  env: NodeJS.ProcessEnv = process.env,
): ImportDeps & { reportError(e: unknown, errorId?: string): void } {
  const runtime = lambdaRuntime(env);
  return {
    writer: dynamoRecordWriter(runtime.clients.dynamodb),
    tables: storageConfig(env).tables,
    operatorLog: s3OperatorLog(runtime.documents),
    callerOf: iamCallerOf,
    now: () => new Date(),
    payments: { invoices: runtime.invoices, records: runtime.records, receivables: runtime.receivables },
    reportError: (error, errorId) =>
      runtime.observability.logger.error('import request failed', { error: error as Error, errorId }),
  };
}

export function createImportApp(
  deps: ImportDeps & { reportError(e: unknown, errorId?: string): void },
): Hono {
  const app = new Hono();
  addImportRoutes(app, deps);
  return withErrorResponses(app, deps.reportError);
}

/** Built on the first request, so that importing this module reads no environment. */
export const handler = lazyHandler(() => handle(createImportApp(fromEnv())));
