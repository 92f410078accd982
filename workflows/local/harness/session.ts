/**
 * A session on the embedded local stack: starts DynamoDB Local and fauxqs for a data dir, builds
 * SDK clients and stores against them, and offers the support-staff queries (invoices, documents,
 * runs, inbox). The CLI, the benchmark and the tests all open one; runs go through
 * ./billing-run.ts. Nothing here talks to AWS, and nothing here touches process.env.
 */
import { hostname, userInfo } from 'node:os';
import { readFileSync } from 'node:fs';
import { createAwsClients, type AwsClientOptions } from '../../../lambdas/shared/aws/clients.js';
import type { StorageConfig } from '../../../lambdas/shared/config.js';
import { s3Keys } from '../../../lambdas/shared/contracts/keys.js';
import { createStores, type Stores } from '../../../lambdas/shared/store/index.js';
import { operatorSession } from '../../operator/operator-session.js';
import type { Deliveries } from '../../operator/session-types.js';
import { drainQueue } from '../email-queue.js';
import {
  LOCAL_PUBLIC_BASE_URL,
  localHostedLinks,
  localLinkSecret,
  type LocalLinkSettings,
} from '../hosted-links.js';
import { LocalExecutions } from '../liveness.js';
import { readMailDir } from '../mail-dir.js';
import type { InboxMessage, LocalStack } from '../stack.js';
import { customerTopicPublisher, localEmailSubscriber } from './session-messaging.js';
import { LOCAL_ADDRESS_POLICY } from '../address-policy.js';
import type { LocalEventPipeline, LocalEventPipelineOptions } from './session-events.js';
import { s3EventArchive } from '../../../lambdas/shared/store/event-archive.js';
import { dynamoWebhooks } from '../../../lambdas/shared/store/webhooks.js';
import { sqsWebhookQueue } from '../../../lambdas/shared/webhooks/queue.js';
import type { CustomerMessage, LocalSession } from './session-types.js';

export type { CustomerMessage, LocalSession, RunProgress } from './session-types.js';

/** The local tables and bucket, from the stack's resources (named after the CDK template's). */
function storageOf(stack: LocalStack): StorageConfig {
  const t = stack.resources.tables;
  return {
    tables: {
      customers: t.Customers,
      plans: t.Plans,
      usage: t.Usage,
      invoices: t.Invoices,
      runs: t.Runs,
      receivables: t.Receivables,
      search: t.Search,
    },
    documentsBucket: stack.resources.bucket,
  };
}

/**
 * The operator keeps the ECB rates in the documents bucket (Art. 230 conversions); a local
 * stack starts with the fixture's made-up quotes unless rates were put there already.
 */
async function seedExchangeRates(documents: Stores['documents']): Promise<void> {
  const present = (await documents.list(s3Keys.exchangeRates)).includes(s3Keys.exchangeRates);
  if (!present) {
    const fixture = readFileSync(new URL('../demo/ecb-rates.fixture.json', import.meta.url));
    await documents.put(s3Keys.exchangeRates, fixture, 'application/json');
  }
}

export interface LocalSessionOptions {
  dataDir: string;
  /** The local change stream and webhook delivery (retry schedule, timeout). */
  events?: LocalEventPipelineOptions;
  /** Where hosted links point. Default: the local API's default address. */
  publicBaseUrl?: string;
}

export async function openLocalSession(options: LocalSessionOptions): Promise<LocalSession> {
  // Loaded here, not at the top: a session on a running stack (../service/connect.ts) needs none of it.
  const { startLocalStack } = await import('../stack.js');
  const stack = await startLocalStack({ dataDir: options.dataDir });
  try {
    return await openSessionOn(stack, options);
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

/** What a session connected to a running local stack asks that stack for (see ../service/connect.ts). */
export type SessionOverrides = Partial<Pick<LocalSession, 'deliverEmails'>> & {
  /** A connected session asks the stack's process for its event round (it owns the checkpoints). */
  deliverEvents?: NonNullable<LocalSession['events']>['deliverEvents'];
};

/** A session on a stack started here, or on one another process runs (`invoicer local up`). */
export async function openSessionOn(
  stack: LocalStack,
  options: LocalSessionOptions,
  overrides: SessionOverrides = {},
): Promise<LocalSession> {
  const linkSettings: LocalLinkSettings = {
    secretHex: localLinkSecret(stack.dataDir).toString('hex'),
    publicBaseUrl: options.publicBaseUrl ?? LOCAL_PUBLIC_BASE_URL,
  };
  const storage = storageOf(stack);
  const clientOptions = (middlewares: AwsClientOptions['middlewares'] = []): AwsClientOptions => ({
    region: stack.region,
    credentials: stack.clientConfig.credentials,
    endpoints: { dynamodb: stack.endpoints.dynamodb, s3: stack.endpoints.s3, sns: stack.endpoints.sns },
    s3ForcePathStyle: true,
    middlewares,
  });
  const clients = createAwsClients(clientOptions());
  const stores = createStores(clients, storage);
  await seedExchangeRates(stores.documents);
  const executions = new LocalExecutions(hostname());
  // The e-mail subscriber loads on first use, so that a query on a running stack starts fast.
  const emailSubscriber = localEmailSubscriber(stack, stores);
  const webhooks = dynamoWebhooks(clients.dynamodb, stack.resources.tables.Webhooks);
  // The change stream's consumer loads on first use too (a query never runs it).
  let pipeline: Promise<LocalEventPipeline> | undefined;
  const eventPipeline = () =>
    (pipeline ??= import('./session-events.js').then((m) =>
      m.localEventPipeline(stack, stores, webhooks, options.events),
    ));
  const deliveries: Deliveries = {
    async readInbox(customerId) {
      const messages = (await stack.customerInbox()).map(toCustomerMessage);
      return customerId ? messages.filter((m) => m.customerId === customerId) : messages;
    },
    async readMail(customerId) {
      const mail = readMailDir(stack.mailDir);
      if (customerId === undefined) return mail;
      const customer = (await stores.records.getCustomer(customerId)) as { email?: string } | undefined;
      return mail.filter((m) => customer?.email !== undefined && m.to.includes(customer.email));
    },
  };
  const session = operatorSession({
    place: { kind: 'local', dataDir: options.dataDir },
    operator: localOperator(),
    clients,
    storage,
    stores,
    issuer: localHostedLinks(stores.links, linkSettings),
    publish: customerTopicPublisher(clients.sns, stack.names.customerTopicArn),
    lockHolderState: executions.holderState,
    deliveries,
    // The subscribers' turn: the e-mails, then the change stream and the webhooks (on AWS, their
    // Lambdas run as soon as there is work).
    async deliverEmails() {
      const round = await drainQueue(
        stack.clients.sqs,
        stack.emailQueue.url,
        await emailSubscriber.handler(),
      );
      if (round.handled > 0) await stack.ses.mirror();
      // A consumer never fails the command that wrote: a failing turn is retried by the next one,
      // and `invoicer events` / `webhooks deliveries`, which run the turn themselves, report it.
      await eventPipeline()
        .then((p) => p.deliverEvents())
        .catch(() => undefined);
      return round;
    },
    events: {
      webhooks,
      archive: s3EventArchive(stores.documents),
      queue: sqsWebhookQueue(stack.clients.sqs, stack.webhookQueue.url, stack.webhookQueue.deadLetterUrl),
      addressPolicy: LOCAL_ADDRESS_POLICY,
      now: () => new Date(),
      deliverEvents: async () => (await eventPipeline()).deliverEvents(),
    },
    emailDeadLetterQueue: { sqs: stack.clients.sqs, url: stack.emailQueue.deadLetterUrl },
    async close() {
      clients.destroy();
      emailSubscriber.destroy();
      if (pipeline) (await pipeline).destroy();
      await stack.stop();
    },
  });
  return {
    ...session,
    ...deliveries,
    deliveries,
    dataDir: options.dataDir,
    stack,
    linkSettings,
    executions,
    clientOptions,
    ...(overrides.deliverEmails ? { deliverEmails: overrides.deliverEmails } : {}),
    ...(overrides.deliverEvents
      ? { events: { ...session.events!, deliverEvents: overrides.deliverEvents } }
      : {}),
  };
}

/** Who acts on a local stack: the local user and machine. */
export const localOperator = (): string => `local:${userInfo().username}@${hostname()}`;

function toCustomerMessage(m: InboxMessage): CustomerMessage {
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(m.message) as Record<string, unknown>;
  } catch {
    event = { text: m.message };
  }
  return {
    customerId: m.attributes.customerId ?? String(event.customerId ?? ''),
    eventType: m.attributes.eventType ?? String(event.type ?? ''),
    ...(m.attributes.invoiceNumber ? { invoiceNumber: m.attributes.invoiceNumber } : {}),
    ...(m.attributes.currency ? { currency: m.attributes.currency } : {}),
    receivedAt: m.sentAt,
    text:
      typeof event.invoiceNumber === 'string'
        ? `${event.invoiceNumber} for ${String(event.period)}: ${String(event.currency)} ${String(event.total)} ${String(event.hostedUrl ?? (event.documents as { pdf?: string } | undefined)?.pdf ?? '')}`
        : m.message,
    event,
  };
}
