/**
 * The change stream and the webhooks on AWS (docs/events.md): the Invoices and Runs tables'
 * streams (new and old images) feed PublishEvents through event source mappings configured as
 * contracts/event-source.ts says (bisect on error, partial batch responses, bounded retries and
 * record age, the whole records kept in a bucket of their own on failure); it archives every
 * event under events/ and publishes it to the events topic. The webhook queue (raw delivery from
 * the topic) feeds DeliverWebhooks, which POSTs to the owner's endpoints (the Webhooks table),
 * schedules its own retries on the same queue and puts what runs out of them in the dead-letter
 * queue. Alarms: the mapper's errors, the streams' iterator age, webhook dead letters.
 */
import { Duration, RemovalPolicy, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  DynamoEventSource,
  S3OnFailureDestination,
  SqsEventSource,
} from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { WEBHOOK_MAX_RECEIVE_COUNT } from '../../lambdas/shared/contracts/domain-events.js';
import { ENV } from '../../lambdas/shared/contracts/env.js';
import { CHANGE_STREAM_MAPPING } from '../../lambdas/shared/contracts/event-source.js';
import { s3Keys } from '../../lambdas/shared/contracts/keys.js';
import { InvoicerFunction } from './function.js';
import { queueWithDeadLetter } from './queue-pair.js';
import type { BillingStorage } from './storage.js';

export interface DomainEventsProps {
  readonly storage: BillingStorage;
  readonly serviceName: string;
  readonly metricsNamespace: string;
  readonly logRetention: logs.RetentionDays;
  /**
   * Days the failed stream records are kept (long enough to notice, fix and replay them).
   * @default 90
   */
  readonly failureRetentionDays?: number;
}

/** DeliverWebhooks' timeout: a batch's POSTs run at once, each WEBHOOK_TIMEOUT_MS at most. */
const DELIVER_TIMEOUT = Duration.seconds(30);

export class DomainEvents extends Construct {
  readonly publish: InvoicerFunction;
  readonly deliver: InvoicerFunction;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  /** The stream records the mapper gave up on, whole (the mappings' on-failure destination). */
  readonly failuresBucket: s3.Bucket;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: DomainEventsProps) {
    super(scope, id);
    const { storage } = props;
    const { tables, documentsBucket: bucket, eventsTopic } = storage;
    const fn = (
      name: string,
      entry: string,
      description: string,
      environment: Record<string, string>,
      timeout: Duration,
    ) =>
      new InvoicerFunction(this, name, {
        entry,
        description,
        serviceName: props.serviceName,
        metricsNamespace: props.metricsNamespace,
        logRetention: props.logRetention,
        timeout,
        environment,
      });

    // Its own bucket: the destination's grant is read-write on the whole bucket, which the
    // documents bucket must never give a mapper.
    this.failuresBucket = new s3.Bucket(this, 'StreamFailuresBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      serverAccessLogsBucket: storage.accessLogsBucket,
      serverAccessLogsPrefix: 'stream-failures/',
      lifecycleRules: [
        { id: 'expire-failed-records', expiration: Duration.days(props.failureRetentionDays ?? 90) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.publish = fn(
      'PublishEvents',
      'lambdas/publish-events/handler.ts',
      'Turns Invoices and Runs table writes into domain events (archive + events topic)',
      { ...storage.environment, [ENV.eventsTopicArn]: eventsTopic.topicArn },
      Duration.seconds(60),
    );
    for (const table of [tables.Invoices, tables.Runs]) {
      this.publish.function.addEventSource(
        new DynamoEventSource(table, {
          startingPosition: lambda.StartingPosition.TRIM_HORIZON,
          batchSize: CHANGE_STREAM_MAPPING.batchSize,
          bisectBatchOnError: CHANGE_STREAM_MAPPING.bisectBatchOnError,
          retryAttempts: CHANGE_STREAM_MAPPING.retryAttempts,
          maxRecordAge: Duration.seconds(CHANGE_STREAM_MAPPING.maxRecordAgeSeconds),
          reportBatchItemFailures: CHANGE_STREAM_MAPPING.reportBatchItemFailures,
          onFailure: new S3OnFailureDestination(this.failuresBucket),
        }),
      );
    }
    eventsTopic.grantPublish(this.publish.role);
    this.publish.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ArchiveEvents',
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects(`${s3Keys.eventArchivePrefix}*`)],
      }),
    );

    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = queueWithDeadLetter(this, {
      ids: { queue: 'WebhookQueue', deadLetter: 'WebhookDeadLetterQueue' },
      visibilityTimeout: Duration.seconds(DELIVER_TIMEOUT.toSeconds() * 6),
      maxReceiveCount: WEBHOOK_MAX_RECEIVE_COUNT,
      // Retries wait up to 14 h between attempts: kept well past that.
      retentionPeriod: Duration.days(14),
    }));
    eventsTopic.addSubscription(new subscriptions.SqsSubscription(this.queue, { rawMessageDelivery: true }));

    this.deliver = fn(
      'DeliverWebhooks',
      'lambdas/deliver-webhooks/handler.ts',
      "POSTs domain events to the owner's webhook endpoints (Standard Webhooks signatures)",
      {
        // The runtime every function starts from reads the storage names; this one touches none.
        ...storage.environment,
        [ENV.webhooksTable]: tables.Webhooks.tableName,
        [ENV.webhookQueueUrl]: this.queue.queueUrl,
        [ENV.webhookDeadLetterQueueUrl]: this.deadLetterQueue.queueUrl,
      },
      DELIVER_TIMEOUT,
    );
    this.deliver.function.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true }),
    );
    this.deliver.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WebhookEndpointsAndLog',
        actions: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [tables.Webhooks.tableArn],
      }),
    );
    this.deliver.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ScheduleRetriesAndDeadLetters',
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn, this.deadLetterQueue.queueArn],
      }),
    );

    const stack = Stack.of(this);
    const bucketId = stack.getLogicalId(bucket.node.defaultChild as CfnElement);
    Validations.of(this.publish.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${s3Keys.eventArchivePrefix}*]`,
      reason: 'Writes archive parts whose keys are derived from the events (hour and digest).',
    });
    Validations.of(this.publish.role).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason:
        'Publishing to the KMS-encrypted events topic needs GenerateDataKey* on the topic key, and only that key.',
    });
    const failuresId = stack.getLogicalId(this.failuresBucket.node.defaultChild as CfnElement);
    for (const finding of [
      'Action::s3:Abort*',
      'Action::s3:DeleteObject*',
      'Action::s3:GetBucket*',
      'Action::s3:GetObject*',
      'Action::s3:List*',
      `Resource::<${failuresId}.Arn>/*`,
    ])
      Validations.of(this.publish.role).acknowledge({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason:
          "Lambda's S3 on-failure destination grants read-write on its bucket; this bucket holds only the failed stream records.",
      });

    const alarm = (name: string, metric: cloudwatch.IMetric, threshold: number, description: string) => {
      const created = new cloudwatch.Alarm(this, name, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(new actions.SnsAction(storage.opsTopic));
      return created;
    };
    const fiveMinutes = { period: Duration.minutes(5) };
    this.alarms = [
      alarm(
        'MapperErrors',
        this.publish.function.metricErrors({ ...fiveMinutes, statistic: cloudwatch.Stats.SUM }),
        1,
        'The change-stream mapper failed; its records are retried, then kept whole in the stream-failures bucket (docs/runbook.md).',
      ),
      alarm(
        'StreamIteratorAge',
        new cloudwatch.Metric({
          namespace: 'AWS/Lambda',
          metricName: 'IteratorAge',
          dimensionsMap: { FunctionName: this.publish.function.functionName },
          statistic: cloudwatch.Stats.MAXIMUM,
          ...fiveMinutes,
        }),
        15 * 60_000,
        'Domain events lag the writes by more than 15 minutes (docs/runbook.md).',
      ),
      alarm(
        'WebhookDeadLetters',
        this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          ...fiveMinutes,
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        1,
        'Webhook deliveries ran out of retries: see invoicer webhooks deliveries --failed (docs/runbook.md).',
      ),
    ];
  }
}
