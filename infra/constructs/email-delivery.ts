/**
 * The e-mail subscriber on AWS: an SQS queue on the customer topic (raw delivery, filter policy on
 * the event types it e-mails) with a dead-letter queue, the DeliverEmail function reading it
 * (partial batch failures), SES sending from the configured identity in a configuration set whose
 * bounces, complaints and deliveries go to a feedback topic and the EmailFeedback function. The
 * SES identity (a verified domain or address) is not created here: it is configuration
 * (`emailFrom`, `sesIdentity`), verified once by the operator (docs/deploy.md).
 */
import { Duration, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SnsEventSource, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/shared/contracts/env.js';
import {
  EMAIL_MAX_RECEIVE_COUNT,
  EMAILED_EVENT_TYPES,
  MESSAGE_ATTRIBUTE,
} from '../../lambdas/shared/contracts/events.js';
import { emailDeliveryKey } from '../../lambdas/shared/contracts/keys.js';
import { InvoicerFunction } from './function.js';
import { queueWithDeadLetter } from './queue-pair.js';
import type { BillingStorage } from './storage.js';

export interface EmailDeliveryProps {
  readonly storage: BillingStorage;
  /** The From address of invoice e-mails. */
  readonly emailFrom: string;
  /** The verified SES identity that address sends as: its domain, or the address itself. */
  readonly sesIdentity: string;
  readonly configurationSetName: string;
  readonly serviceName: string;
  readonly metricsNamespace: string;
  readonly logRetention: logs.RetentionDays;
}

/** DeliverEmail's timeout; the queue's visibility timeout is six times it (AWS's guidance). */
const DELIVER_TIMEOUT = Duration.seconds(30);

export class EmailDelivery extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly feedbackTopic: sns.Topic;
  readonly configurationSet: ses.ConfigurationSet;
  readonly deliver: InvoicerFunction;
  readonly feedback: InvoicerFunction;
  readonly deadLettersAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: EmailDeliveryProps) {
    super(scope, id);
    const { storage } = props;
    const { tables, documentsBucket: bucket } = storage;

    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = queueWithDeadLetter(this, {
      ids: { queue: 'Queue', deadLetter: 'DeadLetterQueue' },
      visibilityTimeout: Duration.seconds(DELIVER_TIMEOUT.toSeconds() * 6),
      maxReceiveCount: EMAIL_MAX_RECEIVE_COUNT,
    }));
    storage.customerTopic.addSubscription(
      new subscriptions.SqsSubscription(this.queue, {
        rawMessageDelivery: true,
        filterPolicy: {
          [MESSAGE_ATTRIBUTE.eventType]: sns.SubscriptionFilter.stringFilter({
            allowlist: [...EMAILED_EVENT_TYPES],
          }),
        },
      }),
    );

    this.feedbackTopic = new sns.Topic(this, 'FeedbackTopic', {
      displayName: 'Invoicer e-mail feedback (SES bounces, complaints, deliveries)',
      masterKey: storage.topicKey,
      enforceSSL: true,
    });
    storage.topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSesToPublishFeedback',
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: props.configurationSetName,
    });
    this.configurationSet.addEventDestination('Feedback', {
      destination: ses.EventDestination.snsTopic(this.feedbackTopic),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT, ses.EmailSendingEvent.DELIVERY],
    });

    const fn = (name: string, entry: string, description: string, environment: Record<string, string> = {}) =>
      new InvoicerFunction(this, name, {
        entry,
        description,
        serviceName: props.serviceName,
        metricsNamespace: props.metricsNamespace,
        logRetention: props.logRetention,
        timeout: DELIVER_TIMEOUT,
        environment: { ...storage.environment, ...environment },
      });
    this.deliver = fn(
      'DeliverEmail',
      'lambdas/deliver-email/handler.ts',
      'Sends invoice e-mails with the PDF (SES)',
      {
        [ENV.emailFrom]: props.emailFrom,
        [ENV.sesConfigurationSet]: this.configurationSet.configurationSetName,
      },
    );
    this.deliver.function.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true }),
    );
    this.feedback = fn(
      'EmailFeedback',
      'lambdas/email-feedback/handler.ts',
      'Records SES bounces and complaints',
    );
    this.feedback.function.addEventSource(new SnsEventSource(this.feedbackTopic));

    const deliveries = (sid: string, actionNames: string[]) =>
      new iam.PolicyStatement({
        sid,
        actions: actionNames,
        resources: [tables.Invoices.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [emailDeliveryKey('*')] } },
      });
    const stack = Stack.of(this);
    const sesArn = (resource: string) =>
      stack.formatArn({ service: 'ses', resource, resourceName: undefined });
    const deliverRole = this.deliver.role;
    deliverRole.addToPrincipalPolicy(
      deliveries('EmailDeliveries', ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']),
    );
    deliverRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadCustomer',
        actions: ['dynamodb:GetItem'],
        resources: [tables.Customers.tableArn],
      }),
    );
    deliverRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadInvoicePdf',
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects('invoices/*')],
      }),
    );
    deliverRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SendInvoiceEmail',
        actions: ['ses:SendEmail'],
        resources: [
          sesArn(`identity/${props.sesIdentity}`),
          sesArn(`configuration-set/${this.configurationSet.configurationSetName}`),
        ],
      }),
    );
    // The feedback on its delivery (EMAIL#...), and the outcome on the document's own row
    // (store/email-outcomes.ts), found by its number: any key of the table, so no LeadingKeys.
    this.feedback.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'FindDocumentByNumber',
        actions: ['dynamodb:Query'],
        resources: [`${tables.Invoices.tableArn}/index/byNumber`],
      }),
    );
    this.feedback.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RecordFeedbackAndOutcome',
        actions: ['dynamodb:UpdateItem'],
        resources: [tables.Invoices.tableArn],
      }),
    );

    const bucketId = stack.getLogicalId(bucket.node.defaultChild as CfnElement);
    Validations.of(deliverRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/invoices/*]`,
      reason: 'Reads the PDF of the invoice it e-mails; keys known only from the event.',
    });

    this.deadLettersAlarm = new cloudwatch.Alarm(this, 'DeadLetters', {
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(5),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription:
        'Invoice e-mails failed for good and wait in the dead-letter queue (docs/runbook.md).',
    });
    this.deadLettersAlarm.addAlarmAction(new actions.SnsAction(storage.opsTopic));
  }
}
