/**
 * Task state resources served locally, with the request/response shapes and the error names
 * Step Functions gives them on AWS, so Retry and Catch behave the same:
 *   arn:aws:states:::lambda:invoke              in-process handler; { ExecutedVersion, Payload, StatusCode: 200 ... };
 *                                               a thrown error -> Error = error.name,
 *                                               Cause = {"errorType","errorMessage","trace"} as Lambda reports it
 *   arn:aws:states:::dynamodb:putItem|updateItem|getItem|deleteItem   optimized; errors DynamoDB.<Name>,
 *                                               unmodeled ones DynamoDB.AmazonDynamoDBException
 *   arn:aws:states:::sns:publish                optimized; errors SNS.<Name> / SNS.AmazonSNSException
 *   arn:aws:states:::aws-sdk:<service>:<action> dynamodb|s3|sns|sqs; errors <Service>.<Name>Exception
 *                                               (DynamoDb., S3., Sns., Sqs.; "Exception" appended when missing)
 */
import { randomUUID } from 'node:crypto';
import * as dynamodbSdk from '@aws-sdk/client-dynamodb';
import * as s3Sdk from '@aws-sdk/client-s3';
import * as snsSdk from '@aws-sdk/client-sns';
import * as sqsSdk from '@aws-sdk/client-sqs';

/** An error as Step Functions reports it: `name` is the Error field, `message` the Cause. */
export class TaskError extends Error {
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}

export interface LocalLambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
}

/** An in-process Lambda handler: same signature as the deployed one. */
export type LocalLambdaHandler = (event: never, context: LocalLambdaContext) => unknown;

export const LOCAL_ACCOUNT = '000000000000';

/** The ARN a locally registered function answers to. */
export function localLambdaArn(functionName: string, region = 'us-east-1'): string {
  return `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:${functionName}`;
}

const LAMBDA_ARN =
  /^(?:arn:aws[a-z-]*:lambda:[^:]*:)?(?:\d{12}:)?(?:function:)?([A-Za-z0-9_-]+)(?::[A-Za-z0-9$_-]+)?$/;

/** Resolves FunctionName (name, partial or full ARN, with or without qualifier) to a function name. */
export function functionNameOf(functionName: string): string | undefined {
  return LAMBDA_ARN.exec(functionName)?.[1];
}

export class LambdaRegistry {
  private readonly byName = new Map<string, LocalLambdaHandler>();
  readonly invocations = new Map<string, number>();

  constructor(handlers: Record<string, LocalLambdaHandler> = {}) {
    for (const [key, handler] of Object.entries(handlers)) this.register(key, handler);
  }

  /** Registers a handler under a function name or ARN. */
  register(nameOrArn: string, handler: LocalLambdaHandler): void {
    const name = functionNameOf(nameOrArn);
    if (!name)
      throw new Error(`local lambda registration: '${nameOrArn}' is neither a function name nor an ARN`);
    this.byName.set(name, handler);
  }

  resolve(functionName: string): { name: string; handler: LocalLambdaHandler } | undefined {
    const name = functionNameOf(functionName);
    const handler = name ? this.byName.get(name) : undefined;
    return name && handler ? { name, handler } : undefined;
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }
}

const STATE_PAYLOAD_LIMIT_BYTES = 256 * 1024;

/** JSON round trip, as over the wire: the handler never shares objects with the interpreter. */
function wire(value: unknown, what: string): unknown {
  const text = JSON.stringify(value === undefined ? null : value);
  if (Buffer.byteLength(text, 'utf8') > STATE_PAYLOAD_LIMIT_BYTES) {
    throw new TaskError(
      'States.DataLimitExceeded',
      `${what} is ${Buffer.byteLength(text, 'utf8')} bytes, more than the 256 KiB Step Functions allows`,
    );
  }
  return JSON.parse(text) as unknown;
}

function sdkHttpMetadata(requestId: string): Record<string, unknown> {
  return {
    SdkHttpMetadata: {
      AllHttpHeaders: { 'x-amzn-RequestId': [requestId] },
      HttpHeaders: { 'x-amzn-RequestId': requestId },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

/** `arn:aws:states:::lambda:invoke` with Parameters { FunctionName, Payload }. */
export async function invokeLambda(
  registry: LambdaRegistry,
  parameters: unknown,
  stateName: string,
): Promise<unknown> {
  const { FunctionName, Payload } = (parameters ?? {}) as { FunctionName?: unknown; Payload?: unknown };
  if (typeof FunctionName !== 'string') {
    throw new TaskError(
      'States.Runtime',
      `state ${stateName}: lambda:invoke Parameters.FunctionName is missing`,
    );
  }
  const target = registry.resolve(FunctionName);
  if (!target) {
    throw new TaskError(
      'Lambda.ResourceNotFoundException',
      `Function not found: ${FunctionName} (state ${stateName}; registered locally: ${registry.names().join(', ') || 'none'})`,
    );
  }
  registry.invocations.set(target.name, (registry.invocations.get(target.name) ?? 0) + 1);
  const requestId = randomUUID();
  const deadline = Date.now() + 900_000;
  const context: LocalLambdaContext = {
    functionName: target.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: FunctionName.startsWith('arn:') ? FunctionName : localLambdaArn(target.name),
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${target.name}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  let result: unknown;
  try {
    result = await target.handler(wire(Payload, `state ${stateName}: the Lambda payload`) as never, context);
  } catch (thrown) {
    if (thrown instanceof TaskError && thrown.name === 'States.DataLimitExceeded') throw thrown;
    // What the Node.js runtime reports for an unhandled error; Step Functions uses errorType as Error.
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    const errorType = error.name || 'Error';
    const trace = (error.stack ?? '').split('\n').filter((line) => line.trim() !== '');
    throw new TaskError(errorType, JSON.stringify({ errorType, errorMessage: error.message, trace }));
  }
  return {
    ExecutedVersion: '$LATEST',
    Payload: wire(result, `state ${stateName}: the output of ${target.name}`),
    ...sdkHttpMetadata(requestId),
    StatusCode: 200,
  };
}

export interface IntegrationClients {
  dynamodb: dynamodbSdk.DynamoDBClient;
  s3: s3Sdk.S3Client;
  sns: snsSdk.SNSClient;
  sqs: sqsSdk.SQSClient;
}

type Sdk = Record<string, unknown>;
const SDKS: Record<
  keyof IntegrationClients,
  { module: Sdk; pascal: string; optimized: string; javaService: string }
> = {
  dynamodb: {
    module: dynamodbSdk,
    pascal: 'DynamoDb',
    optimized: 'DynamoDB',
    javaService: 'AmazonDynamoDBv2',
  },
  s3: { module: s3Sdk, pascal: 'S3', optimized: 'S3', javaService: 'Amazon S3' },
  sns: { module: snsSdk, pascal: 'Sns', optimized: 'SNS', javaService: 'AmazonSNS' },
  sqs: { module: sqsSdk, pascal: 'Sqs', optimized: 'SQS', javaService: 'AmazonSQS' },
};

const pascal = (action: string): string => action.charAt(0).toUpperCase() + action.slice(1);

interface SdkError extends Error {
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/** A modeled service exception is a subclass of the service's base exception class. */
function isModeled(error: SdkError, service: keyof IntegrationClients): boolean {
  const base = Object.values(SDKS[service].module).find(
    (value) => typeof value === 'function' && /ServiceException$/.test((value as { name: string }).name),
  ) as (new (...args: never[]) => Error) | undefined;
  return Boolean(base && error instanceof base && Object.getPrototypeOf(error) !== base.prototype);
}

function causeOf(error: SdkError, service: keyof IntegrationClients): string {
  const status = error.$metadata?.httpStatusCode ?? 400;
  const requestId = error.$metadata?.requestId ?? randomUUID();
  return `${error.message} (Service: ${SDKS[service].javaService}; Status Code: ${status}; Error Code: ${error.name}; Request ID: ${requestId}; Proxy: null)`;
}

function mapOptimizedError(error: unknown, service: 'dynamodb' | 'sns'): TaskError {
  const e = error as SdkError;
  if (e instanceof TaskError) return e;
  const prefix = SDKS[service].optimized;
  const generic = service === 'dynamodb' ? 'AmazonDynamoDBException' : 'AmazonSNSException';
  const name = e.$metadata && isModeled(e, service) ? e.name : generic;
  return new TaskError(`${prefix}.${name}`, causeOf(e, service));
}

function mapAwsSdkError(error: unknown, service: keyof IntegrationClients): TaskError {
  const e = error as SdkError;
  if (e instanceof TaskError) return e;
  const name = e.name.endsWith('Exception') ? e.name : `${e.name}Exception`;
  return new TaskError(`${SDKS[service].pascal}.${name}`, causeOf(e, service));
}

/** Response as Step Functions returns it: the API's PascalCase output without SDK plumbing. */
async function plain(value: unknown): Promise<unknown> {
  if (value === null || value === undefined) return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (typeof value === 'object' && 'transformToString' in value) {
    return (value as { transformToString: () => Promise<string> }).transformToString();
  }
  if (Array.isArray(value)) return Promise.all(value.map(plain));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (key === '$metadata' || v === undefined) continue;
      out[key] = await plain(v);
    }
    return out;
  }
  return value;
}

async function send(
  clients: IntegrationClients,
  service: keyof IntegrationClients,
  action: string,
  parameters: unknown,
  stateName: string,
): Promise<unknown> {
  const Command = SDKS[service].module[`${pascal(action)}Command`] as
    (new (input: unknown) => unknown) | undefined;
  if (typeof Command !== 'function') {
    throw new TaskError('States.Runtime', `state ${stateName}: ${service} has no action '${action}'`);
  }
  const client = clients[service] as unknown as { send: (command: unknown) => Promise<unknown> };
  return client.send(new Command(parameters ?? {}));
}

const OPTIMIZED_DYNAMODB = new Set(['putItem', 'updateItem', 'getItem', 'deleteItem']);

/**
 * What SNS delivers to an SQS subscriber of a MessageStructure=json message: its `sqs` entry, else
 * `default`. fauxqs ignores MessageStructure, and the only local subscribers are SQS queues, so
 * local publishers hand it this instead.
 */
export function sqsEntryOf(structured: Record<string, unknown>): string {
  return typeof structured.sqs === 'string' ? structured.sqs : String(structured.default);
}

/** SNS delivers, per protocol, the `sqs` entry (else `default`) of a MessageStructure=json message. */
function resolveMessageStructure(
  parameters: Record<string, unknown>,
  stateName: string,
): Record<string, unknown> {
  if (parameters.MessageStructure !== 'json') return parameters;
  let structured: Record<string, unknown>;
  try {
    structured = JSON.parse(String(parameters.Message)) as Record<string, unknown>;
  } catch {
    throw new TaskError('SNS.InvalidParameterException', `state ${stateName}: Message is not valid JSON`);
  }
  if (typeof structured.default !== 'string') {
    throw new TaskError(
      'SNS.InvalidParameterException',
      `Invalid parameter: Message Structure - No default entry in JSON message body (state ${stateName})`,
    );
  }
  const { MessageStructure: _structure, ...rest } = parameters;
  void _structure;
  return { ...rest, Message: sqsEntryOf(structured) };
}

export type ResourceKind =
  | { kind: 'lambda' }
  | { kind: 'optimized'; service: 'dynamodb' | 'sns'; action: string }
  | { kind: 'aws-sdk'; service: keyof IntegrationClients; action: string };

/** Classifies a Task Resource; unsupported ones fail at load time, naming the state. */
export function classifyResource(resource: string, stateName: string): ResourceKind {
  if (resource === 'arn:aws:states:::lambda:invoke') return { kind: 'lambda' };
  const optimized = /^arn:aws:states:::(dynamodb|sns):([A-Za-z]+)$/.exec(resource);
  if (optimized) {
    const [, service, action] = optimized as unknown as [string, 'dynamodb' | 'sns', string];
    if (
      (service === 'dynamodb' && OPTIMIZED_DYNAMODB.has(action)) ||
      (service === 'sns' && action === 'publish')
    ) {
      return { kind: 'optimized', service, action };
    }
  }
  const sdk = /^arn:aws:states:::aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)$/.exec(resource);
  if (sdk && (sdk[1] as string) in SDKS) {
    return { kind: 'aws-sdk', service: sdk[1] as keyof IntegrationClients, action: sdk[2] as string };
  }
  throw new Error(
    `state ${stateName}: resource ${resource} is not served locally ` +
      '(supported: lambda:invoke, dynamodb:putItem|updateItem|getItem|deleteItem, sns:publish, ' +
      'aws-sdk:dynamodb|s3|sns|sqs:<action>; no .sync / .waitForTaskToken)',
  );
}

/** Executes one Task state's resource with the state's effective Parameters. */
export async function runTaskResource(
  kind: ResourceKind,
  parameters: unknown,
  env: { clients: IntegrationClients; lambdas: LambdaRegistry },
  stateName: string,
): Promise<unknown> {
  switch (kind.kind) {
    case 'lambda':
      return invokeLambda(env.lambdas, parameters, stateName);
    case 'optimized': {
      const request =
        kind.service === 'sns'
          ? resolveMessageStructure((parameters ?? {}) as Record<string, unknown>, stateName)
          : parameters;
      try {
        const response = (await plain(
          await send(env.clients, kind.service, kind.action, request, stateName),
        )) as Record<string, unknown>;
        const requestId = randomUUID();
        return { ...response, ...sdkHttpMetadata(requestId) };
      } catch (error) {
        throw mapOptimizedError(error, kind.service);
      }
    }
    case 'aws-sdk':
      try {
        return await plain(await send(env.clients, kind.service, kind.action, parameters, stateName));
      } catch (error) {
        throw mapAwsSdkError(error, kind.service);
      }
  }
}
