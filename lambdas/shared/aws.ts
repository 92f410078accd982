/**
 * AWS SDK clients, created once per process. Every call is counted by service and operation
 * (the local run reports them; they feed the cost model), traced with X-Ray on Lambda (see
 * handler.ts), and passes
 * the fault injector, which can fail it the way the real service would (see faults.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { maybeInjectFault } from './faults.js';

const callCounts = new Map<string, number>();

/** Calls made by this process since the last reset, keyed `service:Operation`. */
export function recordedAwsCalls(): Record<string, number> {
  return Object.fromEntries([...callCounts.entries()].sort());
}

export function resetRecordedAwsCalls(): void {
  callCounts.clear();
}

let clientDecorator: (<C>(client: C) => C) | undefined;

/** Wraps every client created from now on (the Lambda handlers add X-Ray tracing this way). */
export function decorateClients(decorator: <C>(client: C) => C): void {
  clientDecorator = decorator;
}

interface MiddlewareStackLike {
  add: (
    middleware: (
      next: (args: unknown) => Promise<unknown>,
      context: { commandName?: string },
    ) => (args: unknown) => Promise<unknown>,
    options: { step: 'initialize'; name: string },
  ) => void;
}

function instrument<T extends { middlewareStack: unknown }>(client: T, service: string): T {
  (client.middlewareStack as MiddlewareStackLike).add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      const key = `${service}:${operation}`;
      callCounts.set(key, (callCounts.get(key) ?? 0) + 1);
      maybeInjectFault(service, operation);
      return next(args);
    },
    { step: 'initialize', name: 'invoicerCallCounter' },
  );
  return clientDecorator ? clientDecorator(client) : client;
}

const endpoint = (service: string): string | undefined =>
  process.env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] ?? process.env.AWS_ENDPOINT_URL;

let dynamo: DynamoDBDocumentClient | undefined;
let s3: S3Client | undefined;
let sns: SNSClient | undefined;

export function dynamoDb(): DynamoDBDocumentClient {
  dynamo ??= DynamoDBDocumentClient.from(
    instrument(new DynamoDBClient({ endpoint: endpoint('dynamodb') }), 'dynamodb'),
    {
      marshallOptions: { removeUndefinedValues: true },
    },
  );
  return dynamo;
}

export function s3Client(): S3Client {
  s3 ??= instrument(
    new S3Client({
      endpoint: endpoint('s3'),
      forcePathStyle: process.env.AWS_S3_FORCE_PATH_STYLE === 'true',
    }),
    's3',
  );
  return s3;
}

export function snsClient(): SNSClient {
  sns ??= instrument(new SNSClient({ endpoint: endpoint('sns') }), 'sns');
  return sns;
}
