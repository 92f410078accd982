/**
 * A session on a local stack another process runs (`invoicer local up`): SDK clients against the
 * endpoints in its local-stack.json, no Java started here. What only the stack's process can do
 * (read the inbox queues without consuming them, run the e-mail subscriber) it is asked for over
 * its local routes.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { openSessionOn, toCustomerMessage, type LocalSession } from '../harness/session.js';
import type { InboxMessage } from '../inbox.js';
import { LOCAL_CREDENTIALS } from '../local-credentials.js';
import type { LocalStack } from '../stack.js';
import type { DeliveryRound } from '../email-queue.js';
import { askLocalStack } from './ask.js';
import type { LocalServiceInfo } from './service-file.js';

export { askLocalStack } from './ask.js';

function remoteStack(info: LocalServiceInfo): LocalStack {
  const base = { region: info.region, credentials: { ...LOCAL_CREDENTIALS } };
  const clientConfig = {
    ...base,
    dynamodb: { ...base, endpoint: info.endpoints.dynamodb },
    s3: { ...base, endpoint: info.endpoints.s3, forcePathStyle: true },
    sns: { ...base, endpoint: info.endpoints.sns },
    sqs: { ...base, endpoint: info.endpoints.sqs },
  };
  const clients = {
    dynamodb: new DynamoDBClient(clientConfig.dynamodb),
    s3: new S3Client(clientConfig.s3),
    sns: new SNSClient(clientConfig.sns),
    sqs: new SQSClient(clientConfig.sqs),
  };
  const { stepfunctions: _stepfunctions, ...endpoints } = info.endpoints;
  void _stepfunctions;
  return {
    dataDir: info.dataDir,
    region: info.region,
    endpoints,
    clientConfig,
    clients,
    names: info.names,
    resources: info.resources,
    customerInbox: () => askLocalStack<InboxMessage[]>(info, 'inbox?topic=customer'),
    opsInbox: () => askLocalStack<InboxMessage[]>(info, 'inbox?topic=ops'),
    emailQueue: info.emailQueue,
    // The stack's process mirrors what its SES accepted when it delivers.
    ses: { endpoint: info.endpoints.ses, mirror: async () => 0, stop: async () => undefined },
    mailDir: info.mailDir,
    startupMs: { dynamodb: 0, fauxqs: 0, resources: 0, total: 0 },
    dynamoDbPid: undefined,
    async stop() {
      for (const client of Object.values(clients)) client.destroy();
    },
  };
}

export async function connectLocalSession(
  info: LocalServiceInfo,
  options: { publicBaseUrl?: string } = {},
): Promise<LocalSession> {
  const stack = remoteStack(info);
  return openSessionOn(
    stack,
    { dataDir: info.dataDir, ...options },
    {
      async readInbox(customerId) {
        const messages = (await stack.customerInbox()).map(toCustomerMessage);
        return customerId ? messages.filter((m) => m.customerId === customerId) : messages;
      },
      deliverEmails: () => askLocalStack<DeliveryRound>(info, 'deliver-emails', {}),
    },
  );
}
