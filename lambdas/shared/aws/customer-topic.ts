/**
 * Publishing a customer event (a credit note, a resend) to the customer topic as NotifyCustomer
 * does: MessageStructure json (lambdas/shared/notification.ts), attributes for subscription filters.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';

export type CustomerPublisher = (message: string, attributes: Record<string, string>) => Promise<void>;

export const stringAttributes = (attributes: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
  );

export function snsCustomerPublisher(sns: Pick<SNSClient, 'send'>, topicArn: string): CustomerPublisher {
  return async (message, attributes) => {
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: message,
        MessageStructure: 'json',
        MessageAttributes: stringAttributes(attributes),
      }),
    );
  };
}
