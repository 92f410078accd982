/**
 * A session on a local stack another process runs (`invoicer local up`): SDK clients against the
 * endpoints in its local-stack.json, no Java started here. What only the stack's process can do
 * (read the inbox queues without consuming them, run the e-mail subscriber) it is asked for over
 * its local routes.
 */
import { openSessionOn, type LocalSession } from '../harness/session.js';
import type { InboxMessage } from '../inbox.js';
import { localClients } from '../local-clients.js';
import type { LocalStack } from '../stack.js';
import type { DeliveryRound } from '../email-queue.js';
import type { EventRound } from '../harness/session-events.js';
import { askLocalStack } from './ask.js';
import type { LocalServiceInfo } from './service-file.js';

export { askLocalStack } from './ask.js';

function remoteStack(info: LocalServiceInfo): LocalStack {
  const { clientConfig, clients } = localClients(info.region, info.endpoints);
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
    webhookQueue: info.webhookQueue,
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
      deliverEmails: () => askLocalStack<DeliveryRound>(info, 'deliver-emails', {}),
      deliverEvents: () => askLocalStack<EventRound>(info, 'deliver-events', {}),
    },
  );
}
