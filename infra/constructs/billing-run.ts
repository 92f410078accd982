/**
 * The billing-run state machine, deployed from the same ASL file the local stack runs
 * (workflows/billing-run.asl.json) with its `${Placeholder}` substitutions. CDK cannot see into a
 * file definition, so the role gets, explicitly, exactly what the ASL's integrations call.
 */
import { nagStatesArn } from '../nag.js';
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  BILLING_RUN_ASL_PATH,
  BILLING_RUN_FUNCTIONS,
  type BillingRunSubstitutions,
} from '../../workflows/definition.js';
import type { BillingStorage } from './storage.js';

export type BillingRunFunctionKey = keyof typeof BILLING_RUN_FUNCTIONS;

export interface BillingRunProps {
  /** Fixed name: the role's policy must name the machine's own ARN without referring to it. */
  readonly stateMachineName: string;
  readonly functions: Record<BillingRunFunctionKey, lambda.IFunction>;
  readonly storage: BillingStorage;
  readonly logRetention: logs.RetentionDays;
}

/** The S3 keys (see s3Keys in lambdas/shared/contracts/keys.ts) the Distributed Map reads and writes. */
export const RUN_MANIFEST_KEYS = 'runs/*/manifest.jsonl';
export const RUN_RESULT_KEYS = 'runs/*/results/*';

export class BillingRunStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  readonly substitutions: BillingRunSubstitutions;
  /** ARN of the machine, built from its name (usable in policies the machine itself depends on). */
  readonly stateMachineArn: string;
  /** ARN patterns of this machine's executions and of the Distributed Map's child executions. */
  readonly executionArnPatterns: string[];

  constructor(scope: Construct, id: string, props: BillingRunProps) {
    super(scope, id);
    const { storage, functions } = props;
    const stack = Stack.of(this);
    this.stateMachineArn = stack.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: props.stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    // Standard executions are `execution:<name>:<id>`; Distributed Map children are `execution:<name>/<label>:<id>`.
    this.executionArnPatterns = [':*', '/*'].map((suffix) =>
      stack.formatArn({
        service: 'states',
        resource: 'execution',
        resourceName: `${props.stateMachineName}${suffix}`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );

    const functionArns = Object.fromEntries(
      (Object.keys(BILLING_RUN_FUNCTIONS) as BillingRunFunctionKey[]).map((key) => [
        key,
        functions[key].functionArn,
      ]),
    ) as Record<BillingRunFunctionKey, string>;
    this.substitutions = {
      ...functionArns,
      InvoicesTableName: storage.tables.Invoices.tableName,
      RunsTableName: storage.tables.Runs.tableName,
      DocumentsBucketName: storage.documentsBucket.bucketName,
      CustomerTopicArn: storage.customerTopic.topicArn,
      OpsTopicArn: storage.opsTopic.topicArn,
    };

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      // Vended-log groups for Step Functions conventionally live under /aws/vendedlogs/ (resource policy size).
      logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromFile(BILLING_RUN_ASL_PATH),
      definitionSubstitutions: { ...this.substitutions },
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
      timeout: Duration.hours(12),
      comment: 'invoicer monthly billing run',
    });

    const role = this.stateMachine.role;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeBillingRunFunctions',
        actions: ['lambda:InvokeFunction'],
        resources: Object.values(functionArns),
      }),
    );
    // Task integrations in the ASL: CommitInvoice / MarkNotified / RecordNotifyFailure /
    // ClearNotifyFailure (updateItem), ReleaseRunLock (deleteItem).
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'InvoiceIndexTransitions',
        actions: ['dynamodb:UpdateItem'],
        resources: [storage.tables.Invoices.tableArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReleaseRunLock',
        actions: ['dynamodb:DeleteItem'],
        resources: [storage.tables.Runs.tableArn],
      }),
    );
    // NotifyCustomer / PublishOpsSummary, on KMS-encrypted topics.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PublishNotifications',
        actions: ['sns:Publish'],
        resources: [storage.customerTopic.topicArn, storage.opsTopic.topicArn],
      }),
    );
    storage.topicKey.grant(role, 'kms:GenerateDataKey*', 'kms:Decrypt');
    // Distributed Map: start its own child executions, follow and stop them (and redrive the map run).
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DistributedMapChildren',
        actions: ['states:StartExecution'],
        resources: [this.stateMachineArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DistributedMapChildExecutions',
        actions: ['states:DescribeExecution', 'states:StopExecution'],
        resources: this.executionArnPatterns,
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DistributedMapRedrive',
        actions: ['states:RedriveExecution'],
        resources: [
          stack.formatArn({
            service: 'states',
            resource: 'mapRun',
            resourceName: `${props.stateMachineName}/*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    // ItemReader reads the manifest, ResultWriter writes the result files (multipart for large runs).
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadRunManifest',
        actions: ['s3:GetObject'],
        resources: [storage.documentsBucket.arnForObjects(RUN_MANIFEST_KEYS)],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteMapResults',
        actions: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        resources: [storage.documentsBucket.arnForObjects(RUN_RESULT_KEYS)],
      }),
    );

    Validations.of(role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only the X-Ray and CloudWatch Logs vended-delivery actions that CDK adds for tracing and logging use "*": they support no resource-level permissions.',
      },
      ...[':*', '/*'].map((suffix) => ({
        id: `AwsSolutions-IAM5[Resource::${nagStatesArn(role, `execution:${props.stateMachineName}${suffix}`)}]`,
        reason:
          'The Distributed Map describes and stops its own child executions, whose ids are generated at run time; the pattern is limited to this state machine.',
      })),
      {
        id: `AwsSolutions-IAM5[Resource::${nagStatesArn(role, `mapRun:${props.stateMachineName}/*`)}]`,
        reason: "Redrive of this state machine's own map runs, whose ids are generated at run time.",
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(storage)}.Arn>/${RUN_MANIFEST_KEYS}]`,
        reason:
          'The Distributed Map reads the manifest of any run; manifests are only written under runs/<runId>/.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(storage)}.Arn>/${RUN_RESULT_KEYS}]`,
        reason: 'The Distributed Map writes result files under runs/<runId>/results/ for any run id.',
      },
      {
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason:
          'Publishing to a KMS-encrypted SNS topic needs GenerateDataKey* on the topic key, and only that key.',
      },
    );
  }
}

/** The logical id of the documents bucket, as cdk-nag prints it in finding ids. */
function logicalIdOf(storage: BillingStorage): string {
  return Stack.of(storage).getLogicalId(storage.documentsBucket.node.defaultChild as CfnElement);
}
