/**
 * The daily payment reminders (docs/payments.md): an EventBridge Scheduler schedule in the billing
 * time zone invokes SendReminders (lambdas/send-reminders) with the scheduled time; the function
 * scans the invoice index, writes `overdueAt` once per overdue invoice (its change-stream record is
 * the `invoice.overdue` event), claims each reminder in the Receivables table and publishes it to
 * the customer topic, whose e-mail subscriber sends it. Undeliverable starts go to a dead-letter
 * queue; the job is idempotent, so Scheduler's retries and at-least-once delivery are harmless.
 */
import { Duration, Stack, TimeZone, Validations, type CfnElement } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/shared/contracts/env.js';
import { InvoicerFunction } from './function.js';
import { schedulerDeadLetterQueue } from './schedule.js';
import type { BillingStorage } from './storage.js';

export interface PaymentRemindersProps {
  readonly storage: BillingStorage;
  readonly serviceName: string;
  readonly metricsNamespace: string;
  readonly logRetention: logs.RetentionDays;
  readonly timeZone: string;
  /** Reminder steps in days from the due date (`-3,7,21`). @default domain/receivables.ts DEFAULT_REMINDER_STEPS */
  readonly steps?: string;
  /** When the job runs, in Scheduler syntax and the billing time zone. @default 'cron(0 8 * * ? *)' */
  readonly cron?: string;
  readonly scheduleName: string;
  readonly enabled: boolean;
}

export class PaymentReminders extends Construct {
  readonly job: InvoicerFunction;
  readonly schedule: scheduler.Schedule;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: PaymentRemindersProps) {
    super(scope, id);
    const { storage } = props;
    const { Invoices, Receivables } = storage.tables;
    this.job = new InvoicerFunction(this, 'SendReminders', {
      entry: 'lambdas/send-reminders/handler.ts',
      description: 'The daily payment reminders: overdue marks and reminder notifications',
      serviceName: props.serviceName,
      metricsNamespace: props.metricsNamespace,
      logRetention: props.logRetention,
      timeout: Duration.minutes(15),
      environment: {
        ...storage.environment,
        [ENV.billingTimeZone]: props.timeZone,
        [ENV.customerTopicArn]: storage.customerTopic.topicArn,
        ...(props.steps === undefined ? {} : { [ENV.reminderSteps]: props.steps }),
      },
    });
    const allow = (sid: string, actions: string[], resources: string[]) =>
      this.job.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid, actions, resources }));
    // Scans the index; checks its reminders' hosted links in batches (it reads every row already).
    allow('ScanInvoices', ['dynamodb:Scan', 'dynamodb:BatchGetItem'], [Invoices.tableArn]);
    allow('MarkOverdue', ['dynamodb:UpdateItem'], [Invoices.tableArn]);
    allow(
      'RemindersSentAndPauses',
      ['dynamodb:Scan', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      [Receivables.tableArn],
    );
    storage.customerTopic.grantPublish(this.job.role);
    Validations.of(this.job.role).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason:
        'Publishing to the KMS-encrypted customer topic needs GenerateDataKey* on the topic key, and only that key.',
    });

    this.deadLetterQueue = schedulerDeadLetterQueue(this);
    // A role of its own, so that its one finding is acknowledged here and nowhere else.
    const scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: 'Invokes the daily reminder job',
    });
    this.schedule = new scheduler.Schedule(this, 'Daily', {
      scheduleName: props.scheduleName,
      description: 'Sends the payment reminders of the day',
      schedule: scheduler.ScheduleExpression.expression(
        props.cron ?? 'cron(0 8 * * ? *)',
        TimeZone.of(props.timeZone),
      ),
      timeWindow: scheduler.TimeWindow.off(),
      enabled: props.enabled,
      target: new targets.LambdaInvoke(this.job.function, {
        role: scheduleRole,
        input: scheduler.ScheduleTargetInput.fromObject({
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
        }),
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 10,
        maxEventAge: Duration.hours(6),
      }),
    });
    const fnId = Stack.of(this).getLogicalId(this.job.function.node.defaultChild as CfnElement);
    Validations.of(scheduleRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${fnId}.Arn>:*]`,
      reason:
        "Scheduler's Lambda target may invoke the reminder function's versions too (arn:*), and only that function.",
    });
  }
}
