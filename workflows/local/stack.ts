/**
 * The embedded local stack: AWS's DynamoDB Local (a Java child process) and fauxqs (S3, SNS and
 * SQS, in-process), on free ports, with their state under one data directory so a second run
 * finds the first one's invoices:
 *   <dataDir>/dynamodb   DynamoDB Local's -dbPath (one shared SQLite file)
 *   <dataDir>/s3         S3 objects as plain files (fauxqs s3StorageDir): open them in a viewer
 *   <dataDir>/fauxqs     SNS topics, subscriptions, SQS queues and their messages (fauxqs SQLite)
 * The storage resources come from the synthesized CDK template (see resources.ts); the local
 * "customer inbox" queue is subscribed to the customer notifications topic.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { ListSubscriptionsByTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import {
  ensureLocalResources,
  planLocalResources,
  type CfnResources,
  type LocalResourceNames,
} from './resources.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_DYNAMODB_LOCAL_DIR = join(ROOT, '.local', 'dynamodb');

/** Dummy credentials: both emulators accept any. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export interface StartLocalStackOptions {
  /** Where all state lives (created if missing). */
  dataDir: string;
  /** Default 'us-east-1'. */
  region?: string;
  /** Prefix of every local resource name. Default 'invoicer'. */
  prefix?: string;
  /** CloudFormation Resources to create. Default: infra/local-resources.ts synthStorageResources(). */
  resources?: CfnResources;
  /** Where DynamoDBLocal.jar is. Default .local/dynamodb (installed by npm postinstall). */
  dynamoDbLocalDir?: string;
  /** Fixed ports; default: free loopback ports. */
  dynamoDbPort?: number;
  fauxqsPort?: number;
  /** How long DynamoDB Local may take to answer. Default 30 s. */
  startTimeoutMs?: number;
  /** Receives DynamoDB Local's output lines (default: kept only for error messages). */
  log?: (line: string) => void;
}

export interface LocalEndpoints {
  dynamodb: string;
  s3: string;
  sns: string;
  sqs: string;
}

export interface LocalClientConfig {
  region: string;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle?: boolean;
}

export interface InboxMessage {
  messageId: string;
  sentAt: string;
  topicArn?: string;
  subject?: string;
  /** The message the SQS subscriber got (for MessageStructure json: the `sqs` or `default` entry). */
  message: string;
  /** SNS message attributes, as strings (customerId, eventType, invoiceNumber ...). */
  attributes: Record<string, string>;
}

export interface LocalStack {
  dataDir: string;
  region: string;
  endpoints: LocalEndpoints;
  /** Ready-made AWS SDK v3 client config per service (S3 with forcePathStyle). */
  clientConfig: {
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    dynamodb: LocalClientConfig;
    s3: LocalClientConfig;
    sns: LocalClientConfig;
    sqs: LocalClientConfig;
  };
  /** Shared clients against the local endpoints (not instrumented; see instrumentClient). */
  clients: { dynamodb: DynamoDBClient; s3: S3Client; sns: SNSClient; sqs: SQSClient };
  /** Environment that points code using lambdas/shared/aws.ts (and the AWS CLI) at this stack. */
  env: Record<string, string>;
  names: LocalResourceNames & {
    customerInboxQueueUrl: string;
    customerInboxQueueArn: string;
    opsInboxQueueUrl: string;
    opsInboxQueueArn: string;
  };
  /** The resources by role (same names as `names`, grouped). */
  resources: {
    tables: LocalResourceNames['tables'];
    bucket: string;
    topics: { customerNotifications: string; opsSummary: string };
  };
  /** What customers received, oldest first; non-destructive (messages stay in the queue). */
  customerInbox(): InboxMessage[];
  /** Same as customerInbox(), as a promise. */
  readInbox(): Promise<InboxMessage[]>;
  /** What the ops summary topic delivered, oldest first; non-destructive. */
  opsInbox(): InboxMessage[];
  /** How long the start took, in ms, by phase. */
  startupMs: { dynamodb: number; fauxqs: number; resources: number; total: number };
  /** The pid of DynamoDB Local's java process (gone after stop()). */
  dynamoDbPid: number | undefined;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('could not allocate a free port'));
      });
    });
  });
}

// Java processes still running in this Node process, killed on exit and on fatal signals.
const liveJavaPids = new Set<number>();
let exitHooksInstalled = false;

function killLiveJava(): void {
  for (const pid of liveJavaPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  liveJavaPids.clear();
}

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', killLiveJava);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killLiveJava();
      process.off(signal, onSignal);
      // Keep the default behaviour (terminate) unless someone else handles the signal.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/*
 * DynamoDB Local runs under a tiny sh supervisor whose stdin is a pipe from this process. When
 * this process ends for any reason (even SIGKILL) the pipe closes and the supervisor kills java,
 * so no orphan java survives a crashed test run. The supervisor prints java's pid first.
 */
const SUPERVISOR = [
  'exec 3<&0',
  'java "$@" </dev/null &',
  'pid=$!',
  'echo "JAVA_PID=$pid"',
  '{ read _ <&3; kill "$pid" 2>/dev/null; } &',
  'wait "$pid"',
].join('\n');

interface DynamoDbLocalProcess {
  endpoint: string;
  javaPid: number | undefined;
  stop(): Promise<void>;
}

async function startDynamoDbLocal(options: {
  jarDir: string;
  dbPath: string;
  port: number;
  region: string;
  timeoutMs: number;
  log?: (line: string) => void;
}): Promise<DynamoDbLocalProcess> {
  const jar = join(options.jarDir, 'DynamoDBLocal.jar');
  if (!existsSync(jar)) {
    throw new Error(
      `DynamoDB Local is not installed (${jar} is missing): run \`npm install\` or ` +
        '`node scripts/local-stack/install-dynamodb-local.mjs`',
    );
  }
  mkdirSync(options.dbPath, { recursive: true });
  const args = [
    `-Djava.library.path=${join(options.jarDir, 'DynamoDBLocal_lib')}`,
    '-jar',
    jar,
    '-dbPath',
    options.dbPath,
    '-port',
    String(options.port),
    '-sharedDb',
    '-disableTelemetry',
  ];
  const child: ChildProcess = spawn('sh', ['-c', SUPERVISOR, 'dynamodb-local', ...args], {
    cwd: options.jarDir,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  installExitHooks();
  const output: string[] = [];
  let javaPid: number | undefined;
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<void>((resolveExit) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      if (javaPid !== undefined) liveJavaPids.delete(javaPid);
      resolveExit();
    });
  });
  const onLine = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      const pidMatch = /^JAVA_PID=(\d+)$/.exec(line.trim());
      if (pidMatch) {
        javaPid = Number(pidMatch[1]);
        liveJavaPids.add(javaPid);
        continue;
      }
      output.push(line);
      if (output.length > 50) output.shift();
      options.log?.(line);
    }
  };
  child.stdout?.on('data', onLine);
  child.stderr?.on('data', onLine);

  const endpoint = `http://127.0.0.1:${options.port}`;
  const stop = async (): Promise<void> => {
    if (exited) return;
    child.stdin?.end(); // the supervisor kills java
    const timer = setTimeout(() => {
      if (javaPid !== undefined) {
        try {
          process.kill(javaPid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      child.kill('SIGKILL');
    }, 5000);
    await exitPromise;
    clearTimeout(timer);
  };

  // Readiness: DynamoDB Local answers ListTables once it listens.
  const probe = new DynamoDBClient({
    region: options.region,
    endpoint,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  const deadline = Date.now() + options.timeoutMs;
  try {
    for (;;) {
      if (exited) {
        throw new Error(
          `DynamoDB Local exited during start (code ${exited.code}, signal ${exited.signal}):\n${output.join('\n')}`,
        );
      }
      try {
        await probe.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1000) });
        return { endpoint, javaPid, stop };
      } catch {
        if (Date.now() > deadline) {
          throw new Error(
            `DynamoDB Local did not answer on ${endpoint} within ${options.timeoutMs} ms:\n${output.join('\n')}`,
          );
        }
        await Promise.race([new Promise((r) => setTimeout(r, 50)), exitPromise]);
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    probe.destroy();
  }
}

async function loadTemplateResources(): Promise<CfnResources> {
  // Imported lazily: synthesizing pulls in aws-cdk-lib (about a second), needed only at start.
  const module = await import('../../infra/local-resources.js');
  return module.synthStorageResources() as CfnResources;
}

async function ensureInbox(
  sqs: SQSClient,
  sns: SNSClient,
  queueName: string,
  topicArn: string,
): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: queueName }));
  if (!QueueUrl) throw new Error(`CreateQueue ${queueName} returned no QueueUrl`);
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (!arn) throw new Error(`queue ${queueName} has no QueueArn`);
  // Subscriptions persist with the fauxqs data; subscribe only once so nothing arrives twice.
  const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
  if (!Subscriptions?.some((s) => s.Protocol === 'sqs' && s.Endpoint === arn)) {
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: arn }));
  }
  return { url: QueueUrl, arn };
}

/** Parses the SNS envelope the SQS subscriber receives (non-raw delivery). */
export function parseSnsEnvelope(messageId: string, body: string, sentTimestamp: number): InboxMessage {
  let envelope: {
    Message?: string;
    Subject?: string;
    TopicArn?: string;
    MessageAttributes?: Record<string, { Value?: string }>;
  };
  try {
    envelope = JSON.parse(body) as typeof envelope;
  } catch {
    return { messageId, sentAt: new Date(sentTimestamp).toISOString(), message: body, attributes: {} };
  }
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(envelope.MessageAttributes ?? {})) {
    if (value?.Value !== undefined) attributes[key] = value.Value;
  }
  return {
    messageId,
    sentAt: new Date(sentTimestamp).toISOString(),
    ...(envelope.TopicArn ? { topicArn: envelope.TopicArn } : {}),
    ...(envelope.Subject ? { subject: envelope.Subject } : {}),
    message: envelope.Message ?? body,
    attributes,
  };
}

function inboxOf(server: FauxqsServer, queueName: string): InboxMessage[] {
  const state = server.inspectQueue(queueName);
  if (!state) throw new Error(`local inbox queue ${queueName} does not exist`);
  const all = [
    ...state.messages.ready,
    ...state.messages.delayed,
    ...state.messages.inflight.map((entry) => entry.message),
  ];
  return all
    .sort((a, b) => a.sentTimestamp - b.sentTimestamp)
    .map((m) => parseSnsEnvelope(m.messageId, m.body, m.sentTimestamp));
}

/** Starts DynamoDB Local and fauxqs, creates the resources from the CDK template, returns the stack. */
export async function startLocalStack(options: StartLocalStackOptions): Promise<LocalStack> {
  const t0 = performance.now();
  const dataDir = resolve(options.dataDir);
  const region = options.region ?? 'us-east-1';
  const prefix = options.prefix ?? 'invoicer';
  mkdirSync(dataDir, { recursive: true });

  // Start both servers concurrently; the template synthesizes meanwhile.
  const resourcesPromise = options.resources ? Promise.resolve(options.resources) : loadTemplateResources();
  const fauxqsPromise = (async () => {
    const started = performance.now();
    mkdirSync(join(dataDir, 'fauxqs'), { recursive: true });
    mkdirSync(join(dataDir, 's3'), { recursive: true });
    const server = await startFauxqs({
      port: options.fauxqsPort ?? 0,
      logger: false,
      defaultRegion: region,
      dataDir: join(dataDir, 'fauxqs'),
      s3StorageDir: join(dataDir, 's3'),
    });
    return { server, ms: performance.now() - started };
  })();
  const dynamoPromise = (async () => {
    const started = performance.now();
    const ddb = await startDynamoDbLocal({
      jarDir: options.dynamoDbLocalDir ?? DEFAULT_DYNAMODB_LOCAL_DIR,
      dbPath: join(dataDir, 'dynamodb'),
      port: options.dynamoDbPort ?? (await freePort()),
      region,
      timeoutMs: options.startTimeoutMs ?? 30_000,
      ...(options.log ? { log: options.log } : {}),
    });
    return { ddb, ms: performance.now() - started };
  })();

  const settled = await Promise.allSettled([fauxqsPromise, dynamoPromise, resourcesPromise]);
  const [fauxqsResult, dynamoResult, resourcesResult] = settled;
  const failure = settled.find((s) => s.status === 'rejected');
  if (failure) {
    if (fauxqsResult.status === 'fulfilled') await fauxqsResult.value.server.stop();
    if (dynamoResult.status === 'fulfilled') await dynamoResult.value.ddb.stop();
    throw (failure as PromiseRejectedResult).reason;
  }
  const { server, ms: fauxqsMs } = (fauxqsResult as PromiseFulfilledResult<Awaited<typeof fauxqsPromise>>)
    .value;
  const { ddb, ms: dynamoMs } = (dynamoResult as PromiseFulfilledResult<Awaited<typeof dynamoPromise>>).value;
  const resources = (resourcesResult as PromiseFulfilledResult<CfnResources>).value;

  const fauxqsEndpoint = `http://127.0.0.1:${server.port}`;
  const base = { region, credentials: { ...LOCAL_CREDENTIALS } };
  const clientConfig = {
    ...base,
    dynamodb: { ...base, endpoint: ddb.endpoint },
    s3: { ...base, endpoint: fauxqsEndpoint, forcePathStyle: true },
    sns: { ...base, endpoint: fauxqsEndpoint },
    sqs: { ...base, endpoint: fauxqsEndpoint },
  };
  const clients = {
    dynamodb: new DynamoDBClient(clientConfig.dynamodb),
    s3: new S3Client(clientConfig.s3),
    sns: new SNSClient(clientConfig.sns),
    sqs: new SQSClient(clientConfig.sqs),
  };

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    for (const client of Object.values(clients)) client.destroy();
    await Promise.allSettled([server.stop(), ddb.stop()]);
  };

  try {
    const resourcesStarted = performance.now();
    const names = await ensureLocalResources(planLocalResources(resources, { prefix }), clients);
    const customerInbox = await ensureInbox(
      clients.sqs,
      clients.sns,
      `${prefix}-customer-inbox`,
      names.customerTopicArn,
    );
    const opsInbox = await ensureInbox(clients.sqs, clients.sns, `${prefix}-ops-inbox`, names.opsTopicArn);
    const resourcesMs = performance.now() - resourcesStarted;

    return {
      dataDir,
      region,
      endpoints: { dynamodb: ddb.endpoint, s3: fauxqsEndpoint, sns: fauxqsEndpoint, sqs: fauxqsEndpoint },
      clientConfig,
      clients,
      env: {
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        AWS_ENDPOINT_URL_DYNAMODB: ddb.endpoint,
        AWS_ENDPOINT_URL_S3: fauxqsEndpoint,
        AWS_ENDPOINT_URL_SNS: fauxqsEndpoint,
        AWS_ENDPOINT_URL_SQS: fauxqsEndpoint,
        AWS_S3_FORCE_PATH_STYLE: 'true',
      },
      names: {
        ...names,
        customerInboxQueueUrl: customerInbox.url,
        customerInboxQueueArn: customerInbox.arn,
        opsInboxQueueUrl: opsInbox.url,
        opsInboxQueueArn: opsInbox.arn,
      },
      resources: {
        tables: names.tables,
        bucket: names.documentsBucket,
        topics: { customerNotifications: names.customerTopicArn, opsSummary: names.opsTopicArn },
      },
      customerInbox: () => inboxOf(server, `${prefix}-customer-inbox`),
      readInbox: async () => inboxOf(server, `${prefix}-customer-inbox`),
      opsInbox: () => inboxOf(server, `${prefix}-ops-inbox`),
      dynamoDbPid: ddb.javaPid,
      startupMs: {
        dynamodb: Math.round(dynamoMs),
        fauxqs: Math.round(fauxqsMs),
        resources: Math.round(resourcesMs),
        total: Math.round(performance.now() - t0),
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
