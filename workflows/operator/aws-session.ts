/**
 * An operator session on a deployed billing stack (`invoicer --target aws --stack NAME`): resource
 * names from the stack's CloudFormation outputs, credentials and region from the SDK's usual chain
 * (environment, profile, SSO, instance role), the caller's IAM identity as the operator. Endpoints
 * are the SDK's own: `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>` redirect them (the tests
 * point them at the local stack). Nothing local is written: no exchange rates are seeded, no link
 * secret is made; links are signed with the stack's Secrets Manager secret.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { ReminderJobResult } from '../../lambdas/shared/operations/send-reminders.js';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createAwsClients } from '../../lambdas/shared/aws/clients.js';
import { snsCustomerPublisher } from '../../lambdas/shared/aws/customer-topic.js';
import { secretsManagerLinkSecret } from '../../lambdas/shared/aws/link-secret.js';
import type { StorageConfig } from '../../lambdas/shared/config.js';
import { hostedLinkIssuer } from '../../lambdas/shared/hosted-links/issuer.js';
import { s3EventArchive } from '../../lambdas/shared/store/event-archive.js';
import { createStores } from '../../lambdas/shared/store/index.js';
import { dynamoWebhooks } from '../../lambdas/shared/store/webhooks.js';
import { AWS_ADDRESS_POLICY } from '../../lambdas/shared/webhooks/address-policy.js';
import { sqsWebhookQueue } from '../../lambdas/shared/webhooks/queue.js';
import { executionHolderState } from '../../lambdas/plan-run/liveness.js';
import { STACK_OUTPUT } from '../../infra/stack-outputs.js';
import { operatorSession } from './operator-session.js';
import type { OperatorSession } from './session-types.js';
import { readStackOutputs, type StackOutputs } from './stack-outputs.js';

export interface AwsSession {
  session: OperatorSession;
  stateMachineArn: string;
  region: string;
  outputs: StackOutputs;
}

/** A custom S3 endpoint (an emulator) serves buckets under the path, not as host names. */
const customS3Endpoint = (env: NodeJS.ProcessEnv): boolean =>
  Boolean(env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL);

export async function openAwsSession(
  stackName: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AwsSession> {
  const cloudFormation = new CloudFormationClient({});
  const sts = new STSClient({});
  try {
    const region = await cloudFormation.config.region().catch(() => undefined);
    if (!region)
      throw new Error(
        `no AWS region for stack ${stackName}: set AWS_REGION (or a profile's region, AWS_PROFILE)`,
      );
    const [outputs, identity] = await Promise.all([
      readStackOutputs(cloudFormation, stackName),
      sts.send(new GetCallerIdentityCommand({})).catch((error: unknown) => {
        throw new Error(`no usable AWS credentials (STS GetCallerIdentity): ${(error as Error).message}`, {
          cause: error,
        });
      }),
    ]);
    if (!identity.Arn) throw new Error('STS GetCallerIdentity returned no ARN');
    return {
      session: sessionOn(stackName, region, outputs, identity.Arn, env),
      stateMachineArn: outputs.StateMachineArn,
      region,
      outputs,
    };
  } finally {
    cloudFormation.destroy();
    sts.destroy();
  }
}

/** Invokes the deployed SendReminders function and returns what it did. */
async function invokeReminderJob(
  region: string,
  functionName: string | undefined,
  input: { date?: string },
): Promise<ReminderJobResult> {
  if (functionName === undefined)
    throw new Error('this stack has no reminder job (RemindersFunctionName): deploy this version first');
  const lambda = new LambdaClient({ region });
  try {
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(input)) }),
    );
    const payload = Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8');
    if (out.FunctionError) throw new Error(`the reminder job failed: ${payload.slice(0, 500)}`);
    return JSON.parse(payload) as ReminderJobResult;
  } finally {
    lambda.destroy();
  }
}

function sessionOn(
  stackName: string,
  region: string,
  outputs: StackOutputs,
  operator: string,
  env: NodeJS.ProcessEnv,
): OperatorSession {
  const storage: StorageConfig = {
    tables: {
      customers: outputs.CustomersTableName,
      plans: outputs.PlansTableName,
      usage: outputs.UsageTableName,
      invoices: outputs.InvoicesTableName,
      runs: outputs.RunsTableName,
      receivables: outputs.ReceivablesTableName,
      search: outputs.SearchTableName,
    },
    documentsBucket: outputs.DocumentsBucketName,
  };
  const clients = createAwsClients({ region, s3ForcePathStyle: customS3Endpoint(env) });
  const secrets = new SecretsManagerClient({ region });
  const sqs = new SQSClient({ region });
  const stores = createStores(clients, storage);
  const deadLetterUrl = outputs[STACK_OUTPUT.emailDeadLetterQueueUrl];
  const webhooksTable = outputs[STACK_OUTPUT.webhooksTable];
  const webhookQueueUrl = outputs[STACK_OUTPUT.webhookQueueUrl];
  const webhookDeadLetterUrl = outputs[STACK_OUTPUT.webhookDeadLetterQueueUrl];
  const roleName = (arn: string | undefined) => arn?.split('/').at(-1);
  const supportRole = roleName(outputs[STACK_OUTPUT.supportRoleArn]);
  const operatorRole = roleName(outputs[STACK_OUTPUT.operatorRoleArn]);
  return operatorSession({
    place: { kind: 'aws', stackName, region },
    operator,
    ...(supportRole && operatorRole
      ? { supportRoleNames: { support: supportRole, operator: operatorRole } }
      : {}),
    clients,
    storage,
    stores,
    issuer: hostedLinkIssuer({
      secret: secretsManagerLinkSecret(secrets, outputs.HostedLinkSecretArn),
      publicBaseUrl: outputs.HostedInvoiceBaseUrl,
      links: stores.links,
      now: () => new Date(),
    }),
    publish: snsCustomerPublisher(clients.sns, outputs.CustomerTopicArn),
    runReminders: (input) => invokeReminderJob(region, outputs[STACK_OUTPUT.remindersFunctionName], input),
    // A run's lock holder on AWS is its execution ARN; anything else cannot be checked from here.
    lockHolderState: executionHolderState(clients.sfn),
    deliveries: undefined,
    // The e-mail subscriber is a Lambda on the queue: nothing to do from here.
    deliverEmails: async () => ({ handled: 0, failedAttempts: 0 }),
    emailDeadLetterQueue: deadLetterUrl ? { sqs, url: deadLetterUrl } : undefined,
    events:
      webhooksTable && webhookQueueUrl && webhookDeadLetterUrl
        ? {
            webhooks: dynamoWebhooks(clients.dynamodb, webhooksTable),
            archive: s3EventArchive(stores.documents),
            queue: sqsWebhookQueue(sqs, webhookQueueUrl, webhookDeadLetterUrl),
            addressPolicy: AWS_ADDRESS_POLICY,
            now: () => new Date(),
          }
        : undefined,
    async close() {
      clients.destroy();
      secrets.destroy();
      sqs.destroy();
    },
  });
}
