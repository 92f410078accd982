/**
 * The AWS SDK clients a handler uses, built from explicit options: no module-level clients, no
 * endpoints read from hidden places. The seam for everything that watches or changes AWS calls
 * from outside is `middlewares`: each is added to every client's middleware stack under its own
 * name (`override: true`, so adding one twice is harmless, the way Powertools adds its own).
 * Production passes X-Ray capture through `decorate`; the local harness passes call counting and
 * fault injection (workflows/local/) through `middlewares`. This module knows neither.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export type AwsService = 'dynamodb' | 's3' | 'sns' | 'sfn';

/** What a middleware sees of a call: the service and the operation (`PutObject`, `TransactWriteItems`). */
export interface AwsCall {
  /** `dynamodb`, `s3`, `sns`, `sfn` (or any other client's service id). */
  service: string;
  operation: string;
  /** The command's input, as given (read it, never change it). */
  input: unknown;
}

/**
 * A middleware that runs before every call of every client. `before` may throw (the call then
 * fails with that error and is not sent) or end the process; it runs once per command, before the
 * SDK's own retries.
 */
export interface AwsCallMiddleware {
  /** Unique name on the middleware stack. */
  name: string;
  before(call: AwsCall): void;
}

export interface AwsClientOptions {
  region?: string;
  /** Per-service endpoint (local emulators); default: the SDK's own resolution. */
  endpoints?: Partial<Record<AwsService, string>>;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Path-style S3 addressing (emulators serve buckets under the path). */
  s3ForcePathStyle?: boolean;
  middlewares?: readonly AwsCallMiddleware[];
  /** Wraps each client once built (Powertools tracer.captureAWSv3Client on Lambda). */
  decorate?: <C>(client: C) => C;
}

export interface AwsClients {
  /** DynamoDB with native JS types (lib-dynamodb), `undefined` attributes removed. */
  dynamodb: DynamoDBDocumentClient;
  s3: S3Client;
  sns: SNSClient;
  sfn: SFNClient;
  destroy(): void;
}

interface MiddlewareStackLike {
  add: (
    middleware: (
      next: (args: unknown) => Promise<unknown>,
      context: { commandName?: string },
    ) => (args: unknown) => Promise<unknown>,
    options: { step: 'initialize'; name: string; override: boolean },
  ) => void;
}

/** Adds the middlewares to one client (idempotent per name). */
export function addCallMiddlewares<C extends { middlewareStack: unknown }>(
  client: C,
  service: string,
  middlewares: readonly AwsCallMiddleware[],
): C {
  for (const middleware of middlewares) {
    (client.middlewareStack as MiddlewareStackLike).add(
      (next, context) => async (args) => {
        middleware.before({
          service,
          operation: (context.commandName ?? 'Unknown').replace(/Command$/, ''),
          input: (args as { input?: unknown }).input,
        });
        return next(args);
      },
      { step: 'initialize', name: middleware.name, override: true },
    );
  }
  return client;
}

export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  const middlewares = options.middlewares ?? [];
  const decorate = options.decorate ?? (<C>(client: C) => client);
  const base = (service: AwsService) => ({
    ...(options.region ? { region: options.region } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.endpoints?.[service] ? { endpoint: options.endpoints[service] } : {}),
  });
  const finish = <C extends { middlewareStack: unknown }>(client: C, service: AwsService): C =>
    decorate(addCallMiddlewares(client, service, middlewares));

  const dynamo = finish(new DynamoDBClient(base('dynamodb')), 'dynamodb');
  const s3 = finish(
    new S3Client({ ...base('s3'), ...(options.s3ForcePathStyle ? { forcePathStyle: true } : {}) }),
    's3',
  );
  const sns = finish(new SNSClient(base('sns')), 'sns');
  const sfn = finish(new SFNClient(base('sfn')), 'sfn');
  return {
    dynamodb: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    s3,
    sns,
    sfn,
    destroy() {
      for (const client of [dynamo, s3, sns, sfn]) client.destroy();
    },
  };
}
