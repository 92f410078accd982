/** SDK clients against a local stack's endpoints: no emulator loaded (a command on a running stack). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS } from './local-credentials.js';
import type { LocalEndpoints, LocalStack } from './stack.js';

/** SDK client config and clients against local endpoints (S3 path-style), with the local credentials. */
export function localClients(
  region: string,
  endpoints: Pick<LocalEndpoints, 'dynamodb' | 's3' | 'sns' | 'sqs'>,
): { clientConfig: LocalStack['clientConfig']; clients: LocalStack['clients'] } {
  const base = { region, credentials: { ...LOCAL_CREDENTIALS } };
  const clientConfig = {
    ...base,
    dynamodb: { ...base, endpoint: endpoints.dynamodb },
    s3: { ...base, endpoint: endpoints.s3, forcePathStyle: true },
    sns: { ...base, endpoint: endpoints.sns },
    sqs: { ...base, endpoint: endpoints.sqs },
  };
  return {
    clientConfig,
    clients: {
      dynamodb: new DynamoDBClient(clientConfig.dynamodb),
      s3: new S3Client(clientConfig.s3),
      sns: new SNSClient(clientConfig.sns),
      sqs: new SQSClient(clientConfig.sqs),
    },
  };
}
