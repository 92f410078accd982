/**
 * What a local session sends customers: the e-mail subscriber (DeliverEmail over local SES, built
 * on first use so that a query on a running stack loads none of it) and the publisher of customer
 * events to the customer topic (credit notes, resends), delivering to the inbox queue what AWS
 * would give an SQS subscriber.
 */
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { SqsBatchResponse, SqsEvent } from '../../../lambdas/deliver-email/handler.js';
import { stringAttributes, type CustomerPublisher } from '../../../lambdas/shared/aws/customer-topic.js';
import { DEFAULT_SELLER } from '../../../lambdas/shared/config.js';
import type { Stores } from '../../../lambdas/shared/store/index.js';
import { sqsEntryOf } from '../integrations.js';
import type { LocalStack } from '../stack.js';

export function customerTopicPublisher(sns: SNSClient, topicArn: string): CustomerPublisher {
  return async (message, attributes) => {
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        // What AWS would deliver to the (SQS) inbox of a MessageStructure=json message.
        Message: sqsEntryOf(JSON.parse(message) as Record<string, unknown>),
        MessageAttributes: stringAttributes(attributes),
      }),
    );
  };
}

export interface LocalEmailSubscriber {
  handler(): Promise<(event: SqsEvent) => Promise<SqsBatchResponse>>;
  destroy(): void;
}

export function localEmailSubscriber(
  stack: Pick<LocalStack, 'region' | 'endpoints' | 'clientConfig'>,
  stores: Pick<Stores, 'records' | 'documents' | 'deliveries'>,
): LocalEmailSubscriber {
  let ses: SESv2Client | undefined;
  let handler: ((event: SqsEvent) => Promise<SqsBatchResponse>) | undefined;
  return {
    async handler() {
      if (!handler) {
        const [{ SESv2Client: Client }, { createHandler }, { sesEmailSender }, { localObservability }] =
          await Promise.all([
            import('@aws-sdk/client-sesv2'),
            import('../../../lambdas/deliver-email/handler.js'),
            import('../../../lambdas/shared/aws/ses-email.js'),
            import('./observability.js'),
          ]);
        ses = new Client({
          region: stack.region,
          endpoint: stack.endpoints.ses,
          credentials: stack.clientConfig.credentials,
        });
        handler = createHandler({
          observability: localObservability(),
          records: stores.records,
          documents: stores.documents,
          deliveries: stores.deliveries,
          sendEmail: sesEmailSender(ses, DEFAULT_SELLER.email ?? 'billing@invoicer.example'),
          now: () => new Date(),
        });
      }
      return handler;
    },
    destroy: () => ses?.destroy(),
  };
}
