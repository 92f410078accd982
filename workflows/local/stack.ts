/**
 * The embedded local stack: AWS's DynamoDB Local (a Java child process) and fauxqs (S3, SNS and
 * SQS, in-process), on free ports, with their state under one data directory so a second run
 * finds the first one's invoices:
 *   <dataDir>/dynamodb   DynamoDB Local's -dbPath (one shared SQLite file)
 *   <dataDir>/s3         S3 objects as plain files (fauxqs s3StorageDir): open them in a viewer
 *   <dataDir>/fauxqs     SNS topics, subscriptions, SQS queues and their messages (fauxqs SQLite)
 *   <dataDir>/mail       the e-mails SES (aws-ses-v2-local, in-process) accepted, with attachments
 * The storage resources come from the synthesized CDK template (see resources.ts); the local
 * "customer inbox" queue is subscribed to the customer notifications topic, and so is the e-mail
 * subscriber's queue (./email-queue.ts).
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { lockDataDir } from './data-dir-lock.js';
import { startFauxqs } from 'fauxqs';
import { freePort, startDynamoDbLocal } from './dynamodb-local.js';
import { ensureEmailQueue, type EmailQueue } from './email-queue.js';
import { ensureWebhookQueue, type WebhookQueues } from './webhook-queue.js';
import { ensureInbox, inboxOf, type InboxMessage } from './inbox.js';
import { startLocalSes, type LocalSes } from './ses-local.js';
import { localClients } from './local-clients.js';
import {
  ensureLocalResources,
  planLocalResources,
  type CfnResources,
  type LocalResourceNames,
} from './resources.js';

export type { InboxMessage } from './inbox.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_DYNAMODB_LOCAL_DIR = join(ROOT, '.local', 'dynamodb');

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
  ses: string;
}

export interface LocalClientConfig {
  region: string;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle?: boolean;
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
  /** Shared clients against the local endpoints (not instrumented; see callCounter in instrumentation.ts). */
  clients: { dynamodb: DynamoDBClient; s3: S3Client; sns: SNSClient; sqs: SQSClient };
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
    topics: { customerNotifications: string; opsSummary: string; domainEvents: string };
  };
  /** What customers received, oldest first; non-destructive (messages stay in the queue). */
  customerInbox(): Promise<InboxMessage[]>;
  /** What the ops summary topic delivered, oldest first; non-destructive. */
  opsInbox(): Promise<InboxMessage[]>;
  /** The e-mail subscriber's queue and its dead-letter queue. */
  emailQueue: EmailQueue;
  /** The webhook queue (subscribed to the events topic) and its dead-letter queue. */
  webhookQueue: WebhookQueues;
  /** Local SES: its endpoint, and the mirror of what it accepted into <dataDir>/mail. */
  ses: LocalSes;
  mailDir: string;
  /** How long the start took, in ms, by phase. */
  startupMs: { dynamodb: number; fauxqs: number; resources: number; total: number };
  /** The pid of DynamoDB Local's java process (gone after stop()). */
  dynamoDbPid: number | undefined;
  stop(): Promise<void>;
}

async function loadTemplateResources(): Promise<CfnResources> {
  // Imported lazily: synthesizing pulls in aws-cdk-lib (about a second), needed only at start.
  const module = await import('../../infra/local-resources.js');
  return module.synthStorageResources() as CfnResources;
}

/** Starts DynamoDB Local and fauxqs, creates the resources from the CDK template, returns the stack. */
export async function startLocalStack(options: StartLocalStackOptions): Promise<LocalStack> {
  const t0 = performance.now();
  const dataDir = resolve(options.dataDir);
  const region = options.region ?? 'us-east-1';
  const prefix = options.prefix ?? 'invoicer';
  mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);

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
    const start = async () =>
      startDynamoDbLocal({
        jarDir: options.dynamoDbLocalDir ?? DEFAULT_DYNAMODB_LOCAL_DIR,
        dbPath: join(dataDir, 'dynamodb'),
        port: options.dynamoDbPort ?? (await freePort()),
        region,
        timeoutMs: options.startTimeoutMs ?? 30_000,
        ...(options.log ? { log: options.log } : {}),
      });
    // A free port can be taken by another process between asking and Java binding it: try another.
    let ddb: Awaited<ReturnType<typeof startDynamoDbLocal>> | undefined;
    for (let attempt = 1; ddb === undefined; attempt++) {
      try {
        ddb = await start();
      } catch (error) {
        const lost = /Address already in use/.test((error as Error).message);
        if (!lost || options.dynamoDbPort !== undefined || attempt === 3) throw error;
      }
    }
    return { ddb, ms: performance.now() - started };
  })();

  const mailDir = join(dataDir, 'mail');
  const sesPromise = startLocalSes(mailDir);

  const settled = await Promise.allSettled([fauxqsPromise, dynamoPromise, resourcesPromise, sesPromise]);
  const [fauxqsResult, dynamoResult, resourcesResult, sesResult] = settled;
  const failure = settled.find((s) => s.status === 'rejected');
  if (failure) {
    if (fauxqsResult.status === 'fulfilled') await fauxqsResult.value.server.stop();
    if (dynamoResult.status === 'fulfilled') await dynamoResult.value.ddb.stop();
    if (sesResult.status === 'fulfilled') await sesResult.value.stop();
    unlock();
    throw (failure as PromiseRejectedResult).reason;
  }
  const ses = (sesResult as PromiseFulfilledResult<LocalSes>).value;
  const { server, ms: fauxqsMs } = (fauxqsResult as PromiseFulfilledResult<Awaited<typeof fauxqsPromise>>)
    .value;
  const { ddb, ms: dynamoMs } = (dynamoResult as PromiseFulfilledResult<Awaited<typeof dynamoPromise>>).value;
  const resources = (resourcesResult as PromiseFulfilledResult<CfnResources>).value;

  const fauxqsEndpoint = `http://127.0.0.1:${server.port}`;
  const { clientConfig, clients } = localClients(region, {
    dynamodb: ddb.endpoint,
    s3: fauxqsEndpoint,
    sns: fauxqsEndpoint,
    sqs: fauxqsEndpoint,
  });

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    for (const client of Object.values(clients)) client.destroy();
    await Promise.allSettled([server.stop(), ddb.stop(), ses.stop()]);
    unlock();
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
    const emailQueue = await ensureEmailQueue(clients.sqs, clients.sns, prefix, names.customerTopicArn);
    const webhookQueue = await ensureWebhookQueue(clients.sqs, clients.sns, prefix, names.eventsTopicArn);
    const resourcesMs = performance.now() - resourcesStarted;

    return {
      dataDir,
      region,
      endpoints: {
        dynamodb: ddb.endpoint,
        s3: fauxqsEndpoint,
        sns: fauxqsEndpoint,
        sqs: fauxqsEndpoint,
        ses: ses.endpoint,
      },
      clientConfig,
      clients,
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
        topics: {
          customerNotifications: names.customerTopicArn,
          opsSummary: names.opsTopicArn,
          domainEvents: names.eventsTopicArn,
        },
      },
      customerInbox: async () => inboxOf(server, `${prefix}-customer-inbox`),
      opsInbox: async () => inboxOf(server, `${prefix}-ops-inbox`),
      emailQueue,
      webhookQueue,
      ses,
      mailDir,
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
