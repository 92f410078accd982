/**
 * Every AWS call a function, or the state machine's own service integrations, really make is one
 * the deployed IAM policy of that role allows. A local billing
 * run (with a customer whose rendering fails for good, so Compensate works too, and a re-run)
 * records each call with the function that made it (the local harness's recordCalls); each is
 * turned into the IAM action and resource it needs and held against the synthesized template's
 * policy of that function. The read API's routes are called too, over HTTP. A handler that starts
 * using a new call without its grant fails here, not with AccessDenied on AWS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createHandler as deliverWebhooks } from '../../lambdas/deliver-webhooks/handler.js';
import { createHandler as publishEvents } from '../../lambdas/publish-events/handler.js';
import { snsEventPublisher } from '../../lambdas/shared/aws/events-topic.js';
import { addEndpoint } from '../../lambdas/shared/operations/webhook-admin.js';
import { s3EventArchive } from '../../lambdas/shared/store/event-archive.js';
import { dynamoWebhooks } from '../../lambdas/shared/store/webhooks.js';
import { httpWebhookPoster } from '../../lambdas/shared/webhooks/post.js';
import { sqsWebhookQueue } from '../../lambdas/shared/webhooks/queue.js';
import { pollChangeStreams } from '../../workflows/local/stream-mapping.js';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { createHandler as deliverEmail } from '../../lambdas/deliver-email/handler.js';
import { createHandler as emailFeedback } from '../../lambdas/email-feedback/handler.js';
import { addCallMiddlewares, createAwsClients, type AwsCall } from '../../lambdas/shared/aws/clients.js';
import { sesEmailSender } from '../../lambdas/shared/aws/ses-email.js';
import { createImportApp } from '../../lambdas/api/import-handler.js';
import { createHandler as sendRemindersHandler } from '../../lambdas/send-reminders/handler.js';
import { snsCustomerPublisher } from '../../lambdas/shared/aws/customer-topic.js';
import { creditorReference } from '../../lambdas/shared/documents/payment.js';
import {
  LOCAL_PUBLIC_BASE_URL,
  localHostedLinks,
  localLinkSecret,
} from '../../workflows/local/hosted-links.js';
import { s3OperatorLog } from '../../lambdas/shared/store/operator-log.js';
import { dynamoRecordWriter } from '../../lambdas/shared/store/record-writer.js';
import { TABLES } from '../../lambdas/shared/contracts/tables.js';
import { createStores } from '../../lambdas/shared/store/index.js';
import { drainQueue } from '../../workflows/local/email-queue.js';
import { localObservability } from '../../workflows/local/harness/observability.js';
import { serveSessionApi } from '../../workflows/local/api-server.js';
import { demoCustomers, demoPlans, demoUsage } from '../../workflows/local/demo/demo-data.js';
import { seedDemoData } from '../../workflows/local/demo/seed.js';
import { parseFaultSpec } from '../../workflows/local/faults.js';
import { runLocalBilling, STATE_MACHINE_CALLER } from '../../workflows/local/harness/billing-run.js';
import type { FunctionCall } from '../../workflows/local/instrumentation.js';
import { openBillingFixture, type BillingFixture } from '../support/billing-fixture.js';
import { buildApp, grants, templateReader } from '../support/stack-template.js';

const PERIOD = '2026-10';
const { stack } = buildApp();
const reader = templateReader(Template.fromStack(stack));

/** The IAM actions a DynamoDB / S3 call needs (the SDK's operation names), and on what. */
function needs(
  call: FunctionCall,
  local: {
    tables: Record<string, string>;
    bucket: string;
    topics: Record<string, string>;
    queues: Record<string, string>;
  },
): string[] {
  const input = call.input as Record<string, unknown>;
  const tableOf = (name: unknown): string => {
    const marker = Object.entries(local.tables).find(([, n]) => n === name)?.[0];
    if (marker === undefined)
      throw new Error(`${call.fn} called ${call.operation} on unknown table ${String(name)}`);
    return `<${reader.logicalIdOfTable(marker[0]!.toUpperCase() + marker.slice(1))}>`;
  };
  // The partition key of a one-item call (held against dynamodb:LeadingKeys); `*` for any other.
  const keyOf = (tableName: unknown, item: unknown): string => {
    const marker = Object.entries(local.tables).find(([, n]) => n === tableName)?.[0] ?? '';
    const model = TABLES.find((t) => t.id.toLowerCase() === marker.toLowerCase());
    const value = model && (item as Record<string, unknown> | undefined)?.[model.partitionKey];
    return typeof value === 'string' ? value : '*';
  };
  if (call.service === 'dynamodb') {
    if (['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'].includes(call.operation)) {
      const key = keyOf(input.TableName, input.Key ?? input.Item);
      return [`dynamodb:${call.operation} ${tableOf(input.TableName)} key=${key}`];
    }
    if (['Query', 'Scan'].includes(call.operation)) {
      const index = input.IndexName === undefined ? '' : `/index/${String(input.IndexName)}`;
      // A Query of the table's own partition key names the partition (held against LeadingKeys).
      const condition = /^(\w+) = (:\w+)/.exec(String(input.KeyConditionExpression ?? ''));
      const values = (input.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
      const key =
        index === '' && condition ? keyOf(input.TableName, { [condition[1]!]: values[condition[2]!] }) : '*';
      return [`dynamodb:${call.operation} ${tableOf(input.TableName)}${index} key=${key}`];
    }
    if (call.operation === 'BatchGetItem' || call.operation === 'BatchWriteItem')
      return Object.keys(input.RequestItems as object).map(
        (t) => `dynamodb:${call.operation} ${tableOf(t)} key=*`,
      );
    if (call.operation === 'TransactWriteItems') {
      const kinds: Record<string, string> = {
        Put: 'PutItem',
        Update: 'UpdateItem',
        Delete: 'DeleteItem',
        ConditionCheck: 'ConditionCheckItem',
      };
      return (input.TransactItems as Record<string, { TableName: string }>[]).flatMap((entry) =>
        Object.entries(entry).map(([kind, op]) => `dynamodb:${kinds[kind]} ${tableOf(op.TableName)} key=*`),
      );
    }
  }
  if (call.service === 's3') {
    const bucket = `<${reader.documentsBucketId}>`;
    if (input.Bucket !== local.bucket) throw new Error(`${call.fn}: unknown bucket ${String(input.Bucket)}`);
    if (call.operation === 'ListObjectsV2') return [`s3:ListBucket ${bucket}`];
    // HeadObject (the checksum S3 keeps) is allowed by s3:GetObject.
    if (call.operation === 'HeadObject') return [`s3:GetObject ${bucket}/${String(input.Key)}`];
    return [`s3:${call.operation} ${bucket}/${String(input.Key)}`];
  }
  if (call.service === 'ses' && call.operation === 'SendEmail') {
    const from = String(input.FromEmailAddress);
    const arn = (resource: string) =>
      `ses:SendEmail arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:${resource}`;
    return [
      arn(`identity/${from.split('@')[1]}`),
      ...(input.ConfigurationSetName === undefined
        ? []
        : [arn(`configuration-set/<${reader.ofType('AWS::SES::ConfigurationSet')[0]![0]}>`)]),
    ];
  }
  if (call.service === 'sqs' && call.operation === 'SendMessage') {
    const queue = local.queues[String(input.QueueUrl)];
    if (queue === undefined) throw new Error(`${call.fn}: unknown queue ${String(input.QueueUrl)}`);
    const id = reader.ofType('AWS::SQS::Queue').find(([logicalId]) => logicalId.includes(queue))![0];
    return [`sqs:SendMessage <${id}>`];
  }
  if (call.service === 'sns' && (call.operation === 'Publish' || call.operation === 'PublishBatch')) {
    const topic = local.topics[String(input.TopicArn)];
    if (topic === undefined) throw new Error(`${call.fn}: unknown topic ${String(input.TopicArn)}`);
    const id = reader.ofType('AWS::SNS::Topic').find(([logicalId]) => logicalId.includes(topic))![0];
    return [`sns:Publish <${id}>`];
  }
  throw new Error(`${call.fn}: ${call.service}:${call.operation} is not mapped to IAM`);
}

/** Whether a granted `action resource` (resource may hold `*`) covers a needed one. */
const covers = (grant: string, need: string): boolean =>
  new RegExp(`^${grant.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(need);

const roleOf = (fn: string) =>
  fn === STATE_MACHINE_CALLER
    ? 'StateMachineRole'
    : `${fn.replace(/(^|-)([a-z])/g, (_m, _d: string, c: string) => c.toUpperCase())}Role`;

let f: BillingFixture;
const calls: FunctionCall[] = [];
/** The read API's function (role ReadApiHandlerRole). */
const READ_API = 'read-api-handler';
const PUBLISH_EVENTS = 'publish-events';
const DELIVER_WEBHOOKS = 'deliver-webhooks';
/** The API's import function (role ReadApiImportHandlerRole). */
const IMPORT_API = 'read-api-import-handler';
/** The daily reminder job (role SendRemindersRole). */
const SEND_REMINDERS = 'send-reminders';

/**
 * Every route of the read API, its AWS calls recorded; a download redirect counts as the GetObject
 * its presigned URL makes with the function's credentials.
 */
async function exerciseReadApi(): Promise<void> {
  const api = await serveSessionApi(f.session, {
    middlewares: [{ name: 'iam-contract-api', before: (call) => void calls.push({ fn: READ_API, ...call }) }],
    reportError: (error) => {
      throw error;
    },
  });
  try {
    const row = (await f.invoices(PERIOD)).find((r) => r.status === 'NOTIFIED')!;
    const self = `/v1/invoices/${row.invoiceNumber}`;
    for (const path of [
      `/v1/customers/${row.customerId}/invoices`,
      `/v1/invoices?period=${PERIOD}`,
      `/v1/invoices?period=${PERIOD}&status=VOID`,
      self,
      `${self}/detail`,
      `${self}/detail/lines`,
      `${self}/email`,
      `/v1/customers/${row.customerId}/statement`,
    ])
      expect((await fetch(`${api.url}${path}`)).status).toBe(200);
    // The hosted page of the invoice (its token from the notification), and its downloads.
    const notified = (await f.session.stack.customerInbox()).map(
      (m) => JSON.parse(m.message) as { hostedUrl?: string },
    );
    const hosted = new URL(notified.find((e) => e.hostedUrl !== undefined)!.hostedUrl!).pathname;
    expect((await fetch(`${api.url}${hosted}`)).status).toBe(200);
    for (const path of [
      `${self}/pdf`,
      `${self}/json`,
      `${self}/e-invoice`,
      `${hosted}/pdf`,
      `${hosted}/json`,
    ]) {
      const location = new URL(
        (await fetch(`${api.url}${path}`, { redirect: 'manual' })).headers.get('location')!,
      );
      const [, bucket, ...key] = location.pathname.split('/');
      calls.push({
        fn: READ_API,
        service: 's3',
        operation: 'GetObject',
        input: { Bucket: bucket, Key: decodeURIComponent(key.join('/')) },
      });
    }
    // A PDF that is not the one issued is refused, and the refusal is written to its operator log.
    const issued = await f.session.stores.documents.getBytes(row.pdfKey);
    await f.session.stores.documents.put(row.pdfKey, Buffer.from('%PDF altered'), 'application/pdf');
    expect((await fetch(`${api.url}${self}/pdf`, { redirect: 'manual' })).status).toBe(409);
    await f.session.stores.documents.put(row.pdfKey, issued, 'application/pdf');
  } finally {
    await api.close();
  }
}

/** Clients whose every call is recorded as made by `fn`. */
function recordedClients(fn: string) {
  const recorder = {
    name: `iam-contract-${fn}`,
    before: (call: AwsCall) => void calls.push({ fn, ...call }),
  };
  const clients = createAwsClients(f.session.clientOptions([recorder]));
  const { stack: local } = f.session;
  const ses = addCallMiddlewares(
    new SESv2Client({
      region: local.region,
      endpoint: local.endpoints.ses,
      credentials: local.clientConfig.credentials,
    }),
    'ses',
    [recorder],
  );
  return { clients, stores: createStores(clients, f.session.storage), ses, recorder };
}

/** The import routes' Lambda app, importing customers, plans and usage. */
async function exerciseImportApi(): Promise<void> {
  const { clients, stores } = recordedClients(IMPORT_API);
  const app = createImportApp({
    writer: dynamoRecordWriter(clients.dynamodb),
    tables: f.session.storage.tables,
    operatorLog: s3OperatorLog(stores.documents),
    callerOf: () => 'arn:aws:iam::123456789012:user/billing-sync',
    now: () => new Date(),
    payments: { invoices: stores.invoices, records: stores.records, receivables: stores.receivables },
    reportError: (error) => {
      throw error;
    },
  });
  // Changed from what the run's seed stored, so that each import writes.
  const customers = demoCustomers(3).map((c) => ({ ...c, legalName: `${c.legalName} (imported)` }));
  const plans = demoPlans().map((p) => ({ ...p, name: `${p.name} (imported)` }));
  const kinds: [string, unknown[]][] = [
    ['plans', plans],
    ['customers', customers],
    ['usage', demoUsage(customers, plans, PERIOD)],
  ];
  for (const [kind, records] of kinds) {
    const res = await app.request(`/v1/imports/${kind}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: records.map((r) => JSON.stringify(r)).join('\n'),
    });
    expect(await res.json()).toMatchObject({ kind, rejected: 0 });
  }
  // Payments: a statement (one credit matched by reference, one kept unmatched), a payment by hand,
  // its reversal, the unmatched credit assigned, a write-off.
  const [first, second] = (await f.invoices(PERIOD)).filter((r) => r.status === 'NOTIFIED');
  const post = (path: string, body: string, type = 'application/json') =>
    app.request(path, { method: 'POST', headers: { 'content-type': type }, body });
  const csv = [
    'booking_date,amount,currency,reference,payer_name',
    `2026-11-20,1.00,${first!.currency},${creditorReference(first!.invoiceNumber)},`,
    `2026-11-20,2.00,${first!.currency},,Nobody`,
  ].join('\n');
  expect(await (await post('/v1/imports/statements', csv, 'text/csv')).json()).toMatchObject({
    matched: 1,
    unmatched: 1,
  });
  const paid = (await (
    await post(
      '/v1/payments',
      JSON.stringify({
        invoiceNumber: first!.invoiceNumber,
        amount: '1',
        date: '2026-11-21',
        reason: 'cheque',
      }),
    )
  ).json()) as { payment: { paymentId: string } };
  expect(
    (
      await post(
        `/v1/payments/${paid.payment.paymentId}/reversal`,
        JSON.stringify({ invoiceNumber: first!.invoiceNumber, reason: 'bounced' }),
      )
    ).status,
  ).toBe(201);
  const [credit] = await stores.receivables.unmatched();
  expect(
    (
      await post(
        `/v1/payments/unmatched/${credit!.entryId}/assignment`,
        JSON.stringify({ invoiceNumber: first!.invoiceNumber, reason: 'payer said so' }),
      )
    ).status,
  ).toBe(200);
  expect(
    (
      await post(
        '/v1/payments/write-offs',
        JSON.stringify({ invoiceNumber: second!.invoiceNumber, reason: 'insolvent' }),
      )
    ).status,
  ).toBe(200);
}

/** The daily reminder job on a day past every due date: overdue marks, claims, publishes. */
async function exerciseReminders(): Promise<void> {
  const { stores, clients } = recordedClients(SEND_REMINDERS);
  const { stack: local } = f.session;
  const job = sendRemindersHandler({
    observability: localObservability(),
    invoices: stores.invoices,
    reminders: stores.reminders,
    hostedLinks: localHostedLinks(stores.links, {
      secretHex: localLinkSecret(f.session.dataDir).toString('hex'),
      publicBaseUrl: LOCAL_PUBLIC_BASE_URL,
    }),
    publish: snsCustomerPublisher(clients.sns, local.names.customerTopicArn),
    steps: [-3, 7, 21],
    timeZone: 'Europe/Berlin',
    now: () => new Date(),
  });
  const result = await job({ date: '2027-03-01' });
  expect(result.markedOverdue).toBeGreaterThan(0);
  expect(Object.values(result.sent).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
}

/**
 * The change stream's mapper over everything the runs wrote, then the webhook delivery to one
 * endpoint that answers and one that does not (its attempt goes to the dead-letter queue at once).
 */
async function exerciseEvents(): Promise<void> {
  const { stack: local } = f.session;
  const mapper = recordedClients(PUBLISH_EVENTS);
  const invoke = publishEvents({
    observability: localObservability(),
    tables: { invoices: local.resources.tables.Invoices, runs: local.resources.tables.Runs },
    archive: s3EventArchive(mapper.stores.documents),
    publish: snsEventPublisher(mapper.clients.sns, local.resources.topics.domainEvents),
  });
  const streams = new DynamoDBStreamsClient(local.clientConfig.dynamodb);
  const checkpoints = mkdtempSync(join(tmpdir(), 'iam-contract-stream-'));
  const server = createServer((_req, res) => res.writeHead(204).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const round = await pollChangeStreams({
      dynamodb: local.clients.dynamodb,
      streams,
      tables: [local.resources.tables.Invoices, local.resources.tables.Runs],
      checkpointFile: join(checkpoints, 'checkpoints.json'),
      invoke,
      onFailure: async () => {
        throw new Error('no stream record may fail here');
      },
    });
    expect(round.records).toBeGreaterThan(0);
    const events = f.session.events!;
    const port = (server.address() as AddressInfo).port;
    for (const url of [`http://127.0.0.1:${port}/hook`, 'http://127.0.0.1:9/down'])
      await addEndpoint(events, { url, eventTypes: ['run.finished'], by: 'iam-contract' });
    const delivery = recordedClients(DELIVER_WEBHOOKS);
    const sqs = addCallMiddlewares(new SQSClient(local.clientConfig.sqs), 'sqs', [delivery.recorder]);
    const deliver = deliverWebhooks({
      observability: localObservability(),
      endpoints: dynamoWebhooks(delivery.clients.dynamodb, local.resources.tables.Webhooks),
      post: httpWebhookPoster({ allowPrivate: true }, 5_000),
      queue: sqsWebhookQueue(sqs, local.webhookQueue.url, local.webhookQueue.deadLetterUrl),
      now: () => new Date(),
      retryDelaysSeconds: [],
    });
    expect((await drainQueue(local.clients.sqs, local.webhookQueue.url, deliver)).handled).toBeGreaterThan(0);
    sqs.destroy();
  } finally {
    streams.destroy();
    server.close();
    rmSync(checkpoints, { recursive: true, force: true });
  }
}

/** The e-mail subscriber over the run's queued events, and SES feedback on one of them. */
async function exerciseEmail(): Promise<void> {
  const deliver = recordedClients('deliver-email');
  const handler = deliverEmail({
    observability: localObservability(),
    records: deliver.stores.records,
    documents: deliver.stores.documents,
    deliveries: deliver.stores.deliveries,
    sendEmail: sesEmailSender(deliver.ses, 'billing@invoicer.example', 'invoicer-test-invoice-email'),
    now: () => new Date(),
  });
  const round = await drainQueue(f.session.stack.clients.sqs, f.session.stack.emailQueue.url, handler);
  expect(round.handled).toBeGreaterThan(0);
  const [event] = (await f.session.readInbox()).map((m) => m.event as { eventId: string });
  const feedback = emailFeedback({
    observability: localObservability(),
    deliveries: recordedClients('email-feedback').stores.deliveries,
    now: () => new Date(),
  });
  const bounce = { eventType: 'Bounce', mail: { tags: { eventId: [event!.eventId] } }, bounce: {} };
  await feedback({ Records: [{ Sns: { Message: JSON.stringify(bounce) } }] });
}

beforeAll(async () => {
  f = await openBillingFixture('iam-contract');
  await seedDemoData(f.session.clients.dynamodb, f.session.storage.tables, 8, PERIOD);
  const victim = demoCustomers(8).find((c) => c.status === 'active')!.customerId;
  const options = {
    period: PERIOD,
    retryIntervalMs: 1,
    toleratedFailurePercentage: 100,
    recordCalls: calls,
  };
  await runLocalBilling(f.session, {
    ...options,
    faults: { rules: parseFaultSpec(`render:permanent:customer=${victim}`), seed: 1 },
  });
  await runLocalBilling(f.session, options);
  await exerciseEmail();
  await exerciseEvents();
  await exerciseReadApi();
  await exerciseImportApi();
  await exerciseReminders();
}, 120_000);

afterAll(async () => {
  await f?.cleanup();
});

describe('IAM contract: what the functions call is what they may call', () => {
  it('records the calls of all thirteen functions and of the state machine integrations', () => {
    expect([...new Set(calls.map((c) => c.fn))].sort()).toEqual([
      'compensate',
      'compute-invoice',
      'deliver-email',
      DELIVER_WEBHOOKS,
      'email-feedback',
      'finalize-run',
      'plan-run',
      PUBLISH_EVENTS,
      READ_API,
      IMPORT_API,
      'render-documents',
      'reserve-number',
      SEND_REMINDERS,
      STATE_MACHINE_CALLER,
    ]);
    const ops = new Set(calls.map((c) => `${c.fn} ${c.operation}`));
    for (const op of [
      'compute-invoice BatchGetItem',
      'compensate DeleteObject',
      'finalize-run PutObject',
      `${STATE_MACHINE_CALLER} UpdateItem`,
      `${STATE_MACHINE_CALLER} Publish`,
      `${STATE_MACHINE_CALLER} PutObject`,
      `${READ_API} Query`,
      `${READ_API} GetObject`,
      `${READ_API} HeadObject`,
      `${READ_API} PutObject`,
      `${IMPORT_API} BatchWriteItem`,
      `${IMPORT_API} PutObject`,
      `${IMPORT_API} TransactWriteItems`,
      `${SEND_REMINDERS} Publish`,
      `${SEND_REMINDERS} TransactWriteItems`,
      'deliver-email SendEmail',
      'deliver-email PutItem',
      'email-feedback UpdateItem',
      'email-feedback Query',
      `${PUBLISH_EVENTS} PublishBatch`,
      `${PUBLISH_EVENTS} PutObject`,
      `${DELIVER_WEBHOOKS} Query`,
      `${DELIVER_WEBHOOKS} PutItem`,
      `${DELIVER_WEBHOOKS} SendMessage`,
    ])
      expect(ops).toContain(op);
  });

  it.each([
    'plan-run',
    'compute-invoice',
    'reserve-number',
    'render-documents',
    'compensate',
    'finalize-run',
    READ_API,
    IMPORT_API,
    'deliver-email',
    'email-feedback',
    PUBLISH_EVENTS,
    DELIVER_WEBHOOKS,
    SEND_REMINDERS,
    STATE_MACHINE_CALLER,
  ])('%s: every call is allowed by its role', (fn) => {
    const allowed = [...grants(reader.statementsOf(roleOf(fn)), { leadingKeys: true })];
    const names = f.session.stack.names;
    const local = {
      tables: {
        ...(f.session.storage.tables as unknown as Record<string, string>),
        webhooks: f.session.stack.resources.tables.Webhooks,
      },
      bucket: f.session.storage.documentsBucket,
      topics: {
        [names.customerTopicArn]: 'CustomerNotifications',
        [names.opsTopicArn]: 'OpsSummary',
        [names.eventsTopicArn]: 'DomainEvents',
      },
      queues: {
        [f.session.stack.webhookQueue.url]: 'DomainEventsWebhookQueue',
        [f.session.stack.webhookQueue.deadLetterUrl]: 'DomainEventsWebhookDeadLetterQueue',
      },
    };
    const denied = [
      ...new Set(
        calls
          .filter((c) => c.fn === fn)
          .flatMap((c) => needs(c, local))
          .filter((need) => !allowed.some((grant) => covers(grant, need))),
      ),
    ];
    expect(denied).toEqual([]);
  });
});
