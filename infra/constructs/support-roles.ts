/**
 * The two roles support staff work in (docs/deploy.md, "Support roles"), both assumable by
 * principals of this account that their own IAM policy lets call sts:AssumeRole on them:
 *   - `<prefix>-support`: read-only — find customers and documents, open runs, locks, payments,
 *     the operator log, the documents themselves, reports. `invoicer console` run in this role
 *     shows every page and names the actions it may not take.
 *   - `<prefix>-operator`: support's reads and every operator action of the CLI and the console —
 *     credit, replace, resend, revoke links, payments, re-run, redrive, release a stuck lock.
 * Their names are fixed (the console tells them apart by the assumed-role name in the caller ARN).
 */
import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { supportRoleNames } from '../support-role-names.js';
import { nagStatesArn } from '../nag.js';
import type { BillingStorage } from './storage.js';

export interface SupportRolesProps {
  storage: BillingStorage;
  stateMachine: sfn.StateMachine;
  stateMachineName: string;
  linkSecret: secretsmanager.ISecret;
  remindersJob: lambda.IFunction;
  reportsPolicy: iam.IManagedPolicy;
  /** `invoicer-<stage>`: the roles are `<prefix>-support` and `<prefix>-operator`. */
  prefix: string;
}

const READ_TABLE = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:DescribeTable',
];
const WRITE_TABLE = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

export class SupportRoles extends Construct {
  readonly support: iam.Role;
  readonly operator: iam.Role;

  constructor(scope: Construct, id: string, props: SupportRolesProps) {
    super(scope, id);
    const { storage } = props;
    const names = supportRoleNames(props.prefix);
    const tables = Object.values(storage.tables);
    const tableArns = tables.flatMap((t) => [t.tableArn, `${t.tableArn}/index/*`]);
    const bucket = storage.documentsBucket;
    const executions = `arn:${Stack.of(this).partition}:states:${Stack.of(this).region}:${Stack.of(this).account}:execution:${props.stateMachineName}:*`;
    const role = (roleName: string, description: string) =>
      new iam.Role(this, roleName === names.support ? 'Support' : 'Operator', {
        roleName,
        description,
        assumedBy: new iam.AccountRootPrincipal(),
        managedPolicies: [props.reportsPolicy],
      });
    this.support = role(names.support, 'invoicer support staff: read-only (console, invoicer CLI queries)');
    this.operator = role(names.operator, 'invoicer operators: reads and every operator action');

    for (const r of [this.support, this.operator]) {
      r.addToPolicy(
        new iam.PolicyStatement({ sid: 'ReadTables', actions: READ_TABLE, resources: tableArns }),
      );
      r.addToPolicy(
        new iam.PolicyStatement({
          sid: 'ReadDocuments',
          actions: ['s3:GetObject', 's3:ListBucket'],
          resources: [bucket.bucketArn, bucket.arnForObjects('*')],
        }),
      );
      r.addToPolicy(
        new iam.PolicyStatement({
          sid: 'ReadRuns',
          actions: ['states:DescribeStateMachine', 'states:ListExecutions'],
          resources: [props.stateMachine.stateMachineArn],
        }),
      );
      r.addToPolicy(
        new iam.PolicyStatement({
          sid: 'ReadExecutions',
          actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
          resources: [executions],
        }),
      );
      r.addToPolicy(
        new iam.PolicyStatement({
          sid: 'FindTheStack',
          actions: ['cloudformation:DescribeStacks'],
          resources: [Stack.of(this).stackId],
        }),
      );
      // The hosted links shown on a document's page are derived from this secret.
      props.linkSecret.grantRead(r);
    }

    const operator = this.operator;
    operator.addToPolicy(
      new iam.PolicyStatement({ sid: 'ActOnTables', actions: WRITE_TABLE, resources: tableArns }),
    );
    // Credit notes' documents, regenerated files, the operator log: written, never deleted.
    operator.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WriteDocuments',
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects('*')],
      }),
    );
    operator.addToPolicy(
      new iam.PolicyStatement({
        sid: 'StartRuns',
        actions: ['states:StartExecution'],
        resources: [props.stateMachine.stateMachineArn],
      }),
    );
    operator.addToPolicy(
      new iam.PolicyStatement({
        sid: 'RedriveAndStopRuns',
        actions: ['states:RedriveExecution', 'states:StopExecution'],
        resources: [executions],
      }),
    );
    storage.customerTopic.grantPublish(operator);
    props.remindersJob.grantInvoke(operator);

    const logicalId = (construct: Construct) =>
      Stack.of(this).getLogicalId(construct.node.defaultChild as never);
    const bucketId = logicalId(bucket);
    const acknowledge = (r: iam.Role, extra: { id: string; reason: string }[]) =>
      Validations.of(r).acknowledge(
        ...tables.map((t) => ({
          id: `AwsSolutions-IAM5[Resource::<${logicalId(t)}.Arn>/index/*]`,
          reason:
            'Support queries every index of the invoicer tables (by number, customer, period, status, reference).',
        })),
        {
          id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
          reason:
            'Documents, run results and the operator log are read (and, by operators, written) under any key.',
        },
        {
          id: `AwsSolutions-IAM5[Resource::${nagStatesArn(this, `execution:${props.stateMachineName}:*`)}]`,
          reason:
            'Any execution of this one state machine: a run is looked at, redriven or stopped by its name.',
        },
        ...extra,
      );
    acknowledge(this.support, []);
    acknowledge(this.operator, [
      {
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason: "Publishing to the customer topic encrypts with the topic's key (grantPublish).",
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${logicalId(props.remindersJob)}.Arn>:*]`,
        reason: 'Runs the reminder job by hand (invoicer reminders run --target aws), any published version.',
      },
    ]);
  }
}
